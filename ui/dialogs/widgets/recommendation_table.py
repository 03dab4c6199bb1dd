"""The recommendations of one letter as an editable table: number, text, due date, reply.

Filled from what ``letter_parse`` found in a pasted letter, then corrected by the
user from the keyboard: arrows move between cells, typing or F2 edits one,
Enter commits the cell (it does not save the form while a cell is open),
Insert adds a row and Ctrl+Delete removes the current one. Tab leaves the
table, as in every other field. Rows read from the database keep their
recommendation id so an edit of the letter can tell changed rows from new ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ui.dialogs.widgets.date_field import format_date, parse_date

COLUMNS = ("No.", "Recommendation", "Due", "Reply (if already sent)")
NUMBER, TEXT, DUE, REPLY = range(4)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class TableRow:
    """One row as typed: the texts of its cells, and the stored recommendation's id if any."""

    recommendation_id: int | None
    number: str
    text: str
    due: str
    reply: str

    @property
    def blank(self) -> bool:
        """Nothing typed but perhaps the number an added row starts with: left out when saving."""
        return not (self.text.strip() or self.due.strip() or self.reply.strip())


@dataclass(frozen=True)
class CheckedRow:
    """A row that passed the checks, as plain values."""

    recommendation_id: int | None
    number: int | None
    text: str
    due_date: date | None
    reply: str | None


def row_problem(row: TableRow) -> str | None:
    """What is wrong with one row, in words (None when it is fine)."""
    if row.number.strip():
        try:
            if int(row.number.strip()) < 1:
                raise ValueError
        except ValueError:
            return f"the number “{row.number.strip()}” must be a whole number, 1 or more"
    if not row.text.strip():
        return "the recommendation's text is empty"
    try:
        parse_date(row.due)
    except ValueError as error:
        return f"due date: {error}"
    return None


def check_rows(rows: Iterable[TableRow]) -> tuple[list[CheckedRow], str | None]:
    """The non-blank rows as values, and one sentence naming every row with a problem."""
    checked: list[CheckedRow] = []
    problems: list[str] = []
    seen: dict[int, int] = {}
    for position, row in enumerate(rows, start=1):
        if row.blank:
            continue
        problem = row_problem(row)
        if problem:
            problems.append(f"row {position}: {problem}")
            continue
        number = int(row.number) if row.number.strip() else None
        if number is not None and number in seen:
            problems.append(f"row {position}: number {number} is also used in row {seen[number]}")
            continue
        if number is not None:
            seen[number] = position
        checked.append(
            CheckedRow(
                row.recommendation_id,
                number,
                row.text.strip(),
                parse_date(row.due),
                row.reply.strip() or None,
            )
        )
    return checked, "; ".join(problems) or None


class RecommendationTable(QTableWidget):
    """See the module docstring. ``changed`` fires on every edit, added or removed row."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setAccessibleName("Recommendations")
        self.setTabKeyNavigation(False)  # Tab moves on to the next field
        self.setWordWrap(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.verticalHeader().hide()  # the No. column numbers the rows
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DUE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REPLY, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DUE, self.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        header.resizeSection(REPLY, 220)
        self.setToolTip(
            "Type to edit a cell (F2 too), Enter to keep it; Insert adds a row, "
            "Ctrl+Delete removes the current one."
        )
        self.itemChanged.connect(lambda _item: self.changed.emit())

    # -- rows --------------------------------------------------------------------
    def set_rows(self, rows: Iterable[TableRow]) -> None:
        self.blockSignals(True)
        self.setRowCount(0)
        for row in rows:
            self._append(row)
        self.blockSignals(False)
        self.changed.emit()

    def set_found(self, found: Iterable) -> None:
        """Rows from ``letter_parse.FoundRecommendation`` values."""
        self.set_rows(
            TableRow(
                None,
                "" if f.number is None else str(f.number),
                f.text,
                format_date(f.due_date),
                f.reply or "",
            )
            for f in found
        )

    def rows(self) -> list[TableRow]:
        return [
            TableRow(
                self.item(r, NUMBER).data(ID_ROLE) if self.item(r, NUMBER) else None,
                *(self._text(r, c) for c in (NUMBER, TEXT, DUE, REPLY)),
            )
            for r in range(self.rowCount())
        ]

    def _text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def _append(self, row: TableRow) -> int:
        blocked = self.blockSignals(True)  # one ``changed`` for the row, from the caller
        position = self.rowCount()
        self.insertRow(position)
        for column, text in ((NUMBER, row.number), (TEXT, row.text), (DUE, row.due)):
            self.setItem(position, column, QTableWidgetItem(text))
        self.item(position, NUMBER).setData(ID_ROLE, row.recommendation_id)
        reply = QTableWidgetItem(row.reply)
        if (
            row.recommendation_id is not None
        ):  # a stored reply is changed with Reply… in the register
            reply.setFlags(reply.flags() & ~Qt.ItemFlag.ItemIsEditable)
            reply.setToolTip(row.reply or "Record the reply with Reply… in the register.")
        self.setItem(position, REPLY, reply)
        self.blockSignals(blocked)
        return position

    def add_row(self) -> int:
        """An empty row at the end, numbered after the highest number; the cursor on its text."""
        numbers = [int(r.number) for r in self.rows() if r.number.strip().isdigit()]
        position = self._append(TableRow(None, str(max(numbers, default=0) + 1), "", "", ""))
        self.setCurrentCell(position, TEXT)
        self.setFocus()
        self.changed.emit()
        return position

    def delete_current_row(self) -> bool:
        position = self.currentRow()
        if position < 0:
            return False
        self.removeRow(position)
        if self.rowCount():
            self.setCurrentCell(min(position, self.rowCount() - 1), TEXT)
        self.changed.emit()
        return True

    # -- keys --------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Insert:
            self.add_row()
            return
        if key == Qt.Key.Key_Delete and mods & Qt.KeyboardModifier.ControlModifier:
            self.delete_current_row()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.state() == QAbstractItemView.State.EditingState
        ):
            event.accept()  # the cell editor has committed: do not press Save too
            return
        super().keyPressEvent(event)
