"""Is each network meeting as often as it should?

A network's cadence is an RFC 5545 RRULE (``FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU``).
Expected dates are expanded on London wall-clock time from an anchor (the
network's first meeting), so a 10:00 meeting stays 10:00 in March and October.
RFC 5545 rules are followed as written: ``BYMONTHDAY=31`` skips months without a
31st (use ``BYMONTHDAY=-1`` for "the last day of the month").

The figures: last meeting held, next due date, expected versus held in a period
(cancelled meetings count as not held), and overdue: the next due date has passed
and no meeting is scheduled within the network's tolerance of it.

A network with no meetings at all has no date it started that the records can
tell (its record may have been made long after it first met), so its rule is laid
over the whole period asked, phased on the anchor: a six-weekly network that
never met expects 8 or 9 meetings in 12 months, held none, and is overdue from
the first of them. Once a meeting is on record, even a planned one, expectations
start with the first meeting: a new network is not overdue before it first meets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rruleset, rrulestr
from sqlmodel import Session, col, select

from db.enums import MeetingStatus
from db.models import Meeting, Network, saved_id
from db.session import Database
from vru_crm.governance.common import find_network
from vru_crm.london import LONDON, london, london_date, today_in_london

if TYPE_CHECKING:
    from vru_crm.governance.minutes import MinutesDeadline

DEFAULT_TOLERANCE_DAYS = 14
LOOKAHEAD_YEARS = 5
_ORDINAL_FREQS = {"MONTHLY", "YEARLY"}
_ALLOWED_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


class RuleError(ValueError):
    """A cadence rule that cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class MeetingFact:
    """What the arithmetic needs of a meeting."""

    starts_at: datetime
    status: str
    id: int | None = None


@dataclass
class CadenceFigures:
    last_held: datetime | None
    next_due: date | None
    next_scheduled: datetime | None
    expected: int | None
    held: int
    cancelled: int
    overdue: bool
    days_overdue: int


def _rule_parts(rule: str) -> dict[str, str]:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(";"))):
        if "=" not in item:
            raise RuleError(f'"{item}" is not a NAME=VALUE part of a rule')
        key, value = item.split("=", 1)
        parts[key.strip().upper()] = value.strip().upper()
    return parts


def rule_problem(rule: str | None) -> str | None:
    """None if ``rule`` is a usable cadence, else what is wrong with it in plain words.

    Refuses the trap calendar programs punish: ``FREQ=MONTHLY;BYDAY=TU`` means
    every Tuesday of the month, not one meeting a month.
    """
    if not rule or not rule.strip():
        return None
    try:
        parts = _rule_parts(rule)
    except RuleError as error:
        return str(error)
    freq = parts.get("FREQ")
    if freq not in _ALLOWED_FREQS:
        return "the rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"
    byday = parts.get("BYDAY", "")
    if freq in _ORDINAL_FREQS and byday and "BYSETPOS" not in parts:
        bare = [d for d in byday.split(",") if d in _DAYS]
        if bare:
            return (
                f"BYDAY={byday} with FREQ={freq} means every {_DAYS[bare[0]]} of the month; "
                f"give the week, e.g. BYDAY=2{bare[0]} (second) or BYDAY=-1{bare[0]} (last)"
            )
    try:
        expand(rule, datetime(2020, 1, 1, 10, tzinfo=LONDON), date(2020, 1, 1), date(2021, 1, 1))
    except RuleError as error:
        return str(error)
    return None


def _rrule(rule: str, anchor: datetime) -> rrule | rruleset:
    text = rule.strip()
    if not text.upper().startswith("RRULE:"):
        text = "RRULE:" + text
    try:
        return rrulestr(text, dtstart=london(anchor).replace(microsecond=0))
    except (ValueError, TypeError) as error:
        message = str(error)
        if "UNTIL" in message:
            message = "UNTIL must be a UTC time such as 20251231T235959Z"
        raise RuleError(f"the rule cannot be read: {message}") from error


def expand(rule: str, anchor: datetime, start: date, end: date) -> list[datetime]:
    """Expected meeting times (London, aware) with dates from ``start`` to ``end`` inclusive.

    dateutil combines each date with the anchor's wall-clock time and zone, so
    the local time holds across clock changes.
    """
    recurrence = _rrule(rule, anchor)
    low = datetime.combine(start, time.min, LONDON)
    high = datetime.combine(end, time.max, LONDON)
    return [d for d in recurrence.between(low, high, inc=True)]


def _first_after(rule: str, anchor: datetime, after: date) -> date | None:
    """The first expected date strictly after ``after`` (within a few years), or None."""
    recurrence = _rrule(rule, anchor)
    found = recurrence.after(datetime.combine(after, time.max, LONDON))
    if found is None or found.date() > after + relativedelta(years=LOOKAHEAD_YEARS):
        return None
    return found.date()


def _nearest(rule: str, anchor: datetime, day: date) -> date | None:
    """The expected date a meeting held on ``day`` stands for: the closest one, early or late."""
    recurrence = _rrule(rule, anchor)
    moment = datetime.combine(day, time(12), LONDON)
    around = [recurrence.before(moment, inc=True), recurrence.after(moment)]
    dates = [d.date() for d in around if d is not None]
    return min(dates, key=lambda d: (abs((d - day).days), d)) if dates else None


_DAY_PARTS = {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS"}
_STEPS = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}


def _periods(freq: str, count: int) -> relativedelta:
    """``count`` of the rule's own periods: days, weeks, months or years (``_STEPS``)."""
    unit = _STEPS[freq]
    if unit == "days":
        return relativedelta(days=count)
    if unit == "weeks":
        return relativedelta(weeks=count)
    if unit == "months":
        return relativedelta(months=count)
    return relativedelta(years=count)


def has_fixed_days(rule: str) -> bool:
    """Whether the rule names its days (BYDAY, BYMONTHDAY, ...): fixed slots on the calendar.

    A rule without them ("FREQ=MONTHLY;INTERVAL=3") is read as a committee reads
    "every three months": counted from the last meeting held, so a network whose
    rhythm moved (the PRG's first meetings were monthly) is judged by its present one.
    A rule with them keeps its slots, anchored on the network's first meeting, and a
    meeting held early or late stands for the nearest slot.
    """
    return any(key in _DAY_PARTS for key in _rule_parts(rule))


def phased_before(rule: str, anchor: datetime, day: date) -> tuple[str, datetime]:
    """The rule and an anchor moved back by whole intervals to ``day`` or before it.

    dateutil expands a rule only forwards from its start; moving the start back by
    whole intervals keeps the phase (every sixth week stays the same weeks). The
    days the anchor implied (its weekday, day of the month) are written into the
    rule first, so the shorter months on the way back do not change them.
    """
    if london_date(anchor) <= day:
        return rule, anchor
    parts = _rule_parts(rule)
    freq = parts.get("FREQ", "")
    try:
        interval = max(1, int(parts.get("INTERVAL", "1")))
    except ValueError:
        return rule, anchor
    if freq not in _STEPS or "COUNT" in parts:
        return rule, anchor
    local = london(anchor)
    extra = []
    if freq in ("MONTHLY", "YEARLY") and not parts.keys() & {
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
    }:
        extra.append(f"BYMONTHDAY={local.day}")
        if freq == "YEARLY" and "BYMONTH" not in parts:
            extra.append(f"BYMONTH={local.month}")
    gap_days = (london_date(anchor) - day).days
    unit_days = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 28, "YEARLY": 365}[freq] * interval
    steps = gap_days // unit_days + 1
    moved = local - _periods(freq, interval * steps)
    while london_date(moved) > day:
        moved -= _periods(freq, interval)
    text = ";".join([rule.strip().rstrip(";"), *extra]) if extra else rule
    return text, moved


def _expected(rule: str, anchor: datetime, period: tuple[date, date]) -> int:
    return len(expand(rule, anchor, max(period[0], london_date(anchor)), period[1]))


def _next_due_fixed(rule: str, anchor: datetime, last_held: datetime | None) -> date | None:
    if last_held is None:
        return _first_after(rule, anchor, london_date(anchor) - timedelta(days=1))
    held_on = london_date(last_held)
    covered = _nearest(rule, anchor, held_on)
    return _first_after(rule, anchor, max(held_on, covered or held_on))


def figures(
    rule: str | None,
    anchor: datetime | None,
    meetings: list[MeetingFact],
    as_of: date,
    tolerance_days: int,
    period: tuple[date, date],
) -> CadenceFigures:
    """The cadence figures of one network from its meetings (plain data, no database)."""
    held = sorted(
        (
            m
            for m in meetings
            if m.status == MeetingStatus.HELD and london_date(m.starts_at) <= as_of
        ),
        key=lambda m: m.starts_at,
    )
    last_held = held[-1].starts_at if held else None
    planned = sorted(
        (m for m in meetings if m.status == MeetingStatus.PLANNED), key=lambda m: m.starts_at
    )
    upcoming = [m.starts_at for m in planned if london_date(m.starts_at) >= as_of]
    in_period = [m for m in meetings if period[0] <= london_date(m.starts_at) <= period[1]]
    result = CadenceFigures(
        last_held=last_held,
        next_due=None,
        next_scheduled=upcoming[0] if upcoming else None,
        expected=None,
        held=sum(m.status == MeetingStatus.HELD for m in in_period),
        cancelled=sum(m.status == MeetingStatus.CANCELLED for m in in_period),
        overdue=False,
        days_overdue=0,
    )
    if not rule or anchor is None:
        return result
    if not meetings:
        # Never met: the rule over the whole period, due from its first slot in it.
        phased, start = phased_before(rule, anchor, period[0])
        result.expected = len(expand(phased, start, period[0], period[1]))
        result.next_due = _first_after(phased, start, period[0] - timedelta(days=1))
    elif has_fixed_days(rule):
        result.expected = _expected(rule, anchor, period)
        result.next_due = _next_due_fixed(rule, anchor, last_held)
    else:
        before = [m.starts_at for m in held if london_date(m.starts_at) <= period[0]]
        result.expected = _expected(rule, before[-1] if before else anchor, period)
        start = last_held or anchor
        result.next_due = _first_after(
            rule, start, london_date(start) - timedelta(days=0 if last_held else 1)
        )
    due = result.next_due
    if due is not None and as_of > due:
        window = timedelta(days=tolerance_days)
        # Cancelled meetings are not "scheduled": only a planned one saves the date.
        scheduled = any(abs(london_date(m.starts_at) - due) <= window for m in planned)
        if not scheduled:
            result.overdue = True
            result.days_overdue = (as_of - due).days
    return result


@dataclass
class NetworkCadence:
    """One network's line in the cadence report (and the CadencePanel's row)."""

    network_id: int
    network: str
    rule: str | None
    tolerance_days: int
    as_of: date
    period_start: date
    last_held: date | None
    next_due: date | None
    next_scheduled: date | None
    expected: int | None
    held: int
    cancelled: int
    overdue: bool
    days_overdue: int
    minutes_late: list[MinutesDeadline] = field(default_factory=list)
    minutes_due_soon: list[MinutesDeadline] = field(default_factory=list)
    rule_problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, date):
                data[key] = value.isoformat()
        data["minutes_late"] = [m.to_dict() for m in self.minutes_late]
        data["minutes_due_soon"] = [m.to_dict() for m in self.minutes_due_soon]
        return data


def _on_rule(rule: str | None, moment: datetime) -> bool:
    """Whether a meeting at ``moment`` falls on one of the rule's own dates (a second Tuesday)."""
    if not rule or not has_fixed_days(rule):
        return True
    try:
        day_start = datetime.combine(london_date(moment), time.min, LONDON)  # any hour that day
        first = next(iter(_rrule(rule, day_start)), None)
    except RuleError:
        return True
    return first is not None and first.date() == london_date(moment)


def _anchor(network: Network, meetings: list[Meeting]) -> datetime | None:
    """The first meeting fixes the rule's phase and time of day; else the day the network was made.

    The first meeting on one of the rule's dates, if any is: a meeting off them (an
    inaugural one on a Wednesday, a past one entered after the next was scheduled) would
    shift "quarterly, second Tuesday" to other months than the meetings already booked.
    """
    if meetings:
        ordered = sorted(m.starts_at for m in meetings)
        rule = network.cadence_rrule
        return next((start for start in ordered if _on_rule(rule, start)), ordered[0])
    if network.created_at is not None:
        return datetime.combine(london_date(network.created_at), time(10), LONDON)
    return None


@dataclass(frozen=True)
class _Read:
    """What ``network_cadence`` reads of one network, read for all of them at once."""

    meetings: list[Meeting]
    minutes_late: list[MinutesDeadline]
    minutes_due_soon: list[MinutesDeadline]


def _read_all(session: Session, networks: list[Network], as_of: date) -> dict[int, _Read]:
    """Every network's meetings and late or soon-due minutes in three statements, not three a network."""
    from vru_crm.governance.minutes import late_minutes_in, minutes_due_soon_in

    ids = [saved_id(n) for n in networks]
    meetings: dict[int | None, list[Meeting]] = {}
    for m in session.exec(select(Meeting).where(col(Meeting.network_id).in_(ids))):
        meetings.setdefault(m.network_id, []).append(m)
    late: dict[int | None, list[MinutesDeadline]] = {}
    for d in late_minutes_in(session, as_of):
        late.setdefault(d.network_id, []).append(d)
    soon: dict[int | None, list[MinutesDeadline]] = {}
    for d in minutes_due_soon_in(session, as_of):
        soon.setdefault(d.network_id, []).append(d)
    return {i: _Read(meetings.get(i, []), late.get(i, []), soon.get(i, [])) for i in ids}


def network_cadence(
    session: Session,
    network: Network,
    as_of: date,
    tolerance_days: int | None = None,
    read: _Read | None = None,
) -> NetworkCadence:
    """The figures for one network, read inside an open session (or given, ``_read_all``)."""
    from vru_crm.governance.minutes import late_minutes_in, minutes_due_soon_in

    if read is None:
        read = _Read(
            list(session.exec(select(Meeting).where(Meeting.network_id == network.id)).all()),
            late_minutes_in(session, as_of, network.id),
            minutes_due_soon_in(session, as_of, network_id=network.id),
        )
    meetings = read.meetings
    tolerance = network.cadence_tolerance_days if tolerance_days is None else tolerance_days
    period = (as_of - relativedelta(years=1) + timedelta(days=1), as_of)
    problem = rule_problem(network.cadence_rrule)
    rule = None if problem else network.cadence_rrule
    facts = [MeetingFact(m.starts_at, m.status, m.id) for m in meetings]
    result = figures(rule, _anchor(network, meetings), facts, as_of, tolerance, period)
    return NetworkCadence(
        network_id=saved_id(network),
        network=network.name,
        rule=network.cadence_rrule,
        tolerance_days=tolerance,
        as_of=as_of,
        period_start=period[0],
        last_held=london_date(result.last_held) if result.last_held else None,
        next_due=result.next_due,
        next_scheduled=london_date(result.next_scheduled) if result.next_scheduled else None,
        expected=result.expected,
        held=result.held,
        cancelled=result.cancelled,
        overdue=result.overdue,
        days_overdue=result.days_overdue,
        minutes_late=read.minutes_late,
        minutes_due_soon=read.minutes_due_soon,
        rule_problem=problem,
    )


def cadence_report(
    database: Database,
    as_of: date | None = None,
    network: str | None = None,
    tolerance_days: int | None = None,
) -> list[NetworkCadence]:
    """Every network's cadence figures (or one network's, by name), as of a day."""
    day = as_of or today_in_london()
    with database.session() as s:
        if network:
            networks = [find_network(s, network)]
        else:
            # Archived networks leave the report; named, they are still answered for.
            networks = [
                n
                for n in s.exec(select(Network).order_by(Network.name)).all()
                if n.archived_on is None
            ]
        read = _read_all(s, networks, day)
        return [network_cadence(s, n, day, tolerance_days, read[saved_id(n)]) for n in networks]


def expected_meetings(
    database: Database, network_id: int, start: date, end: date
) -> list[datetime]:
    """The expected meeting times of a network between two dates (for calendars and panels)."""
    with database.session() as s:
        network = s.get(Network, network_id)
        if network is None or not network.cadence_rrule or rule_problem(network.cadence_rrule):
            return []
        meetings = list(s.exec(select(Meeting).where(Meeting.network_id == network_id)).all())
        anchor = _anchor(network, meetings)
    return expand(network.cadence_rrule, anchor, start, end) if anchor else []


def cadence_for(
    database: Database, network_id: int, as_of: date | None = None
) -> NetworkCadence | None:
    """One network's figures by id (the network page's cadence health); None if it is gone."""
    with database.session() as s:
        network = s.get(Network, network_id)
        if network is None:
            return None
        return network_cadence(s, network, as_of or today_in_london())
