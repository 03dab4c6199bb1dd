"""Periods of time the figures are counted over: a week, month, quarter or year.

Every chart on the dashboard and every table in a report follows one
``PeriodFilter`` (a unit and a first and last period), so that the same
choice gives the same numbers everywhere. Weeks are ISO weeks (Monday to
Sunday), as the VRU's weekly returns count them; quarters are calendar
quarters ("2020Q4" is October to December 2020), as the PRG papers use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Unit = Literal["week", "month", "quarter", "year"]
UNITS: tuple[Unit, ...] = ("week", "month", "quarter", "year")
UNIT_LABELS: dict[str, str] = {
    "week": "Week",
    "month": "Month",
    "quarter": "Quarter",
    "year": "Year",
}

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PATTERNS: list[tuple[Unit, re.Pattern[str]]] = [
    ("quarter", re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)),
    ("week", re.compile(r"^(\d{4})\s*-?\s*W(\d{1,2})$", re.IGNORECASE)),
    ("month", re.compile(r"^(\d{4})-(\d{1,2})$")),
    ("year", re.compile(r"^(\d{4})$")),
]


def _start_of(unit: Unit, day: date) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """One calendar week, month, quarter or year, known by its first day."""

    unit: Unit
    start: date

    @classmethod
    def containing(cls, unit: Unit, day: date) -> Period:
        if unit not in UNITS:
            raise ValueError(f"unknown period unit {unit!r}; use one of {', '.join(UNITS)}")
        return cls(unit, _start_of(unit, day))

    @classmethod
    def parse(cls, text: str) -> Period:
        """ "2020Q4", "2020-W45", "2020-11" or "2020"; ValueError with a plain message otherwise."""
        value = text.strip()
        for unit, pattern in _PATTERNS:
            match = pattern.match(value)
            if match:
                return cls._from_parts(unit, [int(g) for g in match.groups()], text)
        raise ValueError(
            f"{text!r} is not a period: write a quarter as 2020Q4, a month as 2020-11, "
            "a week as 2020-W45 or a year as 2020"
        )

    @classmethod
    def _from_parts(cls, unit: Unit, parts: list[int], text: str) -> Period:
        year = parts[0]
        if unit == "quarter":
            return cls(unit, date(year, 3 * parts[1] - 2, 1))
        if unit == "month":
            if not 1 <= parts[1] <= 12:
                raise ValueError(f"{text!r}: a month is 01 to 12")
            return cls(unit, date(year, parts[1], 1))
        if unit == "week":
            try:
                return cls(unit, date.fromisocalendar(year, parts[1], 1))
            except ValueError:
                raise ValueError(f"{text!r}: {year} has no week {parts[1]}") from None
        return cls(unit, date(year, 1, 1))

    @property
    def end(self) -> date:
        """The last day (inclusive)."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def shift(self, count: int) -> Period:
        if self.unit == "week":
            return Period("week", self.start + timedelta(weeks=count))
        months = {"month": 1, "quarter": 3, "year": 12}[self.unit]
        return Period(self.unit, _add_months(self.start, months * count))

    @property
    def code(self) -> str:
        """The short form ``parse`` reads back: 2020Q4, 2020-11, 2020-W45, 2020."""
        if self.unit == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.unit == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.unit == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """Words for a title: "2020 Q4 (Oct-Dec 2020)", "Nov 2020", "w/c 2 Nov 2020"."""
        if self.unit == "quarter":
            first, last = _MONTHS[self.start.month - 1], _MONTHS[self.end.month - 1]
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1} ({first}-{last} {self.start.year})"
        if self.unit == "month":
            return f"{_MONTHS[self.start.month - 1]} {self.start.year}"
        if self.unit == "week":
            return f"w/c {self.start.day} {_MONTHS[self.start.month - 1]} {self.start.year}"
        return str(self.start.year)

    @property
    def short_label(self) -> str:
        """Words for a chart axis: "Q4 20", "Nov 20", "2 Nov", "2020"."""
        yy = f"{self.start.year % 100:02d}"
        if self.unit == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {yy}"
        if self.unit == "month":
            return f"{_MONTHS[self.start.month - 1]} {yy}"
        if self.unit == "week":
            return f"{self.start.day} {_MONTHS[self.start.month - 1]} {yy}"
        return str(self.start.year)

    def __str__(self) -> str:
        return self.code


def periods_between(first: Period, last: Period) -> list[Period]:
    """``first`` to ``last`` inclusive, in order (empty when last is before first)."""
    out: list[Period] = []
    current = Period.containing(first.unit, first.start)
    while current.start <= last.start:
        out.append(current)
        current = current.next()
    return out


# The finer unit a chart splits one period into ("the quarter, month by month").
FINER: dict[str, Unit] = {"year": "month", "quarter": "month", "month": "week", "week": "week"}


@dataclass(frozen=True)
class PeriodFilter:
    """The global period filter: a unit and a range of periods, first to last inclusive.

    The dashboard's selector makes one; the quarterly report uses one quarter.
    Every figure counts what happened between ``start`` and ``end`` (inclusive
    London calendar dates).
    """

    first: Period
    last: Period

    def __post_init__(self) -> None:
        if self.first.unit != self.last.unit:
            raise ValueError("the first and last periods must be of the same unit")
        if self.last < self.first:
            raise ValueError(f"the period range ends ({self.last}) before it starts ({self.first})")

    @classmethod
    def single(cls, period: Period) -> PeriodFilter:
        return cls(period, period)

    @classmethod
    def parse(cls, text: str) -> PeriodFilter:
        """ "2020Q4" or a range "2020Q1..2020Q4"."""
        first, _, last = text.partition("..")
        start = Period.parse(first)
        return cls(start, Period.parse(last) if last else start)

    @classmethod
    def recent(cls, unit: Unit, count: int, today: date) -> PeriodFilter:
        """The last ``count`` periods of ``unit`` up to and including today's."""
        last = Period.containing(unit, today)
        return cls(last.shift(-(count - 1)), last)

    @property
    def unit(self) -> Unit:
        return self.first.unit

    @property
    def start(self) -> date:
        return self.first.start

    @property
    def end(self) -> date:
        return self.last.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def periods(self) -> list[Period]:
        return periods_between(self.first, self.last)

    def buckets(self, unit: Unit | None = None) -> list[Period]:
        """The periods of ``unit`` a chart over time shows (default: a finer unit for one period)."""
        chosen = unit or (FINER[self.unit] if self.first == self.last else self.unit)
        return periods_between(
            Period.containing(chosen, self.start), Period.containing(chosen, self.end)
        )

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.label
        return f"{self.first.label} to {self.last.label}"

    @property
    def code(self) -> str:
        return (
            self.first.code if self.first == self.last else f"{self.first.code}..{self.last.code}"
        )
