"""The dashboard's global period filter: a unit (week, month, quarter, year) and a range.

Every chart on the page follows it. It emits ``changed(PeriodFilter)`` once
per user change, after the range is put right (the end is never before the
start).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from vru_crm.reports.period import UNIT_LABELS, UNITS, Period, PeriodFilter

# How far back each unit's lists reach.
HISTORY = {"week": 156, "month": 120, "quarter": 48, "year": 15}


class PeriodSelector(QWidget):
    changed = Signal(object)  # PeriodFilter

    def __init__(
        self, today: date, initial: PeriodFilter | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.today = today
        self.unit = QComboBox()
        for unit in UNITS:
            self.unit.addItem(UNIT_LABELS[unit], unit)
        self.first, self.last = QComboBox(), QComboBox()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget in (("Period", self.unit), ("from", self.first), ("to", self.last)):
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        self._quiet = False
        self.set_filter(initial or PeriodFilter.recent("quarter", 4, today))
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.first.currentIndexChanged.connect(self._range_changed)
        self.last.currentIndexChanged.connect(self._range_changed)

    def _fill(self, unit: str) -> None:
        latest = Period.containing(unit, self.today)  # type: ignore[arg-type]
        periods = [latest.shift(-i) for i in range(HISTORY[unit])][::-1]
        for box in (self.first, self.last):
            box.clear()
            for p in periods:
                box.addItem(p.label, p)

    def set_filter(self, period: PeriodFilter) -> None:
        self._quiet = True
        try:
            self.unit.setCurrentIndex(UNITS.index(period.unit))
            self._fill(period.unit)
            self._select(self.first, period.first)
            self._select(self.last, period.last)
        finally:
            self._quiet = False

    @staticmethod
    def _select(box: QComboBox, period: Period) -> None:
        for i in range(box.count()):
            if box.itemData(i) == period:
                box.setCurrentIndex(i)
                return
        box.insertItem(0, period.label, period)
        box.setCurrentIndex(0)

    def current(self) -> PeriodFilter:
        first, last = self.first.currentData(), self.last.currentData()
        return PeriodFilter(min(first, last), max(first, last))

    def _unit_changed(self) -> None:
        if self._quiet:
            return
        unit = self.unit.currentData()
        count = {"week": 12, "month": 12, "quarter": 4, "year": 3}[unit]
        self.set_filter(PeriodFilter.recent(unit, count, self.today))
        self.changed.emit(self.current())

    def _range_changed(self) -> None:
        if not self._quiet:
            self.changed.emit(self.current())
