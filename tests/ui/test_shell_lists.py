"""List pages: rows come a page at a time, and sorting and filtering change what is shown."""

from datetime import UTC, datetime

import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt

from ui.models.paged_model import PAGE_SIZE, PLACEHOLDER
from vru_crm.queries.organisations import OrganisationQuery


def _add_organisations(database, count: int) -> None:
    stamp = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [
        {
            "name": f"Bulk Youth Project {i:04d}",
            "sector": "charity",
            "notes": "",
            "is_priority": False,
            "created_at": stamp,
            "updated_at": stamp,
            "version": 1,
        }
        for i in range(count)
    ]
    with database.engine.begin() as conn:
        conn.execute(sa.insert(sa.table("organisation", *(sa.column(k) for k in rows[0]))), rows)


def _names(page) -> list[str]:
    model = page.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_scrolling_to_the_end_shows_the_last_row_without_the_pages_between(
    qtbot, window, qt_database
):
    _add_organisations(qt_database.database, 450)
    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    assert page.model.rowCount() == 455  # the scroll bar spans the whole list at once
    assert page.count_label.text() == "455 organisations"
    last = OrganisationQuery(qt_database.database).page(454, 1)[0].name
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.index(454, 0).data() == last)
    assert page.model.loaded_rows() == PAGE_SIZE + 55  # the first page and the last, not the middle
    assert page.model.index(PAGE_SIZE + 10, 0).data() == PLACEHOLDER


def test_clicking_a_header_sorts_by_that_column(qtbot, window):
    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    assert _names(page)[0] == "Café Rouge Youth Club"
    header = page.table.horizontalHeader()
    column = page.model.column_index("last_contact")
    where = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: page.model.sort_state.column == "last_contact")
    first_click = _names(page)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: _names(page) != first_click)
    newest_first = _names(page) if page.model.sort_state.descending else first_click
    assert newest_first[:2] == ["Hackney CVS", "Café Rouge Youth Club"]
    assert newest_first[-1] == "St Mary's Church"  # never contacted: last either way


def test_filter_bar_narrows_the_rows(qtbot, window):
    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.filter_bar._combos["sector"].count() > 1)
    page.filter_bar.select("sector", "charity")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert set(_names(page)) == {"Hackney CVS", "Quiet Partners Trust"}
    assert page.count_label.text() == "2 organisations"
    page.filter_bar.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)


def test_typing_in_the_filter_box_filters_after_a_pause(qtbot, window):
    window.show_page("engagements")
    page = window.page("engagements")
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    qtbot.keyClicks(page.filter_bar.text, "mopac")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert "Mayor's Office" in page.model.index(0, 2).data()
    page.filter_bar.text.clear()
    qtbot.keyClicks(page.filter_bar.text, "no such thing")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=3000)
    assert page.count_label.text() == "No engagements match these filters."


def test_borough_and_date_filters(qtbot, window, qt_database):
    window.show_page("engagements")
    page = window.page("engagements")
    qtbot.waitUntil(lambda: page.filter_bar._combos["borough_id"].count() > 1)
    page.filter_bar.select("borough_id", str(qt_database.sample.borough["Hackney"]))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.filter_bar.set_date(
        "date_from",
        qt_database.sample.today.replace(day=1).replace(year=qt_database.sample.today.year - 1),
    )
    qtbot.waitUntil(lambda: page.model.rowCount() <= 2)
    assert page.filter_bar.filters().borough_id == qt_database.sample.borough["Hackney"]


def test_enter_on_a_row_opens_its_detail(qtbot, window, qt_database):
    window.show_page("people")
    page = window.page("people")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    row = _names(page).index("Jake Ferguson")
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    detail = window.details["person"]
    qtbot.waitUntil(lambda: detail.title.text() == "Jake Ferguson")
    assert window.stack.currentWidget() is detail


def test_double_click_opens_the_detail(qtbot, window):
    window.show_page("networks")
    page = window.page("networks")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    rect = page.table.visualRect(page.model.index(0, 0))
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )  # as a real double
    qtbot.mouseDClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )  # click starts
    qtbot.waitUntil(
        lambda: (
            window.details.get("network") is not None
            and window.details["network"].title.text() != ""
        )
    )
    assert window.details["network"].title.text() == "Partnership Reference Group"


def test_lists_refresh_when_data_changes(qtbot, window, qt_database):
    from ui.events import data_events

    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    _add_organisations(qt_database.database, 1)
    data_events().changed.emit("organisation", 0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)


def test_rows_reach_the_model_on_the_main_thread(qtbot, window):
    """Queries run on the pool; filling the model must happen on the UI thread."""
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    page = window.page("engagements")
    threads = []
    page.model.modelReset.connect(lambda: threads.append(QThread.currentThread()))
    page.model.rowsInserted.connect(lambda *_: threads.append(QThread.currentThread()))
    window.show_page("engagements")
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    page.filter_bar.select("kind", "visit")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert threads and all(t is QApplication.instance().thread() for t in threads)


def test_a_refresh_keeps_the_selected_record_selected_where_it_was(qtbot, window, qt_database):
    from ui.events import data_events

    _add_organisations(qt_database.database, 450)
    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.model.rowCount() == 455)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.row_id(454) is not None)
    page.table.setCurrentIndex(page.model.index(450, 0))
    chosen, scrolled = page.current_id(), page.table.verticalScrollBar().value()
    resets: list[int] = []
    page.model.modelReset.connect(lambda: resets.append(page.model.rowCount()))
    data_events().changed.emit("organisation", 0)  # saved elsewhere: the list refreshes
    qtbot.waitUntil(lambda: resets == [455])
    assert page.current_id() == chosen
    assert page.table.selectionModel().isRowSelected(450)
    assert page.table.verticalScrollBar().value() == scrolled


def test_a_new_sort_starts_at_the_top(qtbot, window, qt_database):
    _add_organisations(qt_database.database, 450)
    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.model.rowCount() == 455)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.table.verticalScrollBar().value() > 0)
    page.table.sortByColumn(page.model.column_index("name"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.model.sort_state.descending and not page.model.loading)
    assert page.table.verticalScrollBar().value() == 0
    assert _names(page)[0] == "St Mary's Church"
