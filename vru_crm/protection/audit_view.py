"""Reading the audit trail: who changed what, when, with old and new values.

Read-only on purpose. There is no function here (or anywhere in the app) that
edits an entry; the only writers are the unit of work itself, erasure (which
removes erased values) and retention (which deletes entries past their time).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from db.models import AuditEntry, saved_id
from db.session import Database
from vru_crm.london import LONDON
from vru_crm.protection import scrub

PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    """Empty fields mean "any". ``text`` is searched in the summary and the changes."""

    username: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    action: str | None = None
    text: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    changes: tuple[FieldChange, ...]
    # In words (``audit_words``), filled by ``page_entries``: "Consent of Grace Reid",
    # "Consent of Grace Reid: withdrawn on 1 Dec 2026", and each field by its label.
    record: str = ""
    what: str = ""
    details: str = ""

    @property
    def action_words(self) -> str:
        from vru_crm.protection.audit_words import ACTION_WORDS

        return ACTION_WORDS.get(self.action, self.action.replace("_", " ").capitalize())

    @property
    def at_local(self) -> datetime:
        return self.at.astimezone(LONDON)

    @property
    def changes_text(self) -> str:
        """One line per field: ``name: old → new`` (or just the value for a create/delete)."""
        lines = []
        for change in self.changes:
            if self.action == "update":
                lines.append(f"{change.field}: {_show(change.old)} → {_show(change.new)}")
            else:
                lines.append(f"{change.field}: {_show(change.new)}")
        return "\n".join(lines)


def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def count_entries(database: Database, where: AuditFilter) -> int:
    with database.session() as s:
        query = select(sa.func.count()).select_from(AuditEntry).where(_condition(where))
        return int(s.exec(query).one())


def page_entries(
    database: Database, where: AuditFilter, offset: int = 0, limit: int = PAGE
) -> list[AuditRow]:
    """Newest first, ``limit`` rows from ``offset``."""
    with database.session() as s:
        query = (
            select(AuditEntry)
            .where(_condition(where))
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
            .offset(offset)
            .limit(limit)
        )
        return in_words(s, [to_row(e) for e in s.exec(query)])


def in_words(s: Session, rows: list[AuditRow]) -> list[AuditRow]:
    """``rows`` with their record, what happened and the details in words (one query per kind)."""
    from vru_crm.protection.audit_words import Words

    words = Words(s, rows)
    return [
        replace(row, record=words.record(row), what=words.what(row), details=words.details(row))
        for row in rows
    ]


def choices(database: Database) -> dict[str, list[str]]:
    """The users, kinds of record and actions that occur, for the filter drop-downs."""
    with database.session() as s:
        return {
            name: sorted(x for x in s.exec(select(column).distinct()) if x)
            for name, column in (
                ("username", AuditEntry.username),
                ("entity", AuditEntry.entity),
                ("action", AuditEntry.action),
            )
        }


def entries_about_person(database: Database, person_id: int) -> list[AuditRow]:
    """Entries about one person and the rows that belong to them (consents, links), oldest first."""
    with database.session() as s:
        return about_person(s, person_id)


def about_person(s: Session, person_id: int) -> list[AuditRow]:
    linked = {table.name: column.name for table, column in scrub.person_tables()}
    owned = scrub.owned_ids(s, person_id)
    query = (
        select(AuditEntry)
        .where(
            sa.or_(
                sa.and_(col(AuditEntry.entity) == "person", col(AuditEntry.entity_id) == person_id),
                sa.and_(
                    col(AuditEntry.entity).in_(list(linked)),
                    col(AuditEntry.changes).like(f"%{person_id}%"),
                ),
                *(
                    sa.and_(col(AuditEntry.entity) == name, col(AuditEntry.entity_id).in_(ids))
                    for name, ids in owned.items()
                    if ids
                ),
            )
        )
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    rows = []
    for entry in s.exec(query):
        if entry.entity == "person" or entry.entity_id in owned.get(entry.entity, set()):
            rows.append(to_row(entry))
            continue
        value = _changes(entry.changes).get(linked.get(entry.entity, ""))
        if value == person_id or (isinstance(value, list) and person_id in value):
            rows.append(to_row(entry))
    return rows


def to_row(entry: AuditEntry) -> AuditRow:
    changes = []
    for name, value in _changes(entry.changes).items():
        if entry.action == "update" and isinstance(value, list) and len(value) == 2:
            changes.append(FieldChange(name, value[0], value[1]))
        else:
            changes.append(FieldChange(name, None, value))
    return AuditRow(
        id=saved_id(entry),
        at=entry.at,
        username=entry.username,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        summary=entry.summary,
        changes=tuple(changes),
    )


def _changes(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def condition(where: AuditFilter) -> sa.ColumnElement[bool]:
    """The SQL condition for ``where`` (the paged audit list, ``vru_crm.queries.audit``)."""
    return _condition(where)


def _condition(where: AuditFilter) -> sa.ColumnElement[bool]:
    clauses: list[sa.ColumnElement[bool]] = [sa.true()]
    if where.username:
        clauses.append(col(AuditEntry.username) == where.username)
    if where.entity:
        clauses.append(col(AuditEntry.entity) == where.entity)
    if where.entity_id is not None:
        clauses.append(col(AuditEntry.entity_id) == where.entity_id)
    if where.action:
        clauses.append(col(AuditEntry.action) == where.action)
    if where.since:
        clauses.append(col(AuditEntry.at) >= _start_of(where.since))
    if where.until:
        clauses.append(col(AuditEntry.at) < _start_of(where.until + timedelta(days=1)))
    text = where.text.strip()
    if text:
        clauses.append(
            sa.or_(
                scrub.like_any(col(AuditEntry.summary), [text], minimum=1),
                scrub.like_any(col(AuditEntry.changes), [text], minimum=1),
            )
        )
    return sa.and_(*clauses)


def _start_of(day: date) -> datetime:
    """Midnight in London, as the instant the audit trail stores."""
    return datetime.combine(day, time(), tzinfo=LONDON)
