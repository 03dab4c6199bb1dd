"""Menus that reach the governance and data-protection screens.

Kept apart from ``ui.menus`` so each area's screens are wired in one place. Views
that are panels (cadence, actions, recommendations, audit trail) open in a
non-modal window; record-bound screens act on the meeting or person shown.
Modules load on first use, so the menus cost nothing at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _load(path: str) -> type:
    module_name, class_name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module_name), class_name)


def _add(menu, window: MainWindow, text: str, slot: Callable[[], None], shortcut: str = "") -> None:
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)


def show_panel(window: MainWindow, path: str, title: str, **kwargs) -> QDialog:
    """A panel widget in its own window, so the user can keep it beside the main one."""
    host = QDialog(window)
    host.setWindowTitle(title)
    host.setObjectName(f"panel_{path.rsplit('.', 1)[1]}")
    layout = QVBoxLayout(host)
    layout.setContentsMargins(6, 6, 6, 6)
    panel: QWidget = _load(path)(window.database, parent=host, **kwargs)
    layout.addWidget(panel)
    host.resize(1000, 620)
    from PySide6.QtCore import Qt

    host.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    host.show()
    from ui.dialogs.base import fit_to_screen

    fit_to_screen(host)  # 1000 x 620 is more than a laptop at 200 % has: keep its buttons in view
    return host


def _current(window: MainWindow, kind: str) -> int | None:
    record = window._current_record()
    if record is None or record[0] != kind:
        return None
    return record[1]


def open_for_current(window: MainWindow, kind: str, path: str, what: str) -> QDialog | None:
    """Open a dialog bound to the meeting or person on screen, or say how to choose one."""
    record_id = _current(window, kind)
    if record_id is None:
        QMessageBox.information(
            window,
            what,
            f"Open a {kind} first (or select one in the {kind}s list), then try again.",
        )
        return None
    dialog: QDialog = _load(path)(window.database, record_id, parent=window)
    from PySide6.QtCore import Qt

    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_dialog(window: MainWindow, path: str) -> QDialog:
    dialog: QDialog = _load(path)(window.database, parent=window)
    from PySide6.QtCore import Qt

    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def build_governance_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("Gove&rnance")  # Alt+R: Alt+V is View
    gov = "ui.governance."
    from ui import launch

    _add(
        menu,
        window,
        "New &network…",
        lambda: launch.edit_record(window, window.database, "network"),
    )
    _add(menu, window, "New &meeting…", lambda: new_meeting(window))
    _add(
        menu,
        window,
        "New &letter…",
        lambda: launch.open_dialog(window, "letter", window.database),
    )
    _add(
        menu,
        window,
        "New ac&tion…",
        lambda: launch.open_dialog(window, "action", window.database),
    )
    _add(
        menu,
        window,
        "&Cadence and minutes…",
        lambda: show_panel(window, gov + "cadence_panel.CadencePanel", "Cadence and minutes"),
        "Ctrl+Shift+C",
    )
    _add(
        menu,
        window,
        "&Actions…",
        lambda: show_panel(window, gov + "actions_view.ActionsView", "Actions"),
    )
    _add(
        menu,
        window,
        "&Recommendations…",
        lambda: show_panel(
            window, gov + "recommendations_view.RecommendationsView", "Recommendations"
        ),
    )
    menu.addSeparator()
    _add(
        menu,
        window,
        "&Build agenda for this meeting…",
        lambda: open_for_current(
            window, "meeting", gov + "agenda_builder.AgendaBuilderDialog", "Build agenda"
        ),
        "Ctrl+Shift+A",
    )
    _add(
        menu,
        window,
        "Record this meeting as &held…",
        lambda: open_for_current(
            window, "meeting", gov + "meeting_record.MeetingRecordDialog", "Record meeting"
        ),
    )


def new_meeting(window: MainWindow) -> QDialog | None:
    """A meeting of the network on screen (at its next expected date), else one to choose."""
    from ui import launch

    return launch.open_dialog(
        window, "meeting", window.database, network_id=_current(window, "network")
    )


def build_privacy_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("&Data protection")
    pro = "ui.protection."
    _add(
        menu,
        window,
        "&Consent for this person…",
        lambda: _consent(window),
    )
    _add(
        menu,
        window,
        "&Subject access requests…",
        lambda: _subject_access(window),
    )
    _add(
        menu,
        window,
        "&Erase this person…",
        lambda: open_for_current(window, "person", pro + "erase_dialog.ErasePersonDialog", "Erase"),
    )
    menu.addSeparator()
    _add(
        menu,
        window,
        "&Mailing list…",
        lambda: open_dialog(window, pro + "mailing_dialog.MailingListDialog"),
    )
    _add(
        menu,
        window,
        "&Retention review…",
        lambda: open_dialog(window, pro + "retention_dialog.RetentionReviewDialog"),
    )
    _add(
        menu,
        window,
        "&Audit trail…",
        lambda: show_panel(window, pro + "audit_trail_view.AuditTrailView", "Audit trail"),
    )
    _add(
        menu,
        window,
        "Restore from &backup…",
        lambda: open_dialog(window, pro + "restore_dialog.RestoreBackupDialog"),
    )


def _consent(window: MainWindow) -> QDialog | None:
    person_id = _current(window, "person")
    if person_id is None:
        QMessageBox.information(window, "Consent", "Open a person first, then try again.")
        return None
    return show_panel(
        window,
        "ui.protection.consent_panel.ConsentPanel",
        "Consent and contact preferences",
        person_id=person_id,
    )


def _subject_access(window: MainWindow) -> QDialog:
    dialog: QDialog = _load("ui.protection.subject_access_dialog.SubjectAccessDialog")(
        window.database, _current(window, "person"), parent=window
    )
    from PySide6.QtCore import Qt

    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
