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
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from db.models import AuditEntry, ConsentRecord, Person, SubjectAccessRequest
from db.session import Database
from vru_crm.errors import NotFound, ValidationError
from vru_crm.protection import scrub

log = logging.getLogger(__name__)

MODES = ("delete", "anonymise")
ERASE_ACTION = "erase"
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

    def lines(self) -> list[str]:
        verb = "erased" if self.mode == "delete" else "anonymised"
        lines = [f"Person {self.person_id} {verb}."]
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
        return lines

    @property
    def summary(self) -> str:
        """The audit entry's text: counts only, never the erased values."""
        return " ".join(self.lines())[:300]


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
    """Erase (``delete``) or ``anonymise`` one person in a single transaction."""
    if mode not in MODES:
        raise ValidationError({"mode": "choose delete or anonymise"})
    with database.session(audit_rows=False) as s:
        scrub.zero_freed_pages(s)
        report = erase_in_session(s, person_id, mode)
    scrub.flush_traces(database.engine)
    log.info("person %s erased (%s)", person_id, mode)
    return report


def erase_in_session(s: Session, person_id: int, mode: str) -> ErasureReport:
    """The erasure itself, inside the caller's unit of work (opened with ``audit_rows=False``)."""
    person = _person(s, person_id)
    if mode == "anonymise" and is_anonymised(person):
        raise ValidationError({"person": "this person has already been anonymised"})
    needles = _needles(s, person)
    pattern = scrub.needle_pattern(needles)
    report = ErasureReport(person_id, mode)
    report.audit_entries_scrubbed = _scrub_audit(s, person_id, pattern, needles)
    _detach(s, person_id, mode, report)
    person = _person(s, person_id)
    if mode == "delete":
        s.delete(person)
    else:
        _anonymise(person)
        s.add(person)
    s.flush()
    _forget_graph_position(s, person_id)
    report.text_rows_scrubbed = scrub.scrub_free_text(s, pattern, needles)
    s.add(
        AuditEntry(
            username=s.info.get("username") or "unknown",
            action=ERASE_ACTION,
            entity="person",
            entity_id=person_id,
            summary=report.summary,
            changes="{}",
        )
    )
    return report


def is_anonymised(person: Person) -> bool:
    return person.full_name == ANONYMOUS_NAME and not person.email and not person.phone


def _person(s: Session, person_id: int) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id} (they may already be erased).")
    return person


def _needles(s: Session, person: Person) -> list[str]:
    """Every value that identifies them: current and earlier names, e-mails, phones."""
    found = {getattr(person, name) for name in _CONTACT_FIELDS}
    entries = s.exec(
        select(AuditEntry.changes).where(
            AuditEntry.entity == "person", AuditEntry.entity_id == person.id
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


def _on_delete(column: sa.Column) -> str:
    rules = {(fk.ondelete or "").upper() for fk in column.foreign_keys}
    return "SET NULL" if "SET NULL" in rules else "CASCADE"


def _count_links(s: Session, table: sa.Table, column: sa.Column, person_id: int, report) -> None:
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


def _scrub_audit(s: Session, person_id: int, pattern, needles: list[str]) -> int:
    """Rewrite earlier entries so none of them still holds the person's details."""
    linked = {table.name: column.name for table, column in scrub.person_tables()}
    related = scrub.owned_ids(s, person_id)

    def about_person(entry: AuditEntry, changes: dict) -> tuple[str, dict] | None:
        if entry.entity == "person" and entry.entity_id == person_id:
            return "[erased person]", scrub.blank_values(changes)
        if entry.entity in linked:
            key = linked[entry.entity]
            owned = entry.entity_id in related.get(entry.entity, set()) or _points_at(
                changes.get(key), person_id
            )
            if owned and entry.entity not in ("action", "subject_access_request"):
                keep = {k for k in changes if k.endswith("_id") and k != key} | {"status"}
                return scrub.ERASED, scrub.blank_values(changes, keep=keep)
            if _points_at(changes.get(key), person_id):
                changes = {**changes, key: scrub.blank_values({key: changes[key]})[key]}
        return scrub.scrub_text(entry.summary, pattern), scrub.scrub_text(changes, pattern)

    about = sa.or_(
        sa.and_(col(AuditEntry.entity) == "person", col(AuditEntry.entity_id) == person_id),
        sa.and_(
            col(AuditEntry.entity).in_(list(linked)),
            col(AuditEntry.changes).like(f"%{person_id}%"),
        ),
        *(
            sa.and_(col(AuditEntry.entity) == name, col(AuditEntry.entity_id).in_(ids))
            for name, ids in related.items()
            if ids
        ),
        scrub.like_any(col(AuditEntry.summary), needles),
        scrub.like_any(col(AuditEntry.changes), needles),
    )
    return scrub.rewrite_entries(s, about, about_person)


def _points_at(value: Any, person_id: int) -> bool:
    if isinstance(value, list):
        return person_id in value
    return value == person_id
