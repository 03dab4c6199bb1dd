"""Actions from meetings and recommendations from correspondence."""

from datetime import date

from sqlmodel import Field

from db.models.base import Timestamped, Versioned


class Letter(Versioned, Timestamped, table=True):
    """A letter that carries recommendations (e.g. from the Police and Crime Committee)."""

    __tablename__ = "letter"

    id: int | None = Field(default=None, primary_key=True)
    sender: str = Field(max_length=200)
    letter_date: date
    reply_due: date | None = None
    subject: str | None = Field(default=None, max_length=300)
    text: str = ""


class Recommendation(Versioned, Timestamped, table=True):
    """A numbered recommendation in a letter (e.g. from the Police and Crime Committee)."""

    __tablename__ = "recommendation"

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int | None = Field(
        default=None, foreign_key="letter.id", ondelete="CASCADE", index=True
    )
    sender: str = Field(max_length=200)
    letter_date: date
    number: int
    text: str
    due_date: date | None = None
    status: str = Field(default="open", max_length=20)
    response_date: date | None = None
    response: str | None = None


class Action(Versioned, Timestamped, table=True):
    __tablename__ = "action"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", ondelete="SET NULL", index=True
    )
    recommendation_id: int | None = Field(
        default=None, foreign_key="recommendation.id", ondelete="SET NULL", index=True
    )
    text: str
    owner: str | None = Field(default=None, max_length=200)
    owner_person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    # A team or organisation that owns the action, when no one person does.
    owner_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL"
    )
    closing_note: str | None = None
    due_date: date | None = None
    status: str = Field(default="open", max_length=12)
    closed_on: date | None = None
