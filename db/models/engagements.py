"""The engagement log and its many-to-many links."""

from datetime import date

from sqlmodel import Field, SQLModel

from db.models.base import Timestamped, Versioned


class Engagement(Versioned, Timestamped, table=True):
    __tablename__ = "engagement"

    id: int | None = Field(default=None, primary_key=True)
    occurred_on: date = Field(index=True)
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
