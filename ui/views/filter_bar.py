"""The filter bar above a list: free text, sector, borough, network, objective, dates, kind, status.

It shows only the filters its list understands (``ListQuery.filter_fields``)
and emits ``changed(Filters)``; typing is debounced so a query runs when the
user pauses, not on every key.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.style import themed_icon
from vru_crm.queries.choices import FilterChoices
from vru_crm.queries.common import Choice, Filters, ListQuery

TEXT_DEBOUNCE_MS = 250
NO_DATE = QDate(1900, 1, 1)


class DateFilter(QDateEdit):
    """A date field where Tab leaves the field (Left/Right still move between day, month, year)."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt names
        return QWidget.focusNextPrevChild(self, next)


class FilterBar(QWidget):
    changed = Signal(object)  # Filters

    def __init__(
        self, query_class: type[ListQuery], noun: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._fields = query_class.filter_fields
        self._query_class = query_class
        self._combos: dict[str, QComboBox] = {}
        self._dates: dict[str, QDateEdit] = {}
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(f"Filter {noun}…")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName(f"Filter {noun} by text")
        self.text.setMinimumWidth(120)
        self._timer = QTimer(self, singleShot=True, interval=TEXT_DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.text.textChanged.connect(self._timer.start)
        for field, label in (
            ("sector", "Any sector"),
            ("borough_id", "Any borough"),
            ("network_id", "Any network"),
            ("objective_id", "Any objective"),
            ("kind", "Any kind"),
            ("status", "Any status"),
        ):
            if field in self._fields:
                self._combo(field, label)
        for field, label in (("date_from", "From"), ("date_to", "To")):
            if field in self._fields:
                self._date(field, label)
        self.clear_button = QToolButton(self)
        themed_icon(self.clear_button, "clear")
        self.clear_button.setToolTip("Clear all filters")
        self.clear_button.setAccessibleName("Clear all filters")
        self.clear_button.clicked.connect(self.clear)
        self._arrange()
        if "kind" in self._combos:
            self._fill("kind", list(query_class.kinds))
        if "status" in self._combos:
            self._fill("status", list(query_class.statuses))

    def _arrange(self) -> None:
        """One row when it fits; a long bar (the engagement log) wraps onto a second row."""
        controls: list[QWidget] = [*self._combos.values(), *self._dates.values()]
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.text, 2)
        split = len(controls) if len(controls) <= 5 else 4
        for widget in controls[:split]:
            first.addWidget(widget, 1)
        for widget in controls[split:]:
            second.addWidget(widget, 1)
        target = second if controls[split:] else first
        if controls[split:]:
            second.addStretch(1)
        target.addWidget(self.clear_button)
        rows.addLayout(first)
        if controls[split:]:
            rows.addLayout(second)

    def _combo(self, field: str, any_label: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(any_label, None)
        combo.setAccessibleName(any_label.replace("Any ", "Filter by "))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(5)
        combo.currentIndexChanged.connect(self._emit)
        self._combos[field] = combo
        return combo

    def _date(self, field: str, label: str) -> QDateEdit:
        edit = DateFilter(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(f"{label}: any date")
        edit.setDate(NO_DATE)
        edit.setAccessibleName(f"{label} date")
        edit.setToolTip(f"{label} this date (the lowest value means any date)")
        edit.dateChanged.connect(self._emit)
        self._dates[field] = edit
        return edit

    def set_choices(self, choices: FilterChoices) -> None:
        """Fill the drop-downs from the database (keeps the current selection when still there)."""
        for field, entries in (
            ("sector", choices.sectors),
            ("borough_id", choices.boroughs),
            ("network_id", choices.networks),
            ("objective_id", choices.objectives),
        ):
            if field in self._combos:
                self._fill(field, entries)

    def _fill(self, field: str, entries: list[Choice]) -> None:
        combo = self._combos[field]
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for entry in entries:
            combo.addItem(entry.label, entry.value)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def select(self, field: str, value: str | None) -> None:
        """Choose a value in one drop-down (used by tests and by links such as "this borough")."""
        combo = self._combos[field]
        combo.setCurrentIndex(max(combo.findData(value), 0))

    def set_date(self, field: str, value: date | None) -> None:
        self._dates[field].setDate(QDate(value.year, value.month, value.day) if value else NO_DATE)

    def filters(self) -> Filters:
        values: dict[str, object] = {"text": self.text.text().strip()}
        for field, combo in self._combos.items():
            data = combo.currentData()
            values[field] = int(data) if data is not None and field.endswith("_id") else data
        for field, edit in self._dates.items():
            values[field] = None if edit.date() == NO_DATE else edit.date().toPython()
        return Filters(**values)  # type: ignore[arg-type]

    def clear(self) -> None:
        for widget in (self.text, *self._combos.values(), *self._dates.values()):
            widget.blockSignals(True)
        self.text.clear()
        for combo in self._combos.values():
            combo.setCurrentIndex(0)
        for edit in self._dates.values():
            edit.setDate(NO_DATE)
        for widget in (self.text, *self._combos.values(), *self._dates.values()):
            widget.blockSignals(False)
        self._emit()

    def focus_order(self) -> list[QWidget]:
        """The controls left to right, for the page's tab order."""
        return [self.text, *self._combos.values(), *self._dates.values(), self.clear_button]

    def _emit(self) -> None:
        self._timer.stop()
        self.changed.emit(self.filters())

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._emit()  # Enter in the text field applies at once
            return
        super().keyPressEvent(event)
