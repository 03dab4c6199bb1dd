"""A date typed as text (31/12/2024, 2024-12-31, 9 Sep 2026, "today"), optional, with a calendar.

A ``QDateEdit`` cannot be empty and makes people fight its sections; most dates
in this app are optional (follow-up, end of an affiliation) and are typed by
people who know them. Text in, a plain-words problem out when it is not a date.
Keys: "t" or "today" for today, empty for no date, Alt+Down or F4 for the calendar.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vru_crm import validation
from vru_crm.london import today_in_london

DISPLAY_FORMAT = "%d/%m/%Y"
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_WORDS = {"t": 0, "today": 0, "y": -1, "yesterday": -1, "tomorrow": 1}


def parse_date(text: str, today: date | None = None) -> date | None:
    """The date in ``text``; None when empty. Raises ValueError with a message in words."""
    text = text.strip().lower()
    if not text:
        return None
    today = today or today_in_london()
    if text in _WORDS:
        return today + timedelta(days=_WORDS[text])
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    uk = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text)
    # As the lists show dates ("9 Sep 2026", "9 September 2026"), so one can be pasted in.
    words = re.fullmatch(r"(?:[a-z]{3,9},? )?(\d{1,2}) ([a-z]{3,9})\.? (\d{4})", text)
    try:
        if words and words[2][:3] in _MONTHS:
            parsed = date(int(words[3]), _MONTHS.index(words[2][:3]) + 1, int(words[1]))
        elif iso:
            parsed = date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif uk:
            year = int(uk[3]) + (2000 if len(uk[3]) == 2 else 0)
            parsed = date(year, int(uk[2]), int(uk[1]))
        else:
            raise ValueError(f"'{text}' is not a date: type it as day/month/year, e.g. 31/12/2024")
    except ValueError as error:
        if "not a date" in str(error):
            raise
        raise ValueError(f"'{text}' is not a real date (check the day and the month)") from None
    return validation.parse_date(parsed)  # the same year range as imports


def format_date(value: date | None) -> str:
    return value.strftime(DISPLAY_FORMAT) if value else ""


class DateField(QWidget):
    """An optional date: ``value()`` is a date or None, ``problem()`` says why text is not one."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        default_today: bool = False,
        accessible_name: str = "Date",
    ) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("dd/mm/yyyy")
        self.edit.setAccessibleName(accessible_name)
        self.edit.setToolTip(
            "Type a date (31/12/2024), 't' for today; leave empty for none. F4: calendar."
        )
        self.edit.textChanged.connect(self.changed)
        self.edit.editingFinished.connect(self._normalise)
        self._calendar_button = QToolButton(self)
        self._calendar_button.setText("▾")
        self._calendar_button.setToolTip("Choose from a calendar (F4)")
        self._calendar_button.setAccessibleName(f"{accessible_name}: calendar")
        self._calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._calendar_button.clicked.connect(self.open_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self._calendar_button)
        self.setFocusProxy(self.edit)
        # A label's mnemonic (Alt+letter) focuses only a widget that takes focus; Tab skips
        # a proxied widget, so this adds no stop of its own.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.edit.installEventFilter(self)
        if default_today:
            self.set_value(today_in_london())

    # -- value ---------------------------------------------------------------
    def value(self) -> date | None:
        """The date, or None when empty or not a date (see ``problem``)."""
        try:
            return parse_date(self.edit.text())
        except ValueError:
            return None

    def problem(self) -> str:
        try:
            parse_date(self.edit.text())
        except ValueError as error:
            return str(error)
        return ""

    def set_value(self, value: date | None) -> None:
        self.edit.setText(format_date(value))

    def clear(self) -> None:
        self.edit.clear()

    def text(self) -> str:
        return self.edit.text()

    def _normalise(self) -> None:
        """Show "t" or "2024-1-5" as 05/01/2024 once the user leaves the field."""
        value = self.value()
        if value is not None and self.edit.text() != format_date(value):
            self.edit.setText(format_date(value))

    # -- calendar ------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        from PySide6.QtCore import QEvent

        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            alt_down = (
                event.key() == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)

    def open_calendar(self) -> None:
        popup = _CalendarPopup(self.value() or today_in_london(), self)
        popup.picked.connect(self._picked)
        popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        popup.show()
        popup.calendar.setFocus()

    def _picked(self, value: date) -> None:
        self.set_value(value)
        self.edit.setFocus()


class _CalendarPopup(QWidget):
    """A calendar in a popup window: Enter picks the day, Esc closes."""

    picked = Signal(object)

    def __init__(self, current: date, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName("Calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.calendar.activated.connect(self._choose)
        self.calendar.clicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)

    def _choose(self, qdate: QDate) -> None:
        self.picked.emit(date(qdate.year(), qdate.month(), qdate.day()))
        self.close()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.matches(QKeySequence.StandardKey.Cancel):
            self.close()
            return
        super().keyPressEvent(event)
