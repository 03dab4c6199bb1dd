"""Keyboard focus: where it goes after Ctrl+1…8 and Ctrl+L, and that it shows.

After Ctrl+2…8 the page's list did not have the focus, so Down did nothing;
nothing showed which widget had the focus; Ctrl+L opened the engagement form
with the focus on Kind.
"""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTextEdit,
)

from ui.navigation import PAGES

LISTS = ["organisations", "people", "networks", "meetings", "engagements"]


def press(qtbot, window, number: int) -> None:
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)


def number_of(key: str) -> int:
    return [p.key for p in PAGES].index(key) + 1


@pytest.mark.parametrize("key", LISTS)
def test_ctrl_and_a_number_gives_the_list_the_focus_and_down_moves(qtbot, window, key):
    window.navigation.setFocus()  # where the keyboard was: not in the page
    press(qtbot, window, number_of(key))
    page = window.page(key)
    qtbot.waitUntil(lambda: page.model.rowCount() > 1, timeout=10000)
    assert QApplication.focusWidget() is page.table
    before = page.table.currentIndex().row()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == before + 1
    assert page.current_id() is not None


def test_home_gives_its_first_list_the_focus(qtbot, window):
    window.show_page("people")
    window.navigation.setFocus()
    press(qtbot, window, number_of("home"))
    focused = QApplication.focusWidget()
    assert isinstance(focused, QAbstractItemView)
    assert window.stack.currentWidget().isAncestorOf(focused)


def test_reports_gives_the_period_the_focus(qtbot, window):
    window.navigation.setFocus()
    press(qtbot, window, number_of("reports"))
    page = window.stack.currentWidget()
    assert QApplication.focusWidget() is page.selector.unit


def test_graph_gives_its_search_box_the_focus(qtbot, window):
    window.navigation.setFocus()
    press(qtbot, window, number_of("graph"))
    page = window.stack.currentWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.search_box, timeout=5000)


def test_arrowing_through_the_navigation_keeps_the_focus_there(qtbot, window):
    """Choosing pages in the list on the left with Up and Down must not throw the focus out of it."""
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is window.navigation
    assert window.current_key() == "people"


def _edge(widget) -> QColor:
    """The colour of the widget's left border half-way down, as the window shows it."""
    window = widget.window()
    left = widget.mapTo(window, widget.rect().topLeft())
    image = window.grab().toImage()
    return image.pixelColor(left.x(), left.y() + widget.height() // 2)


def test_a_focused_list_shows_a_ring_in_the_highlight_colour(qtbot, window):
    window.show_page("organisations")
    page = window.page("organisations")
    table: QTableView = page.table
    page.filter_bar.setFocus()
    page.filter_bar.focusNextChild()
    window.navigation.setFocus()
    assert not table.hasFocus()
    unfocused = _edge(table)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    focused = _edge(table)
    highlight = table.palette().color(QPalette.ColorRole.Highlight)
    assert focused != unfocused
    assert focused.name() == highlight.name()


def _dialog(window):
    return next(
        d
        for d in window.findChildren(QDialog)
        if d.isVisible() and type(d).__name__ == "EngagementDialog"
    )


def test_ctrl_l_opens_the_form_with_the_focus_where_typing_starts(qtbot, window):
    window.show_page("people")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: any(
            type(d).__name__ == "EngagementDialog"
            for d in window.findChildren(QDialog)
            if d.isVisible()
        )
    )
    dialog = _dialog(window)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget() or dialog))
    focused = QApplication.focusWidget()
    assert isinstance(focused, QLineEdit | QTextEdit | QPlainTextEdit), type(focused)
    assert not isinstance(focused, QComboBox) and not dialog.kind.isAncestorOf(focused)
    assert focused is not dialog.kind
    dialog.reject()


def test_the_ring_follows_a_switch_to_dark(qtbot, window):
    from ui.style import apply_appearance

    try:
        window.appearance_actions["dark"].trigger()
        qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 80)
        window.show_page("organisations")
        table = window.page("organisations").table
        table.setFocus()
        qtbot.waitUntil(table.hasFocus)
        highlight = table.palette().color(QPalette.ColorRole.Highlight)
        assert highlight.name() == "#3d7bd9"
        assert _edge(table).name() == highlight.name()
    finally:
        apply_appearance("system")
