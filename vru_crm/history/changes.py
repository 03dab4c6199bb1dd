"""Recent changes, read from the audit trail as the units of work that made them.

Every entry of one unit of work carries the same instant and login (``db.audit.unit_time``;
PostgreSQL's ``now()`` for the entries its triggers write), so a change is the run of
entries sharing both: saving an engagement with its organisations and people is one change,
not five. The command line lists them (``vru-crm history``) and undoes them
(``vru-crm undo``) by the number of their first entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from db.models import AuditEntry, saved_id
from db.session import Database
from vru_crm.errors import NotFound

UNDO_ACTION = "undo"  # the entry an undo adds: entity_id is the number of the change it undid

# How many entries back a listing looks: a bulk change (a merge, an import's links) can hold
# hundreds, and a listing of the last few changes must not read the whole trail.
_LOOK_BACK = 2000


@dataclass(frozen=True)
class Step:
    """One audit entry: what happened to one row."""

    entry_id: int
    action: str
    entity: str
    entity_id: int | None
    summary: str
    changes: dict[str, Any]


@dataclass
class Change:
    """One unit of work: its entries in the order they were written."""

    at: datetime
    username: str
    steps: list[Step] = field(default_factory=list)

    @property
    def number(self) -> int:
        """How the change is named on the command line: the id of its first entry."""
        return self.steps[0].entry_id

    @property
    def undoes(self) -> int | None:
        """The number of the change this one undid, if it is an undo."""
        for step in self.steps:
            if step.action == UNDO_ACTION:
                return step.entity_id
        return None

    @property
    def rows(self) -> list[Step]:
        """The steps that changed a row (an undo's own marker left out)."""
        return [step for step in self.steps if step.action != UNDO_ACTION]

    def describe(self) -> str:
        """In words: 'updated organisation "Hackney CVS" (phone)', and how many more rows.

        The row named is the record the change was about (one with a name), not the
        first link row it happened to write.
        """
        if self.undoes is not None:
            return f"undid change {self.undoes}"
        rows = self.rows or self.steps
        main = next((step for step in rows if step.summary), rows[0])
        words = describe_step(main)
        if len(rows) > 1:
            words += f" and {len(rows) - 1} more row(s)"
        return words


def describe_step(step: Step) -> str:
    """One entry as a person would say it."""
    verb = {"create": "created", "update": "updated", "delete": "deleted"}.get(
        step.action, step.action
    )
    what = step.entity.replace("_", " ")
    label = f' "{step.summary}"' if step.summary else ""
    fields = ""
    if step.action == "update" and step.changes:
        fields = " (" + ", ".join(sorted(step.changes)) + ")"
    return f"{verb} {what}{label}{fields}"


def _step(entry: AuditEntry) -> Step:
    try:
        changes = json.loads(entry.changes or "{}")
    except ValueError:
        changes = {}
    return Step(
        entry_id=saved_id(entry),
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        summary=entry.summary,
        changes=changes if isinstance(changes, dict) else {},
    )


def _group(entries: list[AuditEntry]) -> list[Change]:
    """Entries (oldest first) gathered into changes by their shared instant and login."""
    changes: list[Change] = []
    for entry in entries:
        last = changes[-1] if changes else None
        if last is not None and last.at == entry.at and last.username == entry.username:
            last.steps.append(_step(entry))
        else:
            changes.append(Change(at=entry.at, username=entry.username, steps=[_step(entry)]))
    return changes


def recent_changes(database: Database, limit: int = 20, by: str | None = None) -> list[Change]:
    """The newest ``limit`` changes, newest first; only ``by``'s when given."""
    with database.session() as s:
        query = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(_LOOK_BACK)
        if by is not None:
            query = query.where(col(AuditEntry.username) == by)
        entries = list(reversed(s.scalars(query).all()))
    grouped = _group(entries)
    if len(entries) == _LOOK_BACK and len(grouped) > 1:
        grouped = grouped[1:]  # the oldest may have begun before the look-back window
    return list(reversed(grouped))[:limit]


def change_of(s: Session, entry_id: int) -> Change:
    """The whole change an entry belongs to (every entry of its unit of work)."""
    entry = s.get(AuditEntry, entry_id)
    if entry is None:
        raise NotFound(f"There is no change number {entry_id} in the audit trail.")
    same = s.scalars(
        select(AuditEntry)
        .where(col(AuditEntry.at) == entry.at, col(AuditEntry.username) == entry.username)
        .order_by(col(AuditEntry.id))
    ).all()
    return _group(list(same))[0]


def undone_numbers(s: Session) -> set[int]:
    """The changes undone now: an undo undoes its target, and an undo of an undo redoes it."""
    marks = s.execute(
        select(AuditEntry.id, AuditEntry.entity_id)
        .where(col(AuditEntry.action) == UNDO_ACTION)
        .order_by(col(AuditEntry.id))
    ).all()
    undo_of = {}
    undone: set[int] = set()
    for mark_id, target in marks:
        if target is None:
            continue
        number = _number_of(s, mark_id)
        undo_of[number] = target
        undone.add(target)
        if target in undo_of:  # undoing an undo puts its own target back
            undone.discard(undo_of[target])
    return undone


def _number_of(s: Session, entry_id: int) -> int:
    return change_of(s, entry_id).number


def last_change_by(s: Session, username: str) -> Change:
    """The newest change made as ``username`` that is not an undo and not undone.

    So ``vru-crm undo`` run again goes one change further back, as Ctrl+Z does; an undo
    is taken back by its number.
    """
    undone = undone_numbers(s)
    entries = s.scalars(
        select(AuditEntry)
        .where(col(AuditEntry.username) == username)
        .order_by(col(AuditEntry.id).desc())
        .limit(_LOOK_BACK)
    ).all()
    for change in reversed(_group(list(reversed(entries)))):
        if change.undoes is None and change.number not in undone:
            return change_of(s, change.number)
    raise NotFound(f"{username} has made no change that is left to undo.")
