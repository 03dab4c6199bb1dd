"""Small pieces the governance views share: dates in words, colours and an error banner.

Their tables use ``ui.models.rows_model.RowsModel``, read on the thread pool.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from ui.models import rows_model
from ui.style import format_date
from ui.workers import describe_error

OVERDUE = rows_model.OVERDUE  # one colour for overdue in every list
WARNING = QColor("#8a5a00")


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def short_day(day: date | None) -> str:
    return format_date(day) if day else "—"  # "9 Sep 2026", as in every list


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
