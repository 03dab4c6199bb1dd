"""The engagement log and its many-to-many links."""

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from db.models.base import Timestamped, Versioned


class Engagement(Versioned, Timestamped, table=True):
    __tablename__ = "engagement"
    __table_args__ = (
        # open follow-ups by date without visiting the closed ones (migration 0007)
        Index("ix_engagement_follow_up_open", "follow_up_done", "follow_up_on"),
        # the list's default order (date, then id) read straight off one index (migration 0008)
        Index("ix_engagement_occurred_on_id", "occurred_on", "id"),
        # the list's kind and flag filters read in date order off an index (migration 0010);
        # its summary order is ix_search_engagement_summary (db/search_index.py)
        Index("ix_engagement_kind_occurred_on_id", "kind", "occurred_on", "id"),
        Index("ix_engagement_is_notable_occurred_on_id", "is_notable", "occurred_on", "id"),
        # Home's follow-ups of one staff member and their counts, off the index alone (0011)
        Index(
            "ix_engagement_logged_by_follow_up", "logged_by_id", "follow_up_done", "follow_up_on"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurred_on: date
    kind: str = Field(max_length=20, index=True)
    logged_by_id: int | None = Field(
        default=None, foreign_key="staff_user.id", ondelete="SET NULL", index=True
    )
    summary: str = ""
    outcome: str = ""
    people_reached: int = Field(default=0, ge=0)
    follow_up_on: date | None = Field(default=None, index=True)
    follow_up_done: bool = False
    is_notable: bool = Field(default=False, description="flagged for the next PRG agenda")
    is_synthetic: bool = Field(default=False, description="generated demo data, not a real record")


class EngagementOrganisation(SQLModel, table=True):
    __tablename__ = "engagement_organisation"

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, ondelete="CASCADE", index=True
    )


class EngagementPerson(SQLModel, table=True):
    __tablename__ = "engagement_person"

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(
        foreign_key="person.id", primary_key=True, ondelete="CASCADE", index=True
    )


class EngagementBorough(SQLModel, table=True):
    __tablename__ = "engagement_borough"

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    borough_id: int = Field(
        foreign_key="borough.id", primary_key=True, ondelete="CASCADE", index=True
    )


class EngagementNetwork(SQLModel, table=True):
    __tablename__ = "engagement_network"

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    network_id: int = Field(
        foreign_key="network.id", primary_key=True, ondelete="CASCADE", index=True
    )


class EngagementObjective(SQLModel, table=True):
    __tablename__ = "engagement_objective"

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    objective_id: int = Field(
        foreign_key="objective.id", primary_key=True, ondelete="CASCADE", index=True
    )


class EngagementRollup(SQLModel, table=True):
    """Engagements and people reached per span and dimension, kept by triggers (db/rollup.py).

    A span is the days of one ISO week within one calendar month, known by its
    first day, so any week- or month-aligned period is a whole number of spans.
    ``dim`` is kind/borough/network/objective/sector; ``item`` the kind, id or
    sector code ('*' for "at least one"). The dashboard reads this instead of
    counting the log. Never written by the application.
    """

    __tablename__ = "engagement_rollup"
    __table_args__ = {"sqlite_with_rowid": False}

    dim: str = Field(primary_key=True, max_length=12)
    span_start: date = Field(primary_key=True)
    item: str = Field(primary_key=True, max_length=32)
    engagements: int = 0
    people: int = 0


class OrganisationDaily(SQLModel, table=True):
    """Engagements per organisation per day, kept by triggers (db/rollup.py).

    No foreign key: a deleted organisation's rows fall to zero through its
    cascaded links, and readers ask for counts above zero.
    """

    __tablename__ = "organisation_daily"
    __table_args__ = (
        # who was engaged since a day, and who last before it, for Home (migration 0011)
        Index("ix_organisation_daily_day", "day", "organisation_id", "engagements"),
        {"sqlite_with_rowid": False},
    )

    organisation_id: int = Field(primary_key=True)
    day: date = Field(primary_key=True)
    engagements: int = 0
