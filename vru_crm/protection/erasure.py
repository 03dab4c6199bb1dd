"""Erasing a person everywhere, with the figures still true and no trace of what was erased.

Two modes:
- ``delete``: the person goes. Their links to engagements and meetings become
  anonymous counts (``anonymous_participant``, ``anonymous_attendance``), so
  "people reached" and attendance figures do not change.
- ``anonymise``: the record stays as "Anonymised person" with its age band (for
  counts of young people) and its links, but without name, contact details,
  notes, borough, affiliations, memberships or consent.

In both, their name, e-mail and phone (including earlier values found in the
audit trail, and a parent's name on a consent) are replaced by ``[erased]`` in
free text and in earlier audit entries, and one audit entry records that an
erasure happened, by whom and when, without the erased data.

It reaches further than the obvious: values are found in any case and with any accents
(``vru_crm.protection.matching``, shared with subject access); records merged
into the person are erased with them; each erasure goes in the erasure register
(``vru_crm.protection.register``), which is applied to the automatic backups
and re-applied after any restore; and the SQLite file is left with no copy of
the values (``scrub.flush_traces``), or the report says what remains.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from db.models import AuditEntry, ConsentRecord, Person, SubjectAccessRequest, saved_id, table_of
from db.session import Database
from db.team_access import scrubs_on_server
from db.types import utcnow
from vru_crm.errors import NotFound, ValidationError
from vru_crm.protection import matching, register, scrub
from vru_crm.protection.matching import Matcher

log = logging.getLogger(__name__)

MODES = ("delete", "anonymise")
ERASE_ACTION = "erase"
MERGE_ACTION = (
    "merge"  # written by vru_crm.services.merge: {"merged_id": ..., "merged_created_at": ...}
)
LOCK_KEY = 0x56525565  # pg_advisory_xact_lock key: erasures one at a time
ANONYMOUS_NAME = "Anonymised person"
_COUNTED = {"engagement_person", "attendance"}  # links that become anonymous counts
_CONTACT_FIELDS = ("full_name", "email", "phone")
LINK_WORDS = {
    "engagement_person": ("engagement", "engagements"),
    "attendance": ("meeting attended", "meetings attended"),
    "membership": ("network membership", "network memberships"),
    "affiliation": ("organisation", "organisations"),
    "consent_record": ("consent record", "consent records"),
    "person_protection": ("data protection record", "data protection records"),
    "subject_access_request": ("subject access request", "subject access requests"),
    "action": ("action owned", "actions owned"),
}


@dataclass
class ErasureReport:
    person_id: int
    mode: str
    engagements_counted: int = 0
    attendances_counted: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    audit_entries_scrubbed: int = 0
    text_rows_scrubbed: int = 0
    merged_records: int = 0
    backups_scrubbed: int = 0
    # What could not be finished on disk, in words (None: nothing remains anywhere).
    unfinished: str | None = None
    register_entries: list[register.Entry] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "erased" if self.mode == "delete" else "anonymised"
        lines = [f"Person {self.person_id} {verb}."]
        if self.merged_records:
            lines.append(
                f"{self.merged_records} duplicate record(s) merged into them were erased with them."
            )
        if self.engagements_counted or self.attendances_counted:
            lines.append(
                f"{self.engagements_counted} engagements and {self.attendances_counted} meeting "
                "attendances now count them anonymously; the figures are unchanged."
            )
        for table, count in sorted(self.removed.items()):
            lines.append(f"{count} {table.replace('_', ' ')} rows removed.")
        lines.append(
            f"{self.audit_entries_scrubbed} earlier audit entries and {self.text_rows_scrubbed} "
            "notes or summaries no longer hold their details."
        )
        if self.backups_scrubbed:
            lines.append(f"They were erased from {self.backups_scrubbed} automatic backup(s) too.")
        if self.unfinished:
            lines.append(self.unfinished)
        return lines

    @property
    def summary(self) -> str:
        """The audit entry's text: counts only, never the erased values."""
        return " ".join(self.lines())[:300]


@dataclass(frozen=True)
class MergedRecord:
    """A duplicate once merged into the person: its id, when it was created (if known), merged."""

    person_id: int
    created_at: datetime | None
    merged_at: datetime


@dataclass(frozen=True)
class Scope:
    """Everything an erasure of one person covers: their record, merged duplicates, their values."""

    person_id: int
    merged: tuple[MergedRecord, ...]
    matcher: Matcher

    @property
    def ids(self) -> set[int]:
        return {self.person_id, *(m.person_id for m in self.merged)}


@dataclass(frozen=True)
class ErasurePreview:
    """What an erasure would touch, for the confirmation question."""

    person_id: int
    is_young_person: bool
    links: dict[str, int]
    audit_entries: int

    def links_text(self) -> str:
        """``3 engagements, 1 network membership`` (or ``nothing``), in words."""
        parts = []
        for table, count in sorted(self.links.items()):
            one, many = LINK_WORDS.get(table, (table.replace("_", " "), table.replace("_", " ")))
            parts.append(f"{count} {one if count == 1 else many}")
        return ", ".join(parts) or "nothing"


def preview_erasure(database: Database, person_id: int) -> ErasurePreview:
    with database.session() as s:
        person = _person(s, person_id)
        links = {}
        for table, column in scrub.person_tables():
            n = (
                s.connection()
                .execute(sa.select(sa.func.count()).select_from(table).where(column == person_id))
                .scalar_one()
            )
            if n:
                links[table.name] = n
        entries = s.exec(
            select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == "person", AuditEntry.entity_id == person_id)
        ).one()
        return ErasurePreview(person_id, person.is_young_person, links, int(entries))


def erase_person(database: Database, person_id: int, mode: str = "delete") -> ErasureReport:
    """Erase (``delete``) or ``anonymise`` one person in a single transaction.

    Then, outside it: the erasure register file is brought up to date, the
    automatic backups of a SQLite file are erased the same way, and the file is
    tidied so no copy of the values stays on disk (``report.unfinished`` says
    what remains when another program prevented that).
    """
    if mode not in MODES:
        raise ValidationError({"mode": "choose delete or anonymise"})
    with database.session(audit_rows=False) as s:
        serialise(s)
        scrub.zero_freed_pages(s)
        report = erase_in_session(s, person_id, mode)
    register.save_file(database, report.register_entries)
    report.backups_scrubbed = _erase_from_backups(database, report.register_entries)
    report.unfinished = scrub.flush_traces(database.engine)
    log.info("person %s erased (%s)", person_id, mode)
    return report


def serialise(s: Session) -> None:
    """PostgreSQL: one erasure at a time, so counts and audit rewrites never interleave.

    Two erasures of people who share engagements would otherwise both read and
    rewrite the same rows; an advisory lock held to the end of the transaction
    makes the second wait for the first (SQLite already allows one writer).
    """
    if s.connection().dialect.name == "postgresql":
        s.connection().execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def erase_in_session(s: Session, person_id: int, mode: str, again: bool = False) -> ErasureReport:
    """The erasure itself, inside the caller's unit of work (opened with ``audit_rows=False``).

    ``again``: re-applying the register to restored data (the audit entry says so).
    """
    person = _person(s, person_id)
    if mode == "anonymise" and is_anonymised(person):
        raise ValidationError({"person": "this person has already been anonymised"})
    scope = scope_of(s, person)
    report = ErasureReport(person_id, mode, merged_records=len(scope.merged))
    now = utcnow()
    report.register_entries = [
        register.Entry(person_id, person.created_at, now, mode, "erased"),
        *(
            register.Entry(m.person_id, m.created_at, m.merged_at, "delete", "merged")
            for m in scope.merged
        ),
    ]
    report.audit_entries_scrubbed = _apply_audit_plan(s, audit_plan(s, scope))
    _detach(s, person_id, mode, report)
    person = _person(s, person_id)
    if mode == "delete":
        s.delete(person)
    else:
        _anonymise(person)
        s.add(person)
    s.flush()
    for record_id in scope.ids:
        _forget_graph_position(s, record_id)
    report.text_rows_scrubbed = scrub.scrub_free_text(s, scope.matcher)
    register.record(s, report.register_entries)
    prefix = "Erased again after a restore brought them back. " if again else ""
    s.add(
        AuditEntry(
            username=s.info.get("username") or "unknown",
            action=ERASE_ACTION,
            entity="person",
            entity_id=person_id,
            summary=(prefix + report.summary)[:300],
            changes="{}",
        )
    )
    return report


def scope_of(s: Session, person: Person) -> Scope:
    """The person, the duplicates merged into them, and a matcher for all their values."""
    person_id = saved_id(person)
    merged = merged_records(s, person_id)
    ids = {person_id, *(m.person_id for m in merged)}
    return Scope(person_id, tuple(merged), matching.matcher(_needles(s, person, ids)))


def merged_records(s: Session, person_id: int) -> list[MergedRecord]:
    """Every record merged into the person, and into those, and so on.

    Merges write a ``merge`` entry naming the duplicate (``vru_crm.services.merge``).
    Merges made before that entry existed are recognised by their traces: a link
    row re-pointed from a person who was deleted within a minute of it.
    """
    found: dict[int, MergedRecord] = {}
    queue = [person_id]
    while queue:
        into = queue.pop()
        for record in _explicit_merges(s, into) + _earlier_merges(s, into):
            if record.person_id != person_id and record.person_id not in found:
                found[record.person_id] = record
                queue.append(record.person_id)
    return sorted(found.values(), key=lambda m: m.person_id)


def _explicit_merges(s: Session, into: int) -> list[MergedRecord]:
    entries = s.exec(
        select(AuditEntry).where(
            AuditEntry.entity == "person",
            AuditEntry.entity_id == into,
            AuditEntry.action == MERGE_ACTION,
        )
    )
    records = []
    for entry in entries:
        changes = _load(entry.changes)
        merged_id = changes.get("merged_id")
        if isinstance(merged_id, int):
            created = changes.get("merged_created_at")
            records.append(
                MergedRecord(merged_id, _instant(created) if created else None, entry.at)
            )
    return records


def _earlier_merges(s: Session, into: int) -> list[MergedRecord]:
    linked = {table.name: column.name for table, column in scrub.person_tables()}
    entries = s.exec(
        select(AuditEntry).where(
            col(AuditEntry.entity).in_(list(linked)),
            AuditEntry.action == "update",
            col(AuditEntry.changes).like(f"%, {into}]%"),
        )
    )
    records = []
    for entry in entries:
        value = _load(entry.changes).get(linked[entry.entity])
        if not (isinstance(value, list) and len(value) == 2 and value[1] == into):
            continue
        other = value[0]
        if not isinstance(other, int) or s.get(Person, other) is not None:
            continue
        deleted = s.exec(
            select(AuditEntry.at).where(
                AuditEntry.entity == "person",
                AuditEntry.entity_id == other,
                AuditEntry.action == "delete",
            )
        ).first()
        if deleted is not None and abs((deleted - entry.at).total_seconds()) <= 60:
            records.append(MergedRecord(other, None, deleted))
    return records


def _instant(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def is_anonymised(person: Person) -> bool:
    return person.full_name == ANONYMOUS_NAME and not person.email and not person.phone


def _person(s: Session, person_id: int) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id} (they may already be erased).")
    return person


def _needles(s: Session, person: Person, ids: set[int]) -> list[str]:
    """Every value that identifies them or a merged duplicate: current and earlier names, e-mails, phones."""
    found = {getattr(person, name) for name in _CONTACT_FIELDS}
    entries = s.exec(
        select(AuditEntry.changes).where(
            AuditEntry.entity == "person", col(AuditEntry.entity_id).in_(sorted(ids))
        )
    )
    for text in entries:
        changes = _load(text)
        for name in _CONTACT_FIELDS:
            value = changes.get(name)
            found.update(value if isinstance(value, list) else [value])
    found.update(
        s.exec(select(ConsentRecord.given_by_name).where(ConsentRecord.person_id == person.id))
    )
    found.update(
        s.exec(
            select(SubjectAccessRequest.requested_by).where(
                SubjectAccessRequest.person_id == person.id
            )
        )
    )
    found.discard(scrub.ERASED)
    return sorted(str(x) for x in found if isinstance(x, str) and x.strip())


def _load(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _detach(s: Session, person_id: int, mode: str, report: ErasureReport) -> None:
    """Unlink the person from every table that points at them (see the module docstring)."""
    conn = s.connection()
    for table, column in scrub.person_tables():
        if table.name == "subject_access_request":
            values: dict[str, Any] = {"requested_by": scrub.ERASED}
            if mode == "delete":
                values["person_id"] = None
            conn.execute(sa.update(table).where(column == person_id).values(**values))
            continue
        if table.name in _COUNTED:
            if mode == "delete":
                _count_links(s, table, column, person_id, report)
            continue
        if _on_delete(column) == "SET NULL":
            if mode == "delete":
                conn.execute(
                    sa.update(table).where(column == person_id).values({column.name: None})
                )
            continue
        result = conn.execute(sa.delete(table).where(column == person_id))
        if result.rowcount:
            report.removed[table.name] += result.rowcount


def _on_delete(column: sa.Column[Any]) -> str:
    rules = {(fk.ondelete or "").upper() for fk in column.foreign_keys}
    return "SET NULL" if "SET NULL" in rules else "CASCADE"


def _count_links(
    s: Session, table: sa.Table, column: sa.Column[Any], person_id: int, report: ErasureReport
) -> None:
    conn = s.connection()
    rows = conn.execute(sa.select(table).where(column == person_id)).mappings().all()
    for row in rows:
        if table.name == "engagement_person":
            scrub.add_participants(s, row["engagement_id"], 1)
            report.engagements_counted += 1
        else:
            scrub.add_attendees(s, row["meeting_id"], row["status"])
            report.attendances_counted += 1
    s.flush()
    conn.execute(sa.delete(table).where(column == person_id))


def _anonymise(person: Person) -> None:
    person.full_name = ANONYMOUS_NAME
    person.job_title = None
    person.email = None
    person.phone = None
    person.borough_id = None
    person.notes = ""


def _forget_graph_position(s: Session, person_id: int) -> None:
    """The stored position of their node in the partnership graph, if there is one."""
    table = SQLModel.metadata.tables.get("graph_node_position")
    if table is not None:
        s.connection().execute(sa.delete(table).where(table.c.node_key == f"person:{person_id}"))


def audit_plan(s: Session, scope: Scope) -> list[tuple[AuditEntry, str, dict[str, Any]]]:
    """Each audit entry the erasure rewrites, with its new summary and changes.

    Entries about the person or a merged duplicate lose every value; entries
    about rows that belonged to them keep only ids and statuses; any other
    entry loses the values the matcher finds. Subject access lists the same
    entries (``vru_crm.protection.sar_document``), so it shows all of them.
    """
    ids = scope.ids
    linked = {table.name: column.name for table, column in scrub.person_tables()}
    related = scrub.owned_ids(s, scope.person_id)
    found = scope.matcher

    def rewrite(entry: AuditEntry, changes: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if entry.entity == "person" and entry.entity_id in ids:
            return "[erased person]", scrub.blank_values(changes)
        if entry.entity in linked:
            key = linked[entry.entity]
            owned = entry.entity_id in related.get(entry.entity, set()) or _points_at(
                changes.get(key), ids
            )
            if owned and entry.entity not in ("action", "subject_access_request"):
                keep = {k for k in changes if k.endswith("_id") and k != key} | {"status"}
                return scrub.ERASED, scrub.blank_values(changes, keep=keep)
            if _points_at(changes.get(key), ids):
                changes = {**changes, key: scrub.blank_values({key: changes[key]})[key]}
        return found.replace(entry.summary, scrub.ERASED), found.replace(changes, scrub.ERASED)

    dialect = s.connection().dialect.name
    about = sa.or_(
        sa.and_(col(AuditEntry.entity) == "person", col(AuditEntry.entity_id).in_(sorted(ids))),
        *(
            sa.and_(
                col(AuditEntry.entity).in_(list(linked)),
                col(AuditEntry.changes).like(f"%{record_id}%"),
            )
            for record_id in sorted(ids)
        ),
        *(
            sa.and_(col(AuditEntry.entity) == name, col(AuditEntry.entity_id).in_(sorted(owned)))
            for name, owned in related.items()
            if owned
        ),
        found.prefilter(col(AuditEntry.summary), dialect),
        found.prefilter(col(AuditEntry.changes), dialect),
    )
    plan = []
    for entry in s.exec(select(AuditEntry).where(about).order_by(col(AuditEntry.id))).all():
        loaded = _load(entry.changes)
        summary, changes = rewrite(entry, loaded)
        text = json.dumps(changes, ensure_ascii=False, default=str)
        if summary != entry.summary or text != entry.changes:
            plan.append((entry, summary, changes))
    return plan


def _apply_audit_plan(s: Session, plan: list[tuple[AuditEntry, str, dict[str, Any]]]) -> int:
    if s.connection().dialect.name == "postgresql" and scrubs_on_server(s.connection().info):
        return _scrub_on_server(s, plan)
    table = table_of(AuditEntry)
    for entry, summary, changes in plan:
        s.connection().execute(
            sa.update(table)
            .where(table.c.id == entry.id)
            .values(
                summary=summary[:300], changes=json.dumps(changes, ensure_ascii=False, default=str)
            )
        )
    s.expire_all()
    return len(plan)


def _scrub_on_server(s: Session, plan: list[tuple[AuditEntry, str, dict[str, Any]]]) -> int:
    """A team database: the trail is append-only, so rewrite it through the server's function.

    ``vru_team.scrub_audit`` (``vru-crm team init``) may be run by the data protection
    and admin roles only; it records that it ran and who ran it, and marks the
    transaction so the rows the erasure then removes leave no entries with their values.
    """
    from vru_crm.team.server_audit import scrub_entries

    rows = [
        (int(entry.id or 0), summary, json.dumps(c, ensure_ascii=False, default=str))
        for entry, summary, c in plan
    ]
    count = scrub_entries(s.connection(), rows)
    s.expire_all()
    return count


def _points_at(value: Any, ids: set[int]) -> bool:
    if isinstance(value, list):
        return any(x in ids for x in value if isinstance(x, int))
    return isinstance(value, int) and value in ids


def _erase_from_backups(database: Database, entries: list[register.Entry]) -> int:
    """SQLite: the same erasure in every automatic backup that still holds them."""
    if database.path is None or not entries:
        return 0
    from vru_crm.reliability.backups import erase_from_backups

    return erase_from_backups(database.path, register.all_entries(database, entries))


@dataclass
class ReapplyReport:
    """What re-applying the register did."""

    entries: int
    erased_again: list[int] = field(default_factory=list)
    unfinished: str | None = None

    def lines(self) -> list[str]:
        if not self.erased_again:
            lines = [f"The erasure register lists {self.entries} erased record(s); none was back."]
        else:
            lines = [
                f"{len(self.erased_again)} erased record(s) had come back and were erased again "
                f"(the register lists {self.entries})."
            ]
        if self.unfinished:
            lines.append(self.unfinished)
        return lines


def reapply_register(
    database: Database,
    extra: list[register.Entry] | tuple[register.Entry, ...] = (),
    *,
    finish: bool = True,
    save_file: bool = True,
) -> ReapplyReport:
    """Erase again every registered row that is present (after a restore), in one transaction.

    A row is erased again only when it is the very row that was erased (same id
    and creation instant, see ``register.Entry.is_row``): a newer person who
    was given a freed id is left alone. An anonymised person still anonymised
    is left as they are.
    """
    entries = register.all_entries(database, extra)
    report = ReapplyReport(len(entries))
    with database.session(audit_rows=False) as s:
        serialise(s)
        scrub.zero_freed_pages(s)
        for entry in entries:
            person = s.get(Person, entry.person_id)
            if person is None or not entry.is_row(person):
                continue
            mode = entry.mode if entry.kind == "erased" else "delete"
            if mode == "anonymise" and is_anonymised(person):
                continue
            erase_in_session(s, entry.person_id, mode, again=True)
            report.erased_again.append(entry.person_id)
        register.record(s, entries)
    if save_file:
        register.save_file(database, entries)
    if finish:
        report.unfinished = scrub.flush_traces(database.engine)
    if report.erased_again:
        log.info("erasure register re-applied: %s records erased again", len(report.erased_again))
    return report
