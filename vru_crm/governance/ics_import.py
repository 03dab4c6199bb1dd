"""Reading an .ics file into meetings, matched by UID so a re-import updates.

All or nothing: every event is checked first and each problem is reported with
the event's number, title and UID; if there is any, nothing is written.

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
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from db.enums import MeetingStatus
from db.models import Meeting, Network
from db.session import Database
from vru_crm.errors import UserError
from vru_crm.governance.common import find_network
from vru_crm.governance.ics import SERIES_KIND
from vru_crm.governance.ics_series import (
    Expansion,
    SeriesProblem,
    Window,
    expand,
    instant,
    is_repeating,
    occurrence_uid,
    original_start,
    slot_of,
)
from vru_crm.governance.meetings import apply_changes, meeting_problems
from vru_crm.london import LONDON

if TYPE_CHECKING:
    from icalendar import Calendar, Component

MAX_BYTES = 20 * 1024 * 1024
MAX_UID = 200
SLOT_SUFFIX = len("/20250312T100000Z")
LISTED = 10  # names listed in a report line before "and N more"
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


@dataclass(frozen=True)
class EventProblem:
    number: int
    title: str
    uid: str
    problem: str

    def __str__(self) -> str:
        label = f"event {self.number}" + (f' "{self.title}"' if self.title else "")
        label += f" (UID {self.uid})" if self.uid else ""
        return f"{label}: {self.problem}"


class IcsImportError(UserError):
    """The file has problems; nothing was imported. ``problems`` lists them per event."""

    def __init__(self, message: str, problems: list[EventProblem] | None = None) -> None:
        self.problems = problems or []
        lines = [message, *(f"  {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    dry_run: bool = False
    cancelled: list[str] = field(default_factory=list)  # dates no longer in their series
    series: int = 0  # repeating events read
    from_series: int = 0  # meetings (new, updated or unchanged) that are dates of one
    all_day: int = 0  # meetings (new, updated or unchanged) from all-day events
    cut: list[str] = field(default_factory=list)  # series with dates left out, and why
    not_added: int = 0  # cancelled dates of a series with no meeting here to cancel

    def summary(self) -> str:
        """The report in plain sentences, one a line (the CLI prints it, a dialog shows it)."""
        verb = "would be" if self.dry_run else "were"
        parts = [
            f"{len(self.created)} new",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.cancelled:
            parts.append(f"{len(self.cancelled)} cancelled")
        lines = [f"Meetings {verb}: " + ", ".join(parts) + "."]
        lines += self._series_lines()
        if self.all_day:
            lines.append(
                f"{self.all_day} of them came from all-day events and last the whole day "
                "(00:00 to 00:00, London time)."
            )
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)}: " + "; ".join(self.skipped) + ".")
        return "\n".join(lines)

    def _series_lines(self) -> list[str]:
        lines = []
        if self.series:
            lines.append(
                f"{self.from_series} of them are the dates of {self.series} repeating "
                f"event{'s' if self.series != 1 else ''}, one meeting per date."
            )
        if self.cancelled:
            verb = "Would be cancelled" if self.dry_run else "Cancelled"
            lines.append(
                f"{verb} because the calendar no longer has their date: "
                + _listed(self.cancelled)
                + "."
            )
        if self.not_added:
            lines.append(
                f"Not added: {self.not_added} cancelled date(s) of repeating events "
                "(there was no meeting here to cancel)."
            )
        lines += [f"Cut short: {note}." for note in self.cut]
        return lines


def _listed(labels: list[str]) -> str:
    shown = "; ".join(labels[:LISTED])
    return shown + (f"; and {len(labels) - LISTED} more" if len(labels) > LISTED else "")


@dataclass
class _Planned:
    number: int
    uid: str
    sequence: int
    values: dict[str, Any]
    network_name: str | None
    series_uid: str | None = None  # the repeating event this is a date of
    all_day: bool = False


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


@dataclass(eq=False)  # compared by identity: two events may have equal content
class _Source:
    """One VEVENT of the file, with its number (from 1) and the calendar it is in."""

    number: int
    event: Component
    calendar: Calendar


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


# --- one event's values --------------------------------------------------------------------


def _text(component, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def _moment(component, name: str) -> datetime | date | None:
    prop = component.get(name)
    if prop is None:
        return None
    value = prop.dt
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=LONDON)  # floating time: read as London
    return value


def _end(event, start: datetime) -> datetime | date | None:
    end = _moment(event, "dtend")
    if end is not None:
        return end
    duration = event.get("duration")
    return start + duration.dt if duration is not None else start


def _whole_days(event, first: date) -> tuple[dict[str, Any], list[str]]:
    """An all-day event: London midnight of its first day to London midnight after its last."""
    end = _moment(event, "dtend")
    if isinstance(end, datetime):
        return {}, ["it starts on a date without a time but its end (DTEND) has a time"]
    if end is None:
        duration = event.get("duration")
        days = duration.dt.days if duration is not None else 0
        end = first + timedelta(days=max(days, 1))
    elif end == first:  # some programs write DTEND = DTSTART for a one-day event
        end = first + timedelta(days=1)
    midnight = time.min
    return {
        "starts_at": datetime.combine(first, midnight, LONDON),
        "ends_at": datetime.combine(end, midnight, LONDON),
    }, []


def _times(event) -> tuple[dict[str, Any], bool, list[str]]:
    """starts_at/ends_at, whether it is an all-day event, and the problems."""
    start = _moment(event, "dtstart")
    if start is None:
        return {}, False, ["it has no start time (DTSTART)"]
    if not isinstance(start, datetime):
        times, problems = _whole_days(event, start)
        return times, True, problems
    end = _end(event, start)
    if not isinstance(end, datetime):
        return {}, False, ["its end is a date without a time"]
    return {"starts_at": start, "ends_at": end}, False, []


def _unreadable(event) -> list[str]:
    """The time and rule properties icalendar could not read (it keeps them as errors),
    each shown as written in the file so the user can find it."""
    found = []
    for name, message in getattr(event, "errors", []):
        if name.upper() in READ_PROPERTIES:
            values = event.get(name)
            values = values if isinstance(values, list) else [values]
            # icalendar keeps an unreadable value as its text (vBroken, a str); good ones are not
            broken = [v for v in values if isinstance(v, str)]
            written = str(broken[0]) if broken else message
            found.append(f"{READ_PROPERTIES[name.upper()]} could not be read: {written}")
    return found


def _values(event) -> tuple[dict[str, Any], bool, list[str]]:
    """The meeting's values from one event, whether it is all-day, and the problems."""
    if problems := _unreadable(event):
        return {}, False, problems
    times, all_day, problems = _times(event)
    values: dict[str, Any] = {"title": _text(event, "summary"), **times}
    values["location"] = _text(event, "location") or None
    values["online_url"] = _text(event, "url") or None
    if _text(event, "status").upper() == "CANCELLED":
        values["status"] = MeetingStatus.CANCELLED.value
    for name, problem in meeting_problems(values).items():
        if name not in ("starts_at", "ends_at") or not problems:
            problems.append(_field_words(name, problem))
    return values, all_day, problems


def _network_name(event) -> str | None:
    categories = event.get("categories")
    cats = getattr(categories, "cats", None) or []
    return str(cats[0]) if cats else None


def _plan(event, number: int, uid: str) -> tuple[_Planned | None, list[str]]:
    """One meeting planned from one event (a single event or one date of a series)."""
    values, all_day, problems = _values(event)
    if problems:
        return None, problems
    sequence = int(event.get("sequence") or 0)
    return _Planned(number, uid, sequence, values, _network_name(event), None, all_day), []


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


def _calendars(data: bytes) -> list[Calendar]:
    from icalendar import Calendar

    try:
        return Calendar.from_ical(data.decode("utf-8-sig"), multiple=True)
    except UnicodeDecodeError as error:
        raise IcsImportError(
            "The file is not UTF-8 text, so it is not an iCalendar file."
        ) from error
    except ValueError as error:
        raise IcsImportError(f"The file is not a readable iCalendar file ({error}).") from error


def _problem(reading: Reading, source: _Source, problems: list[str]) -> None:
    event = source.event
    reading.problems += [
        EventProblem(source.number, _text(event, "summary"), _text(event, "uid"), p)
        for p in problems
    ]


def _single(reading: Reading, uid: str, sources: list[_Source]) -> None:
    """A one-off event (and any copies of it, which are a problem)."""
    first, *copies = sources
    problems = ["its UID is too long (at most 200 characters)"] if len(uid) > MAX_UID else []
    plan, found = _plan(first.event, first.number, uid)
    _problem(reading, first, problems + found)
    for copy in copies:
        _problem(reading, copy, ["the same UID appears twice in the file"])
    if plan is not None and not problems:
        reading.plans.append(plan)


def _series_sources_problems(reading: Reading, uid: str, sources: list[_Source]) -> bool:
    """Check a series' events one by one (master and changed dates); True if all are fine."""
    fine, slots = True, set()
    for source in sources:
        problems = _values(source.event)[2]
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
        int(head.event.get("sequence") or 0),
        expansion,
    )
    for occurrence in expansion.occurrences:
        slot = original_start(occurrence)
        source = by_slot.get(instant(slot), head)
        plan, found = _plan(occurrence, source.number, occurrence_uid(uid, slot))
        _problem(reading, source, [f"its date {instant(slot):%d/%m/%Y}: {p}" for p in found])
        if plan is not None:
            plan.series_uid = uid
            series.uids.add(plan.uid)
            reading.plans.append(plan)
    reading.series.append(series)


def _uids_unique(reading: Reading) -> None:
    """A one-off event whose UID is also a series date's UID would make two meetings one."""
    seen: dict[str, _Planned] = {}
    for plan in reading.plans:
        if (other := seen.setdefault(plan.uid, plan)) is not plan:
            reading.problems.append(
                EventProblem(
                    plan.number,
                    plan.values.get("title", ""),
                    plan.uid,
                    f"its UID is also that of a date of event {other.number}",
                )
            )


def read_events(data: bytes, window: Window | None = None) -> Reading:
    """Parse and check every VEVENT; repeating events are expanded within ``window``."""
    events = [_Source(0, e, cal) for cal in _calendars(data) for e in cal.walk("VEVENT")]
    if not events:
        raise IcsImportError("The file has no events (VEVENT) to import.")
    reading, groups = Reading(), {}
    for number, source in enumerate(events, start=1):
        source.number = number
        if _text(source.event, "x-vru-crm-kind") == SERIES_KIND:
            reading.cadence += 1
        elif uid := _text(source.event, "uid"):
            groups.setdefault(uid, []).append(source)
        else:
            found = _values(source.event)[2]
            _problem(reading, source, ["it has no UID, so a re-import could not find it again"])
            _problem(reading, source, found)
    for uid, sources in groups.items():
        if is_repeating([s.event for s in sources]):
            _repeating(reading, uid, sources, window or Window())
        else:
            _single(reading, uid, sources)
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
    found = {}
    for at in range(0, len(uids), 500):
        query = select(Meeting).where(Meeting.uid.in_(uids[at : at + 500]))
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


def _cancel_left_out(session: Session, series: _Series, report: ImportReport) -> None:
    """Planned meetings of this series whose date is in the window but no longer in the
    calendar (an EXDATE added, the rule changed) are cancelled, not deleted."""
    start, until = series.expansion.covered_from, series.expansion.covered_until
    query = select(Meeting).where(
        Meeting.uid.startswith(series.uid + "/", autoescape=True),
        Meeting.status == MeetingStatus.PLANNED,
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


def _apply(session: Session, reading: Reading, default: Network | None, report: ImportReport):
    existing = _existing(session, [plan.uid for plan in reading.plans])
    for plan in reading.plans:
        _apply_plan(session, plan, existing.get(plan.uid), default, report)
    session.flush()
    for series in reading.series:
        _cancel_left_out(session, series, report)
    session.flush()


def _report(reading: Reading, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run, series=len(reading.series))
    if reading.cadence:
        report.skipped.append(f"{reading.cadence} expected-dates series (not meetings)")
    for series in reading.series:
        if series.expansion.note:
            where = EventProblem(series.number, series.title, series.uid, series.expansion.note)
            report.cut.append(str(where))
    return report


def import_calendar(
    database: Database,
    path: Path,
    network: str | None = None,
    dry_run: bool = False,
    window: Window | None = None,
) -> ImportReport:
    """``import_ics`` with the window of dates repeating events are expanded in."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"There is no file {path}.")
    if path.stat().st_size > MAX_BYTES:
        raise UserError(f"{path.name} is larger than 20 MB; that is not a meetings calendar.")
    reading = read_events(path.read_bytes(), window)
    if reading.problems:
        raise IcsImportError(
            f"{path.name} has {len(reading.problems)} problem(s); nothing was imported:",
            reading.problems,
        )
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
    database: Database, path: Path, network: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import the events of an .ics file as meetings; ``network`` names the network of new ones.

    Repeating events are expanded from each series' start up to 18 months after today.
    """
    return import_calendar(database, path, network=network, dry_run=dry_run)
