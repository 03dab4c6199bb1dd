"""The main window's actions, menus and tool bar, with their standard shortcuts.

Every command is an action in a menu, so it can be reached from the keyboard
and found in Help > Keyboard shortcuts; the tool bar repeats the common ones.
Actions work on the database unless built with ``needs_database=False``
(Quit, Undo, the pages, Back, Help): the window disables the others while
the database is still opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.navigation import PAGES
from ui.style import themed_icon

if TYPE_CHECKING:
    from ui.main_window import MainWindow

NEEDS_DATABASE = "needs_database"  # QAction property; False on actions that work without it


@dataclass
class Actions:
    quit: QAction
    undo: QAction
    redo: QAction
    new_organisation: QAction
    new_person: QAction
    log_engagement: QAction
    edit: QAction
    delete: QAction
    merge: QAction
    refresh: QAction
    find: QAction
    back: QAction
    pages: list[QAction]


def _action(
    window: MainWindow,
    text: str,
    slot,
    shortcut: QKeySequence | str | None = None,
    icon_name: str = "",
    needs_database: bool = True,
) -> QAction:
    action = QAction(text, window)
    if not needs_database:
        action.setProperty(NEEDS_DATABASE, False)
    if icon_name:
        themed_icon(action, icon_name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


def build_actions(window: MainWindow) -> Actions:
    undo, redo = _undo_actions(window)
    pages = []
    for number, page in enumerate(PAGES, start=1):
        action = _action(
            window,
            page.title,
            lambda _=False, key=page.key: window.show_page(key),
            f"Ctrl+{number}",
            page.icon,
            needs_database=False,
        )
        pages.append(action)
    return Actions(
        quit=_action(window, "&Quit", window.close, "Ctrl+Q", needs_database=False),
        undo=undo,
        redo=redo,
        new_organisation=_action(
            window, "New &organisation…", window.new_organisation, "Ctrl+N", "organisation"
        ),
        new_person=_action(window, "New &person…", window.new_person, "Ctrl+Shift+N", "people"),
        log_engagement=_action(window, "&Log engagement…", window.log_engagement, "Ctrl+L", "log"),
        edit=_action(window, "&Edit record…", window.edit_current, "Ctrl+E", "edit"),
        delete=_action(
            window,
            "&Delete record…",
            window.delete_current,
            QKeySequence.StandardKey.Delete,
            "delete",
        ),
        merge=_action(window, "&Merge with…", window.merge_current, None),
        refresh=_action(
            window, "&Refresh", window.refresh_all, QKeySequence.StandardKey.Refresh, "refresh"
        ),
        find=_action(
            window, "&Find…", window.focus_search, QKeySequence.StandardKey.Find, "search"
        ),
        back=_action(
            window,
            "&Back",
            window.go_back,
            QKeySequence.StandardKey.Back,
            "back",
            needs_database=False,
        ),
        pages=pages,
    )


def _undo_actions(window: MainWindow) -> tuple[QAction, QAction]:
    from ui.undo import undo_notices, undo_stack

    stack = undo_stack()
    undo = stack.createUndoAction(window, "&Undo")
    redo = stack.createRedoAction(window, "&Redo")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for action in (undo, redo):  # the undo stack enables them itself
        action.setProperty(NEEDS_DATABASE, False)
    window.addAction(undo)
    window.addAction(redo)
    undo_notices().failed.connect(window.show_undo_problem)
    return undo, redo


def build_menus(window: MainWindow, a: Actions) -> None:
    bar = window.menuBar()
    file = bar.addMenu("&File")
    file.addAction(_action(window, "&Import…", lambda: window.open_tool("import")))
    file.addAction(_action(window, "&Export…", lambda: window.open_tool("export")))
    file.addAction(_action(window, "&Backup…", lambda: window.open_tool("backup")))
    file.addSeparator()
    file.addAction(a.quit)
    edit = bar.addMenu("&Edit")
    for item in (
        a.undo,
        a.redo,
        None,
        a.new_organisation,
        a.new_person,
        a.log_engagement,
        None,
        a.edit,
        a.merge,
        a.delete,
    ):
        edit.addSeparator() if item is None else edit.addAction(item)
    view = bar.addMenu("&View")
    view.addAction(a.refresh)
    toggle = _action(
        window,
        "Show &navigation",
        window.toggle_navigation,
        "Ctrl+Shift+B",
        needs_database=False,
    )
    toggle.setCheckable(True)
    toggle.setChecked(True)
    view.addAction(toggle)
    window.navigation_toggle = toggle
    go = bar.addMenu("&Go")
    for action in a.pages:
        go.addAction(action)
    go.addSeparator()
    go.addAction(a.back)
    go.addAction(a.find)
    from ui.feature_menus import build_governance_menu, build_privacy_menu

    build_governance_menu(window)
    build_privacy_menu(window)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(
        _action(
            window,
            "&Keyboard shortcuts",
            lambda: show_shortcuts(window),
            "F1",
            needs_database=False,
        )
    )
    help_menu.addAction(_action(window, "&About", lambda: show_about(window), needs_database=False))


def build_toolbar(window: MainWindow, a: Actions) -> None:
    bar = window.addToolBar("Main")
    bar.setObjectName("main_toolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (a.back, a.log_engagement, a.new_organisation, a.new_person):
        bar.addAction(action)
    spacer = window.search_spacer()
    bar.addWidget(spacer)
    bar.addWidget(window.search)


def show_shortcuts(window: MainWindow) -> None:
    rows = [
        (
            action.text().replace("&", "").rstrip("…"),
            action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
        )
        for action in window.actions()
        if not action.shortcut().isEmpty()
    ]
    dialog = QDialog(window)
    dialog.setWindowTitle("Keyboard shortcuts")
    table = QTableWidget(len(rows), 2, dialog)
    table.setHorizontalHeaderLabels(["Command", "Shortcut"])
    table.verticalHeader().hide()
    table.setAccessibleName("Keyboard shortcuts")
    for r, (name, keys) in enumerate(sorted(rows)):
        table.setItem(r, 0, QTableWidgetItem(name))
        table.setItem(r, 1, QTableWidgetItem(keys))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(460, 520)
    dialog.open()


def show_about(window: MainWindow) -> None:
    from vru_crm import __version__

    QMessageBox.about(
        window,
        "About the VRU Partnership CRM",
        f"<b>VRU Partnership CRM</b> {__version__}<br>"
        "Partners, networks, PRG meetings and the engagement log of the London Violence Reduction Unit.<br><br>"
        f"Database: {window.database.display_name if window.database else 'still opening'}",
    )
