"""What every list query shares: filters, a sort, and count/page over SQL.

A list query answers two questions the table model asks: how many rows match
(``count``) and which rows sit at ``offset`` (``page``). Paging is two steps:
the ids of one page are chosen by a narrow, index-friendly statement, then only
those ids are dressed with their joined text (organisation names, boroughs).

A database walks every row before an OFFSET, so a page past the middle of the
list is read from the other end: the same statement in the reverse order (ties
broken by id both ways), offset ``total - offset - n``, reversed in Python. The
last page of 500,000 engagements then costs what the first does (PostgreSQL:
135 ms for OFFSET 499,800 alone, against under a millisecond from the end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any, ClassVar, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Select, operators
from sqlalchemy.sql.elements import UnaryExpression

from db.session import Database
from vru_crm.london import LONDON, today_in_london

RowT = TypeVar("RowT")

# Below this offset a page is read forwards without counting first: walking a
# thousand index entries costs less than a count of the list.
FORWARD_ALWAYS = 1_000


@dataclass(frozen=True)
class Filters:
    """What a filter bar can ask for. ``None``/empty means "any"."""

    text: str = ""
    sector: str | None = None
    borough_id: int | None = None
    network_id: int | None = None
    objective_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    kind: str | None = None
    status: str | None = None

    def with_(self, **changes: Any) -> Filters:
        return replace(self, **changes)


@dataclass(frozen=True)
class Sort:
    column: str
    descending: bool = False


@dataclass(frozen=True)
class Column:
    """A column a list shows: its key (used for sorting), its title, whether SQL can sort it."""

    key: str
    title: str
    sortable: bool = True


@dataclass(frozen=True)
class Choice:
    """One entry of a drop-down: the value sent to the query and the words shown."""

    value: str
    label: str


class ListQuery(Generic[RowT]):
    """Base of the list queries. Subclasses say how to filter, order and dress rows.

    ``filter_fields`` names the ``Filters`` fields the list understands, so a
    filter bar shows only those. ``statuses``/``kinds`` list the choices for the
    status and kind drop-downs.
    """

    columns: ClassVar[tuple[Column, ...]] = ()
    filter_fields: ClassVar[frozenset[str]] = frozenset({"text"})
    default_sort: ClassVar[Sort] = Sort("name")
    kinds: ClassVar[tuple[Choice, ...]] = ()
    statuses: ClassVar[tuple[Choice, ...]] = ()

    def __init__(
        self, database: Database, filters: Filters | None = None, sort: Sort | None = None
    ):
        self.database = database
        self.filters = filters or Filters()
        self.sort = sort if sort is not None and self._sortable(sort.column) else self.default_sort
        self._counted: int | None = None  # the last count(): enough to choose a direction

    # --- what subclasses provide -------------------------------------------------
    def _id_column(self) -> ColumnElement[int]:
        raise NotImplementedError

    def _from(self) -> Any:
        """The FROM clause of the id statement (a table, or a join needed to sort)."""
        raise NotImplementedError

    def _conditions(self) -> list[ColumnElement[bool]]:
        raise NotImplementedError

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        raise NotImplementedError

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, RowT]:
        raise NotImplementedError

    # --- the public side ---------------------------------------------------------
    def count(self) -> int:
        with self.database.engine.connect() as conn:
            self._counted = self._count(conn)
        return self._counted

    def page(self, offset: int, limit: int) -> list[RowT]:
        """Rows ``offset`` to ``offset + limit`` in the current sort order."""
        with self.database.engine.connect() as conn:
            ids = self._page_ids(conn, offset, limit)
            if not ids:
                return []
            dressed = self._dress(conn, ids)
        return [dressed[i] for i in ids if i in dressed]

    def ids_statement(self) -> Select[Any]:
        """The filtered, sorted ids (for exports that walk the same list)."""
        return (
            sa.select(self._id_column())
            .select_from(self._from())
            .where(*self._conditions())
            .order_by(*self._full_order())
        )

    # --- counting and paging -----------------------------------------------------
    def _count(self, conn: Connection) -> int:
        """How many rows match (subclasses may know a cheaper way for some filters)."""
        statement = sa.select(sa.func.count()).select_from(self._from()).where(*self._conditions())
        return int(conn.execute(statement).scalar_one())

    def _full_order(self) -> list[ColumnElement[Any]]:
        """The sort, then the id in the sort's direction, so no two rows ever tie."""
        identity = self._id_column()
        return [*self._order(self.sort), identity.desc() if self.sort.descending else identity]

    def _page_ids(self, conn: Connection, offset: int, limit: int) -> list[int]:
        """The ids of one page, read from whichever end of the list is nearer.

        Reading from the end needs the total as it is now, so it is counted on
        the same connection: a list that shrank since the model counted gives a
        short last page, as a forward read would.
        """
        offset, limit = max(0, offset), max(0, limit)
        if (
            offset < FORWARD_ALWAYS
            or not self._reads_back_cheaply()
            or (self._counted is not None and 2 * offset + limit <= self._counted)
        ):
            return self._ids_from_start(conn, offset, limit)
        total = self._count(conn)
        if 2 * offset + limit <= total:
            return self._ids_from_start(conn, offset, limit)
        wanted = min(limit, total - offset)
        if wanted <= 0:
            return []
        statement = (
            sa.select(self._id_column())
            .select_from(self._from())
            .where(*self._conditions())
            .order_by(*(reverse_order(clause) for clause in self._full_order()))
            .limit(wanted)
            .offset(total - offset - wanted)
        )
        return [row[0] for row in conn.execute(statement)][::-1]

    def _reads_back_cheaply(self) -> bool:
        """Whether this sort read from the end costs what it costs from the start (almost always)."""
        return True

    def _ids_from_start(self, conn: Connection, offset: int, limit: int) -> list[int]:
        return [row[0] for row in conn.execute(self._ids(offset, limit))]

    def _ids(self, offset: int, limit: int) -> Select[Any]:
        return self.ids_statement().limit(limit).offset(offset)

    def _contains(self, column: ColumnElement[str], text: str) -> ColumnElement[bool]:
        return contains(column, text, self.database.is_sqlite)

    def _sortable(self, key: str) -> bool:
        return any(c.key == key and c.sortable for c in self.columns)


def direction(
    expression: ColumnElement[Any], sort: Sort, nullable: bool = False
) -> ColumnElement[Any]:
    """``expression`` ordered as ``sort`` asks; for a ``nullable`` one, missing values go last either way.

    NULLS LAST only where it matters: on PostgreSQL it would stop a descending
    index scan (a btree runs DESC NULLS FIRST backwards), and sort 100,000 rows
    to show 200.
    """
    ordered = expression.desc() if sort.descending else expression.asc()
    return ordered.nulls_last() if nullable else ordered


def reverse_order(clause: ColumnElement[Any]) -> ColumnElement[Any]:
    """The ORDER BY term that lists rows in exactly the opposite order to ``clause``.

    ASC and DESC swap, and so do NULLS FIRST and NULLS LAST, so rows without a
    value come first when read from the end if they come last from the start.
    Without a NULLS clause each backend puts NULL at the same end of its order
    both ways (PostgreSQL: as the largest value, SQLite: as the smallest), so
    swapping the direction alone reverses it.
    """
    nulls = None
    if isinstance(clause, UnaryExpression) and clause.modifier in _NULLS:
        nulls, clause = clause.modifier, clause.element
    if isinstance(clause, UnaryExpression) and clause.modifier is operators.desc_op:
        flipped = clause.element.asc()
    elif isinstance(clause, UnaryExpression) and clause.modifier is operators.asc_op:
        flipped = clause.element.desc()
    else:
        flipped = clause.desc()
    if nulls is None:
        return flipped
    return flipped.nulls_first() if nulls is operators.nulls_last_op else flipped.nulls_last()


_NULLS = (operators.nulls_first_op, operators.nulls_last_op)


def contains(column: ColumnElement[str], text: str, sqlite: bool) -> ColumnElement[bool]:
    """Case-insensitive substring match, with % and _ in the user's text taken literally.

    SQLite's LIKE already ignores case (for ASCII, as its lower() does), so it
    is used as it is: ILIKE there would add two lower() calls per row, and a
    scan of 100,000 summaries would take twice as long. PostgreSQL gets ILIKE.
    """
    if sqlite:
        return column.contains(text, autoescape=True)
    return column.icontains(text, autoescape=True)


def london_day_bounds(
    day_from: date | None, day_to: date | None
) -> tuple[datetime | None, datetime | None]:
    """UTC instants for "from the start of ``day_from`` to the end of ``day_to``" in London."""
    start = datetime.combine(day_from, time.min, LONDON).astimezone(UTC) if day_from else None
    end = None
    if day_to:
        end = datetime.combine(day_to, time.max, LONDON).astimezone(UTC)
    return start, end


# Joins names with a character no name contains, so "Smith, Jones & Co" stays whole.
SEP = "\x1f"


def joined(column: ColumnElement[str]) -> ColumnElement[str]:
    """group_concat on SQLite, string_agg on PostgreSQL; split it with ``sorted_list``."""
    return sa.func.aggregate_strings(column, SEP)


def sorted_list(text: str | None) -> str:
    """The database's joined names, alphabetically (aggregation order is not guaranteed)."""
    return ", ".join(sorted(set(text.split(SEP)), key=str.casefold)) if text else ""


@dataclass(frozen=True)
class Ref:
    """A link to another record: what to open and what to call it."""

    kind: str
    id: int
    label: str


def is_current(end: date | None, today: date | None = None) -> bool:
    return end is None or end >= (today or today_in_london())


def month_key(conn: Connection, column: ColumnElement[date]) -> ColumnElement[str]:
    """'YYYY-MM' of a date column, in this backend's dialect."""
    if conn.dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")
