"""A list of things with a due date that the Director tracks until closed: actions, recommendations.

Both views show Open / Overdue / All, paint overdue rows red with "(N days
overdue)" beside the date, reload when a change of their kind is announced, and
put a service's refusal in a red banner instead of a dialog. A subclass gives
the columns, how to load each filter, and the form under the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.events import data_events
from ui.governance.common import OVERDUE, ErrorBanner, qdate, short_day
from ui.models.rows_model import RowsModel
from ui.style import format_date
from vru_crm.errors import EXPECTED_ERRORS
from vru_crm.london import today_in_london

FILTERS = ("Open", "Overdue", "All")


def date_field(day: date) -> QDateEdit:
    """A dd/MM/yyyy date with a calendar pop-up, as every governance form uses."""
    field = QDateEdit(qdate(day))
    field.setCalendarPopup(True)
    field.setDisplayFormat("dd/MM/yyyy")
    return field


def lateness(days: int) -> str:
    """How late, in the unit a person would use: 12 days, 5 months, 6 years."""
    if days <= 90:
        return f"{days} day{'s' if days != 1 else ''} overdue"
    if days < 730:
        return f"{days // 30} months overdue"
    return f"{days // 365} years overdue"


def due_words(row: Any, weekday: bool = True) -> str:
    """The due date, with how late it is when it has passed (``weekday``: "Thu 30 Apr 2020")."""
    if weekday or row.due_date is None:
        words = short_day(row.due_date)
    else:
        words = f"{format_date(row.due_date)}"
    if overdue := row.overdue_by(today_in_london()):
        words += f" ({lateness(overdue)})"
    return words


class TrackedList(QWidget):
    """Filter, banner, table and a form; subclasses set ``headers``, ``kinds`` and ``stretch``."""

    headers: Sequence[str] = ()
    kinds: Sequence[str] = ()  # data_events kinds that change this list
    stretch = 0  # the column that takes the spare width
    capped: dict[int, int] = {}  # column -> width for long texts, elided (the tooltip has it whole)
    noun = "item"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.banner = ErrorBanner()
        self.model = RowsModel(self.headers, self.cells, self._tone, self.tip, self)
        self.model.loaded.connect(self._shown)
        self.model.failed.connect(lambda message, _error: self.banner.show_error(message))
        self.table = self._make_table()
        self.count = QLabel()
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        data_events().changed.connect(self._changed)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrow column: "Organis…"
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)
        for column, width in self.capped.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        table.setWordWrap(False)
        return table

    def lay_out(self, buttons: Sequence[QWidget], form: QLayout) -> None:
        """Filter and buttons on top, the banner, the table, the count, the form at the bottom."""
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.filter)
        top.addStretch(1)
        for button in buttons:
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(form)

    # --- what a subclass gives ---------------------------------------------------------
    def cells(self, row: Any) -> list[str]:
        raise NotImplementedError

    def tip(self, row: Any) -> str | None:
        return None

    def load(self, mode: str) -> list[Any]:
        """The rows for "Open", "Overdue" or "All" (runs on the thread pool: no widgets)."""
        raise NotImplementedError

    def reader(self, mode: str) -> Callable[[], list[Any]]:
        """On the GUI thread: what the pool runs to read the rows (filters read here)."""
        return lambda: self.load(mode)

    def shown(self, rows: list[Any]) -> None:
        """The rows are on screen: say how many."""
        self.count.setText(f"{len(rows)} {self.noun}(s)")

    # --- shared behaviour --------------------------------------------------------------
    def _tone(self, row: Any):
        return OVERDUE if row.overdue_by(today_in_london()) else None

    def _changed(self, kind: str, _id: int) -> None:
        if kind in self.kinds or kind == "*":
            self.reload()

    def reload(self) -> None:
        """Read the list again on the thread pool; it is shown when it arrives."""
        self.model.load(self.reader(self.filter.currentText()))

    def _shown(self, rows: list[Any]) -> None:
        self.shown(rows)

    def selected(self) -> Any | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def attempt(self, work: Callable[[], Any], kind: str, record_id: int) -> bool:
        """Run a service call; a refusal goes in the banner, success announces the change."""
        try:
            work()
        except EXPECTED_ERRORS as error:
            self.banner.show_error(error)
            return False
        self.banner.clear_error()
        data_events().changed.emit(kind, record_id)
        return True
