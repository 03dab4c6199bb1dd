"""A person's affiliations: organisation, role, from, to, edited in a small table.

Add one by typing an organisation's name above the table; role and dates are
typed in the cells (dates as 31/12/2024); Delete removes the selected row.
``problem()`` names the first row with a bad date or an end before its start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.widgets.date_field import format_date, parse_date
from ui.dialogs.widgets.picker import MultiPicker

ORG, ROLE, START, END = range(4)
ROW_ID = Qt.ItemDataRole.UserRole + 1
ORG_ID = Qt.ItemDataRole.UserRole + 2


class _Table(QTableWidget):
    remove_requested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if (
            event.key() == Qt.Key.Key_Delete
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class AffiliationsEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.adder = MultiPicker(
            self, accessible_name="Add an affiliation", placeholder="Type an organisation to add…"
        )
        self.adder.changed.connect(self._take_from_adder)
        self.table = _Table(0, 4, self)
        self.table.setAccessibleName("Affiliations")
        self.table.setHorizontalHeaderLabels(["Organisation", "Role", "From", "To"])
        self.table.horizontalHeader().setSectionResizeMode(ORG, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in the rest of the form
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setToolTip("F2 or type to edit a cell; Delete removes the selected affiliation.")
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.table.remove_requested.connect(self.remove_selected)
        self.table.setFixedHeight(130)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.adder)
        layout.addWidget(self.table)
        self.setFocusProxy(self.adder)
        # A label's mnemonic (Alt+letter) focuses only a widget that takes focus; Tab skips
        # a proxied widget, so this adds no stop of its own.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def focus_chain(self) -> list[QWidget]:
        """Its Tab stops in order, for the form's chain: the box to add one, then the table."""
        return [self.adder.edit, self.table]

    def set_search(self, search: Callable[[str], Sequence[tuple[int, str]]]) -> None:
        self.adder.set_search(search)

    def _take_from_adder(self) -> None:
        chosen = self.adder.selected()
        if not chosen:
            return
        self.adder.blockSignals(True)
        self.adder.clear()
        self.adder.blockSignals(False)
        for organisation_id, name in chosen:
            self.add_row(organisation_id, name)
        self.table.setCurrentCell(self.table.rowCount() - 1, ROLE)

    def add_row(self, organisation_id, name, role="", start=None, end=None, row_id=None) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        org = QTableWidgetItem(name)
        org.setFlags(org.flags() & ~Qt.ItemFlag.ItemIsEditable)
        org.setData(ORG_ID, organisation_id)
        org.setData(ROW_ID, row_id)
        self.table.setItem(row, ORG, org)
        for column, text in (
            (ROLE, role or ""),
            (START, format_date(start)),
            (END, format_date(end)),
        ):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self.changed.emit()

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.changed.emit()

    def set_rows(self, rows) -> None:
        """``rows``: AffiliationRow-like objects (organisation_id, organisation_name, role, dates, id)."""
        self.table.setRowCount(0)
        for r in rows:
            self.add_row(
                r.organisation_id, r.organisation_name, r.role, r.start_date, r.end_date, r.id
            )

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def values(self) -> tuple:
        """Plain tuples of what the table shows (for change tracking)."""
        return tuple(
            (
                self.table.item(r, ORG).data(ORG_ID),
                self.table.item(r, ORG).text(),
                *(self._cell(r, c) for c in (ROLE, START, END)),
                self.table.item(r, ORG).data(ROW_ID),
            )
            for r in range(self.table.rowCount())
        )

    def set_values(self, values: tuple) -> None:
        """Show rows given as ``values()`` returns them (dates as typed, even if not dates)."""
        self.table.setRowCount(0)
        for organisation_id, name, role, start, end, row_id in values:
            self.add_row(organisation_id, name, role, None, None, row_id)
            row = self.table.rowCount() - 1
            self.table.blockSignals(True)
            self.table.item(row, START).setText(start)
            self.table.item(row, END).setText(end)
            self.table.blockSignals(False)
        self.changed.emit()

    def problem(self) -> str:
        for r in range(self.table.rowCount()):
            name = self._cell(r, ORG)
            try:
                start, end = parse_date(self._cell(r, START)), parse_date(self._cell(r, END))
            except ValueError as error:
                return f"{name}: {error}"
            if start and end and end < start:
                return f"{name}: the end date is before the start date"
            if len(self._cell(r, ROLE)) > 200:
                return f"{name}: the role is too long (at most 200 characters)"
        return ""

    def rows(self):
        """The affiliations as ``AffiliationRow``s (call only when ``problem()`` is empty)."""
        from vru_crm.services.affiliations import AffiliationRow

        result = []
        for r in range(self.table.rowCount()):
            org = self.table.item(r, ORG)
            result.append(
                AffiliationRow(
                    organisation_id=org.data(ORG_ID),
                    organisation_name=org.text(),
                    role=self._cell(r, ROLE) or None,
                    start_date=parse_date(self._cell(r, START)),
                    end_date=parse_date(self._cell(r, END)),
                    id=org.data(ROW_ID),
                )
            )
        return result
