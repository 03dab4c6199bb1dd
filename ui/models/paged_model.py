"""A table model that shows any row of a list query, fetching only the pages on screen.

``rowCount`` is the query's total (counted on reload), so the scroll bar is
true from the first page and Ctrl+End or a drag to the bottom lands on row
500,000 at once, without the rows in between. Rows are held in a bounded cache
of pages (the least recently shown page is dropped first), so memory stays flat
however far the user scrolls. A row whose page is not held shows a light
placeholder while its page is read on the thread pool; the model never queries
inside ``data()``. Sorting and filtering are new SQL queries (``reload``): the
model never sorts in Python.

Page requests are coalesced: the pages missing from one paint replace any
earlier wish, and one batch is in flight at a time, so a fast drag of the
scroll bar costs a query for where it stopped, not one for every page it
passed. An answer for an older sort, filter or reload is dropped: each stream
has its own ``Loader``, which keeps only its latest answer, and a reload
forgets the page in flight.

Rows reach the model through a queued signal on the main thread, so a slow
sort (by last contact over 10,000 partners) never freezes the window.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from db.session import Database
from ui.models.loader import Loader
from vru_crm.queries.common import Filters, ListQuery, Sort

log = logging.getLogger(__name__)

PAGE_SIZE = 200
CACHE_PAGES = 50  # pages held at most: 10,000 rows, whatever the list's length
BATCH_PAGES = 4  # pages read at once: more than one screen ever shows
REFRESH_PAGES = 2  # a refresh reads again the pages shown last (the screen), up to this many
PLACEHOLDER = "…"  # the first cell of a row whose page is on its way
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
Pages = dict[int, list[Any]]


@dataclass(frozen=True)
class ColumnSpec:
    """How one column shows a row: its words, alignment, tooltip and colour."""

    key: str
    title: str
    text: Callable[[Any], str]
    align_right: bool = False
    sortable: bool = True
    tooltip: Callable[[Any], str] | None = None
    colour: Callable[[Any], QColor | None] | None = None
    width: int = 120


class PageCache:
    """Pages of rows by page number; past ``limit`` the least recently used page goes."""

    def __init__(self, limit: int) -> None:
        self._limit = max(1, limit)
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()

    def get(self, page: int) -> list[Any] | None:
        """The page's rows, marked as just used (a paint reads what is on screen)."""
        rows = self._pages.get(page)
        if rows is not None:
            self._pages.move_to_end(page)
        return rows

    def peek(self, page: int) -> list[Any] | None:
        return self._pages.get(page)

    def put(self, page: int, rows: list[Any]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self._limit:
            self._pages.popitem(last=False)

    def recent(self, count: int) -> list[int]:
        """The ``count`` pages used last, in page order."""
        return sorted(list(self._pages)[-count:])

    def items(self) -> Iterator[tuple[int, list[Any]]]:
        return iter(self._pages.items())

    def rows_held(self) -> int:
        return sum(len(rows) for rows in self._pages.values())

    def clear(self) -> None:
        self._pages.clear()


class PagedTableModel(QAbstractTableModel):
    """Every row of one list query, read a page at a time where the view looks.

    ``failed`` carries a message in words.
    """

    count_changed = Signal(int)
    failed = Signal(str)
    loading_changed = Signal(bool)

    def __init__(
        self,
        database: Database,
        query_class: type[ListQuery[Any]],
        columns: list[ColumnSpec],
        parent: Any = None,
        cache_pages: int = CACHE_PAGES,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._query_class = query_class
        self._columns = columns
        self._filters = Filters()
        self._sort = query_class.default_sort
        self._current: ListQuery[Any] | None = None  # the query of the last reload
        self._cache = PageCache(cache_pages)
        self._total = 0
        self._loading = False
        self._refreshed = False
        self._asked: dict[int, None] = {}  # pages missed since the last flush (one paint)
        self._wanted: list[int] = []  # the latest paint's missing pages, waiting their turn
        self._in_flight: set[int] = set()
        self._broken: set[int] = set()  # pages whose query failed: not asked again until reload
        self._loader = Loader(self)
        self._loader.loaded.connect(self._reset_arrived)
        self._loader.failed.connect(self._reset_failed)
        self._page_loader = Loader(self)
        self._page_loader.loaded.connect(self._pages_arrived)
        self._page_loader.failed.connect(self._pages_failed)
        self._flush_timer = QTimer(self, singleShot=True, interval=0)
        self._flush_timer.timeout.connect(self._flush)

    # --- what the list page calls -----------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def sort_state(self) -> Sort:
        return self._sort

    @property
    def filters(self) -> Filters:
        return self._filters

    @property
    def refreshed(self) -> bool:
        """True if the last reset was a refresh of the same list (``keep_loaded``), not a new sort or filter."""
        return self._refreshed

    def query(self) -> ListQuery[Any]:
        return self._query_class(self._database, self._filters, self._sort)

    def column_index(self, key: str) -> int:
        return next((i for i, c in enumerate(self._columns) if c.key == key), -1)

    @property
    def loading(self) -> bool:
        return self._loading

    def set_filters(self, filters: Filters) -> None:
        if filters != self._filters:
            self._filters = filters
            self.reload()

    def reload(self, keep_loaded: bool = False) -> None:
        """Count and read the first page again, off the UI thread.

        A refresh (``keep_loaded``) reads again the pages shown last instead,
        so the rows on screen come back at once where they were. The rows on
        screen stay until the answer arrives; a page still in flight for the
        old list is forgotten, and no page is asked for until the count is in.
        """
        pages = self._cache.recent(REFRESH_PAGES) if keep_loaded else []
        self._current = self.query()
        self._page_loader.cancel()
        self._in_flight.clear()
        self._wanted = []
        self._set_loading(True)
        self._loader.load(_first_rows, self._current, pages or [0], keep_loaded)

    def row_at(self, row: int) -> Any | None:
        """The plain row shown at ``row`` if its page is held, else None."""
        return self._held(row)

    def row_id(self, row: int) -> int | None:
        """The record id of ``row`` if its page is held, else None."""
        found = self._held(row)
        return found.id if found is not None else None

    def row_of(self, record_id: int) -> int:
        """The row of ``record_id`` among the pages held, or -1."""
        for page, rows in self._cache.items():
            for offset, row in enumerate(rows):
                if row.id == record_id:
                    return page * PAGE_SIZE + offset
        return -1

    def loaded_rows(self) -> int:
        """How many rows the model holds now (the cached pages; never more than the cache allows)."""
        return self._cache.rows_held()

    # --- answers -------------------------------------------------------------------
    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _reset_arrived(self, payload: tuple[int, Pages, bool]) -> None:
        count, pages, refreshed = payload
        self.beginResetModel()
        self._cache.clear()
        self._total = count
        for page, rows in pages.items():
            if rows:
                self._cache.put(page, rows)
                self._total = max(self._total, page * PAGE_SIZE + len(rows))
        self._refreshed = refreshed
        self._asked.clear()
        self._wanted = []
        self._broken.clear()
        self.endResetModel()
        self._set_loading(False)
        self.count_changed.emit(self._total)

    def _reset_failed(self, message: str, error: object) -> None:
        """The rows on screen stay; no page is read until the next reload succeeds."""
        log.warning("list query failed: %s", error.__class__.__name__)
        self._current = None
        self._set_loading(False)
        self.failed.emit(message)

    def _pages_arrived(self, pages: Pages) -> None:
        self._in_flight.clear()
        for page, rows in sorted(pages.items()):
            self._install(page, rows)
        self._send()

    def _pages_failed(self, message: str, error: object) -> None:
        log.warning("list page query failed: %s", error.__class__.__name__)
        self._broken |= self._in_flight
        self._in_flight.clear()
        self.failed.emit(message)
        self._send()

    def _install(self, page: int, rows: list[Any]) -> None:
        """Hold one page and repaint its rows; a last page that came back short or long resizes the list."""
        first = page * PAGE_SIZE
        if first >= self._total:
            return  # the list shrank since the page was asked for
        if first + PAGE_SIZE >= self._total:
            self._resize(first + len(rows))
        elif len(rows) < PAGE_SIZE:
            # Rows were deleted meanwhile, so every later offset moved: count again.
            self.reload(keep_loaded=True)
        if not rows:
            return
        self._cache.put(page, rows)
        last = self.index(first + len(rows) - 1, len(self._columns) - 1)
        self.dataChanged.emit(self.index(first, 0), last)

    def _resize(self, total: int) -> None:
        """The last page says how many rows there are now (deleted or added since the count)."""
        if total < self._total:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            self.endRemoveRows()
        elif total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        else:
            return
        self.count_changed.emit(self._total)

    # --- asking for pages ----------------------------------------------------------
    def _held(self, row: int, touch: bool = False) -> Any | None:
        """The row if its page is held; with ``touch`` a missing page is asked for."""
        if not 0 <= row < self._total:
            return None
        page, offset = divmod(row, PAGE_SIZE)
        rows = self._cache.get(page) if touch else self._cache.peek(page)
        if rows is None:
            if touch:
                self._ask(page)
            return None
        return rows[offset] if offset < len(rows) else None

    def _ask(self, page: int) -> None:
        if page in self._asked or page in self._in_flight or page in self._broken:
            return
        self._asked[page] = None
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        """After a paint: its missing pages replace any older wish (pages scrolled past are dropped)."""
        asked, self._asked = list(self._asked), {}
        self._wanted = [p for p in asked if p not in self._in_flight][-BATCH_PAGES:]
        self._send()

    def _send(self) -> None:
        """Read the wanted pages if nothing is in flight (one batch at a time)."""
        if self._loading or self._in_flight or self._current is None:
            return
        pages = sorted(p for p in self._wanted if self._cache.peek(p) is None)
        self._wanted = []
        if pages:
            self._in_flight = set(pages)
            self._page_loader.load(_read_pages, self._current, pages)

    # --- Qt's side -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.set_sort(column, order):
            self.reload()

    def set_sort(self, column: int, order: Qt.SortOrder) -> bool:
        """Choose the sort without querying (the next reload uses it); True if it changed."""
        if not 0 <= column < len(self._columns) or not self._columns[column].sortable:
            return False
        wanted = Sort(self._columns[column].key, order == Qt.SortOrder.DescendingOrder)
        changed, self._sort = wanted != self._sort, wanted
        return changed

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and not self._columns[section].sortable:
            return "This column cannot be sorted"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._held(index.row(), touch=True)
        if row is None:
            on_its_way = role == Qt.ItemDataRole.DisplayRole and index.column() == 0
            return PLACEHOLDER if on_its_way else None
        spec = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.text(row)
        if role == ROW_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if spec.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return spec.tooltip(row) if spec.tooltip else spec.text(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and spec.colour:
            return spec.colour(row)
        return None


def _first_rows(query: ListQuery[Any], pages: list[int], refresh: bool) -> tuple[int, Pages, bool]:
    """Runs on the pool: the count and the pages to show first."""
    return query.count(), _read_pages(query, pages), refresh


def _read_pages(query: ListQuery[Any], pages: list[int]) -> Pages:
    """Runs on the pool: the rows of ``pages``, one query per run of neighbouring pages."""
    found: Pages = {}
    for first, count in _runs(pages):
        rows = query.page(first * PAGE_SIZE, count * PAGE_SIZE)
        for n in range(count):
            found[first + n] = rows[n * PAGE_SIZE : (n + 1) * PAGE_SIZE]
    return found


def _runs(pages: Iterable[int]) -> list[tuple[int, int]]:
    """(first page, how many) for each run of consecutive page numbers."""
    runs: list[tuple[int, int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][0] + runs[-1][1]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((page, 1))
    return runs
