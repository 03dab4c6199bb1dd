"""A list page: filter bar, count, and a table that pages, sorts and filters in SQL.

Double-click or Enter on a row opens its detail. Column widths and the sort
are remembered per list (QSettings). The page refreshes when data changes
elsewhere (``ui.events.data_events``); while hidden it only notes that it must.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.events import data_events
from ui.models.loader import Loader
from ui.models.paged_model import ColumnSpec, PagedTableModel
from ui.style import SPACING, muted, warning_colour
from ui.views.filter_bar import FilterBar
from vru_crm.queries.choices import filter_choices
from vru_crm.queries.common import ListQuery


class ListPage(QWidget):
    """One list: ``key`` names it in settings, ``kind`` is the record kind its rows open."""

    open_record = Signal(str, int)

    def __init__(
        self,
        database: Database,
        key: str,
        kind: str,
        noun: str,
        query_class: type[ListQuery],
        columns: list[ColumnSpec],
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key, self.kind, self.noun = key, kind, noun
        self._database = database
        self._settings = settings
        self._stale = True
        self._choices_stale = True
        self.model = PagedTableModel(database, query_class, columns, self)
        self.filter_bar = FilterBar(query_class, noun, self)
        any_status = getattr(query_class, "any_status_label", "")
        if any_status and "status" in self.filter_bar._combos:  # e.g. networks: "Not archived"
            self.filter_bar._combos["status"].setItemText(0, any_status)
        status_name = getattr(query_class, "status_filter_name", "")
        if status_name and "status" in self.filter_bar._combos:  # people: "Young people…"
            self.filter_bar._combos["status"].setAccessibleName(status_name)
            self.filter_bar._combos["status"].setToolTip(status_name)
        self.table = self._make_table(columns)
        self.count_label = muted("", self)
        self.count_label.setAccessibleName(f"Number of {noun}")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        palette = self.error_label.palette()
        palette.setColor(self.error_label.foregroundRole(), warning_colour())
        self.error_label.setPalette(palette)
        self._layout()
        self._choices = Loader(self)
        self._choices.loaded.connect(self.filter_bar.set_choices)
        self.filter_bar.changed.connect(self.model.set_filters)
        self.model.count_changed.connect(self._show_count)
        self.model.loading_changed.connect(self._loading)
        self._loading_timer = QTimer(self, singleShot=True, interval=150)
        self._loading_timer.timeout.connect(
            lambda: self.count_label.setText(f"Loading {self.noun}…")
        )
        self.model.failed.connect(self._show_error)
        self.model.modelReset.connect(self.error_label.hide)
        self._kept_id: int | None = None
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.table.activated.connect(self._activated)
        data_events().changed.connect(self._data_changed)
        data_events().removed.connect(self._data_changed)
        self._restore_header()
        self._tab_order()

    def _make_table(self, columns: list[ColumnSpec]) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setAccessibleName(f"{self.noun.capitalize()} list")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table, as in every other control
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrow column: "Organis…"
        header.setStretchLastSection(
            not columns[-1].align_right
        )  # never stretch a column of numbers
        header.setHighlightSections(False)
        for i, spec in enumerate(columns):
            header.resizeSection(i, spec.width)
        sort = self.model.sort_state
        header.setSortIndicator(
            self.model.column_index(sort.column),
            Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder,
        )
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_indicator_honest)
        return table

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        layout.addLayout(bottom)

    def _tab_order(self) -> None:
        chain = [*self.filter_bar.focus_order(), self.table]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # --- loading -----------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        """Load or refresh if something changed since the page was last shown."""
        if self._choices_stale:
            self._choices_stale = False
            self._choices.load(filter_choices, self._database)
        if self._stale:
            self._stale = False
            self.model.reload(keep_loaded=True)

    def refresh(self) -> None:
        self._stale = self._choices_stale = True
        if self.isVisible():
            self.ensure_loaded()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        self.ensure_loaded()

    def _data_changed(self, kind: str, _record_id: int) -> None:
        self._stale = True
        if kind in ("network", "*"):
            self._choices_stale = True
        if self.isVisible():
            self.ensure_loaded()

    def _loading(self, loading: bool) -> None:
        """Say "Loading…" only if the answer takes a noticeable moment."""
        if loading:
            self._loading_timer.start()
        else:
            self._loading_timer.stop()

    def _show_count(self, total: int) -> None:
        if total == 0:
            filtered = self.model.filters != type(self.model.filters)()
            self.count_label.setText(
                f"No {self.noun} match these filters." if filtered else f"No {self.noun} yet."
            )
        else:
            self.count_label.setText(f"{total:,} {self.noun}")

    def _show_error(self, message: str) -> None:
        self.error_label.setText(f"Could not load the {self.noun}: {message}")
        self.error_label.show()

    def _remember_selection(self) -> None:
        self._kept_id = self.current_id()

    def _restore_selection(self) -> None:
        """After a reload the selected record stays selected if it is still shown.

        Qt forgets the selection on a reset and keeps the scroll position: right
        for a refresh (the same rows come back where they were), wrong for a new
        sort or filter, which starts at the top unless the selected record is there.
        """
        row = self.model.row_of(self._kept_id) if self._kept_id is not None else -1
        if row >= 0:
            index = self.model.index(row, 0)
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.selectionModel().setCurrentIndex(index, flags)
            self.table.executeDelayedItemsLayout()  # the scroll range must know the new row count
            self.table.scrollTo(index)
        elif not self.model.refreshed:
            self.table.scrollToTop()

    # --- opening -------------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        record_id = self.model.row_id(index.row())
        if record_id is not None:
            self.open_record.emit(self.kind, record_id)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.setCurrentIndex(self.model.index(0, 0))

    # --- remembering -----------------------------------------------------------------
    def _keep_indicator_honest(self, section: int, _order: Qt.SortOrder) -> None:
        """A click on a column SQL cannot sort leaves the arrow where the sort really is."""
        sort = self.model.sort_state
        if self.model.column_index(sort.column) != section:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(
                self.model.column_index(sort.column),
                Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder,
            )
            header.blockSignals(False)

    def save_state(self) -> None:
        self._settings.setValue(
            f"lists/{self.key}/header", self.table.horizontalHeader().saveState()
        )

    def _restore_header(self) -> None:
        state = self._settings.value(f"lists/{self.key}/header")
        if isinstance(state, QByteArray | bytes) and state:
            header = self.table.horizontalHeader()
            header.restoreState(QByteArray(state))
            self.model.set_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            self._keep_indicator_honest(header.sortIndicatorSection(), header.sortIndicatorOrder())
            self._stale = True
