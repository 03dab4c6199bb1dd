"""A table model that fetches its rows from a list query a page at a time.

Qt asks ``canFetchMore``/``fetchMore`` as the user scrolls near the end, so a
list of 100,000 engagements holds only the pages seen so far. Sorting and
filtering are new SQL queries (the model never sorts in Python), and the model
never queries inside ``data()``: it shows the plain rows it was given.

Every query runs on the thread pool; rows reach the model through a queued
signal on the main thread, so a slow sort (by last contact over 10,000
partners) never freezes the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from db.session import Database
from ui.models.loader import Loader
from vru_crm.queries.common import Filters, ListQuery, Sort

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_RELOAD = 2000  # a refresh reloads what was on screen, up to this many rows
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


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


class PagedTableModel(QAbstractTableModel):
    """Rows of one list query, a page at a time. ``failed`` carries a message in words."""

    count_changed = Signal(int)
    failed = Signal(str)
    loading_changed = Signal(bool)

    def __init__(
        self,
        database: Database,
        query_class: type[ListQuery[Any]],
        columns: list[ColumnSpec],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._query_class = query_class
        self._columns = columns
        self._filters = Filters()
        self._sort = query_class.default_sort
        self._rows: list[Any] = []
        self._total = 0
        self._loading = False
        self._fetching = False
        self._loader = Loader(self)
        self._loader.loaded.connect(self._arrived)
        self._loader.failed.connect(self._failed)

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
        """Count and fetch the first page again, off the UI thread (a refresh keeps as many rows as were loaded).

        The rows on screen stay until the answer arrives; an answer for an
        older sort or filter is dropped (``Loader`` keeps only the latest).
        """
        wanted = min(max(PAGE_SIZE, len(self._rows)), MAX_RELOAD) if keep_loaded else PAGE_SIZE
        self._set_loading(True)
        self._loader.load(_first_rows, self.query(), wanted)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _arrived(self, payload: tuple[str, int, list[Any]]) -> None:
        what, number, rows = payload
        if what == "reset":
            self.beginResetModel()
            self._rows, self._total = rows, max(number, len(rows))
            self.endResetModel()
            self._set_loading(False)
            self.count_changed.emit(self._total)
            return
        self._fetching = False
        if number != len(self._rows):  # a page for rows we no longer hold
            return
        if len(rows) < PAGE_SIZE:  # rows were deleted meanwhile: stop asking
            self._total = len(self._rows) + len(rows)
        if rows:
            self.beginInsertRows(QModelIndex(), number, number + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def _failed(self, message: str, error: object) -> None:
        log.warning("list query failed: %s", error.__class__.__name__)
        self._fetching = False
        self._set_loading(False)
        self._total = len(self._rows)
        self.failed.emit(message)

    def row_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    def loaded_rows(self) -> int:
        return len(self._rows)

    # --- Qt's side -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._loading or self._fetching:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Ask for the next page; it is inserted when it arrives (the view asks again if it needs more)."""
        if parent.isValid() or not self.canFetchMore():
            return
        self._fetching = True
        self._loader.load(_next_rows, self.query(), len(self._rows))

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
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, spec = self._rows[index.row()], self._columns[index.column()]
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


def _first_rows(query: ListQuery[Any], wanted: int) -> tuple[str, int, list[Any]]:
    """Runs on the pool: the count and the first rows."""
    return "reset", query.count(), query.page(0, wanted)


def _next_rows(query: ListQuery[Any], offset: int) -> tuple[str, int, list[Any]]:
    """Runs on the pool: one more page."""
    return "more", offset, query.page(offset, PAGE_SIZE)
