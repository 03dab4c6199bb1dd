"""Repeating events (RRULE, RDATE, EXDATE, RECURRENCE-ID) as single dated occurrences.

The rules themselves are expanded by the ``recurring-ical-events`` library, which
honours every part of RFC 5545 that Outlook, Google and Thunderbird write
(ordinal days such as BYDAY=2TU, exclusions, moved and cancelled occurrences,
time zones across the clock changes, X-WR-TIMEZONE). This module only decides
*which* occurrences become meetings and how each one is named:

- The window runs from the series' start (or ``Window.since``) up to a horizon,
  18 months after today: a series with no end would otherwise fill the CRM with
  meetings decades ahead. Within the window at most ``Window.limit`` dates are
  kept, the latest ones (recent and coming meetings matter more than a
  weekly series' first years); a rule that repeats thousands of times before the
  horizon, or within a day (FREQ=HOURLY by mistake), is refused as an error.
- Each occurrence's UID is the series UID and the occurrence's original start in
  UTC (``UID/20250312T100000Z``, or ``UID/20250312`` for all-day dates), so a
  re-import finds the same meeting again, and a moved occurrence (RECURRENCE-ID)
  keeps the UID of the slot it was moved from.
- A change to "this and future" dates (RECURRENCE-ID;RANGE=THISANDFUTURE) moves
  every later date by as much as it moved its own: each of those dates keeps the
  UID of its own slot (the library hands them all the change's RECURRENCE-ID,
  which once made 184 dates claim one UID).
- A series written without its main event, as only such a change carrying the
  list of all its dates (RDATE), is how Lotus Notes writes a meeting on several
  dates: that change is read as the series itself, so every date comes in, not
  only the first.
"""

from __future__ import annotations

import copy
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from vru_crm.london import LONDON, today_in_london

if TYPE_CHECKING:
    from collections.abc import Iterator

    from icalendar import Calendar, Component

HORIZON_MONTHS = 18
MAX_PER_SERIES = 400  # "a few hundred": eight years of a weekly series
MAX_EXPANDED = 5000  # more dates than this before the horizon is not a meeting series
SLOT_FORMATS = ("%Y%m%dT%H%M%SZ", "%Y%m%d")
_SUB_DAILY = ("HOURLY", "MINUTELY", "SECONDLY")
_WITHIN_A_DAY = ("BYHOUR", "BYMINUTE", "BYSECOND")
# The calendar properties that change how the library reads the events' times.
_CALENDAR_PROPERTIES = ("CALSCALE", "X-WR-TIMEZONE")
# Marks the dates of a change read as its own series (Lotus Notes), with the slot it moved from.
_LONE_CHANGE = "X-VRU-CRM-CHANGE-OF"


class SeriesProblem(ValueError):
    """A repeating event that cannot be expanded; the message is in plain words."""


@dataclass(frozen=True)
class Window:
    """Which occurrences of a repeating event are imported.

    ``since`` None means from each series' start; ``today`` None means today in
    London (tests and callers who need a fixed horizon pass it).
    """

    since: date | None = None
    today: date | None = None
    months: int = HORIZON_MONTHS
    limit: int = MAX_PER_SERIES

    def start(self) -> datetime | None:
        return datetime.combine(self.since, time.min, LONDON) if self.since else None

    def horizon(self) -> datetime:
        """The first London midnight not imported (exclusive end of the window)."""
        day = (self.today or today_in_london()) + relativedelta(months=self.months)
        return datetime.combine(day, time.min, LONDON)


@dataclass
class Expansion:
    """A series' occurrences in the window, and how much of the window they cover."""

    occurrences: list[Component]
    covered_from: datetime | None  # original starts before this were not looked at
    horizon: datetime  # the end of the window
    covered_until: datetime  # original starts from this on were not looked at
    note: str | None = None  # why dates were left out (horizon, limit), in plain words
    # a THISANDFUTURE change's slot -> the dates it moved
    moved: Counter[datetime] = field(default_factory=Counter)
    lone_change: bool = False  # no main event: a change with its own dates was read as the series


def instant(moment: datetime | date) -> datetime:
    """A DTSTART/RECURRENCE-ID value as an aware datetime: a date is London midnight,
    a floating time is London time."""
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time.min, LONDON)
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def moment(component: Component, name: str) -> datetime | date:
    """A DTSTART or RECURRENCE-ID value as icalendar read it: a day, or a day and a time.

    Anything else there (a period, a duration, the property twice) is not when a meeting is.
    """
    value = getattr(component.get(name), "dt", None)
    if not isinstance(value, date):  # a datetime is a date too
        raise SeriesProblem(f"its {name} is not a date or a time")
    return value


def original_start(component: Component) -> datetime | date:
    """The slot an occurrence belongs to: its RECURRENCE-ID, or its start if not moved."""
    return moment(component, "RECURRENCE-ID" if component.get("recurrence-id") else "DTSTART")


def occurrence_uid(uid: str, slot: datetime | date) -> str:
    """``UID/20250312T100000Z`` (UTC) for a timed slot, ``UID/20250312`` for a day."""
    if isinstance(slot, datetime):
        return f"{uid}/{instant(slot).astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{uid}/{slot:%Y%m%d}"


def slot_of(meeting_uid: str, series_uid: str) -> datetime | None:
    """The original start encoded in a meeting's UID if it is a date of this series."""
    prefix = series_uid + "/"
    if not meeting_uid.startswith(prefix):
        return None
    suffix = meeting_uid[len(prefix) :]
    for pattern in SLOT_FORMATS:
        try:
            found = datetime.strptime(suffix, pattern)
        except ValueError:
            continue
        return found.replace(tzinfo=UTC) if "T" in suffix else instant(found.date())
    return None


def this_and_future(component: Component) -> bool:
    """Whether the component changes its date and every later one (RANGE=THISANDFUTURE)."""
    recurrence = component.get("recurrence-id")
    if recurrence is None or isinstance(recurrence, list):
        return False
    return str(recurrence.params.get("RANGE", "")).upper() == "THISANDFUTURE"


def _shift(component: Component) -> timedelta:
    """How far a change moved its own date (DTSTART less RECURRENCE-ID)."""
    return instant(moment(component, "DTSTART")) - instant(moment(component, "RECURRENCE-ID"))


def _lone_change_as_series(components: list[Component]) -> tuple[list[Component], bool]:
    """A series with no main event whose change to "this and future" dates lists the dates
    (RDATE or RRULE), as Lotus Notes writes one: that change becomes the main event."""
    if any(c.get("recurrence-id") is None for c in components):
        return components, False
    for change in components:
        if this_and_future(change) and (change.get("rdate") or change.get("rrule")):
            master = copy.copy(change)  # the file's own event stays as it was read
            del master["RECURRENCE-ID"]
            master.add(_LONE_CHANGE, str(_shift(change).total_seconds()))
            return [master, *(c for c in components if c is not change)], True
    return components, False


def _own_slot(occurrence: Component, shifts: dict[datetime, timedelta]) -> datetime | None:
    """Give a date moved by a "this and future" change the RECURRENCE-ID of its own slot.

    Returns the change's slot when the date was moved by one (None otherwise).
    """
    if (seconds := occurrence.get(_LONE_CHANGE)) is not None:
        del occurrence[_LONE_CHANGE]
        change, shift = None, timedelta(seconds=float(seconds))
    elif this_and_future(occurrence):
        change = instant(moment(occurrence, "RECURRENCE-ID"))
        if (found := shifts.get(change)) is None:
            return None
        shift = found
    else:
        return None
    start = moment(occurrence, "DTSTART")
    if isinstance(start, datetime):
        slot: datetime | date = (instant(start) - shift).astimezone(UTC)
    else:
        slot = start - timedelta(days=shift.days)
    occurrence.pop("RECURRENCE-ID", None)
    occurrence.add("RECURRENCE-ID", slot)
    return change


def is_repeating(components: list[Component]) -> bool:
    """Whether these events (one UID) are a series rather than one meeting."""
    names = ("rrule", "rdate", "recurrence-id")
    return any(c.get(name) is not None for c in components for name in names)


def _calendar_of(components: list[Component], source: Calendar) -> Calendar:
    """One series alone in a calendar, with the source's time-zone settings."""
    from icalendar import Calendar

    calendar = Calendar()
    for name in _CALENDAR_PROPERTIES:
        if source.get(name) is not None:
            calendar[name] = source[name]
    for component in components:
        calendar.add_component(component)
    return calendar


def _occurrences(
    components: list[Component], source: Calendar, start: datetime | None
) -> Iterator[Component]:
    """The library's occurrences in start order, its errors turned into a SeriesProblem."""
    import recurring_ical_events

    try:
        query = recurring_ical_events.of(_calendar_of(components, source))
        yield from query.after(start or datetime(1900, 1, 1))
    except (ValueError, TypeError) as error:  # the library's and icalendar's errors
        raise SeriesProblem(f"its repeat rule could not be worked out ({error})") from error


def _more_than_daily(components: list[Component]) -> str | None:
    """A rule that repeats within a day (FREQ=MINUTELY by mistake), in the file's words.

    Refused before expanding: the library finds such dates one short span at a time,
    and thousands of them take minutes; no meeting series repeats within a day.
    """
    for component in components:
        rules = component.get("rrule") or []
        for rule in rules if isinstance(rules, list) else [rules]:
            frequency = (rule.get("FREQ") or [""])[0].upper()
            several = any(len(rule.get(part) or []) > 1 for part in _WITHIN_A_DAY)
            if frequency in _SUB_DAILY or several:
                written: bytes = rule.to_ical()
                return written.decode("ascii", "replace")
    return None


def expand(components: list[Component], source: Calendar, window: Window) -> Expansion:
    """The occurrences of one series (its master event and overrides) in the window."""
    if (rule := _more_than_daily(components)) is not None:
        raise SeriesProblem(
            f"it repeats more than once a day ({rule}), far too often for meetings; "
            "check its repeat rule"
        )
    components, lone_change = _lone_change_as_series(components)
    shifts = {
        instant(moment(c, "RECURRENCE-ID")): _shift(c) for c in components if this_and_future(c)
    }
    start, horizon = window.start(), window.horizon()
    kept: deque[Component] = deque(maxlen=window.limit)
    seen, until, moved = 0, None, Counter[datetime]()
    for occurrence in _occurrences(components, source, start):
        change = _own_slot(occurrence, shifts)
        if instant(moment(occurrence, "DTSTART")) >= horizon:
            # a date moved past the horizon from before it ends what was looked at there
            until = min(horizon, instant(original_start(occurrence)))
            break
        if start is not None and instant(original_start(occurrence)) < start:
            continue
        seen += 1
        if seen > MAX_EXPANDED:
            raise SeriesProblem(
                f"it repeats more than {MAX_EXPANDED:,} times before "
                f"{horizon:%d/%m/%Y}, far too often for meetings; check its repeat rule"
            )
        kept.append(occurrence)
        if change is not None:
            moved[change] += 1
    expansion = _expansion(list(kept), seen, until, start, horizon, window)
    expansion.moved, expansion.lone_change = moved, lone_change
    return expansion


def _expansion(
    kept: list[Component],
    seen: int,
    until: datetime | None,
    start: datetime | None,
    horizon: datetime,
    window: Window,
) -> Expansion:
    """What was kept, the part of the window it speaks for, and a note if dates were left out.

    ``until`` is where the dates beyond the horizon begin, None if the series ends before.
    """
    expansion = Expansion(kept, start, horizon, until or horizon)
    notes = []
    if seen > len(kept):
        expansion.covered_from = min(instant(original_start(c)) for c in kept)
        notes.append(
            f"only its last {len(kept)} dates (from {expansion.covered_from:%d/%m/%Y}) were "
            f"imported; the {seen - len(kept)} earlier ones were not"
        )
    if until is not None:
        notes.append(
            f"it repeats beyond {horizon:%d/%m/%Y} ({window.months} months ahead); "
            "the later dates were not imported (import the file again nearer the time)"
        )
    expansion.note = "; ".join(notes) or None
    return expansion
