"""Networks the VRU convenes or works through, and who belongs to them."""

from datetime import date

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from db.models.base import Timestamped, Versioned


class Network(Versioned, Timestamped, table=True):
    __tablename__ = "network"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    # What people call it: "PRG", "YPAG". Accepted wherever a network is named, any case.
    short_name: str | None = Field(default=None, max_length=20, unique=True, index=True)
    kind: str = Field(max_length=20)
    description: str = ""
    cadence_rrule: str | None = Field(
        default=None, max_length=200, description="RFC 5545 RRULE, e.g. FREQ=MONTHLY;INTERVAL=3"
    )
    minutes_publication_days: int | None = Field(default=None, ge=0)
    quorum: int | None = Field(default=None, ge=0)
    cadence_tolerance_days: int = Field(
        default=14, ge=0, description="days a meeting may fall from its expected date"
    )
    # How long a meeting usually lasts ("10:00 to 12:00" in the cadence words: 120).
    meeting_minutes: int | None = Field(default=None, ge=0)
    # Archived networks keep their history but leave lists, pickers and cadence.
    archived_on: date | None = None


class Membership(Versioned, table=True):
    """A person or an organisation (exactly one) in a network, with a role and dates.

    A change of role ends one row and starts another on the same day, so the
    history of who held which role stays; leaving sets ``end_date``, never deletes.
    """

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint(
            "(person_id IS NULL) <> (organisation_id IS NULL)", name="membership_one_member"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="CASCADE", index=True
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="CASCADE", index=True
    )
    role: str = Field(default="member", max_length=20)
    represents: str | None = Field(default=None, max_length=200)
    start_date: date | None = None
    end_date: date | None = None


class StandingItem(SQLModel, table=True):
    """An item that opens (or closes) every agenda of a network, e.g. "Welcome and apologies"."""

    __tablename__ = "standing_item"

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", ondelete="CASCADE", index=True)
    position: int = 0
    title: str = Field(max_length=300)
    presenter: str | None = Field(default=None, max_length=200)
    minutes_allotted: int | None = Field(default=None, ge=0)
    kind: str = Field(default="standing", max_length=20)
