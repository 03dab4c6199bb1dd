"""Staff users and the audit trail."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow


class StaffUser(SQLModel, table=True):
    """A member of VRU staff: who logged an engagement, who made a change."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    display_name: str = Field(max_length=120)
    email: str | None = Field(default=None, max_length=200)
    is_active: bool = True


class AuditEntry(SQLModel, table=True):
    """One create, update or delete of a record.

    ``changes`` is JSON: ``{field: [old, new]}``. Entries have no foreign keys
    so they outlive the rows they describe.
    """

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    username: str = Field(max_length=80)
    action: str = Field(max_length=10)
    entity: str = Field(max_length=60, index=True)
    entity_id: int | None = Field(default=None, index=True)
    summary: str = Field(default="", max_length=300)
    changes: str = Field(default="{}")
