"""Scheduling meetings so calendars stay in step.

Every change a calendar program shows (time, place, link, status, title) bumps
``Meeting.sequence`` once per save, and nothing lowers it: that is how Outlook,
Google and Thunderbird know an imported event replaces the copy they hold. The
UID is made once, when the meeting is created, so re-exports update events
instead of duplicating them.

A network's calendar series (its cadence as one recurring event, see ``ics``)
takes its SEQUENCE from the network's version plus its meetings' sequences; a
meeting that leaves the network (deleted, or moved to another) would lower that
sum, so its share is added to the network's version when it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from db.enums import MeetingStatus
from db.errors import ConcurrentEditError
from db.models import Meeting, Network, saved_id
from db.session import Database
from db.types import utcnow
from vru_crm.errors import ValidationError
from vru_crm.governance.common import get_or_fail, meeting_or_fail, url_problem
from vru_crm.london import LONDON, london, london_date
from vru_crm.validation import year_problem

# Fields a calendar program shows: a change to any of them is a new SEQUENCE.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "status")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "network_id", "chair", "notes", "cancel_reason")
DEFAULT_MEETING_MINUTES = 120
DEFAULT_START = time(10, 0)
_TEXT_LIMITS = {"location": 300, "chair": 200, "cancel_reason": 500}


@dataclass(frozen=True)
class MeetingRow:
    id: int
    network_id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    location: str | None
    uid: str
    sequence: int
    version: int = 0


@dataclass(frozen=True)
class MeetingRecord:
    """Everything a meeting form shows, as plain values."""

    id: int
    version: int
    network_id: int | None
    network_name: str | None
    title: str
    starts_at: datetime  # London time
    ends_at: datetime
    location: str | None
    online_url: str | None
    status: str
    cancel_reason: str | None
    chair: str | None
    notes: str
    uid: str
    sequence: int
    minutes_status: str
    minutes_url: str | None
    minutes_published_on: date | None
    minutes_approved_on: date | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: instants as ISO text with their London offset, days as ISO dates."""
        data = dict(vars(self))
        for key, value in data.items():
            if isinstance(value, datetime | date):
                data[key] = value.isoformat()
        return data


def _row(meeting: Meeting) -> MeetingRow:
    return MeetingRow(
        saved_id(meeting),
        meeting.network_id,
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        meeting.status,
        meeting.location,
        meeting.uid,
        meeting.sequence,
        meeting.version,
    )


def _record(session: Session, meeting: Meeting) -> MeetingRecord:
    network = session.get(Network, meeting.network_id) if meeting.network_id else None
    return MeetingRecord(
        id=saved_id(meeting),
        version=meeting.version,
        network_id=meeting.network_id,
        network_name=network.name if network else None,
        title=meeting.title,
        starts_at=london(meeting.starts_at),
        ends_at=london(meeting.ends_at),
        location=meeting.location,
        online_url=meeting.online_url,
        status=meeting.status,
        cancel_reason=meeting.cancel_reason,
        chair=meeting.chair,
        notes=meeting.notes,
        uid=meeting.uid,
        sequence=meeting.sequence,
        minutes_status=meeting.minutes_status,
        minutes_url=meeting.minutes_url,
        minutes_published_on=meeting.minutes_published_on,
        minutes_approved_on=meeting.minutes_approved_on,
    )


def get_meeting(database: Database, meeting_id: int) -> MeetingRecord:
    """The meeting as its form shows it; ``NotFound`` in words if there is none."""
    with database.session() as s:
        return _record(s, meeting_or_fail(s, meeting_id))


# --- values -------------------------------------------------------------------------------


def web_address(text: str | None) -> str | None:
    """``www.example.org/x`` -> ``https://www.example.org/x``: what people paste from a browser
    bar or an e-mail. Blank is None; anything else is returned trimmed, to be checked."""
    value = (text or "").strip()
    if not value:
        return None
    if "://" not in value and value.lower().startswith("www."):
        return "https://" + value
    return value


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    """Trimmed text, blanks as None for optional text, web addresses with their https://."""
    cleaned = dict(values)
    for name in ("location", "chair", "cancel_reason"):
        if name in cleaned and isinstance(cleaned[name], str):
            cleaned[name] = cleaned[name].strip() or None
    if "online_url" in cleaned:
        cleaned["online_url"] = web_address(cleaned["online_url"])
    if isinstance(cleaned.get("title"), str):
        cleaned["title"] = cleaned["title"].strip()
    if "notes" in cleaned and cleaned["notes"] is None:
        cleaned["notes"] = ""
    return cleaned


def meeting_problems(values: dict[str, Any]) -> dict[str, str]:
    """Field -> problem for a meeting's values (only the fields given are checked)."""
    problems: dict[str, str] = {}
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title:
            problems["title"] = "a title is required"
        elif len(title) > 200:
            problems["title"] = f"the title is too long ({len(title)} characters; at most 200)"
    for name in ("starts_at", "ends_at"):
        if name in values and (values[name] is None or values[name].tzinfo is None):
            problems[name] = "a date and time with a time zone is required"
        elif name in values and (wrong := year_problem(values[name], "the meeting")):
            problems[name] = wrong
    start, end = values.get("starts_at"), values.get("ends_at")
    if start and end and start.tzinfo and end.tzinfo and end < start:
        problems["ends_at"] = "the meeting ends before it starts"
    if "status" in values and values["status"] not in set(MeetingStatus):
        problems["status"] = (
            f'"{values["status"]}" is not a meeting status (planned, held, cancelled)'
        )
    if values.get("online_url") and (problem := url_problem(web_address(values["online_url"]))):
        problems["online_url"] = problem
    for name, limit in _TEXT_LIMITS.items():
        if values.get(name) and len(values[name]) > limit:
            problems[name] = f"too long ({len(values[name])} characters; at most {limit})"
    return problems


def _leaves_network(session: Session, meeting: Meeting) -> None:
    """Keep the network's calendar series SEQUENCE from falling when ``meeting`` leaves it.

    The series SEQUENCE counts the network's version and each meeting's
    ``sequence + 1``; the meeting's share moves into the network's version, plus
    one for the change itself (the series loses an EXDATE).
    """
    if meeting.network_id is None:
        return
    network = session.get(Network, meeting.network_id)
    if network is not None:
        network.version = network.version + meeting.sequence + 2


def apply_changes(session: Session, meeting: Meeting, changes: dict[str, Any]) -> bool:
    """Set ``changes`` on ``meeting`` (validated), bumping SEQUENCE if a calendar field changed.

    Returns whether anything changed. Used inside other units of work (the
    calendar import, recording a meeting as held).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "cannot be changed here" for name in sorted(unknown)})
    changes = _cleaned(changes)
    merged = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, **changes}
    problems = meeting_problems(merged)
    if changes.get("network_id") is not None:
        get_or_fail(session, Network, changes["network_id"], "network")
    if problems:
        raise ValidationError(problems)
    changed = {k for k, v in changes.items() if getattr(meeting, k) != v}
    if "network_id" in changed:
        _leaves_network(session, meeting)
    for name in changed:
        setattr(meeting, name, changes[name])
    if changed & set(CALENDAR_FIELDS):
        meeting.sequence += 1
    return bool(changed)


# --- saving -------------------------------------------------------------------------------


def create_meeting(database: Database, **values: Any) -> MeetingRow:
    """A new meeting; its iCalendar UID is made now, once, unless ``uid`` is given."""
    values.setdefault("status", MeetingStatus.PLANNED.value)
    values = _cleaned(values)
    required = {
        "title": values.get("title"),
        "starts_at": values.get("starts_at"),
        "ends_at": values.get("ends_at"),
    }
    problems = meeting_problems({**required, **values})
    if problems:
        raise ValidationError(problems)
    with database.session() as s:
        if values.get("network_id") is not None:
            get_or_fail(s, Network, values["network_id"], "network")
        meeting = Meeting(**values)
        s.add(meeting)
        s.flush()
        return _row(meeting)


def update_meeting(
    database: Database, meeting_id: int, expected_version: int | None = None, **changes: Any
) -> MeetingRow:
    """Change a meeting; ``expected_version`` (from when it was loaded) guards against lost edits."""
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        check_version(meeting, expected_version)
        apply_changes(s, meeting, changes)
        s.flush()
        return _row(meeting)


def reschedule_meeting(
    database: Database,
    meeting_id: int,
    starts_at: datetime,
    ends_at: datetime,
    expected_version: int | None = None,
) -> MeetingRow:
    """Move a meeting to a new time: one save, so SEQUENCE rises by one."""
    return update_meeting(
        database, meeting_id, expected_version, starts_at=starts_at, ends_at=ends_at
    )


def cancel_meeting(
    database: Database,
    meeting_id: int,
    reason: str | None = None,
    expected_version: int | None = None,
) -> MeetingRow:
    """Cancel, saying why: the calendar export then says STATUS:CANCELLED with a higher SEQUENCE.

    Cancelling again only changes the reason (the calendar's copy stays as it is).
    """
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        check_version(meeting, expected_version)
        apply_changes(
            s, meeting, {"status": MeetingStatus.CANCELLED.value, "cancel_reason": reason}
        )
        s.flush()
        return _row(meeting)


def delete_meeting(database: Database, meeting_id: int, version: int | None = None) -> None:
    """Delete a meeting with its agenda, attendance and guests (its actions stay, unlinked)."""
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        check_version(meeting, version)
        _leaves_network(s, meeting)
        s.delete(meeting)
        s.flush()


def check_version(record: Any, expected_version: int | None) -> None:
    if expected_version is not None and record.version != expected_version:
        raise ConcurrentEditError(
            "Someone else saved this record after you opened it. "
            "Reload it to see their change, then make yours again."
        )


# --- offering a time ----------------------------------------------------------------------


def default_title(database: Database, network_id: int | None, starts_at: datetime) -> str:
    """``PRG meeting, May 2019`` (short name if it has one), ``Event, May 2019`` with no network."""
    month = f"{london(starts_at):%B %Y}"
    if network_id is None:
        return f"Event, {month}"
    with database.session() as s:
        network = get_or_fail(s, Network, network_id, "network")
        return f"{network.short_name or network.name} meeting, {month}"


def _slot_time(rule: str, latest: Meeting | None, anchor: datetime | None) -> time:
    """The rule's BYHOUR/BYMINUTE, else the time the network last met, else 10:00."""
    from vru_crm.governance.cadence import _rule_parts

    parts = _rule_parts(rule)
    if "BYHOUR" in parts:
        hour = int(parts["BYHOUR"].split(",")[0])
        minute = int(parts.get("BYMINUTE", "0").split(",")[0])
        return time(hour, minute)
    for moment in (latest.starts_at if latest else None, anchor):
        if moment is not None:
            return london(moment).time().replace(second=0, microsecond=0)
    return DEFAULT_START


def next_expected_slot(
    database: Database, network_id: int, after: datetime | None = None
) -> tuple[datetime, datetime] | None:
    """The network's next expected start and end (London time), or None without a usable cadence.

    The first date its cadence expects after its latest meeting (a cancelled one
    too: its date was taken, a replacement is a date of the user's choosing), and
    never in the past: a network that missed dates is
    offered the next one to come, not one already gone. With ``after``, the
    first expected start after that instant. A meeting held early or late stands
    for the nearest expected date (as in the cadence figures), so the one after
    it is offered next. The end is the start plus the network's usual length
    (``meeting_minutes``), else two hours.
    """
    from vru_crm.governance.cadence import _anchor, _nearest, has_fixed_days, rule_problem

    with database.session() as s:
        network = get_or_fail(s, Network, network_id, "network")
        rule, length = network.cadence_rrule, network.meeting_minutes
        if not rule or rule_problem(rule):
            return None
        meetings = list(s.exec(select(Meeting).where(Meeting.network_id == network_id)).all())
        anchor = _anchor(network, meetings)
        latest = max(meetings, key=lambda m: m.starts_at) if meetings else None
        s.expunge_all()
    if anchor is None:
        return None
    if after is not None:
        floor = after
        if not meetings and after < anchor:  # no meeting fixes the phase yet: start from `after`
            anchor = datetime.combine(london_date(after), london(anchor).time(), LONDON)
    else:
        floor = utcnow()
        if latest is not None:
            day = london_date(latest.starts_at)
            if has_fixed_days(rule):
                day = max(day, _nearest(rule, anchor, day) or day)
            else:
                anchor = latest.starts_at  # "every three months" counts from the last meeting
            floor = max(floor, datetime.combine(day, time.max, LONDON))
    start = _first_start_after(rule, anchor, floor, _slot_time(rule, latest, anchor))
    if start is None:
        return None
    return start, start + timedelta(minutes=length or DEFAULT_MEETING_MINUTES)


def _first_start_after(rule: str, anchor: datetime, floor: datetime, at: time) -> datetime | None:
    """The first expected date whose start (at ``at``, London) is after ``floor``."""
    from vru_crm.governance.cadence import LOOKAHEAD_YEARS, _rrule

    recurrence = _rrule(rule, anchor)
    limit = london(floor) + timedelta(days=366 * LOOKAHEAD_YEARS)
    moment = london(floor) - timedelta(days=1)
    for _ in range(400):
        found = recurrence.after(moment)
        if found is None or found > limit:
            return None
        start = datetime.combine(found.date(), at, LONDON)
        if start > floor:
            return start
        moment = found
    return None


def list_meetings(
    database: Database,
    network_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[MeetingRecord]:
    """Meetings in time order, of one network and between two London dates (inclusive) if given."""
    query = select(Meeting).order_by(col(Meeting.starts_at), col(Meeting.id))
    if network_id is not None:
        query = query.where(Meeting.network_id == network_id)
    if start is not None:
        query = query.where(Meeting.starts_at >= datetime.combine(start, time.min, LONDON))
    if end is not None:
        query = query.where(Meeting.starts_at <= datetime.combine(end, time.max, LONDON))
    with database.session() as s:
        return [_record(s, m) for m in s.exec(query).all()]
