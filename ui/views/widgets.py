"""Building blocks of the detail pages: sections, label/value grids, small linked tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

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


class RecordTable(QTableWidget):
    """A short read-only table whose rows open records; sized to its rows up to a limit."""

    open_record = Signal(str, int)

    def __init__(self, headers: Sequence[str], name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
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
        self._weights: list[int] = [1] * len(headers)
        self._links: list[tuple[str, int]] = []
        self.activated.connect(self._open)
        self.set_rows([])

    def set_rows(self, rows: Sequence[LinkedRow], empty: str = "None") -> None:
        self.clearSpans()
        self.setRowCount(0)
        self._links = []
        if not rows:
            self.setRowCount(1)
            item = QTableWidgetItem(empty)
            item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(0, 0, item)
            self.setSpan(0, 0, 1, self.columnCount())
            self._links.append(("", 0))
        for row in rows:
            self._append(row)
        self._fit()

    def _append(self, row: LinkedRow) -> None:
        r = self.rowCount()
        self.insertRow(r)
        faded = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for c, value in enumerate(row.cells):
            cell = value if isinstance(value, Cell) else Cell(value)
            item = QTableWidgetItem(cell.text)
            item.setToolTip(cell.text)
            if cell.colour is not None:
                item.setForeground(cell.colour)
            elif row.muted:
                item.setForeground(faded)
            self.setItem(r, c, item)
        self._links.append((row.kind, row.id))

    def _fit(self) -> None:
        """Tall enough for every row up to MAX_VISIBLE_ROWS, then it scrolls."""
        rows = min(max(self.rowCount(), 1), MAX_VISIBLE_ROWS)
        height = (
            self.horizontalHeader().sizeHint().height()
            + rows * self.verticalHeader().defaultSectionSize()
        )
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def fit_columns(self, weights: Sequence[int]) -> None:
        """Share the width between columns in these proportions (the last takes what is left)."""
        given = list(weights)[: self.columnCount()]
        rest = max(sum(given) // max(len(given), 1), 60) if given else 100
        self._weights = given + [rest] * (self.columnCount() - len(given))
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
        if 0 <= index.row() < len(self._links):
            kind, record_id = self._links[index.row()]
            if kind:
                self.open_record.emit(kind, record_id)
