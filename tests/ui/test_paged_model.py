"""The list model reaches any row at once: Ctrl+End, a drag to the bottom, a sort or a delete meanwhile.

Each test fills a real database (SQLite file and PostgreSQL) with 3,000
generated engagements, 15 pages, and shows the engagement list's model in a
real QTableView offscreen. To make "a page still in flight" happen for sure,
the thread pool's only thread is kept busy while the user acts, so the
model's queries queue behind it as they would behind a slow server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from PySide6.QtCore import QRunnable, Qt, QThreadPool
from PySide6.QtWidgets import QTableView

from db.session import Database
from ui.models.columns import ENGAGEMENT_COLUMNS
from ui.models.paged_model import PAGE_SIZE, PLACEHOLDER, PagedTableModel
from ui.workers import wait_for_jobs
from vru_crm.generate import Counts, generate
from vru_crm.queries.common import Sort
from vru_crm.queries.engagements import EngagementQuery, EngagementRow
from vru_crm.services.engagements import delete_engagement

TOTAL = 3000
LAST = TOTAL - 1
SUMMARY = next(i for i, c in enumerate(ENGAGEMENT_COLUMNS) if c.key == "summary")


@pytest.fixture
def engagements(database: Database) -> Iterator[Database]:
    generate(
        database,
        Counts(organisations=30, people=60, engagements=TOTAL),
        1,
        today=date(2026, 11, 23),
    )
    yield database
    wait_for_jobs(5000)  # no query may outlive the database


def _shown(qtbot, database: Database, **options: int) -> tuple[QTableView, PagedTableModel]:
    """The engagement list in a table the size of a list page, its first page shown."""
    view = QTableView()
    qtbot.addWidget(view)
    model = PagedTableModel(database, EngagementQuery, list(ENGAGEMENT_COLUMNS), view, **options)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == TOTAL)
    return view, model


def _summary(row: EngagementRow) -> str:
    return ENGAGEMENT_COLUMNS[SUMMARY].text(row)


def _shows(view: QTableView, row: int, text: str) -> bool:
    """The row is on screen and its summary cell reads ``text``."""
    index = view.model().index(row, SUMMARY)
    on_screen = view.viewport().rect().intersects(view.visualRect(index))
    return on_screen and index.data() == text


@contextmanager
def pool_held(qtbot) -> Iterator[Callable[[], None]]:
    """Queries queue up until ``release()``: the pool's one thread is busy."""
    pool = QThreadPool.globalInstance()
    threads = pool.maxThreadCount()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0)
    pool.setMaxThreadCount(1)
    started, gate = threading.Event(), threading.Event()

    class Hold(QRunnable):
        def run(self) -> None:
            started.set()
            gate.wait(10)

    hold = Hold()
    hold.setAutoDelete(False)
    pool.start(hold)
    started.wait(5)
    try:
        yield gate.set
    finally:
        gate.set()
        pool.waitForDone(5000)
        pool.setMaxThreadCount(threads)


def test_ctrl_end_shows_the_last_record_without_the_pages_between(qtbot, engagements):
    view, model = _shown(qtbot, engagements)
    last = EngagementQuery(engagements).page(LAST, 1)[0]
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))  # as a list page does when the table takes focus
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.currentIndex().row() == LAST
    qtbot.waitUntil(lambda: _shows(view, LAST, _summary(last)))
    assert model.row_id(LAST) == last.id
    assert model.loaded_rows() == 2 * PAGE_SIZE  # the first page and the last, none between
    assert model.row_id(7 * PAGE_SIZE) is None


def test_the_cache_stays_bounded_after_scrolling_through_everything(qtbot, engagements):
    view, model = _shown(qtbot, engagements, cache_pages=4)
    query = EngagementQuery(engagements)
    for page in range(TOTAL // PAGE_SIZE):
        row = page * PAGE_SIZE + PAGE_SIZE // 2
        view.scrollTo(model.index(row, 0), QTableView.ScrollHint.PositionAtCenter)
        qtbot.waitUntil(lambda r=row: model.row_id(r) is not None)
        assert model.loaded_rows() <= 4 * PAGE_SIZE
    first = query.page(0, 1)[0]
    assert model.row_id(0) is None  # dropped long ago
    view.scrollToTop()
    qtbot.waitUntil(lambda: _shows(view, 0, _summary(first)))  # read again when seen again


def test_a_fast_drag_reads_only_where_it_stops(qtbot, engagements):
    view, model = _shown(qtbot, engagements)
    bar = view.verticalScrollBar()
    last = EngagementQuery(engagements).page(LAST, 1)[0]
    with pool_held(qtbot) as release:
        for value in [*range(0, bar.maximum(), PAGE_SIZE // 3), bar.maximum()]:
            bar.setValue(value)  # each step of the drag is painted, and asks for what it shows
            view.viewport().repaint()
            qtbot.wait(1)
        release()
        qtbot.waitUntil(lambda: _shows(view, LAST, _summary(last)))
    # The first page missed (in flight when the drag went on) and where it stopped; not the 12 between.
    assert model.loaded_rows() == 3 * PAGE_SIZE
    assert all(model.row_id(page * PAGE_SIZE) is None for page in range(2, 14))


class HeldQuery(EngagementQuery):
    """The engagement list, whose newest-first pages past the first wait at a gate (a slow server)."""

    gate = threading.Event()

    def page(self, offset: int, limit: int) -> list[EngagementRow]:
        if self.sort.descending and offset > 0:
            self.gate.wait(10)
        return super().page(offset, limit)


def test_a_sort_change_while_a_page_is_in_flight_never_shows_the_old_sort(qtbot, engagements):
    HeldQuery.gate.clear()
    view = QTableView()
    qtbot.addWidget(view)
    model = PagedTableModel(engagements, HeldQuery, list(ENGAGEMENT_COLUMNS), view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == TOTAL)
    oldest_first = EngagementQuery(engagements, sort=Sort("date", descending=False))
    wanted = [row.id for row in oldest_first.page(0, TOTAL)]
    last = oldest_first.page(LAST, 1)[0]
    pool = QThreadPool.globalInstance()
    try:
        view.scrollToBottom()  # the newest-first list's last page is asked for, and waits
        qtbot.waitUntil(lambda: pool.activeThreadCount() == 1)
        model.sort(model.column_index("date"), Qt.SortOrder.AscendingOrder)
        view.scrollToTop()  # as a list page does for a new sort
        qtbot.waitUntil(lambda: model.row_id(0) == wanted[0])
    finally:
        HeldQuery.gate.set()  # the old page's answer comes back after the new sort's
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0)
    qtbot.wait(50)  # and has been delivered
    held = [row for row in range(TOTAL) if model.row_id(row) is not None]
    assert [model.row_id(row) for row in held] == [wanted[row] for row in held]
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.row_id(LAST) == wanted[LAST])
    assert _shows(view, LAST, _summary(last))


def test_a_row_deleted_meanwhile_shortens_the_list_when_its_end_is_reached(qtbot, engagements):
    view, model = _shown(qtbot, engagements)
    query = EngagementQuery(engagements)
    counts: list[int] = []
    model.count_changed.connect(counts.append)
    delete_engagement(engagements, model.row_id(0))  # by someone else: the list is not told
    last = query.page(TOTAL - 2, 1)[0]
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))  # as a list page does when the table takes focus
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.rowCount() == TOTAL - 1)
    qtbot.waitUntil(lambda: _shows(view, TOTAL - 2, _summary(last)))
    assert counts == [TOTAL - 1]  # the count under the list says so too


def test_rows_deleted_meanwhile_before_a_middle_page_recount_the_list(qtbot, engagements):
    view, model = _shown(qtbot, engagements)
    query = EngagementQuery(engagements)
    for row in query.page(0, 250):
        delete_engagement(engagements, row.id)
    wanted = [row.id for row in query.page(0, TOTAL)]
    view.scrollTo(model.index(13 * PAGE_SIZE + 50, 0))  # page 13 comes back with 150 rows
    qtbot.waitUntil(lambda: model.rowCount() == TOTAL - 250)
    qtbot.waitUntil(lambda: model.row_id(TOTAL - 251) is not None)
    held = [row for row in range(model.rowCount()) if model.row_id(row) is not None]
    assert [model.row_id(row) for row in held] == [wanted[row] for row in held]
    assert model.index(5 * PAGE_SIZE, 0).data() == PLACEHOLDER  # never read, never invented
