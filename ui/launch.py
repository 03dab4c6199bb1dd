"""Opening the editing dialogs from the shell, each imported only when first used.

The dialogs live in ``ui/dialogs`` (built alongside the shell). If one is not
there yet, the user gets a plain "not available yet" message, not a traceback.
Dialogs open window-modal with ``open()`` (no nested event loop) and delete
themselves when closed; they announce saves on ``ui.events.data_events``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from vru_crm.errors import EXPECTED_ERRORS  # plain exception classes: no database stack

if TYPE_CHECKING:
    from db.session import Database

log = logging.getLogger(__name__)

# name -> (module, class, what the user was trying to do)
DIALOGS: dict[str, tuple[str, str, str]] = {
    "engagement": ("ui.dialogs.engagement_dialog", "EngagementDialog", "Logging an engagement"),
    "organisation": (
        "ui.dialogs.organisation_dialog",
        "OrganisationDialog",
        "Editing organisations",
    ),
    "person": ("ui.dialogs.person_dialog", "PersonDialog", "Editing people"),
    "merge": ("ui.dialogs.merge_dialog", "MergeDialog", "Merging records"),
    "assessment": ("ui.dialogs.assessment_dialog", "AssessmentDialog", "Stakeholder assessments"),
    "import": ("ui.dialogs.import_dialog", "ImportDialog", "Import"),
    "export": ("ui.dialogs.export_dialog", "ExportDialog", "Export"),
    "backup": ("ui.dialogs.backup_dialog", "BackupDialog", "Backup"),
    "network": ("ui.dialogs.network_dialog", "NetworkDialog", "Editing networks"),
    "members": ("ui.governance.members_dialog", "AddMembersDialog", "Adding members"),
    "letter": ("ui.dialogs.letter_dialog", "LetterDialog", "Entering letters"),
    "action": ("ui.dialogs.action_dialog", "ActionDialog", "Raising actions"),
    "reply": ("ui.dialogs.reply_dialog", "ReplyDialog", "Recording replies"),
    "meeting": ("ui.dialogs.meeting_dialog", "MeetingDialog", "Scheduling meetings"),
    "cancel_meeting": (
        "ui.dialogs.meeting_dialog",
        "CancelMeetingDialog",
        "Cancelling meetings",
    ),
}
ID_ARGUMENT = {
    "engagement": "engagement_id",
    "organisation": "organisation_id",
    "person": "person_id",
    "network": "network_id",
    "meeting": "meeting_id",
}
EDITABLE_KINDS = frozenset(ID_ARGUMENT)
# Networks are archived (their page has Archive), never deleted: their history stays.
DELETABLE_KINDS = frozenset(ID_ARGUMENT) - {"network"}
NOUNS = {"organisation": "organisation", "person": "person", "engagement": "engagement"}
NOUNS["meeting"] = "meeting"


def dialog_class(name: str) -> type[QDialog] | None:
    """The dialog class, or None if its module is not part of this version yet."""
    module_name, class_name, _ = DIALOGS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise
    return getattr(module, class_name, None)


def not_available(parent: QWidget | None, what: str) -> None:
    QMessageBox.information(
        parent, "Not available yet", f"{what} is not available in this version yet."
    )


def open_dialog(parent: QWidget | None, name: str, *args: Any, **kwargs: Any) -> QDialog | None:
    """Create and show dialog ``name``; returns it, or None if it could not be opened."""
    cls = dialog_class(name)
    if cls is None:
        not_available(parent, DIALOGS[name][2])
        return None
    try:
        dialog = cls(*args, parent=parent, **kwargs)
    except EXPECTED_ERRORS as error:  # e.g. the record was deleted meanwhile
        QMessageBox.warning(parent, "Cannot open", str(error))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def edit_record(
    parent: QWidget | None, database: Database, kind: str, record_id: int | None = None
) -> QDialog | None:
    """The edit dialog for ``kind`` (a new record when ``record_id`` is None)."""
    if kind not in ID_ARGUMENT:
        not_available(parent, f"Editing a {kind}")
        return None
    return open_dialog(parent, kind, database, **{ID_ARGUMENT[kind]: record_id})


def _confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


# Tests replace this to answer without a modal box.
confirm: Callable[[QWidget | None, str, str], bool] = _confirm


def delete_record(
    parent: QWidget | None,
    database: Database,
    kind: str,
    record_id: int,
    label: str,
    version: int | None,
) -> bool:
    """Ask, then delete through the undo stack (Ctrl+Z brings it back). True if deleted."""
    if kind == "network":
        QMessageBox.information(
            parent,
            "Networks are archived",
            "A network keeps its members and meetings as history, so it is archived rather "
            "than deleted: open it and press Archive.",
        )
        return False
    if kind not in DELETABLE_KINDS:
        not_available(parent, f"Deleting a {kind}")
        return False
    noun = NOUNS[kind]
    text = f"Delete the {noun} “{label}”?\n\nIts links (people, networks, engagements) go with it. You can undo this with Ctrl+Z."
    if not confirm(parent, f"Delete {noun}?", text):
        return False
    try:
        from ui.undo import delete_with_undo
    except ModuleNotFoundError:
        not_available(parent, "Deleting with undo")
        return False
    try:
        delete_with_undo(database, kind, record_id, label, version)
    except EXPECTED_ERRORS as error:
        QMessageBox.warning(parent, "Could not delete", str(error))
        return False
    return True
