"""The main window: every page by keyboard, Back, and the last view remembered."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ui.main_window import MainWindow
from ui.navigation import PAGES


def test_every_page_is_reachable_with_ctrl_and_its_number(qtbot, window):
    for number, page in enumerate(PAGES, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == page.key
        assert window.navigation.currentItem().text() == page.title


def test_graph_and_reports_pages_are_hosted(qtbot, window):
    window.show_page("graph")
    assert type(window.stack.currentWidget()).__name__ == "GraphPage"
    window.show_page("reports")
    assert type(window.stack.currentWidget()).__name__ == "DashboardPage"


def test_a_feature_missing_from_this_version_shows_a_placeholder(qtbot, window, monkeypatch):
    from ui import main_window

    monkeypatch.setitem(main_window.FEATURE_PAGES, "graph", ("ui.no_such_feature", "Page"))
    window.show_page("graph")
    texts = [label.text() for label in window.stack.currentWidget().findChildren(QLabel)]
    assert any("later version" in text for text in texts)


def test_clicking_the_navigation_shows_the_page(qtbot, window):
    window.navigation.setCurrentRow(2)
    assert window.current_key() == "people"


def test_last_view_window_size_and_columns_are_remembered(qtbot, qt_database, qt_settings):
    first = MainWindow(qt_database.database, qt_settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)
    first.show_page("engagements")
    page = first.page("engagements")
    page.table.horizontalHeader().resizeSection(4, 333)
    first.close()

    second = MainWindow(qt_database.database, qt_settings)
    qtbot.addWidget(second)
    second.show()
    assert second.current_key() == "engagements"
    assert second.navigation.currentItem().text() == "Engagements"
    assert (second.size().width(), second.size().height()) == (760, 560)
    assert second.page("engagements").table.horizontalHeader().sectionSize(4) == 333
    second.close()


def test_a_detail_page_remembers_its_list_as_the_last_view(qtbot, qt_database, qt_settings):
    first = MainWindow(qt_database.database, qt_settings)
    qtbot.addWidget(first)
    first.open_record("organisation", qt_database.sample.org["Hackney CVS"])
    first.close()
    second = MainWindow(qt_database.database, qt_settings)
    qtbot.addWidget(second)
    assert second.current_key() == "organisations"
    second.close()


def test_back_returns_to_where_the_user_was(qtbot, window, qt_database):
    window.show_page("organisations")
    window.open_record("organisation", qt_database.sample.org["Hackney CVS"])
    window.open_record("person", qt_database.sample.person["Jake Ferguson"])
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_key() == "organisation"
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_key() == "organisations"


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot, window):
    window.show_page("people")
    window.page("people").table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search.hasFocus)


def test_menus_offer_the_agreed_commands_and_shortcuts(window):
    by_keys = {a.shortcut().toString(): a.text().replace("&", "") for a in window.actions()}
    assert by_keys["Ctrl+Q"] == "Quit"
    assert by_keys["Ctrl+L"] == "Log engagement…"
    assert by_keys["Ctrl+N"] == "New organisation…"
    assert by_keys["Ctrl+Z"].startswith("Undo")  # "Undo Delete …" once there is something to undo
    assert by_keys["Ctrl+Shift+Z"].startswith("Redo")
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Go", "Governance", "Data protection", "Help"]
