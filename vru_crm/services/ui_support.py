"""Small services the forms need: name suggestions, and snapshots that make undo possible.

Undo of a delete must bring a record back *with its links*; undo of a merge must
put both records back as they were. Rather than one inverse per operation, a
``Snapshot`` copies a record's row and every row that points at it (found from
the foreign keys in the schema, so a new link table is covered without a code
change). ``restore`` writes them back with their original ids, through the ORM
so the audit trail records the restore like any other change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, func, or_
from sqlmodel import Session, SQLModel, col, select

import db.models as models
from db.errors import ConcurrentEditError
from db.models import Network, Organisation, Person
from db.session import Database
from vru_crm.errors import NotFound, ValidationError
from vru_crm.london import today_in_london
from vru_crm.services import merge, organisations, people
from vru_crm.services.engagements import EngagementInput, EngagementRecord
from vru_crm.services.merge import MergeResult
from vru_crm.services.organisations import OrganisationInput, OrganisationRecord
from vru_crm.services.people import PersonInput, PersonRecord

log = logging.getLogger(__name__)

KINDS: dict[str, type[SQLModel]] = {
    "organisation": Organisation,
    "person": Person,
    "network": Network,
    "engagement": models.Engagement,
    # Governance records: undone through the generic row functions below.
    "meeting": models.Meeting,
    "membership": models.Membership,
    "action": models.Action,
    "recommendation": models.Recommendation,
    "letter": models.Letter,
    "standing_item": models.StandingItem,
    "meeting_guest": models.MeetingGuest,
}

# What a user calls the rows of each link table (for "what moves" in a merge preview).
LINK_LABELS: dict[str, tuple[str, str]] = {
    "affiliation": ("affiliation", "affiliations"),
    "membership": ("network membership", "network memberships"),
    "engagement_organisation": ("engagement", "engagements"),
    "engagement_person": ("engagement", "engagements"),
    "attendance": ("meeting attended", "meetings attended"),
    "stakeholder_assessment": ("stakeholder assessment", "stakeholder assessments"),
    "organisation_borough": ("borough", "boroughs"),
    "organisation_tag": ("tag", "tags"),
    "action": ("action owned", "actions owned"),
}
_SKIP_COLUMNS = {"version", "created_at", "updated_at"}


# -- suggestions for the pickers ------------------------------------------------
def suggest(database: Database, kind: str, text: str, limit: int = 15) -> list[tuple[int, str]]:
    """Up to ``limit`` (id, name) pairs whose name contains ``text``, names starting with it first."""
    model = KINDS[kind]
    name = model.full_name if model is Person else model.name  # type: ignore[attr-defined]
    needle = text.strip().casefold()
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    starts = func.lower(name).like(escaped + "%", escape="\\")
    query = (
        select(model.id, name)  # type: ignore[attr-defined]
        .where(func.lower(name).like("%" + escaped + "%", escape="\\"))
        .order_by(starts.desc(), func.lower(name))
        .limit(limit)
    )
    with database.session(audit_rows=False) as s:
        return [(row[0], row[1]) for row in s.exec(query)]


def names(database: Database, kind: str, ids: list[int]) -> list[tuple[int, str]]:
    """(id, name) of the given records, in the order given (missing ones left out)."""
    if not ids:
        return []
    model = KINDS[kind]
    name = model.full_name if model is Person else model.name  # type: ignore[attr-defined]
    with database.session(audit_rows=False) as s:
        found = dict(s.exec(select(model.id, name).where(col(model.id).in_(ids))).all())  # type: ignore[attr-defined]
    return [(i, found[i]) for i in ids if i in found]


# -- any record's own values, for undo of governance edits ----------------------
_KEEP_OUT = {"id", "version", "created_at", "updated_at", "uid"}
# Values that move on by themselves (a calendar SEQUENCE only rises), not a colleague's edit.
_IGNORED_ON_UNDO = {"sequence"}


def row_values(database: Database, kind: str, record_id: int) -> dict[str, Any]:
    """The record's own column values (not its id, version or timestamps).

    Undo of an edit saves these back: they were valid when they were read, so
    putting them back needs no form's validation, only the version check.
    """
    with database.session(audit_rows=False) as s:
        obj = s.get(KINDS[kind], record_id)
        if obj is None:
            raise NotFound(f"There is no {kind} with id {record_id} (it may have been deleted).")
        return {k: v for k, v in _plain(obj).items() if k not in _KEEP_OUT}


def save_row_values(
    database: Database,
    kind: str,
    record_id: int,
    values: dict[str, Any],
    version: int | None,
    expected: dict[str, Any] | None = None,
) -> int:
    """Write ``values`` over the record if nobody saved it since ``version``; the new version.

    A meeting's calendar SEQUENCE is never lowered by an undo: a calendar
    program ignores an update whose SEQUENCE is lower than the copy it holds.
    """
    with database.session() as s:
        obj = s.get(KINDS[kind], record_id)
        if obj is None:
            raise NotFound(f"There is no {kind} with id {record_id} (it may have been deleted).")
        current = getattr(obj, "version", None)
        if expected is not None:
            # Undo of one step of several: the record must still hold what that step
            # left (its version has moved on with the later steps already undone).
            now = {k: v for k, v in _plain(obj).items() if k not in _KEEP_OUT}
            if any(now.get(k) != v for k, v in expected.items() if k not in _IGNORED_ON_UNDO):
                raise ConcurrentEditError(organisations.STALE_MESSAGE)
        elif version is not None and current is not None and current != version:
            raise ConcurrentEditError(organisations.STALE_MESSAGE)
        changed = False
        for name, value in values.items():
            if name in _KEEP_OUT or name == "sequence":
                continue
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed and hasattr(obj, "sequence"):
            obj.sequence += 1  # type: ignore[attr-defined]
        s.add(obj)
        s.flush()
        return getattr(obj, "version", 0)


def delete_row(database: Database, kind: str, record_id: int, version: int | None = None) -> None:
    """Delete one record (its cascading links go with it; ``restore`` brings them back)."""
    with database.session() as s:
        obj = s.get(KINDS[kind], record_id)
        if obj is None:
            raise NotFound(f"There is no {kind} with id {record_id} (it may have been deleted).")
        current = getattr(obj, "version", None)
        if version is not None and current is not None and current != version:
            raise ConcurrentEditError(organisations.STALE_MESSAGE)
        s.delete(obj)


# -- snapshots ------------------------------------------------------------------
@dataclass
class Snapshot:
    """A record's row and every row pointing at it, as plain column values."""

    kind: str
    id: int
    row: dict[str, Any]
    links: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Rows whose nullable reference (ON DELETE SET NULL) points at the record:
    # (table, primary key values, column).
    references: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many linked rows of each kind, keyed by table: {"affiliation": 2, ...}."""
        totals = {table: len(rows) for table, rows in self.links.items() if rows}
        owned = sum(1 for table, _, _ in self.references if table == "action")
        if owned:
            totals["action"] = owned
        return totals

    def describe(self) -> str:
        """The counts in words: "2 affiliations, 1 engagement" ("no links" when none)."""
        parts = []
        for table, n in self.counts().items():
            one, many = LINK_LABELS.get(table, (table.replace("_", " "), table.replace("_", " ")))
            parts.append(f"{n} {one if n == 1 else many}")
        return ", ".join(parts) or "no links"


def _model_for(table: Table) -> type[SQLModel]:
    for name in models.__all__:
        candidate = getattr(models, name)
        if getattr(candidate, "__table__", None) is table:
            return candidate
    raise LookupError(table.name)


def _plain(obj: SQLModel) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in obj.__table__.columns}  # type: ignore[attr-defined]


def _incoming(target: Table) -> list[tuple[Table, str, str | None]]:
    """(table, column, ondelete) for every foreign key that points at ``target.id``."""
    found = []
    for table in models.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target and fk.column.name == "id":
                found.append((table, fk.parent.name, fk.ondelete))
    return found


def snapshot(database: Database, kind: str, record_id: int) -> Snapshot:
    """Copy the record and all its links, before a delete or a merge."""
    model = KINDS[kind]
    with database.session(audit_rows=False) as s:
        obj = s.get(model, record_id)
        if obj is None:
            raise NotFound(f"There is no {kind} with id {record_id} (it may have been deleted).")
        shot = Snapshot(kind, record_id, _plain(obj))
        for table, column, ondelete in _incoming(model.__table__):  # type: ignore[attr-defined]
            link_model = _model_for(table)
            rows = s.exec(select(link_model).where(getattr(link_model, column) == record_id)).all()
            if ondelete == "CASCADE":
                shot.links.setdefault(table.name, []).extend(_plain(r) for r in rows)
            else:
                for r in rows:
                    keys = {c.name: getattr(r, c.name) for c in table.primary_key.columns}
                    shot.references.append((table.name, keys, column))
        return shot


def restore(database: Database, shot: Snapshot) -> int:
    """Re-create a deleted record with its id and links; returns its new version.

    Links to records that have since gone (an engagement deleted meanwhile) are
    skipped rather than failing the whole undo.
    """
    with database.session() as s:
        model = KINDS[shot.kind]
        if s.get(model, shot.id) is not None:
            raise ConcurrentEditError(
                f"This {shot.kind} exists again already; there is nothing to bring back."
            )
        obj = model(**{k: v for k, v in shot.row.items() if k not in _SKIP_COLUMNS})
        s.add(obj)
        s.flush()
        _restore_links(s, shot)
        s.flush()
        return obj.version  # type: ignore[attr-defined]


def _restore_links(s: Session, shot: Snapshot) -> None:
    by_name = {t.name: t for t in models.metadata.sorted_tables}
    for table_name, rows in shot.links.items():
        link_model = _model_for(by_name[table_name])
        for values in rows:
            if _targets_exist(s, by_name[table_name], values) and not _row_exists(
                s, link_model, values
            ):
                s.add(link_model(**values))
    for table_name, keys, column in shot.references:
        row = s.get(_model_for(by_name[table_name]), tuple(keys.values()))
        if row is not None and getattr(row, column) is None:
            setattr(row, column, shot.id)
            s.add(row)


def _targets_exist(s: Session, table: Table, values: dict[str, Any]) -> bool:
    """True when every record the link row points at still exists."""
    for fk in table.foreign_keys:
        value = values.get(fk.parent.name)
        if value is not None and s.get(_model_for(fk.column.table), value) is None:
            return False
    return True


def _row_exists(s: Session, link_model: type[SQLModel], values: dict[str, Any]) -> bool:
    keys = tuple(values[c.name] for c in link_model.__table__.primary_key.columns)  # type: ignore[attr-defined]
    return s.get(link_model, keys if len(keys) > 1 else keys[0]) is not None


def current_version(database: Database, kind: str, record_id: int) -> int | None:
    """The record's version now, or None when it no longer exists."""
    with database.session(audit_rows=False) as s:
        obj = s.get(KINDS[kind], record_id)
        return None if obj is None else obj.version  # type: ignore[attr-defined]


def unmerge(
    database: Database, kept: Snapshot, merged_away: Snapshot, version_after_merge: int
) -> int:
    """Undo a merge: the kept record goes back to its own values and links, the other returns.

    Refuses (ConcurrentEditError) when the kept record was edited after the
    merge, since that edit would be lost. Returns the kept record's new version.
    """
    model = KINDS[kept.kind]
    with database.session() as s:
        obj = s.get(model, kept.id)
        if obj is None or obj.version != version_after_merge:  # type: ignore[attr-defined]
            raise ConcurrentEditError(
                f"The {kept.kind} was changed after the merge, so the merge can no longer be undone."
            )
        for key, value in kept.row.items():
            if key not in _SKIP_COLUMNS and key != "id":
                setattr(obj, key, value)
        s.add(obj)
        _drop_links(s, kept)
        s.flush()
        _restore_links(s, kept)
        other = model(**{k: v for k, v in merged_away.row.items() if k not in _SKIP_COLUMNS})
        s.add(other)
        s.flush()
        _restore_links(s, merged_away)
        s.flush()
        return obj.version  # type: ignore[attr-defined]


def _drop_links(s: Session, shot: Snapshot) -> None:
    """Delete every row that points at the record now (the merge added some)."""
    model = KINDS[shot.kind]
    for table, column, ondelete in _incoming(model.__table__):  # type: ignore[attr-defined]
        link_model = _model_for(table)
        rows = s.exec(select(link_model).where(getattr(link_model, column) == shot.id)).all()
        for row in rows:
            if ondelete == "CASCADE":
                s.delete(row)
            else:
                setattr(row, column, None)
                s.add(row)


# -- what the engagement form infers from the organisations chosen --------------
def organisation_context(
    database: Database, organisation_ids: list[int]
) -> tuple[list[int], list[int]]:
    """(borough ids, network ids) of the organisations: their boroughs and current memberships."""
    if not organisation_ids:
        return [], []
    today = today_in_london()
    with database.session(audit_rows=False) as s:
        boroughs = s.exec(
            select(models.OrganisationBorough.borough_id)
            .where(col(models.OrganisationBorough.organisation_id).in_(organisation_ids))
            .distinct()
        ).all()
        networks = s.exec(
            select(models.Membership.network_id)
            .where(col(models.Membership.organisation_id).in_(organisation_ids))
            .where(
                or_(
                    col(models.Membership.end_date).is_(None),
                    col(models.Membership.end_date) >= today,
                )
            )
            .distinct()
        ).all()
    return sorted(boroughs), sorted(networks)


def all_choices(database: Database, kind: str) -> list[tuple[int, str]]:
    """Every (id, name) of a small set (networks, tags), by name, for a picker given whole."""
    model = {"network": Network, "tag": models.Tag}[kind]
    with database.session(audit_rows=False) as s:
        return [(r[0], r[1]) for r in s.exec(select(model.id, model.name).order_by(model.name))]  # type: ignore[attr-defined]


# -- a person's affiliations, saved as a whole from the person form ---------------
@dataclass
class AffiliationRow:
    """One line of the affiliations table in the person form (id None for a new one)."""

    organisation_id: int
    organisation_name: str = ""
    role: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    id: int | None = None


def affiliation_problem(row: AffiliationRow) -> str | None:
    if row.start_date and row.end_date and row.end_date < row.start_date:
        return "the end date is before the start date"
    if row.role and len(row.role.strip()) > 200:
        return "the role is too long (at most 200 characters)"
    return None


def save_affiliations(database: Database, person_id: int, rows: list[AffiliationRow]) -> None:
    """Make the person's affiliations exactly ``rows``: update, add, and remove the others."""
    problems = {
        f"affiliation {i + 1}": p for i, r in enumerate(rows) if (p := affiliation_problem(r))
    }
    if problems:
        raise ValidationError(problems)
    with database.session() as s:
        if s.get(Person, person_id) is None:
            raise NotFound(f"There is no person with id {person_id} (they may have been deleted).")
        existing = {
            a.id: a
            for a in s.exec(
                select(models.Affiliation).where(models.Affiliation.person_id == person_id)
            )
        }
        kept: set[int] = set()
        for row in rows:
            target = existing.get(row.id) if row.id is not None else None
            if target is None:
                target = models.Affiliation(
                    person_id=person_id, organisation_id=row.organisation_id
                )
            target.organisation_id = row.organisation_id
            target.role = (row.role or "").strip() or None
            target.start_date, target.end_date = row.start_date, row.end_date
            s.add(target)
            s.flush()
            kept.add(target.id)  # type: ignore[arg-type]
        for affiliation_id, old in existing.items():
            if affiliation_id not in kept:
                s.delete(old)


# -- records back into inputs (to undo an edit, to fill a form) ------------------
def organisation_input(record: OrganisationRecord) -> OrganisationInput:
    return OrganisationInput(
        name=record.name,
        sector=record.sector,
        borough_ids=list(record.borough_ids),
        website=record.website,
        email=record.email,
        phone=record.phone,
        notes=record.notes,
        tags=list(record.tags),
        is_priority=record.is_priority,
    )


def person_input(record: PersonRecord) -> PersonInput:
    return PersonInput(
        full_name=record.full_name,
        job_title=record.job_title,
        email=record.email,
        phone=record.phone,
        borough_id=record.borough_id,
        is_young_person=record.is_young_person,
        age_band=record.age_band,
        notes=record.notes,
    )


def affiliation_rows(record: PersonRecord) -> list[AffiliationRow]:
    return [
        AffiliationRow(
            a.organisation_id, a.organisation_name, a.role, a.start_date, a.end_date, a.id
        )
        for a in record.affiliations
    ]


def engagement_input(record: EngagementRecord) -> EngagementInput:
    return EngagementInput(
        kind=record.kind,
        occurred_on=record.occurred_on,
        organisation_ids=list(record.organisation_ids),
        person_ids=list(record.person_ids),
        borough_ids=list(record.borough_ids),
        network_ids=list(record.network_ids),
        objective_ids=list(record.objective_ids),
        summary=record.summary,
        outcome=record.outcome,
        people_reached=record.people_reached,
        follow_up_on=record.follow_up_on,
        follow_up_done=record.follow_up_done,
        is_notable=record.is_notable,
        logged_by=record.logged_by,
    )


def merge_with_values(
    database: Database,
    kind: str,
    keep_id: int,
    other_id: int,
    values: OrganisationInput | PersonInput,
) -> tuple[MergeResult, int]:
    """Merge ``other_id`` into ``keep_id``, then give the kept record the values the user chose.

    Links are the union made by the merge service (boroughs and tags of an
    organisation included); ``values`` sets the plain fields. Returns the merge
    result and the kept record's version afterwards.
    """
    check = (
        organisations.organisation_problems if kind == "organisation" else people.person_problems
    )
    problems = {k: p for k, p in check(values).items() if p}  # type: ignore[arg-type]
    if problems:  # refuse before merging, so a bad value cannot leave a half-done merge
        raise ValidationError(problems)
    if kind == "organisation":
        result = merge.merge_organisations(database, keep_id, other_id)
        merged = organisations.get_organisation(database, keep_id)
        assert isinstance(values, OrganisationInput)
        values.borough_ids = sorted(set(values.borough_ids) | set(merged.borough_ids))
        values.tags = list(dict.fromkeys([*values.tags, *merged.tags]))
        return result, organisations.update_organisation(
            database, keep_id, values, merged.version
        ).version
    result = merge.merge_people(database, keep_id, other_id)
    version = people.get_person(database, keep_id).version
    assert isinstance(values, PersonInput)
    return result, people.update_person(database, keep_id, values, version).version
