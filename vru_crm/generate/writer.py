"""Bulk writing for the generator: executemany in batches (COPY on PostgreSQL), one transaction.

Ids are assigned here rather than returned by the database, so link rows can
be built without a round trip per row; on PostgreSQL the id sequences are
moved past the new rows at the end so later inserts by the app do not collide.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, Table, func, inspect, select, text
from sqlalchemy.exc import OperationalError

BATCH = 10_000


def table_of(model: type) -> Table:
    """A model's table (SQLModel declares ``__table__`` only at run time)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


# Only for the duration of the run, and neither touches durability: a larger page
# cache and temporary b-trees in memory make index maintenance cheaper.
SQLITE_PRAGMAS = {"cache_size": -262_144, "temp_store": 2}


class Writer:
    """Inserts rows into tables on one connection, counting what it wrote."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.counts: dict[str, int] = {}
        self._present: dict[str, set[str]] = {}

    def present_columns(self, table: Table) -> set[str]:
        """The columns the database's table has: an older schema (a test filling a 0006
        database before migrating it) lacks the newer ones, which then stay unwritten."""
        if table.name not in self._present:
            found = inspect(self.conn).get_columns(table.name)
            self._present[table.name] = {c["name"] for c in found}
        return self._present[table.name]

    @property
    def is_sqlite(self) -> bool:
        return self.conn.dialect.name == "sqlite"

    def next_id(self, table: Table) -> int:
        """The first free id of ``table`` (ids are handed out by the generator)."""
        return (self.conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1

    def insert(self, table: Table, rows: list[Any], columns: Sequence[str] | None = None) -> None:
        """Write ``rows``: executemany in batches, COPY on PostgreSQL.

        Rows are dicts with the same keys, or tuples in the order of ``columns``.

        Values are converted column by column with each type's own bind
        processor (memoised: ten years hold only 3,650 dates) and passed as
        tuples, which skips SQLAlchemy's per-row parameter handling: that was a
        third of the run time at half a million rows. On PostgreSQL, COPY is
        about ten times faster than even a pipelined executemany.
        """
        if rows:
            names, tuples = self._prepared(table, rows, columns)
            if self.conn.dialect.driver == "psycopg":
                self._copy(table, names, tuples)
            else:
                self._executemany(table, names, tuples)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def _executemany(self, table: Table, names: list[str], tuples: list[tuple[Any, ...]]) -> None:
        dialect = self.conn.dialect
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join([marker] * len(names))})"
        )
        for start in range(0, len(tuples), BATCH):
            self.conn.exec_driver_sql(sql, tuples[start : start + BATCH])

    def _copy(self, table: Table, names: list[str], tuples: list[tuple[Any, ...]]) -> None:
        """PostgreSQL's COPY on the same connection, so inside the same transaction."""
        quote = self.conn.dialect.identifier_preparer.quote
        sql = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        driver: Any = self.conn.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for row in tuples:
                copy.write_row(row)

    def _prepared(self, table: Table, rows: list[Any], columns: Sequence[str] | None
                  ) -> tuple[list[str], list[tuple[Any, ...]]]:  # fmt: skip
        dialect = self.conn.dialect
        if columns is None:
            names = list(rows[0])
            values = [[row[name] for row in rows] for name in names]
        else:
            names, values = list(columns), [list(column) for column in zip(*rows, strict=True)]
        converted = [_convert(column, table.c[name].type, dialect)
                     for name, column in zip(names, values, strict=True)]  # fmt: skip
        present = self.present_columns(table)
        for column in table.c:  # columns the rows leave out get their Python default
            if column.name not in names and column.default is not None and column.name in present:
                names.append(column.name)
                converted.append(_defaults(column, len(rows), dialect))
        return names, list(zip(*converted, strict=True))

    def fix_sequences(self, tables: list[Table]) -> None:
        """On PostgreSQL, move each id sequence past the highest id written."""
        if self.is_sqlite:
            return
        for table in tables:
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM {table.name}), 1))"
                )
            )


@contextmanager
def indexes_built_after(conn: Connection, tables: list[Table]) -> Iterator[None]:
    """On SQLite, drop the tables' secondary indexes and build them again at the end.

    Sorting once is about a third cheaper than updating five b-trees row by
    row. It is all inside the run's transaction, so a failure rolls the drop
    back with everything else. Only worth it when the tables start small.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    names = ", ".join(f"'{table.name}'" for table in tables)
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({names}) ORDER BY name"
    ).all()
    quote = conn.dialect.identifier_preparer.quote
    for name, _ in indexes:
        conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield
    for _, sql in indexes:
        conn.exec_driver_sql(sql)


def _convert(values: list[Any], type_: Any, dialect: Any) -> list[Any]:
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return values
    memo: dict[Any, Any] = {}
    out = []
    for value in values:
        if value not in memo:
            memo[value] = process(value)
        out.append(memo[value])
    return out


def _defaults(column: Any, count: int, dialect: Any) -> list[Any]:
    default = column.default
    if default.is_scalar:
        values = [default.arg] * count
    else:
        values = [default.arg(None) for _ in range(count)]
    return _convert(values, column.type, dialect)


@contextmanager
def fast_sqlite(conn: Connection) -> Iterator[None]:
    """Raise SQLite's cache for the run, then put the connection's settings back."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in SQLITE_PRAGMAS}
    for name, wanted in SQLITE_PRAGMAS.items():
        _set_pragma(conn, name, wanted)
    try:
        yield
    finally:
        for name, value in before.items():
            _set_pragma(conn, name, value)


def _set_pragma(conn: Connection, name: str, value: object) -> None:
    """Set a speed setting if SQLite lets us now; it is a hint, so a refusal is no error.

    SQLite refuses to change ``temp_store`` inside a transaction, which is open
    whenever the connection has already read or checked the file (the integrity
    check before the first write does).
    """
    try:
        conn.exec_driver_sql(f"PRAGMA {name}={value}")
    except OperationalError as error:
        if "within a transaction" not in str(error):
            raise
