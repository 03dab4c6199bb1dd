"""Data protection: lawful basis, consent, contact preferences, subject access, retention.

Kept beside ``person`` rather than in it: a person's protection record is
written by a different screen (and by a different colleague's code) than their
contact details, and a missing row simply means "nothing recorded yet".

The two ``anonymous_*`` tables keep aggregate counts true after a person is
erased or an old engagement anonymised: the link to the person goes, a count
of one more anonymous attendee or participant stays.
"""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from db.models.base import Timestamped, Versioned
from db.types import UTCDateTime


class PersonProtection(Versioned, Timestamped, table=True):
    """Why the VRU may hold a person's data, how they may be contacted, and when to review it."""

    __tablename__ = "person_protection"

    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    # consent, legitimate_interests, public_task, contract, legal_obligation, vital_interests
    lawful_basis: str | None = Field(default=None, max_length=32)
    lawful_basis_note: str = ""
    no_email: bool = False
    no_phone: bool = False
    no_post: bool = False
    review_on: date | None = Field(default=None, index=True)


class ConsentRecord(Versioned, Timestamped, table=True):
    """One consent: what for, by which channel, given by whom, when, how; withdrawn when."""

    __tablename__ = "consent_record"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    purpose: str = Field(max_length=40)
    channel: str = Field(default="any", max_length=12)
    given_by: str = Field(default="self", max_length=16)
    given_by_name: str | None = Field(default=None, max_length=200)
    given_by_relationship: str | None = Field(default=None, max_length=80)
    given_on: date
    method: str = Field(default="written", max_length=20)
    withdrawn_on: date | None = None
    notes: str = ""


class SubjectAccessRequest(Versioned, Timestamped, table=True):
    """A request to see everything held about a person; due one calendar month after receipt."""

    __tablename__ = "subject_access_request"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True
    )
    requested_by: str = Field(default="", max_length=200)
    received_on: date
    due_on: date = Field(index=True)
    answered_on: date | None = None
    notes: str = ""


class RetentionPolicy(Versioned, Timestamped, table=True):
    """How long one kind of record is kept, and what happens to it after that."""

    __tablename__ = "retention_policy"

    id: int | None = Field(default=None, primary_key=True)
    record_kind: str = Field(max_length=40, unique=True)
    action: str = Field(default="anonymise", max_length=12)
    keep_years: int = Field(default=6, ge=1)
    is_active: bool = True
    description: str = ""


class AnonymousAttendance(SQLModel, table=True):
    """Attendees of a meeting who were erased: counted, no longer named."""

    __tablename__ = "anonymous_attendance"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(default="present", max_length=12, primary_key=True)
    count: int = Field(default=0, ge=0)


class AnonymousParticipant(SQLModel, table=True):
    """People once linked to an engagement, unlinked by erasure or retention: counted only."""

    __tablename__ = "anonymous_participant"

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    count: int = Field(default=0, ge=0)


class ErasureRecord(SQLModel, table=True):
    """One erased record: enough to erase it again from restored data, and nothing about who.

    ``person_created_at`` tells the erased row from a later one that was given
    the same id (SQLite reuses the highest id once it is free): a restored row
    is the erased person when its id and creation instant both match, or, when
    the instant is not known (a merge made before it was recorded), when it was
    created before ``until``, the moment its id was freed. No name, e-mail,
    phone or hash of them is kept: see docs/DATA_PROTECTION.md for why.
    Mirrored in a file outside the database (``vru_crm.protection.register``),
    so a restore that replaces this table cannot make the app forget an erasure.
    """

    __tablename__ = "erasure_register"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(index=True)
    person_created_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    until: datetime = Field(sa_type=UTCDateTime, nullable=False)
    mode: str = Field(default="delete", max_length=12)
    # "erased": the person themselves; "merged": a duplicate merged into an erased person
    kind: str = Field(default="erased", max_length=12)
