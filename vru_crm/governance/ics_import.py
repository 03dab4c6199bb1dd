"""Reading an .ics file into meetings, matched by UID so a re-import updates.

All or nothing by default: every event is checked first and each problem is
reported with the event's number, title and UID; if there is any, nothing is
written. With ``skip_invalid`` (``import-ics --skip-invalid``, as the other
imports have) the good events are imported and the others reported. What a
calendar program would take is taken either way (``ics_events``): an event
without a title is "(no title)", one without a UID gets one made from its content,
a URL that is not a web address is left out with a note. No input ends in a
traceback: a line that cannot be read, a start written twice, a time zone the
reader has to guess are each said in words, once, in the report.

Times are stored in UTC, and compared in UTC: an aware time in the repeated
autumn hour (01:30 on 27 October 2024 in London) never equals the same instant
in another zone in Python (PEP 495), which once made an unchanged file "change"
and raise SEQUENCE on every import. A floating time (no zone) is read in the
file's X-WR-TIMEZONE, as Google means it, for a one-off event as for a series;
London when the file names none.

Files from Outlook, Google and Thunderbird nearly always hold repeating events
(a network's monthly forum, a steering group every six weeks):

- A repeating event becomes one meeting per date (``ics_series`` expands it, up
  to a horizon 18 months ahead). Each date's UID is the series UID and the date's
  original start, so a re-import updates those meetings; a moved date updates
  the meeting of its original slot; a date cancelled in the calendar (STATUS:
  CANCELLED, or an EXDATE added later) cancels its meeting here, never deletes
  it, and is not added if there was no meeting to cancel.
- Our own export's cadence series (X-VRU-CRM-KIND:cadence) are expected dates,
  not meetings: they are skipped, as before.
- An all-day event becomes a meeting lasting its whole day(s) in London time
  (00:00 on DTSTART's date to 00:00 on DTEND's date, or the next day when there
  is no DTEND). Networks put away days, conferences and forums that run all day
  in their calendars as all-day events; refusing them (as this import once did)
  made a whole file fail, and skipping them would lose real meetings silently.
  Whole days keep them on the right London day in every list and calendar. The
  report says how many came in so, so the Director can cancel any that are only
  reminders (a bank holiday, "papers due").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from db.enums import MeetingStatus
from db.models import Meeting, Network
from db.session import Database
from vru_crm.errors import UserError
from vru_crm.governance.common import find_network, url_problem
from vru_crm.governance.ics import SERIES_KIND
from vru_crm.governance.ics_events import (
    DERIVED_UID_SUFFIX,
    NO_TITLE,
    derived_uid,
    first,
    guessed_zones,
    unsplit_lines,
    warnings_as_notes,
    written_twice,
)
from vru_crm.governance.ics_report import EventProblem, IcsImportError, ImportReport
from vru_crm.governance.ics_series import (
    Expansion,
    SeriesProblem,
    Window,
    expand,
    instant,
    is_repeating,
    moment,
    occurrence_uid,
    original_start,
    slot_of,
    this_and_future,
)
from vru_crm.governance.meetings import apply_changes, meeting_problems, web_address
from vru_crm.london import LONDON
from vru_crm.validation import year_problem

if TYPE_CHECKING:
    from icalendar import Calendar, Component

MAX_BYTES = 20 * 1024 * 1024
MAX_LENGTH = timedelta(days=366)  # the longest a meeting (an all-day event) may last
MAX_SEQUENCE = 2**31 - 1  # what the meeting table's integer holds on both databases
MAX_UID = 200
SLOT_SUFFIX = len("/20250312T100000Z")
# Properties whose value the import reads as a time or a rule: unreadable means a problem.
READ_PROPERTIES = {
    "DTSTART": "its start (DTSTART)",
    "DTEND": "its end (DTEND)",
    "DURATION": "its length (DURATION)",
    "RRULE": "its repeat rule (RRULE)",
    "RDATE": "its extra dates (RDATE)",
    "EXDATE": "its left-out dates (EXDATE)",
    "RECURRENCE-ID": "the date it changes (RECURRENCE-ID)",
    "SEQUENCE": "its SEQUENCE",
}


@dataclass
class _Planned:
    number: int
    uid: str
    sequence: int
    values: dict[str, Any]
    network_name: str | None
    series_uid: str | None = None  # the repeating event this is a date of
    all_day: bool = False
    untitled: bool = False  # the event had no SUMMARY: called "(no title)"


@dataclass
class _Series:
    """A repeating event as read: what its dates cover, so left-out dates can be cancelled."""

    number: int
    uid: str
    title: str
    sequence: int
    expansion: Expansion
    uids: set[str] = field(default_factory=set)


@dataclass
class Reading:
    """Everything read from a file: the meetings planned, the problems, the series."""

    plans: list[_Planned] = field(default_factory=list)
    problems: list[EventProblem] = field(default_factory=list)
    cadence: int = 0  # our own export's expected-dates series, skipped
    series: list[_Series] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out or guessed, once each
    derived: int = 0  # events without a UID, given one made from their content


@dataclass(eq=False)  # compared by identity: two events may have equal content
class _Source:
    """One VEVENT of the file, with its number (from 1) and the calendar it is in."""

    number: int
    event: Component
    calendar: Calendar
    uid: str = ""  # as written, or made from the content when the event has none


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


# --- one event's values --------------------------------------------------------------------


@dataclass
class _Read:
    """One event (or one date of a series) as read: the meeting's values, and what was found."""

    values: dict[str, Any] = field(default_factory=dict)
    all_day: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out or made up, in words
    untitled: bool = False


def _text(component: Component, name: str) -> str:
    value = first(component, name)
    return str(value).strip() if value is not None else ""


def _moment(component: Component, name: str) -> datetime | date | None:
    prop = first(component, name)
    if prop is None:
        return None
    value: datetime | date = prop.dt  # DTSTART and DTEND hold a day or a day and a time
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=LONDON)  # floating time: read as London
    return value


def _end(event: Component, start: datetime) -> datetime | date | None:
    end = _moment(event, "dtend")
    if end is not None:
        return end
    duration = first(event, "duration")
    return start + duration.dt if duration is not None else start


def _out_of_bounds(event: Component, start: date) -> list[str]:
    """Dates outside 1990-2100 and lengths over a year, refused before any date arithmetic
    (a year-9999 all-day event or a huge DURATION once ended the import in a traceback)."""
    problems = [p for p in [year_problem(start, "its start (DTSTART)")] if p]
    end = _moment(event, "dtend")
    if end is not None:
        problems += [p for p in [year_problem(end, "its end (DTEND)")] if p]
    duration = first(event, "duration")
    length = getattr(duration, "dt", None)
    if isinstance(length, timedelta) and abs(length) > MAX_LENGTH:
        problems.append(
            f"its length (DURATION) is {abs(length).days:,} days; a meeting lasts at most "
            f"{MAX_LENGTH.days} days"
        )
    sequence = first(event, "sequence")
    if sequence is not None and not 0 <= _number(sequence) <= MAX_SEQUENCE:
        problems.append(f"its SEQUENCE {sequence} is not a number from 0 to {MAX_SEQUENCE:,}")
    return problems


def _number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _whole_days(event: Component, first_day: date) -> tuple[dict[str, Any], list[str]]:
    """An all-day event: London midnight of its first day to London midnight after its last."""
    end = _moment(event, "dtend")
    if isinstance(end, datetime):
        return {}, ["it starts on a date without a time but its end (DTEND) has a time"]
    if end is None:
        duration = first(event, "duration")
        days = duration.dt.days if duration is not None else 0
        end = first_day + timedelta(days=max(days, 1))
    elif end == first_day:  # some programs write DTEND = DTSTART for a one-day event
        end = first_day + timedelta(days=1)
    midnight = time.min
    return {
        "starts_at": datetime.combine(first_day, midnight, LONDON),
        "ends_at": datetime.combine(end, midnight, LONDON),
    }, []


def _in_utc(times: dict[str, Any]) -> dict[str, Any]:
    """Times as UTC: what the database holds, and what compares equal whatever the clock
    does (an aware time in the repeated autumn hour is never equal to one in another zone)."""
    return {name: value.astimezone(UTC) for name, value in times.items()}


def _times(event: Component) -> tuple[dict[str, Any], bool, list[str]]:
    """starts_at/ends_at (UTC), whether it is an all-day event, and the problems."""
    start = _moment(event, "dtstart")
    if start is None:
        return {}, False, ["it has no start time (DTSTART)"]
    if problems := _out_of_bounds(event, start):
        return {}, not isinstance(start, datetime), problems
    if not isinstance(start, datetime):
        times, problems = _whole_days(event, start)
        return _in_utc(times), True, problems
    end = _end(event, start)
    if not isinstance(end, datetime):
        return {}, False, ["its end is a date without a time"]
    return _in_utc({"starts_at": start, "ends_at": end}), False, []


def _unreadable(event: Component) -> tuple[list[str], list[str]]:
    """The time and rule properties icalendar could not read (it keeps them as errors),
    each shown as written in the file so the user can find it; and the lines it could not
    even split into a name and a value: (problems, notes)."""
    problems, notes = unsplit_lines(event, READ_PROPERTIES)
    for name, message in getattr(event, "errors", []):
        if name is not None and name.upper() in READ_PROPERTIES:
            values = event.get(name)
            values = values if isinstance(values, list) else [values]
            # icalendar keeps an unreadable value as its text (vBroken, a str); good ones are not
            broken = [v for v in values if isinstance(v, str)]
            written = (str(broken[0]) if broken else message) or "it is empty"
            problems.append(f"{READ_PROPERTIES[name.upper()]} could not be read: {written}")
    return problems + written_twice(event), notes


def _web_address(event: Component, read: _Read) -> str | None:
    """The event's URL if it is a web address; another (a path of the site that wrote the
    file, "/c/machbar/calendar") is left out with a note rather than refusing the event."""
    url = web_address(_text(event, "url"))
    if url and (problem := url_problem(url)):
        read.notes.append(f"its URL was left out: {problem}")
        return None
    return url


def _values(event: Component) -> _Read:
    """The meeting's values from one event, whether it is all-day, problems and notes."""
    read = _Read()
    read.problems, read.notes = _unreadable(event)
    if read.problems:
        return read
    times, read.all_day, problems = _times(event)
    title = _text(event, "summary")
    read.untitled = not title
    read.values = {"title": title or NO_TITLE, **times}
    read.values["location"] = _text(event, "location") or None
    read.values["online_url"] = _web_address(event, read)
    if _text(event, "status").upper() == "CANCELLED":
        read.values["status"] = MeetingStatus.CANCELLED.value
    for name, problem in meeting_problems(read.values).items():
        if name not in ("starts_at", "ends_at") or not problems:
            problems.append(_field_words(name, problem))
    read.problems = problems
    return read


def _network_name(event: Component) -> str | None:
    categories = first(event, "categories")
    cats = getattr(categories, "cats", None) or []
    return str(cats[0]) if cats else None


def _plan(event: Component, number: int, uid: str) -> tuple[_Planned | None, _Read]:
    """One meeting planned from one event (a single event or one date of a series)."""
    read = _values(event)
    if read.problems:
        return None, read
    sequence = int(first(event, "sequence") or 0)
    plan = _Planned(number, uid, sequence, read.values, _network_name(event), None, read.all_day)
    plan.untitled = read.untitled
    return plan, read


def _field_words(name: str, problem: str) -> str:
    label = {
        "title": "its title (SUMMARY)",
        "online_url": "its URL",
        "location": "its location",
        "ends_at": "its end",
        "starts_at": "its start",
    }.get(name, name)
    return f"{label}: {problem}"


# --- the file's events, grouped by UID -----------------------------------------------------

# What an input the checks above did not foresee can still raise inside the reader or the
# series library: caught per event and said in words, so no file ends in a traceback.
_UNFORESEEN = (ArithmeticError, AttributeError, LookupError, TypeError, ValueError)


def _standard_zones(calendar: Calendar, notes: list[str]) -> Calendar:
    """Floating times in the zone the calendar names (X-WR-TIMEZONE, as Google writes it).

    The series library does this for repeating events; doing it for the whole file makes
    a one-off event at 20:00 under X-WR-TIMEZONE:Europe/Brussels 19:00 UTC in winter too,
    not 20:00 UTC. A zone name nobody knows is dropped with a note: London time then.
    """
    import x_wr_timezone

    name = calendar.get("X-WR-TIMEZONE")
    if name is None:
        return calendar
    try:
        converted: Calendar = x_wr_timezone.to_standard(calendar)
    except _UNFORESEEN:
        del calendar["X-WR-TIMEZONE"]
        notes.append(
            f'the calendar\'s time zone "{name}" (X-WR-TIMEZONE) is not one this import knows; '
            "times without a zone were read as London time"
        )
        return calendar
    for read, copied in zip(calendar.walk(), converted.walk(), strict=True):
        copied.errors = list(getattr(read, "errors", []))  # the copies lose what was unreadable
    return converted


def _decoded(data: bytes, notes: list[str]) -> str:
    """UTF-8 as RFC 5545 says; a calendar in Windows-1252 (Western European, what older
    programs write, and what Thunderbird's own tests import) is read so, with a note."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if data.lstrip()[:15].upper() == b"BEGIN:VCALENDAR":
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                pass
            else:
                notes.append(
                    "the file is not UTF-8 text; it was read as Windows-1252 (Western European) "
                    "text, as older calendar programs write it"
                )
                return text
        raise IcsImportError(
            "The file is not UTF-8 text, so it is not an iCalendar file."
        ) from error


def _calendars(data: bytes, notes: list[str]) -> list[Calendar]:
    from icalendar import Calendar

    text = _decoded(data, notes)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except _UNFORESEEN as error:
        raise IcsImportError(
            f"The file is not a readable iCalendar file ({error or type(error).__name__})."
        ) from error
    return [_standard_zones(calendar, notes) for calendar in calendars]


def _problem(reading: Reading, source: _Source, problems: list[str]) -> None:
    event = source.event
    reading.problems += [
        EventProblem(source.number, _text(event, "summary"), _text(event, "uid"), p)
        for p in problems
    ]


def _note(reading: Reading, source: _Source, notes: list[str]) -> None:
    """Notes on one event, each said once (a series' dates repeat their event's notes)."""
    for note in notes:
        event = source.event
        said = str(EventProblem(source.number, _text(event, "summary"), _text(event, "uid"), note))
        if said not in reading.notes:
            reading.notes.append(said)


def _single(reading: Reading, uid: str, sources: list[_Source]) -> None:
    """A one-off event (and any copies of it, which are a problem)."""
    head, *copies = sources
    problems = ["its UID is too long (at most 200 characters)"] if len(uid) > MAX_UID else []
    plan, read = _plan(head.event, head.number, uid)
    _problem(reading, head, problems + read.problems)
    _note(reading, head, read.notes)
    for copy in copies:
        _problem(
            reading,
            copy,
            [f"the same UID appears twice in the file (event {head.number} has it too)"],
        )
    if plan is not None and not problems:
        reading.plans.append(plan)


def _series_sources_problems(reading: Reading, uid: str, sources: list[_Source]) -> bool:
    """Check a series' events one by one (master and changed dates); True if all are fine."""
    fine, slots = True, set()
    for source in sources:
        read = _values(source.event)
        problems = read.problems
        _note(reading, source, read.notes)
        if len(uid) > MAX_UID - SLOT_SUFFIX and source is sources[0]:
            problems.append(
                f"its UID is too long for a repeating event (at most {MAX_UID - SLOT_SUFFIX} "
                "characters)"
            )
        recurrence = source.event.get("recurrence-id")
        slot = None if recurrence is None or problems else instant(recurrence.dt)
        if not problems and slot in slots:
            problems.append(
                "the same UID appears twice in the file"
                if slot is None
                else "another event in the file changes the same date of this series"
            )
        elif not problems:
            slots.add(slot)
        _problem(reading, source, problems)
        fine = fine and not problems
    return fine


def _inherit(head: _Source, sources: list[_Source]) -> None:
    """Changed dates written without a title or category (Google writes cancelled dates
    so) take the series' own: a date of the forum is the forum, in the forum's network."""
    for source in sources:
        for name in ("SUMMARY", "CATEGORIES"):
            if not _text(source.event, name) and head.event.get(name) is not None:
                source.event[name] = head.event[name]


def _series_notes(reading: Reading, head: _Source, sources: list[_Source], series: _Series) -> None:
    """What was done with the series as a whole, said once (not once per date)."""
    expansion, notes = series.expansion, []
    for change, count in sorted(expansion.moved.items()):
        changer = next(
            (
                s
                for s in sources
                if s.event.get("recurrence-id") is not None
                and this_and_future(s.event)
                and instant(moment(s.event, "RECURRENCE-ID")) == change
            ),
            head,
        )
        notes.append(
            f"from {change.astimezone(LONDON):%d/%m/%Y} on, its dates follow event "
            f"{changer.number}, a change to that date and all later ones (RANGE=THISANDFUTURE): "
            f"{count} date(s) moved with it"
        )
    if expansion.lone_change:
        notes.append(
            'it has no main event, only a change to "this and future" dates that lists its '
            f"dates (RDATE), as Lotus Notes writes a meeting held on several dates: all "
            f"{len(expansion.occurrences)} of them were read"
        )
    _note(reading, head, notes)


def _repeating(reading: Reading, uid: str, sources: list[_Source], window: Window) -> None:
    """A repeating event: one planned meeting per date in the window."""
    masters = [s for s in sources if s.event.get("recurrence-id") is None]
    head = masters[0] if masters else sources[0]
    _inherit(head, sources)
    if not _series_sources_problems(reading, uid, sources):
        return
    try:
        expansion = expand([s.event for s in sources], head.calendar, window)
    except SeriesProblem as problem:
        _problem(reading, head, [str(problem)])
        return
    by_slot = {instant(original_start(s.event)): s for s in sources if s.event.get("recurrence-id")}
    series = _Series(
        head.number,
        uid,
        _text(head.event, "summary"),
        int(first(head.event, "sequence") or 0),
        expansion,
    )
    for occurrence in expansion.occurrences:
        slot = original_start(occurrence)
        source = by_slot.get(instant(slot), head)
        plan, read = _plan(occurrence, source.number, occurrence_uid(uid, slot))
        _problem(
            reading, source, [f"its date {instant(slot):%d/%m/%Y}: {p}" for p in read.problems]
        )
        _note(reading, source, read.notes)
        if plan is not None:
            plan.series_uid = uid
            series.uids.add(plan.uid)
            reading.plans.append(plan)
    reading.series.append(series)
    _series_notes(reading, head, sources, series)


def _uids_unique(reading: Reading) -> None:
    """A one-off event whose UID is also a series date's UID would make two meetings one:
    the later one is a problem, and not planned."""
    seen: dict[str, _Planned] = {}
    kept = []
    for plan in reading.plans:
        if (other := seen.setdefault(plan.uid, plan)) is plan:
            kept.append(plan)
            continue
        reading.problems.append(
            EventProblem(
                plan.number,
                plan.values.get("title", ""),
                plan.uid,
                f"its UID is also that of a date of event {other.number}",
            )
        )
    reading.plans = kept


def _grouped(reading: Reading, events: list[_Source]) -> dict[str, list[_Source]]:
    """The events by UID; an event without one gets a UID made from its content, and an
    exact copy of such an event (same start, title, place) is left out with a note."""
    groups: dict[str, list[_Source]] = {}
    derived: dict[str, _Source] = {}
    for number, source in enumerate(events, start=1):
        source.number = number
        if _text(source.event, "x-vru-crm-kind") == SERIES_KIND:
            reading.cadence += 1
            continue
        source.uid = _text(source.event, "uid")
        if not source.uid:
            if (same := _copy_of(source, derived)) is not None:
                _note(reading, source, [f"it repeats event {same.number} exactly and was left out"])
                continue
            derived[source.uid] = source
            reading.derived += 1
        groups.setdefault(source.uid, []).append(source)
    return groups


def _copy_of(source: _Source, derived: dict[str, _Source]) -> _Source | None:
    """Give an event without a UID one made from its content: the event it exactly repeats,
    if any; two that only share their start, title and place get ``…-2``, ``…-3`` (in the
    file's order, so a re-import of the same file finds each again)."""
    base = derived_uid(source.event)
    source.uid, count = base, 1
    while (other := derived.get(source.uid)) is not None:
        if (written := _written(other.event)) is not None and written == _written(source.event):
            return other
        count += 1
        source.uid = base.replace(DERIVED_UID_SUFFIX, f"-{count}{DERIVED_UID_SUFFIX}")
    return None


def _written(event: Component) -> bytes | None:
    try:
        written: bytes = event.to_ical()
    except _UNFORESEEN:
        return None
    return written


def _read_group(reading: Reading, uid: str, sources: list[_Source], window: Window) -> None:
    """One UID's events; anything unforeseen is that event's problem, in words."""
    plans, series = len(reading.plans), len(reading.series)
    try:
        if is_repeating([s.event for s in sources]):
            _repeating(reading, uid, sources, window)
        else:
            _single(reading, uid, sources)
    except _UNFORESEEN as error:
        del reading.plans[plans:], reading.series[series:]
        words = str(error) or type(error).__name__
        _problem(reading, sources[0], [f"it could not be read as a meeting ({words})"])


def read_events(data: bytes, window: Window | None = None) -> Reading:
    """Parse and check every VEVENT; repeating events are expanded within ``window``."""
    reading = Reading()
    with warnings_as_notes(reading.notes):
        calendars = _calendars(data, reading.notes)
        events = [_Source(0, e, cal) for cal in calendars for e in cal.walk("VEVENT")]
        if not events:
            raise IcsImportError("The file has no events (VEVENT) to import.")
        for zone in (words for source in events for words in guessed_zones(source.event)):
            if zone not in reading.notes:
                reading.notes.append(zone)
        for uid, sources in _grouped(reading, events).items():
            _read_group(reading, uid, sources, window or Window())
    _uids_unique(reading)
    reading.problems.sort(key=lambda p: p.number)
    return reading


# --- writing -------------------------------------------------------------------------------


def _network_id(session: Session, plan: _Planned, default: Network | None) -> int | None:
    if default is not None:
        return default.id
    if plan.network_name:
        found = session.exec(select(Network).where(Network.name == plan.network_name)).first()
        return found.id if found else None
    return None


def _label(title: str, starts_at: datetime) -> str:
    return f'"{title}" ({starts_at.astimezone(LONDON):%d/%m/%Y %H:%M})'


def _existing(session: Session, uids: list[str]) -> dict[str, Meeting]:
    """The meetings already here with these UIDs, read in batches."""
    found: dict[str, Meeting] = {}
    for at in range(0, len(uids), 500):
        query = select(Meeting).where(col(Meeting.uid).in_(uids[at : at + 500]))
        found.update({m.uid: m for m in session.exec(query)})
    return found


def _changes(plan: _Planned, meeting: Meeting) -> dict[str, Any]:
    """The plan's values for an existing meeting: a held meeting stays held, and a date
    back in its series (an EXDATE removed) is planned again."""
    values = dict(plan.values)
    if meeting.status == MeetingStatus.HELD:
        values.pop("status", None)
    elif plan.series_uid and "status" not in values and meeting.status == MeetingStatus.CANCELLED:
        values["status"] = MeetingStatus.PLANNED.value
    return values


def _create(session: Session, plan: _Planned, default: Network | None) -> None:
    values = {k: v for k, v in plan.values.items() if v is not None}
    network_id = _network_id(session, plan, default)
    session.add(Meeting(**values, uid=plan.uid, sequence=plan.sequence, network_id=network_id))


def _apply_plan(
    session: Session,
    plan: _Planned,
    meeting: Meeting | None,
    default: Network | None,
    report: ImportReport,
) -> None:
    label = _label(plan.values["title"], plan.values["starts_at"])
    cancelled = plan.values.get("status") == MeetingStatus.CANCELLED
    if meeting is None and plan.series_uid and cancelled:
        report.not_added += 1
        return
    if meeting is not None and plan.sequence < meeting.sequence:
        report.skipped.append(f"{label} is older than the copy here (SEQUENCE {plan.sequence})")
        return
    if meeting is None:
        _create(session, plan, default)
        report.created.append(label)
    elif apply_changes(session, meeting, _changes(plan, meeting)):
        meeting.sequence = max(meeting.sequence, plan.sequence)
        if default is not None and meeting.network_id is None:
            meeting.network_id = default.id
        report.updated.append(label)
    else:
        report.unchanged.append(label)
    report.from_series += plan.series_uid is not None
    report.all_day += plan.all_day
    report.untitled += plan.untitled


def _cancel_left_out(session: Session, series: _Series, report: ImportReport) -> None:
    """Planned meetings of this series whose date is in the window but no longer in the
    calendar (an EXDATE added, the rule changed) are cancelled, not deleted."""
    start, until = series.expansion.covered_from, series.expansion.covered_until
    query = select(Meeting).where(
        col(Meeting.uid).startswith(series.uid + "/", autoescape=True),
        col(Meeting.status) == MeetingStatus.PLANNED,
    )
    for meeting in session.exec(query).all():
        slot = slot_of(meeting.uid, series.uid)  # also exact in case (SQLite's LIKE is not)
        if slot is None or meeting.uid in series.uids or slot >= until:
            continue
        if start is not None and slot < start:
            continue
        if series.sequence < meeting.sequence:
            report.skipped.append(
                f"{_label(meeting.title, meeting.starts_at)} is no longer in the calendar's series, but the copy here "
                f"is newer (SEQUENCE {meeting.sequence}), so it was not cancelled"
            )
            continue
        apply_changes(session, meeting, {"status": MeetingStatus.CANCELLED.value})
        meeting.sequence = max(meeting.sequence, series.sequence)
        report.cancelled.append(_label(meeting.title, meeting.starts_at))


def _apply(
    session: Session, reading: Reading, default: Network | None, report: ImportReport
) -> None:
    existing = _existing(session, [plan.uid for plan in reading.plans])
    for plan in reading.plans:
        _apply_plan(session, plan, existing.get(plan.uid), default, report)
    session.flush()
    for series in reading.series:
        _cancel_left_out(session, series, report)
    session.flush()


def _report(reading: Reading, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run, series=len(reading.series))
    report.derived, report.notes = reading.derived, reading.notes
    report.invalid = [str(problem) for problem in reading.problems]
    if reading.cadence:
        report.skipped.append(f"{reading.cadence} expected-dates series (not meetings)")
    for series in reading.series:
        if series.expansion.note:
            uid = "" if series.uid.endswith(DERIVED_UID_SUFFIX) else series.uid
            where = EventProblem(series.number, series.title, uid, series.expansion.note)
            report.cut.append(str(where))
    return report


def _refuse(path: Path, reading: Reading, skip_invalid: bool) -> None:
    """All or nothing, unless ``skip_invalid`` and some event is good."""
    count = len(reading.problems)
    if not count or (skip_invalid and (reading.plans or reading.series)):
        return
    if skip_invalid or not (reading.plans or reading.series):
        raise IcsImportError(
            f"{path.name} has {count} problem(s) and no event that could be imported:",
            reading.problems,
        )
    raise IcsImportError(
        f"{path.name} has {count} problem(s); nothing was imported "
        "(--skip-invalid imports the other events):",
        reading.problems,
    )


def import_calendar(
    database: Database,
    path: Path,
    network: str | None = None,
    dry_run: bool = False,
    window: Window | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """``import_ics`` with the window of dates repeating events are expanded in."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"There is no file {path}.")
    if path.stat().st_size > MAX_BYTES:
        raise UserError(f"{path.name} is larger than 20 MB; that is not a meetings calendar.")
    reading = read_events(path.read_bytes(), window)
    _refuse(path, reading, skip_invalid)
    report = _report(reading, dry_run)
    try:
        with database.session() as s:
            default = find_network(s, network) if network else None
            _apply(s, reading, default, report)
            if dry_run:
                raise _DryRun(report)
    except _DryRun as done:
        return done.report
    return report


def import_ics(
    database: Database,
    path: Path,
    network: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import the events of an .ics file as meetings; ``network`` names the network of new ones.

    Repeating events are expanded from each series' start up to 18 months after today.
    With ``skip_invalid`` the good events are imported and the others listed in
    ``report.invalid``; without it a file with any bad event imports nothing.
    """
    return import_calendar(
        database, path, network=network, dry_run=dry_run, skip_invalid=skip_invalid
    )
