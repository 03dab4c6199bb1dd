"""Scheduling meetings so calendars stay in step.

Every change a calendar program shows (time, place, link, status, title) bumps
``Meeting.sequence``: that is how Outlook, Google and Thunderbird know an
imported event replaces the copy they hold. The UID is made once, when the
meeting is created, so re-exports update events instead of duplicating them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from db.enums import MeetingStatus
from db.errors import ConcurrentEditError
from db.models import Meeting, Network
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.common import get_or_fail, meeting_or_fail, url_problem

# Fields a calendar program shows: a change to any of them is a new SEQUENCE.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "status")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "network_id", "chair", "notes")


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


def _row(meeting: Meeting) -> MeetingRow:
    return MeetingRow(
        meeting.id,
        meeting.network_id,
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        meeting.status,
        meeting.location,
        meeting.uid,
        meeting.sequence,
    )


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
    start, end = values.get("starts_at"), values.get("ends_at")
    if start and end and start.tzinfo and end.tzinfo and end < start:
        problems["ends_at"] = "the meeting ends before it starts"
    if "status" in values and values["status"] not in set(MeetingStatus):
        problems["status"] = (
            f'"{values["status"]}" is not a meeting status (planned, held, cancelled)'
        )
    if values.get("online_url") and (problem := url_problem(values["online_url"])):
        problems["online_url"] = problem
    if values.get("location") and len(values["location"]) > 300:
        problems["location"] = "the location is too long (at most 300 characters)"
    return problems


def apply_changes(session: Session, meeting: Meeting, changes: dict[str, Any]) -> bool:
    """Set ``changes`` on ``meeting`` (validated), bumping SEQUENCE if a calendar field changed.

    Returns whether anything changed. Used inside other units of work (the
    calendar import, recording a meeting as held).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "cannot be changed here" for name in sorted(unknown)})
    merged = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, **changes}
    problems = meeting_problems(merged)
    if changes.get("network_id") is not None:
        get_or_fail(session, Network, changes["network_id"], "network")
    if problems:
        raise ValidationError(problems)
    changed = {k for k, v in changes.items() if getattr(meeting, k) != v}
    for name in changed:
        setattr(meeting, name, changes[name])
    if changed & set(CALENDAR_FIELDS):
        meeting.sequence += 1
    return bool(changed)


def create_meeting(database: Database, **values: Any) -> MeetingRow:
    """A new meeting; its iCalendar UID is made now, once, unless ``uid`` is given."""
    values.setdefault("status", MeetingStatus.PLANNED.value)
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
        meeting = Meeting(**{**values, "title": values["title"].strip()})
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


def cancel_meeting(database: Database, meeting_id: int) -> MeetingRow:
    """Cancel: the calendar export then says STATUS:CANCELLED with a higher SEQUENCE."""
    return update_meeting(database, meeting_id, status=MeetingStatus.CANCELLED.value)


def check_version(record: Any, expected_version: int | None) -> None:
    if expected_version is not None and record.version != expected_version:
        raise ConcurrentEditError(
            "Someone else saved this record after you opened it. "
            "Reload it to see their change, then make yours again."
        )
