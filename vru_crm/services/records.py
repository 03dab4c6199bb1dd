"""Any record's own values by kind: read them, save them back, delete the record.

Undo of an edit to a governance record (a meeting, a membership, a letter...)
saves back the values read before the edit. They were valid when they were
read, so putting them back needs no form's validation, only a check that nobody
changed the record since. One set of functions serves every kind, so a new kind
of record needs a line in ``KINDS`` and no new inverse operation.
"""

from __future__ import annotations

from typing import Any, cast

from sqlmodel import SQLModel

import db.models as models
from db.errors import ConcurrentEditError
from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.services.organisations import STALE_MESSAGE

# The kinds of record the forms undo by name (the name the UI uses for the kind).
KINDS: dict[str, type[SQLModel]] = {
    "organisation": models.Organisation,
    "person": models.Person,
    "network": models.Network,
    "engagement": models.Engagement,
    "meeting": models.Meeting,
    "membership": models.Membership,
    "action": models.Action,
    "recommendation": models.Recommendation,
    "letter": models.Letter,
    "standing_item": models.StandingItem,
    "meeting_guest": models.MeetingGuest,
}

# Columns that are the record's identity or bookkeeping, never "its values".
KEEP_OUT = frozenset({"id", "version", "created_at", "updated_at", "uid"})
# Values that move on by themselves (a calendar SEQUENCE only rises), not a colleague's edit.
_IGNORED_ON_UNDO = frozenset({"sequence"})


def plain(obj: SQLModel) -> dict[str, Any]:
    """Every column of the row as a plain value, keyed by column name."""
    table = cast(Any, obj).__table__
    return {c.name: getattr(obj, c.name) for c in table.columns}


def version_of(obj: SQLModel) -> int:
    """The record's version column (every kind in ``KINDS`` has one)."""
    return int(cast(Any, obj).version)


def not_found(kind: str, record_id: int) -> NotFound:
    """The error for a record that is gone, in the words a dialog shows."""
    return NotFound(f"There is no {kind} with id {record_id} (it may have been deleted).")


def row_values(database: Database, kind: str, record_id: int) -> dict[str, Any]:
    """The record's own column values (not its id, version or timestamps)."""
    with database.session(audit_rows=False) as s:
        obj = s.get(KINDS[kind], record_id)
        if obj is None:
            raise not_found(kind, record_id)
        return {k: v for k, v in plain(obj).items() if k not in KEEP_OUT}


def save_row_values(
    database: Database,
    kind: str,
    record_id: int,
    values: dict[str, Any],
    version: int | None,
    expected: dict[str, Any] | None = None,
) -> int:
    """Write ``values`` over the record if nobody saved it since ``version``; the new version.

    With ``expected`` (undo of one step of several on one record) the check is by
    value instead: the record must still hold what that step left, since its
    version has moved on with the later steps already undone. A meeting's
    calendar SEQUENCE is never lowered: a calendar program ignores an update
    whose SEQUENCE is lower than the copy it holds.
    """
    with database.session() as s:
        obj = s.get(KINDS[kind], record_id)
        if obj is None:
            raise not_found(kind, record_id)
        _check_unchanged(obj, version, expected)
        changed = False
        for name, value in values.items():
            if name in KEEP_OUT or name == "sequence":
                continue
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed and hasattr(obj, "sequence"):
            obj.sequence = obj.sequence + 1
        s.add(obj)
        s.flush()
        return int(getattr(obj, "version", 0))


def _check_unchanged(obj: SQLModel, version: int | None, expected: dict[str, Any] | None) -> None:
    """Refuse (ConcurrentEditError) when someone else saved the record meanwhile."""
    if expected is not None:
        now = {k: v for k, v in plain(obj).items() if k not in KEEP_OUT}
        if any(now.get(k) != v for k, v in expected.items() if k not in _IGNORED_ON_UNDO):
            raise ConcurrentEditError(STALE_MESSAGE)
        return
    current = getattr(obj, "version", None)
    if version is not None and current is not None and current != version:
        raise ConcurrentEditError(STALE_MESSAGE)


def delete_row(database: Database, kind: str, record_id: int, version: int | None = None) -> None:
    """Delete one record; its cascading links go with it (``snapshots.restore`` brings them back)."""
    with database.session() as s:
        obj = s.get(KINDS[kind], record_id)
        if obj is None:
            raise not_found(kind, record_id)
        _check_unchanged(obj, version, None)
        s.delete(obj)


def current_version(database: Database, kind: str, record_id: int) -> int | None:
    """The record's version now, or None when it no longer exists."""
    with database.session(audit_rows=False) as s:
        obj = s.get(KINDS[kind], record_id)
        return None if obj is None else version_of(obj)
