"""Undo and redo of the edits, deletes and merges made in this session.

One app-wide ``QUndoStack`` (``undo_stack()``); the main window's Edit menu
gets its actions from ``undo_stack().createUndoAction`` / ``createRedoAction``
(Ctrl+Z, Ctrl+Shift+Z). Each command calls the services, never SQL:

- a create is undone by deleting the record (after a snapshot, so redo brings
  it back with the same id);
- an edit is undone by saving the values from before, if nobody else changed
  the record since (otherwise the undo is refused and dropped from the stack);
- a delete is undone by restoring the snapshot taken just before it: the row
  and every link pointing at it;
- a merge is undone by ``snapshots.unmerge`` from snapshots of both records.

The work has already happened when a command is pushed, so the first
``redo()`` that ``QUndoStack.push`` calls does nothing. A failing undo never
raises into Qt: it is reported on ``undo_notices().failed`` (the main window
shows it) and the command is marked obsolete so the stack drops it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ui.events import data_events
from ui.workers import describe_error

log = logging.getLogger(__name__)

_stack: QUndoStack | None = None


class UndoNotices(QObject):
    """An undo or redo that could not be done, in words (e.g. someone else edited the record)."""

    failed = Signal(str)


_notices: UndoNotices | None = None


def undo_stack() -> QUndoStack:
    """The app-wide stack (created on first use, after the QApplication)."""
    global _stack
    if _stack is None:
        _stack = QUndoStack()
        _stack.setUndoLimit(100)
    return _stack


def undo_notices() -> UndoNotices:
    global _notices
    if _notices is None:
        _notices = UndoNotices()
    return _notices


# -- what each kind of record needs from the services ---------------------------
@dataclass(frozen=True)
class _Ops:
    get: Callable[[Any, int], Any]
    save: Callable[[Any, int, Any, int], int]  # (database, id, values, version) -> new version
    delete: Callable[..., None]


def _ops(kind: str) -> _Ops:
    from vru_crm.services import affiliations, engagements, organisations, people, records

    def save_person(database, person_id: int, values, version: int) -> int:
        data, rows = values  # the person's fields and their affiliations: one unit of work
        return affiliations.save_person(database, person_id, data, version, rows).version

    table = {
        "organisation": _Ops(
            organisations.get_organisation,
            lambda d, i, v, ver: organisations.update_organisation(d, i, v, ver).version,
            organisations.delete_organisation,
        ),
        "person": _Ops(people.get_person, save_person, people.delete_person),
        "engagement": _Ops(
            engagements.get_engagement,
            lambda d, i, v, ver: engagements.update_engagement(d, i, v, ver).version,
            engagements.delete_engagement,
        ),
    }
    if kind in table:
        return table[kind]

    # Networks, meetings, memberships, letters, recommendations, actions: their
    # own values saved back as they were (see records.row_values).
    def delete(d, i, ver=None) -> None:
        if kind == "meeting":  # the service keeps the calendar's SEQUENCE from falling
            from vru_crm.governance.meetings import delete_meeting

            delete_meeting(d, i, ver)
        else:
            records.delete_row(d, kind, i, ver)

    return _Ops(
        lambda d, i: records.row_values(d, kind, i),
        lambda d, i, v, ver: records.save_row_values(d, kind, i, v, ver),
        delete,
    )


def _is_generic(kind: str) -> bool:
    return kind not in ("organisation", "person", "engagement")


# The latest version this session saw of each record it changed, shared by every
# command on it: after create, edit and undo of the edit, the undo of the create
# must check the version the last step left, not the one the create made.
_versions: dict[tuple[str, int], int] = {}


class _ServiceCommand(QUndoCommand):
    """A command whose work was done before it was pushed; errors are reported, not raised."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._first_redo = True
        self._own_version: int | None = None

    def _record_key(self) -> tuple[str, int] | None:
        kind, record_id = getattr(self, "kind", None), getattr(self, "record_id", None)
        return (kind, record_id) if kind and record_id is not None else None

    @property
    def version(self) -> int | None:
        key = self._record_key()
        return _versions.get(key, self._own_version) if key else self._own_version

    @version.setter
    def version(self, value: int | None) -> None:
        self._own_version = value
        key = self._record_key()
        if key and value is not None:
            _versions[key] = value

    def redo(self) -> None:
        if self._first_redo:
            self._first_redo = False
            return
        self._guarded(self.apply, "redo")

    def undo(self) -> None:
        self._guarded(self.revert, "undo")

    def _guarded(self, step: Callable[[], None], verb: str) -> None:
        try:
            step()
        except Exception as error:  # reported in words; the stack must stay usable
            if not _expected(error):
                log.error("%s of %r failed", verb, self.text(), exc_info=error)
            self.setObsolete(True)
            undo_notices().failed.emit(f"Could not {verb} “{self.text()}”: {describe_error(error)}")

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


def _expected(error: BaseException) -> bool:
    from vru_crm.errors import EXPECTED_ERRORS

    return isinstance(error, EXPECTED_ERRORS)


class CreateCommand(_ServiceCommand):
    def __init__(self, database, kind: str, record_id: int, version: int, label: str) -> None:
        super().__init__(f"Add {kind} {label}")
        self.database, self.kind, self.record_id, self.version = database, kind, record_id, version
        self._shot = None

    def revert(self) -> None:
        from vru_crm.services import snapshots

        self._shot = snapshots.snapshot(self.database, self.kind, self.record_id)
        # A governance record edited since (those edits already undone) has moved on
        # from the version it was made with: its snapshot is what redo brings back.
        version = None if _is_generic(self.kind) else self.version
        _ops(self.kind).delete(self.database, self.record_id, version)
        data_events().removed.emit(self.kind, self.record_id)

    def apply(self) -> None:
        from vru_crm.services import snapshots

        self.version = snapshots.restore(self.database, self._shot)
        data_events().changed.emit(self.kind, self.record_id)


class EditCommand(_ServiceCommand):
    def __init__(self, database, kind, record_id, before, after, version: int, label: str) -> None:
        super().__init__(f"Edit {kind} {label}")
        self.database, self.kind, self.record_id = database, kind, record_id
        self.before, self.after, self.version = before, after, version

    def revert(self) -> None:
        self.version = self._save(self.before, expected=self.after)
        data_events().changed.emit(self.kind, self.record_id)

    def apply(self) -> None:
        self.version = self._save(self.after, expected=self.before)
        data_events().changed.emit(self.kind, self.record_id)

    def _save(self, values, expected) -> int:
        """Governance records are checked by their values: after several steps on one
        record, this step's version is stale but the record still holds what it left."""
        if _is_generic(self.kind) and isinstance(values, dict):
            from vru_crm.services import records

            return records.save_row_values(
                self.database, self.kind, self.record_id, values, None, expected=expected
            )
        return _ops(self.kind).save(self.database, self.record_id, values, self.version)


class DeleteCommand(_ServiceCommand):
    def __init__(self, database, kind: str, shot, label: str) -> None:
        super().__init__(f"Delete {kind} {label}")
        self.database, self.kind, self.shot = database, kind, shot
        self.record_id = shot.id
        self.version = None

    def revert(self) -> None:
        from vru_crm.services import snapshots

        self.version = snapshots.restore(self.database, self.shot)
        data_events().changed.emit(self.kind, self.shot.id)

    def apply(self) -> None:
        _ops(self.kind).delete(self.database, self.shot.id, self.version)
        data_events().removed.emit(self.kind, self.shot.id)


class MergeCommand(_ServiceCommand):
    def __init__(self, database, kind: str, kept, other, values, version: int, label: str) -> None:
        super().__init__(f"Merge {kind} {label}")
        self.database, self.kind, self.kept, self.other = database, kind, kept, other
        self.record_id = kept.id
        self.values, self.version = values, version

    def revert(self) -> None:
        from vru_crm.services import snapshots

        self.version = snapshots.unmerge(self.database, self.kept, self.other, self.version)
        data_events().changed.emit(self.kind, self.kept.id)
        data_events().changed.emit(self.kind, self.other.id)

    def apply(self) -> None:
        import copy

        from vru_crm.services import merge_values

        _, self.version = merge_values.merge_with_values(
            self.database, self.kind, self.kept.id, self.other.id, copy.deepcopy(self.values)
        )
        data_events().removed.emit(self.kind, self.other.id)
        data_events().changed.emit(self.kind, self.kept.id)


# -- what the dialogs and views call --------------------------------------------
def push_created(database, kind: str, record_id: int, version: int, label: str) -> None:
    """Record a create that just happened (undo deletes it again)."""
    undo_stack().push(CreateCommand(database, kind, record_id, version, label))


def push_edited(
    database, kind: str, record_id: int, before, after, version: int, label: str
) -> None:
    """Record an edit that just happened. ``before``/``after`` are the service inputs
    (for a person: ``(PersonInput, [AffiliationRow, ...])``); ``version`` is the one after saving."""
    undo_stack().push(EditCommand(database, kind, record_id, before, after, version, label))


def push_step(text: str, undo: Callable[[], None], redo: Callable[[], None]) -> None:
    """Record a step that just happened and is undone by ``undo`` (e.g. ending a membership).

    For steps that are not a plain create, edit or delete of one record: both
    callables call services; ``redo`` does the step again.
    """
    undo_stack().push(_CallableCommand(text, undo, redo))


class _CallableCommand(_ServiceCommand):
    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None]) -> None:
        super().__init__(text)
        self._undo, self._redo = undo, redo

    def revert(self) -> None:
        self._undo()

    def apply(self) -> None:
        self._redo()


def delete_with_undo(
    database, kind: str, record_id: int, label: str, version: int | None = None
) -> None:
    """Delete through the service after a snapshot; undo brings it back with its links.

    Raises the service's errors (NotFound, ConcurrentEditError, ...) for the
    caller to show. The caller asks the user first.
    """
    push_deleted(database, kind, delete_now(database, kind, record_id, version), label)


def delete_now(database, kind: str, record_id: int, version: int | None = None):
    """The service half of a delete (on the thread pool): snapshot, then delete.

    Returns the snapshot for ``push_deleted``, which the GUI thread calls after.
    Raises the service's errors (NotFound, ConcurrentEditError, ...).
    """
    from vru_crm.services import snapshots

    shot = snapshots.snapshot(database, kind, record_id)
    _ops(kind).delete(database, record_id, version)
    return shot


def push_deleted(database, kind: str, shot, label: str) -> None:
    """Record a delete ``delete_now`` just did (on the GUI thread): undo restores ``shot``."""
    undo_stack().push(DeleteCommand(database, kind, shot, label))
    data_events().removed.emit(kind, shot.id)


def merge_with_undo(database, kind: str, keep_id: int, other_id: int, values, label: str):
    """Merge ``other_id`` into ``keep_id`` with the chosen ``values``; undoable. Returns the MergeResult."""
    import copy

    from vru_crm.services import merge_values, snapshots

    kept = snapshots.snapshot(database, kind, keep_id)
    other = snapshots.snapshot(database, kind, other_id)
    result, version = merge_values.merge_with_values(
        database, kind, keep_id, other_id, copy.deepcopy(values)
    )
    undo_stack().push(MergeCommand(database, kind, kept, other, values, version, label))
    data_events().removed.emit(kind, other_id)
    data_events().changed.emit(kind, keep_id)
    return result
