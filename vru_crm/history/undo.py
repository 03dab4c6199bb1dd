"""Undoing a change from the command line, by the audit trail's record of it.

The app's Edit > Undo keeps its steps in memory; a command ends when it is done, so
``vru-crm undo`` reads what to put back from the audit trail instead: the old values of an
update, the row of a delete, the ids of a creation. A change is undone whole, in one unit
of work, newest row first, or not at all: if any row was changed since (by anyone), nothing
is touched and the message says which row. The undo is a change like any other, audited,
so undoing it again puts the change back.

Some changes cannot be put back: an erasure (its point is that the values are gone), a
merge (undone in the app straight after it), maintenance entries, and anything whose values
the erasure of a person has since blanked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, delete, inspect
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from db.audit import signed_by, unit_time
from db.models import AuditEntry
from db.session import Database
from vru_crm.errors import UserError
from vru_crm.history.changes import (
    UNDO_ACTION,
    Change,
    Step,
    change_of,
    describe_step,
    last_change_by,
    undone_numbers,
)

_SKIP_FIELDS = {"version", "created_at", "updated_at"}  # as db/audit.py leaves them out
_NEVER_UNDONE = {"audit_entry", "erasure_register", "alembic_version"}
_BLANKED = ("[erased]", "[anonymised]")
_CHUNK = 500  # ids per statement, well inside SQLite's limit on bound values


class CannotUndo(UserError):
    """The change cannot be put back, or a row was changed since: nothing was touched."""


@dataclass(frozen=True)
class UndoReport:
    change: Change
    rows: int

    def lines(self) -> list[str]:
        """What was put back, for the terminal."""
        return [
            f"Undid change {self.change.number} by {self.change.username} "
            f"({self.rows} row(s)): {self.change.describe()}."
        ]


def undo_change(database: Database, number: int | None = None) -> UndoReport:
    """Undo change ``number`` (an entry id from ``vru-crm history``), else your newest change."""
    with database.session() as s:
        change = _chosen(s, number)
        _refuse_the_impossible(change)
        rows = 0
        for step in reversed(change.rows):
            rows += _undo_step(s, step)
        s.flush()
        _mark(s, change)
    return UndoReport(change, rows)


def preview(database: Database, number: int | None = None) -> Change:
    """The change ``undo_change`` would undo, checked but not touched (``--dry-run``)."""
    with database.session() as s:
        change = _chosen(s, number)
        _refuse_the_impossible(change)
        for step in reversed(change.rows):
            _undo_step(s, step)
        s.flush()
        s.rollback()
    return change


def _chosen(s: Session, number: int | None) -> Change:
    """Change ``number``, else the newest one signed by whoever this session signs as."""
    if number is None:
        return last_change_by(s, signed_by(s))
    change = change_of(s, number)
    if change.number in undone_numbers(s):
        raise CannotUndo(
            f"Change {change.number} is undone already; `vru-crm history` shows the undo, "
            "and undoing that puts the change back."
        )
    return change


def _mark(s: Session, change: Change) -> None:
    """The undo's own entry, so the history says what it undid and ``undo`` walks back past it."""
    s.add(
        AuditEntry(
            at=unit_time(s),
            username=signed_by(s),
            action=UNDO_ACTION,
            entity="change",
            entity_id=change.number,
            summary=f"undid change {change.number}: {change.describe()}"[:300],
            changes="{}",
        )
    )


def _refuse_the_impossible(change: Change) -> None:
    for step in change.rows:
        if step.action == "erase":
            raise CannotUndo("An erasure cannot be undone: the erased values are gone for good.")
        if step.action == "merge":
            raise CannotUndo(
                "A merge cannot be undone from the command line (the app's Edit > Undo takes it "
                "back straight after it). Nothing was changed."
            )
        if step.action not in ("create", "update", "delete") or step.entity in _NEVER_UNDONE:
            raise CannotUndo(f"Change {change.number} ({describe_step(step)}) cannot be undone.")
        if _mentions_blanked(step.changes):
            raise CannotUndo(
                f"Change {change.number} touched details that have since been erased; "
                "it cannot be undone. Nothing was changed."
            )


def _mentions_blanked(value: Any) -> bool:
    if isinstance(value, str):
        return any(marker in value for marker in _BLANKED)
    if isinstance(value, dict):
        return any(_mentions_blanked(v) for v in value.values())
    if isinstance(value, list):
        return any(_mentions_blanked(v) for v in value)
    return False


def _model_of(entity: str) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:
        if getattr(mapper.local_table, "name", None) == entity:
            model: type[SQLModel] = mapper.class_
            return model
    raise CannotUndo(f"Changes to {entity.replace('_', ' ')} cannot be undone.")


def _undo_step(s: Session, step: Step) -> int:
    model = _model_of(step.entity)
    if step.action == "update":
        return _put_back_values(s, model, step)
    if step.action == "delete":
        return _put_back_row(s, model, step)
    if "ids" in step.changes and "count" in step.changes:
        return _remove_bulk(s, model, step)
    return _remove_created(s, model, step)


def _key_of(model: type[SQLModel], step: Step) -> tuple[Any, ...]:
    keys = [c.name for c in inspect(model).primary_key]
    if keys == ["id"] and step.entity_id is not None:
        return (step.entity_id,)
    try:
        return tuple(_typed(model, name, step.changes[name]) for name in keys)
    except KeyError as missing:
        raise CannotUndo(
            f"The audit trail does not say which {step.entity.replace('_', ' ')} "
            f"change {step.entry_id} was about ({missing} is missing)."
        ) from None


def _typed(model: type[SQLModel], name: str, value: Any) -> Any:
    """A value as the audit trail wrote it (dates as ISO text) back in its column's type."""
    if not isinstance(value, str):
        return value
    column_type = inspect(model).columns[name].type
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    python_type = _python_type(column_type)
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    return value


def _python_type(column_type: Any) -> type | None:
    try:
        found: type = column_type.python_type
    except NotImplementedError:
        return None
    return found


def _as_written(value: Any) -> Any:
    """A current value in the form the audit trail writes values, to compare them."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _changed_since(s: Session, row: Any, expected: dict[str, Any], step: Step) -> None:
    for name, value in expected.items():
        if name in _SKIP_FIELDS or not hasattr(row, name):
            continue
        if _as_written(getattr(row, name)) != value:
            raise CannotUndo(
                f"{describe_step(step).capitalize()} (change {step.entry_id}) was changed "
                f"again since ({name.replace('_', ' ')}): undo the later change first. "
                "Nothing was changed."
            )


def _put_back_values(s: Session, model: type[SQLModel], step: Step) -> int:
    row = s.get(model, _key_of(model, step))
    if row is None:
        raise CannotUndo(
            f"The {step.entity.replace('_', ' ')} that entry {step.entry_id} changed no longer "
            "exists. "
            "Nothing was changed."
        )
    _changed_since(s, row, {k: v[1] for k, v in step.changes.items()}, step)
    for name, (old, _new) in step.changes.items():
        setattr(row, name, _typed(model, name, old))
    s.add(row)
    return 1


def _put_back_row(s: Session, model: type[SQLModel], step: Step) -> int:
    key = _key_of(model, step)
    if s.get(model, key) is not None:
        raise CannotUndo(
            f"The {step.entity.replace('_', ' ')} deleted by change {step.entry_id} is there "
            "again. Nothing was changed."
        )
    names = {c.key for c in inspect(model).column_attrs}
    values = {k: _typed(model, k, v) for k, v in step.changes.items() if k in names}
    if "id" in names and step.entity_id is not None:
        values["id"] = step.entity_id
    s.add(model(**values))
    s.flush()  # parents before the children put back after them
    return 1


def _remove_created(s: Session, model: type[SQLModel], step: Step) -> int:
    row = s.get(model, _key_of(model, step))
    if row is None:
        return 0  # already gone with its parent, or deleted since: nothing to take away
    _changed_since(s, row, step.changes, step)
    s.delete(row)
    s.flush()
    return 1


def _ids(ranges: list[list[int]]) -> Iterator[int]:
    for first, last in ranges:
        yield from range(first, last + 1)


def _remove_bulk(s: Session, model: type[SQLModel], step: Step) -> int:
    """An import or a generated batch: the ids its summary entry lists."""
    ids = list(_ids(step.changes["ids"]))
    key = col(inspect(model).primary_key[0])
    gone = 0
    for start in range(0, len(ids), _CHUNK):
        result = s.execute(delete(model).where(key.in_(ids[start : start + _CHUNK])))
        gone += int(getattr(result, "rowcount", 0) or 0)
    return gone
