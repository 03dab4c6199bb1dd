"""The main window's actions, menus and tool bar, with their standard shortcuts.

Every command is an action in a menu, so it can be reached from the keyboard
and found in Help > Keyboard shortcuts; the tool bar repeats the common ones.
Actions work on the database unless built with ``needs_database=False``
(Quit, Undo, the pages, Back, Help): the window disables the others while
the database is still opening.

Each menu title and each item in a menu has its own Alt letter (``&``); a
test walks every menu to keep them unique. The page shortcuts (Ctrl+1…8) put
the keyboard in the page's list, so Down moves at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QVBoxLayout,
)

from ui.models.rows_model import fill, read_only_table
from ui.navigation import PAGES, focus_page
from ui.style import APPEARANCE_KEY, APPEARANCES, appearance_setting, apply_appearance, themed_icon

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
            page.menu_title,
            lambda _=False, key=page.key: _go_to(window, key),
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
        merge=_action(window, "Mer&ge with…", window.merge_current, None),
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
    _appearance_menu(window, view)
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
        _action(window, "&User guide", lambda: _show_guide(window), needs_database=False)
    )
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


def _show_guide(window: MainWindow) -> None:
    from ui.help.guide import show_guide

    window.guide = show_guide(window)  # kept, so it stays open beside the window


def _go_to(window: MainWindow, key: str) -> None:
    """Ctrl+1…8: show the page and give its list the keyboard."""
    window.show_page(key)
    if window.current_key() == key:
        focus_page(window.stack.currentWidget())


def _appearance_menu(window: MainWindow, view) -> None:
    """View > Appearance: System, Light or Dark, applied now and remembered for the next start."""
    menu = view.addMenu("&Appearance")
    group = QActionGroup(window)
    group.setExclusive(True)
    chosen = appearance_setting(window.settings)
    window.appearance_actions = {}
    for mode, text in APPEARANCES.items():
        action = QAction(text, window)
        action.setCheckable(True)
        action.setChecked(mode == chosen)
        action.setProperty(NEEDS_DATABASE, False)
        action.triggered.connect(lambda _=False, m=mode: set_appearance(window, m))
        group.addAction(action)
        menu.addAction(action)
        window.appearance_actions[mode] = action
    apply_appearance(chosen)


def set_appearance(window: MainWindow, mode: str) -> None:
    window.settings.setValue(APPEARANCE_KEY, mode)
    window.settings.sync()
    window.appearance_actions[mode].setChecked(True)
    apply_appearance(mode)
    if window.database is not None:
        window.refresh_all()  # lists and cards filled in the old colours fill again


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


def show_shortcuts(window: MainWindow) -> QDialog:
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
    table = read_only_table(["Command", "Shortcut"], dialog)
    table.setAccessibleName("Keyboard shortcuts")
    fill(table, sorted(rows))  # the window's own actions: nothing to read from the database
    # The shortcut column as wide as its keys, the command taking the rest: both always in view
    # (a vertical scroll bar takes its room from the commands, never hides the keys).
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setWordWrap(False)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    table.resizeColumnsToContents()
    wanted = (
        sum(table.columnWidth(c) for c in range(2)) + table.verticalScrollBar().sizeHint().width()
    )
    dialog.resize(max(460, wanted + 40), 520)
    dialog.open()
    return dialog


def show_about(window: MainWindow) -> None:
    from vru_crm import __version__

    QMessageBox.about(
        window,
        "About the VRU Partnership CRM",
        f"<b>VRU Partnership CRM</b> {__version__}<br>"
        "Partners, networks, PRG meetings and the engagement log of the London Violence Reduction Unit.<br><br>"
        f"Database: {window.database.display_name if window.database else 'still opening'}",
    )
