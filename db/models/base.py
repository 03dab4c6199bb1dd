"""Mixins shared by the tables: optimistic locking and timestamps."""

from datetime import datetime

from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow


class Versioned(SQLModel):
    """Optimistic locking: every UPDATE checks and bumps ``version``.

    Two processes that load the same row and both save raise
    ``sqlalchemy.orm.exc.StaleDataError`` in the second, instead of the second
    silently overwriting the first.
    """

    version: int = Field(default=1, nullable=False)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )
