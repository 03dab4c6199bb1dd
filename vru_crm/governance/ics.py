"""Meetings in and out of calendar programs (RFC 5545).

Export rules that calendar programs punish when broken:
- UIDs are ``Meeting.uid``, made when the meeting was created, so a re-export
  updates events instead of duplicating them; SEQUENCE is ``Meeting.sequence``,
  bumped whenever the time, place, status or title changes.
- Times carry TZID=Europe/London with a matching VTIMEZONE that has both its
  STANDARD and DAYLIGHT parts (one written by hand, valid from 1996 on and with
  no end date, rather than a generated one that stops in 2038).
- A network's cadence may be exported as one recurring event whose RRULE uses an
  ordinal day (BYDAY=2TU); occurrences that have a meeting of their own, or were
  cancelled, are EXDATEs so nothing shows twice.
icalendar writes CRLF and folds at 75 octets without splitting a UTF-8 character.

icalendar is imported when a calendar is made or read, not at app start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from db.enums import MeetingStatus
from db.models import Meeting, Membership, Network, Person
from db.session import Database
from db.types import utcnow
from vru_crm.errors import UserError
from vru_crm.governance.agenda import agenda_in
from vru_crm.governance.agenda_export import write_atomically
from vru_crm.governance.common import find_network
from vru_crm.london import LONDON, london, london_date

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODID = "-//London Violence Reduction Unit//VRU Partnership CRM//EN"
SERIES_KIND = "cadence"
SERIES_PREFIX = "cadence-"


@dataclass
class CalendarExport:
    data: bytes
    events: int
    series: int = 0
    notes: list[str] = field(default_factory=list)


# --- export -------------------------------------------------------------------------------


def london_vtimezone():
    """Europe/London with both parts, as Outlook, Google and Thunderbird expect."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", "Europe/London")
    zone.add("x-lic-location", "Europe/London")
    daylight = TimezoneDaylight()
    daylight.add("tzname", "BST")
    daylight.add("tzoffsetfrom", timedelta(hours=0))
    daylight.add("tzoffsetto", timedelta(hours=1))
    daylight.add("dtstart", datetime(1981, 3, 29, 1, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    standard = TimezoneStandard()
    standard.add("tzname", "GMT")
    standard.add("tzoffsetfrom", timedelta(hours=1))
    standard.add("tzoffsetto", timedelta(hours=0))
    standard.add("dtstart", datetime(1996, 10, 27, 2, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def _london_value(moment: datetime):
    """A DTSTART/DTEND value written as TZID=Europe/London wall-clock time."""
    from icalendar import vDatetime

    value = vDatetime(london(moment).replace(tzinfo=None))
    value.params["TZID"] = "Europe/London"
    return value


def _description(session: Session, meeting: Meeting) -> str:
    agenda = agenda_in(session, meeting)
    lines = []
    if agenda.items:
        lines.append("Agenda:")
        for item, (start, _end) in zip(agenda.items, agenda.timings(), strict=True):
            who = f", {item.presenter}" if item.presenter else ""
            lines.append(f"{item.number}. {item.title} ({start:%H:%M}{who})")
    if meeting.online_url:
        lines.append(f"Join online: {meeting.online_url}")
    if agenda.chair:
        lines.append(f"Chair: {agenda.chair}")
    if meeting.notes.strip():
        lines.append(meeting.notes.strip())
    return "\n".join(lines)


def _network_members(session: Session, network_id: int) -> list[tuple[Person, Membership]]:
    """Every person membership of a network, read once per export (not once per meeting)."""
    cache = session.info.setdefault("ics_network_members", {})
    if network_id not in cache:
        query = (
            select(Person, Membership)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.network_id == network_id)
            .order_by(Person.full_name, Membership.id)
        )
        cache[network_id] = list(session.exec(query).all())
    return cache[network_id]


def _people(session: Session, meeting: Meeting) -> list[tuple[Person, str]]:
    """Members with an e-mail address whose membership covers the meeting's day."""
    if meeting.network_id is None:
        return []
    day = london_date(meeting.starts_at)
    seen, people = set(), []
    for person, membership in _network_members(session, meeting.network_id):
        active = (membership.start_date is None or membership.start_date <= day) and (
            membership.end_date is None or membership.end_date >= day
        )
        if person.email and active and person.id not in seen:
            seen.add(person.id)
            people.append((person, membership.role))
    return people


def _add_people(session: Session, event: Event, meeting: Meeting) -> None:
    from icalendar import vCalAddress

    for person, role in _people(session, meeting):
        address = vCalAddress(f"mailto:{person.email}")
        address.params["CN"] = person.full_name
        address.params["ROLE"] = (
            "CHAIR"
            if role == "chair"
            else ("OPT-PARTICIPANT" if role in ("observer", "adviser") else "REQ-PARTICIPANT")
        )
        if role == "chair":
            organizer = vCalAddress(f"mailto:{person.email}")
            organizer.params["CN"] = person.full_name
            event["organizer"] = organizer
        event.add("attendee", address)


def meeting_event(session: Session, meeting: Meeting, stamp: datetime):
    """One meeting as a VEVENT."""
    from icalendar import Event

    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event["dtstart"] = _london_value(meeting.starts_at)
    event["dtend"] = _london_value(meeting.ends_at)
    event.add("summary", meeting.title)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = meeting.location or ("Online" if meeting.online_url else None)
    if location:
        event.add("location", location)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    if description := _description(session, meeting):
        event.add("description", description)
    network = session.get(Network, meeting.network_id) if meeting.network_id else None
    if network is not None:
        event.add("categories", [network.name])
    _add_people(session, event, meeting)
    return event


def _series_event(session: Session, network: Network, stamp: datetime):
    """The network's cadence as one recurring event, or None if it has no usable rule."""
    from icalendar import Event, vRecur

    from vru_crm.governance.cadence import expand, has_fixed_days, rule_problem

    rule = network.cadence_rrule
    meetings = list(
        session.exec(
            select(Meeting).where(Meeting.network_id == network.id).order_by(Meeting.starts_at)
        ).all()
    )
    if not rule or rule_problem(rule) or not meetings:
        return None
    first = meetings[0]  # its UID names the series, so re-exports update the same event
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    # Slots named by day keep the first meeting's phase; "every N months" counts from the last held.
    start = first if has_fixed_days(rule) or not held else held[-1]
    window = timedelta(days=network.cadence_tolerance_days)
    last = max(london_date(m.starts_at) for m in meetings) + window
    taken = [london_date(m.starts_at) for m in meetings]
    exdates = [
        occurrence
        for occurrence in expand(rule, start.starts_at, london_date(start.starts_at), last)
        if any(abs(occurrence.date() - day) <= window for day in taken)
    ]
    event = Event()
    event.add("uid", SERIES_PREFIX + first.uid)
    event.add("sequence", network.version + len(exdates))
    event.add("dtstamp", stamp)
    event["dtstart"] = _london_value(start.starts_at)
    event["dtend"] = _london_value(start.ends_at)
    event.add("summary", f"{network.name}: expected meeting")
    event.add("status", "TENTATIVE")
    event.add("transp", "TRANSPARENT")
    event.add("categories", [network.name])
    event.add("description", "A date the network's cadence expects a meeting; not yet scheduled.")
    event["rrule"] = vRecur.from_ical(rule.removeprefix("RRULE:"))
    for occurrence in exdates:
        event.add("exdate", _london_value(occurrence))
    event.add("x-vru-crm-kind", SERIES_KIND)
    return event


def _meetings(session: Session, network: Network | None, start: date | None, end: date | None):
    query = select(Meeting).order_by(Meeting.starts_at)
    if network is not None:
        query = query.where(Meeting.network_id == network.id)
    if start is not None:
        query = query.where(Meeting.starts_at >= datetime.combine(start, time.min, LONDON))
    if end is not None:
        query = query.where(Meeting.starts_at <= datetime.combine(end, time.max, LONDON))
    return list(session.exec(query).all())


def _empty_calendar(name: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(london_vtimezone())
    return calendar


def build_calendar(
    database: Database,
    network: str | None = None,
    start: date | None = None,
    end: date | None = None,
    meeting_id: int | None = None,
    series: bool = False,
) -> CalendarExport:
    """The meetings (of one network, in a date range, or one meeting) as iCalendar bytes."""
    if start and end and end < start:
        raise UserError(f"The period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}).")
    stamp = utcnow().replace(microsecond=0)
    with database.session() as s:
        chosen = find_network(s, network) if network else None
        if meeting_id is not None:
            meetings = [m for m in [s.get(Meeting, meeting_id)] if m is not None]
            if not meetings:
                raise UserError(f"There is no meeting with id {meeting_id}.")
        else:
            meetings = _meetings(s, chosen, start, end)
        calendar = _empty_calendar(f"VRU: {chosen.name}" if chosen else "VRU meetings")
        for meeting in meetings:
            calendar.add_component(meeting_event(s, meeting, stamp))
        result = CalendarExport(b"", len(meetings))
        if series:
            networks = [chosen] if chosen else list(s.exec(select(Network)).all())
            for net in networks:
                event = _series_event(s, net, stamp)
                if event is None:
                    result.notes.append(f"{net.name}: no usable cadence rule, so no series.")
                else:
                    calendar.add_component(event)
                    result.series += 1
    result.data = calendar.to_ical()
    return result


def export_ics(database: Database, path: Path, **options: Any) -> CalendarExport:
    """Write the calendar to ``path`` (whole or not at all)."""
    result = build_calendar(database, **options)
    write_atomically(Path(path), result.data)
    return result
