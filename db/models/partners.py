"""Organisations, people, their affiliations and stakeholder assessments."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from db.models.base import Timestamped, Versioned
from db.types import UTCDateTime, utcnow


class Organisation(Versioned, Timestamped, table=True):
    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    sector: str = Field(foreign_key="sector.code", max_length=32, index=True)
    website: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=200, index=True)
    phone: str | None = Field(default=None, max_length=50)
    notes: str = ""
    is_priority: bool = Field(default=False, description="a priority partner for the VRU")


class OrganisationBorough(SQLModel, table=True):
    __tablename__ = "organisation_borough"

    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, ondelete="CASCADE"
    )
    borough_id: int = Field(
        foreign_key="borough.id", primary_key=True, ondelete="CASCADE", index=True
    )


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, unique=True)


class OrganisationTag(SQLModel, table=True):
    __tablename__ = "organisation_tag"

    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, ondelete="CASCADE"
    )
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


class Person(Versioned, Timestamped, table=True):
    """Someone the VRU works with. Young people carry an age band, never a birth date."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=200, index=True)
    job_title: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=200, index=True)
    phone: str | None = Field(default=None, max_length=50)
    borough_id: int | None = Field(default=None, foreign_key="borough.id", ondelete="SET NULL")
    is_young_person: bool = False
    age_band: str | None = Field(default=None, max_length=16)
    notes: str = ""


class Affiliation(SQLModel, table=True):
    """A person's link to an organisation over a period (their job there)."""

    __tablename__ = "affiliation"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    role: str | None = Field(default=None, max_length=200)
    start_date: date | None = None
    end_date: date | None = None


class StakeholderAssessment(SQLModel, table=True):
    """A dated judgement of an organisation's influence, interest and support (1-5).

    Kept as a history: a new assessment is a new row, so change over time shows.
    """

    __tablename__ = "stakeholder_assessment"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    assessed_on: date
    influence: int = Field(ge=1, le=5)
    interest: int = Field(ge=1, le=5)
    support: int = Field(ge=1, le=5)
    assessed_by: str | None = Field(default=None, max_length=80)
    notes: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
