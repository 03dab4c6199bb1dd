"""Meetings, their attendance and agenda items."""

import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from db.models.base import Timestamped, Versioned
from db.types import UTCDateTime


def new_meeting_uid() -> str:
    """A stable iCalendar UID: made once at creation, never at export time."""
    return f"{uuid.uuid4()}@vru-crm"


class Meeting(Versioned, Timestamped, table=True):
    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    network_id: int | None = Field(
        default=None, foreign_key="network.id", ondelete="SET NULL", index=True
    )
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    location: str | None = Field(default=None, max_length=300)
    online_url: str | None = Field(default=None, max_length=500)
    status: str = Field(default="planned", max_length=12)
    minutes_status: str = Field(default="none", max_length=12)
    minutes_url: str | None = Field(default=None, max_length=500)
    minutes_published_on: date | None = None
    minutes_approved_on: date | None = None
    notes: str = ""
    uid: str = Field(default_factory=new_meeting_uid, max_length=200, unique=True)
    sequence: int = 0
    chair: str | None = Field(default=None, max_length=200, description="who chairs this meeting")
    cancel_reason: str | None = Field(default=None, max_length=500)


class MeetingGuest(SQLModel, table=True):
    """Someone who attended without being a member, recorded by name only."""

    __tablename__ = "meeting_guest"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=200)
    represents: str | None = Field(default=None, max_length=200)


class Attendance(SQLModel, table=True):
    __tablename__ = "attendance"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(
        foreign_key="person.id", primary_key=True, ondelete="CASCADE", index=True
    )
    status: str = Field(default="present", max_length=12)


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    position: int = 0
    title: str = Field(max_length=300)
    presenter: str | None = Field(default=None, max_length=200)
    minutes_allotted: int | None = Field(default=None, ge=0)
    paper_url: str | None = Field(default=None, max_length=500)
    kind: str = Field(default="discussion", max_length=20)
    notes: str = ""
    # What the meeting decided on the item (agreed, not_agreed, deferred, noted).
    outcome: str | None = Field(default=None, max_length=20)
    # For a "minutes of the previous meeting" item: the meeting whose minutes it approves.
    subject_meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", ondelete="SET NULL"
    )
