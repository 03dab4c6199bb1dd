"""Minutes: none -> draft -> approved -> published, and which are late.

Approval normally happens at the next meeting of the same network, when its
"minutes of the previous meeting" item is recorded as agreed (see
``agenda.record_outcome``). Each network has a publication window in days,
counted from the meeting; minutes not published by then are late.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from db.enums import MeetingStatus, MinutesStatus
from db.models import Meeting, Network, saved_id
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.common import meeting_or_fail, url_problem
from vru_crm.governance.meetings import check_version, web_address
from vru_crm.london import london_date, today_in_london

NEXT_STEP = {
    MinutesStatus.NONE: MinutesStatus.DRAFT,
    MinutesStatus.DRAFT: MinutesStatus.APPROVED,
    MinutesStatus.APPROVED: MinutesStatus.PUBLISHED,
}
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class MinutesState:
    meeting_id: int
    status: str
    approved_on: date | None
    published_on: date | None
    url: str | None
    version: int


@dataclass(frozen=True)
class MinutesDeadline:
    """A held meeting's minutes against the publication window."""

    meeting_id: int
    network_id: int | None
    title: str
    held_on: date
    status: str
    deadline: date
    published_on: date | None
    days: int  # late: days past the deadline; due soon: days left

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("held_on", "deadline", "published_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def _state(meeting: Meeting) -> MinutesState:
    return MinutesState(
        saved_id(meeting),
        meeting.minutes_status,
        meeting.minutes_approved_on,
        meeting.minutes_published_on,
        meeting.minutes_url,
        meeting.version,
    )


def transition_problems(
    meeting: Meeting, to_status: str, on: date | None, url: str | None
) -> dict[str, str]:
    """What stops ``meeting``'s minutes moving to ``to_status``, field by field."""
    if to_status not in set(MinutesStatus):
        return {"status": f'"{to_status}" is not a minutes status (draft, approved, published)'}
    if meeting.status != MeetingStatus.HELD:
        return {
            "status": f"minutes are only kept for a meeting that was held (this one is {meeting.status})"
        }
    current = MinutesStatus(meeting.minutes_status)
    if NEXT_STEP.get(current) != to_status:
        step = NEXT_STEP.get(current)
        allowed = f"the next step is {step.value}" if step else "they are already published"
        return {"status": f"minutes that are {current.value} cannot become {to_status}: {allowed}"}
    problems: dict[str, str] = {}
    held_on = london_date(meeting.starts_at)
    if to_status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
        if on is None:
            problems["date"] = "a date is required"
        elif on < held_on:
            problems["date"] = f"{on:%d/%m/%Y} is before the meeting ({held_on:%d/%m/%Y})"
        elif on > today_in_london():
            problems["date"] = f"{on:%d/%m/%Y} is in the future"
    if to_status == MinutesStatus.PUBLISHED:
        if problem := url_problem(web_address(url)):
            problems["url"] = problem
        approved = meeting.minutes_approved_on
        if on and approved and on < approved and "date" not in problems:
            problems["date"] = f"published before they were approved ({approved:%d/%m/%Y})"
    return problems


def apply_transition(meeting: Meeting, to_status: str, on: date | None, url: str | None) -> None:
    """Move the minutes one step (validated); used inside other units of work too.

    A link pasted as ``www.…`` is saved with its ``https://``, so it opens when clicked.
    """
    url = web_address(url)
    problems = transition_problems(meeting, to_status, on, url)
    if problems:
        raise ValidationError(problems)
    meeting.minutes_status = to_status
    if to_status == MinutesStatus.APPROVED:
        meeting.minutes_approved_on = on
    elif to_status == MinutesStatus.PUBLISHED:
        meeting.minutes_published_on = on
        meeting.minutes_url = (url or "").strip()


def advance_minutes(
    database: Database,
    meeting_id: int,
    to_status: str,
    *,
    on: date | None = None,
    url: str | None = None,
    expected_version: int | None = None,
) -> MinutesState:
    """Move a meeting's minutes to the next status; publishing needs the URL and the date."""
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        check_version(meeting, expected_version)
        apply_transition(meeting, to_status, on, url)
        s.flush()
        return _state(meeting)


def minutes_state(database: Database, meeting_id: int) -> MinutesState:
    with database.session() as s:
        return _state(meeting_or_fail(s, meeting_id))


def deadline_for(held_on: date, window_days: int | None) -> date | None:
    """The last day on which the minutes may be published, or None without a window."""
    return None if window_days is None else held_on + timedelta(days=window_days)


def _held_with_windows(
    session: Session, network_id: int | None, *, published: bool | None = None
) -> Iterator[tuple[Meeting, date, date]]:
    """Held meetings of networks with a publication window: (meeting, London day, deadline).

    ``published`` narrows to meetings whose minutes are (True) or are not (False)
    published, in SQL: with years of meetings nearly all are published, and
    Home asks only about the others (5,000 meetings: 300 ms to a few ms).
    """
    query = (
        select(Meeting, Network.minutes_publication_days)
        .join(Network, col(Network.id) == Meeting.network_id)
        .where(Meeting.status == MeetingStatus.HELD)
        .where(col(Network.minutes_publication_days).is_not(None))
    )
    if network_id is not None:
        query = query.where(Meeting.network_id == network_id)
    if published is not None:
        is_published = col(Meeting.minutes_status) == MinutesStatus.PUBLISHED
        query = query.where(is_published if published else ~is_published)
    for meeting, window in session.exec(query.order_by(col(Meeting.id))).all():
        held_on = london_date(meeting.starts_at)
        if (deadline := deadline_for(held_on, window)) is not None:  # always: the query has windows
            yield meeting, held_on, deadline


def _deadline(meeting: Meeting, held_on: date, deadline: date, days: int) -> MinutesDeadline:
    return MinutesDeadline(
        saved_id(meeting),
        meeting.network_id,
        meeting.title,
        held_on,
        meeting.minutes_status,
        deadline,
        meeting.minutes_published_on,
        days,
    )


def late_minutes_in(
    session: Session, as_of: date, network_id: int | None = None
) -> list[MinutesDeadline]:
    """Held meetings whose minutes are unpublished past the deadline, most overdue first."""
    late = []
    for meeting, held_on, deadline in _held_with_windows(session, network_id, published=False):
        if held_on > as_of:
            continue
        if as_of > deadline:
            late.append(_deadline(meeting, held_on, deadline, (as_of - deadline).days))
    return sorted(late, key=lambda m: -m.days)


def published_late_in(session: Session, network_id: int | None = None) -> list[MinutesDeadline]:
    """Minutes already published, but after their deadline (and by how many days)."""
    late = []
    for meeting, held_on, deadline in _held_with_windows(session, network_id, published=True):
        published = meeting.minutes_published_on
        if published and published > deadline:
            late.append(_deadline(meeting, held_on, deadline, (published - deadline).days))
    return sorted(late, key=lambda m: m.held_on)


def minutes_due_soon_in(
    session: Session, as_of: date, within_days: int = DUE_SOON_DAYS, network_id: int | None = None
) -> list[MinutesDeadline]:
    """Unpublished minutes whose deadline falls in the next ``within_days`` days (a warning)."""
    soon = []
    for meeting, held_on, deadline in _held_with_windows(session, network_id, published=False):
        if held_on > as_of:
            continue
        if as_of <= deadline <= as_of + timedelta(days=within_days):
            soon.append(_deadline(meeting, held_on, deadline, (deadline - as_of).days))
    return sorted(soon, key=lambda m: m.days)


def late_minutes(
    database: Database, as_of: date | None = None, network_id: int | None = None
) -> list[MinutesDeadline]:
    with database.session() as s:
        return late_minutes_in(s, as_of or today_in_london(), network_id)


def minutes_due_soon(
    database: Database, as_of: date | None = None, within_days: int = DUE_SOON_DAYS
) -> list[MinutesDeadline]:
    """For Home: minutes about to become late, so they can be published in time."""
    with database.session() as s:
        return minutes_due_soon_in(s, as_of or today_in_london(), within_days)


def minutes_awaiting_approval_in(session: Session, network_id: int, before: date) -> list[Meeting]:
    """Held meetings of a network, before a day, whose draft minutes are not yet approved."""
    query = (
        select(Meeting)
        .where(Meeting.network_id == network_id)
        .where(Meeting.status == MeetingStatus.HELD)
        .where(Meeting.minutes_status == MinutesStatus.DRAFT)
        .order_by(col(Meeting.starts_at))
    )
    return [m for m in session.exec(query).all() if london_date(m.starts_at) < before]
