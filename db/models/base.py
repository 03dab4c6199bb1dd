"""Mixins shared by the tables: optimistic locking and timestamps."""

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Table, inspect
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

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # SQLModel sets __table__ on each table class (before this runs) but does not declare it.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


def table_of(model: type[SQLModel]) -> Table:
    """The Core ``Table`` behind a table model, for inserts and selects without the ORM.

    SQLModel gives every ``table=True`` class a ``__table__`` but does not declare it to
    type checkers; the mapper's table is the same object, typed.
    """
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


class _Saved(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(record: _Saved) -> int:
    """The id of a record read from the database or flushed to it.

    The models declare ``id: int | None`` because a new record has no id until it is
    flushed; code that passes a record on by id needs the id it is known to have.
    """
    if record.id is None:
        raise RuntimeError(f"This {type(record).__name__} has no id: it was never saved.")
    return record.id
