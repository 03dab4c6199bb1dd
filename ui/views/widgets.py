"""Building blocks of the detail pages: sections, label/value grids, small linked tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.rows_model import ROW_ID_ROLE, Index, RowsModel
from ui.style import SPACING, muted, scaled_font

MAX_VISIBLE_ROWS = 12


@dataclass(frozen=True)
class Cell:
    text: str
    colour: QColor | None = None


@dataclass(frozen=True)
class LinkedRow:
    """One table row; ``kind``/``id`` say what double-click or Enter opens (nothing if empty)."""

    cells: Sequence[str | Cell]
    kind: str = ""
    id: int = 0
    muted: bool = False


class Section(QWidget):
    """A titled block: a heading, an optional note, then its content."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, SPACING, 0, 0)
        self._layout.setSpacing(SPACING // 2)
        self.title = QLabel(title, self)
        self.title.setFont(scaled_font(self.title, 1.15, bold=True))
        self.title.setAccessibleName(title)
        self._layout.addWidget(self.title)
        self.note = muted("", self)
        self.note.hide()
        self._layout.addWidget(self.note)
        self._layout.addStretch(1)  # content stays at the top when a neighbour is taller

    def add(self, widget: QWidget, stretch: int = 0) -> QWidget:
        self._layout.insertWidget(self._layout.count() - 1, widget, stretch)
        return widget

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


class FactGrid(QWidget):
    """Label: value pairs, two columns of them, values selectable for copying."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setHorizontalSpacing(SPACING * 2)
        self.values: dict[str, QLabel] = {}

    def set_facts(self, facts: Sequence[tuple[str, str]]) -> None:
        """Show the pairs that have a value; empty ones are left out rather than dashed."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self.values = {}
        for label, value in facts:
            if not value:
                continue
            shown = QLabel(value, self)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(label)
            key = muted(label, self)
            key.setWordWrap(False)
            self._form.addRow(key, shown)
            self.values[label] = shown


class _LinkedRows(RowsModel):
    """The rows of a ``RecordTable``: each cell its own colour; a muted row faded.

    The faded colour is the table's placeholder colour as it is now, read when
    painted: kept from when the table was made, the light palette's grey stayed
    after a switch to dark, where it could hardly be read.
    """

    def __init__(self, headers: Sequence[str], parent: QWidget) -> None:
        super().__init__(headers, _texts, parent=parent, row_id=lambda row: (row.kind, row.id))
        self.table = parent

    def faded(self) -> QColor:
        return self.table.palette().color(QPalette.ColorRole.PlaceholderText)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        cells = list(row.cells)
        value = cells[index.column()] if index.column() < len(cells) else ""
        cell = value if isinstance(value, Cell) else Cell(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.text
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = (
                cell.colour if cell.colour is not None else (self.faded() if row.muted else None)
            )
            return colour
        return super().data(index, role)


def _texts(row: LinkedRow) -> list[str]:
    return [c.text if isinstance(c, Cell) else c for c in row.cells]


class RecordTable(QTableView):
    """A short read-only table whose rows open records; sized to its rows up to a limit.

    The page reads its record on the thread pool and hands the rows to ``set_rows``;
    the model (a ``ui.models.rows_model.RowsModel``) only shows them.
    """

    open_record = Signal(str, int)

    def __init__(self, headers: Sequence[str], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = _LinkedRows(headers, self)
        self.setModel(self.rows_model)
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setTextElideMode(
            Qt.TextElideMode.ElideRight
        )  # "Organis…", not "ganisatio" (scale 2)
        self._weights: list[int] = [1] * len(headers)
        self.activated.connect(self._open)
        self.set_rows([])

    def set_rows(self, rows: Sequence[LinkedRow], empty: str = "None") -> None:
        """Show these rows; with none, one faded line saying ``empty`` across the table."""
        self.clearSpans()
        if not rows:
            self.rows_model.set_rows([LinkedRow([empty], muted=True)])
            self.setSpan(0, 0, 1, self.rows_model.columnCount())
        else:
            self.rows_model.set_rows(rows)
        self._fit()

    def row_count(self) -> int:
        """How many rows show (the "None" line of an empty table included)."""
        return self.rows_model.rowCount()

    def current_row(self) -> int:
        """The row of the current cell, or -1."""
        return self.currentIndex().row() if self.currentIndex().isValid() else -1

    def text(self, row: int, column: int) -> str:
        """What a cell shows (for tests and for copying)."""
        return str(self.rows_model.index(row, column).data() or "")

    def _fit(self) -> None:
        """Tall enough for every row up to MAX_VISIBLE_ROWS, then it scrolls."""
        rows = min(max(self.row_count(), 1), MAX_VISIBLE_ROWS)
        height = (
            self.horizontalHeader().sizeHint().height()
            + rows * self.verticalHeader().defaultSectionSize()
        )
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def fit_columns(self, weights: Sequence[int]) -> None:
        """Share the width between columns in these proportions (the last takes what is left)."""
        columns = self.rows_model.columnCount()
        given = list(weights)[:columns]
        rest = max(sum(given) // max(len(given), 1), 60) if given else 100
        self._weights = given + [rest] * (columns - len(given))
        self._share()

    def _share(self) -> None:
        width = self.viewport().width()
        total = sum(self._weights) or 1
        for i, weight in enumerate(self._weights[:-1]):
            self.setColumnWidth(i, max(40, width * weight // total))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._share()

    def _open(self, index: QModelIndex) -> None:
        kind, record_id = index.data(ROW_ID_ROLE) or ("", 0)
        if kind:
            self.open_record.emit(kind, record_id)
