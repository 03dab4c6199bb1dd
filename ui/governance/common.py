"""Small pieces the governance views share: a read-only table model and an error banner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QWidget

from ui.style import format_date
from ui.workers import describe_error

OVERDUE = QColor("#b00020")
WARNING = QColor("#8a5a00")


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def short_day(day: date | None) -> str:
    return format_date(day) if day else "—"  # "9 Sep 2026", as in every list


class RowsModel(QAbstractTableModel):
    """Plain rows shown as a table; ``cells(row)`` gives the texts, ``tone(row)`` a colour or None.

    The rows are loaded by the view from a service; the model never fetches anything itself.
    """

    def __init__(
        self,
        headers: Sequence[str],
        cells: Callable[[Any], Sequence[str]],
        tone: Callable[[Any], QColor | None] | None = None,
        tip: Callable[[Any], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._headers = list(headers)
        self._cells = cells
        self._tone = tone
        self._tip = tip
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and self._tone and (tone := self._tone(row)):
            return QBrush(tone)
        if role == Qt.ItemDataRole.FontRole and self._tone and self._tone(row) == OVERDUE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and self._tip:
            return self._tip(row)
        return None


class ErrorBanner(QLabel):
    """A red line of plain words at the top of a dialog; hidden when there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { background: #fdecea; color: #8b0000; padding: 6px; border-radius: 3px; }"
        )
        self.hide()

    def show_error(self, error: BaseException | str) -> None:
        self.setText(error if isinstance(error, str) else describe_error(error))
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()
