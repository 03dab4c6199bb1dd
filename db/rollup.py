"""Rollups of the engagement log, kept right by triggers, for the dashboard.

Counting 500,000 engagements and their links on every refresh takes seconds;
the dashboard has 300 ms. So the counts are kept ready:

- ``engagement_rollup`` (dim, span_start, item): engagements and people reached
  per *span* for each ``kind``, ``borough``, ``network``, ``objective`` and
  ``sector``. A span is the days of one ISO week that fall in one calendar
  month (at most six a month), known by its first day. Every period and every
  chart bucket starts and ends on a week or a month boundary, so it is a whole
  number of spans: the rollup answers exactly what a daily one would, with a
  fifth of the rows to add up. Every engagement has one kind, so the kinds add
  up to the total. A sector counts an engagement once however many of its
  organisations share that sector. Item ``*`` counts the engagements with at
  least one network/objective/organisation, so "None" is the total minus ``*``.
- ``organisation_daily`` (organisation, day): engagements per organisation per
  day (days, since "gone quiet" counts back from any day), for "organisations
  engaged" and "gone quiet".

Triggers, not application code, keep them right, so every write path (forms,
imports, the generator, the demo, retention, merges, SQL by hand) does too.
SQLite runs row triggers one row at a time (``db/rollup_sqlite.py``);
PostgreSQL runs the link-table and insert triggers once per statement over
its transition tables (``db/rollup_pg.py``). Rows that fall to zero are left
in place (cheaper than deleting them; every reader sums, or asks for counts
above zero).

A deleted engagement takes its contributions away in a BEFORE DELETE trigger,
while its links still exist; the cascaded link deletes then find the
engagement gone and do nothing. A deleted organisation does the same for its
sector. ``differences`` compares the rollups with a direct count (tests use
it); ``rebuild`` refills them.

SQLite rebuilds a table to alter it (Alembic batch mode), and checks every
trigger when it renames the copy into place: a trigger on a link table that
reads ``engagement`` would stop that rename. ``safe_rebuilds`` (used by
``db.migrate.upgrade``) turns on ``legacy_alter_table`` for the migration so
the rename does not check them, and ``ensure`` puts back the triggers a
rebuild dropped and refills the rollups.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

ROLLUP = "engagement_rollup"
ORG_DAILY = "organisation_daily"
ANY = "*"
ORG_LINK = "engagement_organisation"
# link table -> (dim, its column, whether "at least one" is counted as item "*")
LINKS: dict[str, tuple[str, str, bool]] = {
    "engagement_borough": ("borough", "borough_id", False),
    "engagement_network": ("network", "network_id", True),
    "engagement_objective": ("objective", "objective_id", True),
}

UPSERT = (
    " ON CONFLICT (dim, span_start, item) DO UPDATE SET"
    f" engagements = {ROLLUP}.engagements + excluded.engagements,"
    f" people = {ROLLUP}.people + excluded.people"
)
ORG_UPSERT = (
    " ON CONFLICT (organisation_id, day) DO UPDATE SET"
    f" engagements = {ORG_DAILY}.engagements + excluded.engagements"
)


def span(day: str, dialect: str) -> str:
    """SQL for the first day of ``day``'s span: the later of its month's first day and its week's Monday."""
    if dialect == "sqlite":  # 'weekday 0' is the coming Sunday (or the day itself): back six days
        return f"max(date({day}, 'start of month'), date({day}, 'weekday 0', '-6 days'))"
    return f"greatest(CAST(date_trunc('month', {day}) AS date), CAST(date_trunc('week', {day}) AS date))"


def add_rollup(rows: str, grouped: bool = True) -> str:
    """Add ``rows`` (dim, span_start, item, engagements, people) into the rollup.

    PostgreSQL's upsert may touch a row once per statement, so rows are summed
    per key first; SQLite takes them one by one, and a row trigger is cheaper
    without the grouping (``grouped=False``).
    """
    head = f"INSERT INTO {ROLLUP} (dim, span_start, item, engagements, people) "
    if not grouped:
        return f"{head}SELECT * FROM ({rows}) WHERE true{UPSERT}"
    return (
        f"{head}SELECT dim, span_start, item, sum(engagements), sum(people) FROM ({rows}) AS d "
        f"WHERE true GROUP BY dim, span_start, item{UPSERT}"
    )


def add_org_daily(rows: str, grouped: bool = True) -> str:
    """Add ``rows`` (organisation_id, day, engagements) into the organisation rollup."""
    head = f"INSERT INTO {ORG_DAILY} (organisation_id, day, engagements) "
    if not grouped:
        return f"{head}SELECT * FROM ({rows}) WHERE true{ORG_UPSERT}"
    return (
        f"{head}SELECT organisation_id, day, sum(engagements) FROM ({rows}) AS d "
        f"WHERE true GROUP BY organisation_id, day{ORG_UPSERT}"
    )


def one_engagement(r: str, sign: int, dialect: str) -> str:
    """Rows engagement ``r`` (old/new in a trigger) adds to the rollup (sign 1) or takes away (-1)."""
    at, n, p = span(f"{r}.occurred_on", dialect), str(sign), f"{sign} * {r}.people_reached"
    parts = [
        f"SELECT 'kind' AS dim, {at} AS span_start, {r}.kind AS item, {n} AS engagements, {p} AS people"
    ]
    for table, (dim, column, counts_any) in LINKS.items():
        parts.append(
            f"SELECT '{dim}', {at}, CAST(l.{column} AS TEXT), {n}, {p} "
            f"FROM {table} l WHERE l.engagement_id = {r}.id"
        )
        if counts_any:
            parts.append(_any_of(table, dim, r, at, n, p))
    parts.append(
        f"SELECT DISTINCT 'sector', {at}, g.sector, {n}, {p} FROM {ORG_LINK} l "
        f"JOIN organisation g ON g.id = l.organisation_id WHERE l.engagement_id = {r}.id"
    )
    parts.append(_any_of(ORG_LINK, "sector", r, at, n, p))
    return " UNION ALL ".join(parts)


def _any_of(table: str, dim: str, r: str, at: str, n: str, p: str) -> str:
    return (
        f"SELECT '{dim}', {at}, '{ANY}', {n}, {p} "
        f"WHERE EXISTS (SELECT 1 FROM {table} l WHERE l.engagement_id = {r}.id)"
    )


def one_engagement_orgs(r: str, sign: int) -> str:
    return (
        f"SELECT l.organisation_id AS organisation_id, {r}.occurred_on AS day, {sign} AS engagements "
        f"FROM {ORG_LINK} l WHERE l.engagement_id = {r}.id"
    )


def sector_of_organisation(org: str, sector: str, sign: int, dialect: str) -> str:
    """Sector rows an organisation's engagements gain or lose where none of their other organisations has ``sector``."""
    return (
        f"SELECT 'sector' AS dim, {span('e.occurred_on', dialect)} AS span_start, {sector} AS item, "
        f"{sign} AS engagements, {sign} * e.people_reached AS people FROM {ORG_LINK} x "
        f"JOIN engagement e ON e.id = x.engagement_id WHERE x.organisation_id = {org} "
        f"AND NOT EXISTS (SELECT 1 FROM {ORG_LINK} l JOIN organisation h ON h.id = l.organisation_id "
        f"WHERE l.engagement_id = x.engagement_id AND l.organisation_id <> {org} AND h.sector = {sector})"
    )


# --- counted straight from the tables ----------------------------------------------------


def direct_rollup(dialect: str) -> str:
    """The rollup counted straight from the tables: what the triggers must agree with."""
    at, people = span("e.occurred_on", dialect), "sum(e.people_reached)"
    parts = [
        f"SELECT 'kind' AS dim, {at} AS span_start, e.kind AS item, count(*) AS engagements, "
        f"{people} AS people FROM engagement e GROUP BY 2, 3"
    ]
    for table, (dim, column, counts_any) in LINKS.items():
        parts.append(
            f"SELECT '{dim}', {at}, CAST(l.{column} AS TEXT), count(*), {people} "
            f"FROM {table} l JOIN engagement e ON e.id = l.engagement_id GROUP BY 2, 3"
        )
        if counts_any:
            parts.append(_direct_any(table, dim, at))
    parts.append(
        f"SELECT 'sector', {at}, s.sector, count(*), {people} FROM "
        f"(SELECT DISTINCT l.engagement_id, g.sector FROM {ORG_LINK} l JOIN organisation g "
        "ON g.id = l.organisation_id) s JOIN engagement e ON e.id = s.engagement_id GROUP BY 2, 3"
    )
    parts.append(_direct_any(ORG_LINK, "sector", at))
    return " UNION ALL ".join(parts)


def _direct_any(table: str, dim: str, at: str) -> str:
    return (
        f"SELECT '{dim}', {at}, '{ANY}', count(*), sum(e.people_reached) FROM engagement e "
        f"WHERE EXISTS (SELECT 1 FROM {table} l WHERE l.engagement_id = e.id) GROUP BY 2"
    )


def direct_org_daily() -> str:
    return (
        "SELECT l.organisation_id AS organisation_id, e.occurred_on AS day, count(*) AS engagements "
        f"FROM {ORG_LINK} l JOIN engagement e ON e.id = l.engagement_id GROUP BY l.organisation_id, e.occurred_on"
    )


def rebuild(conn: Connection) -> None:
    """Refill both rollups from the tables (seconds for half a million engagements)."""
    conn.exec_driver_sql(f"DELETE FROM {ROLLUP}")
    conn.exec_driver_sql(f"DELETE FROM {ORG_DAILY}")
    conn.exec_driver_sql(
        f"INSERT INTO {ROLLUP} (dim, span_start, item, engagements, people) "
        f"{direct_rollup(conn.dialect.name)}"
    )
    conn.exec_driver_sql(
        f"INSERT INTO {ORG_DAILY} (organisation_id, day, engagements) {direct_org_daily()}"
    )


Counts = tuple[Any, ...]
# A key (dimension, span, item or organisation, day), the kept counts and the direct counts.
Difference = tuple[Counts, Counts | None, Counts | None]


def differences(conn: Connection) -> list[Difference]:
    """Rows where the rollups and a direct count disagree (empty when they are right)."""
    out: list[Difference] = []
    for kept, direct, width in (
        (
            f"SELECT dim, span_start, item, engagements, people FROM {ROLLUP}",
            direct_rollup(conn.dialect.name),
            3,
        ),
        (f"SELECT organisation_id, day, engagements FROM {ORG_DAILY}", direct_org_daily(), 2),
    ):
        have = {
            tuple(r[:width]): tuple(r[width:]) for r in conn.exec_driver_sql(kept) if any(r[width:])
        }
        want = {tuple(r[:width]): tuple(r[width:]) for r in conn.exec_driver_sql(direct)}
        for key in sorted(set(have) | set(want), key=str):
            if have.get(key) != want.get(key):
                out.append((key, have.get(key), want.get(key)))
    return out


# --- install and keep installed ----------------------------------------------------------


class _Backend(Protocol):
    """What each backend's module (rollup_sqlite, rollup_pg) provides."""

    def install(self, conn: Connection) -> None: ...

    def drop(self, conn: Connection) -> None: ...

    def trigger_names(self) -> list[str]: ...


def _backend(conn: Connection) -> _Backend:
    if conn.dialect.name == "sqlite":
        from db import rollup_sqlite

        return rollup_sqlite
    from db import rollup_pg

    return rollup_pg


def install(conn: Connection) -> None:
    """Create the triggers (the tables come from migration 0007) and fill the rollups."""
    _backend(conn).install(conn)
    rebuild(conn)


def drop_triggers(conn: Connection) -> None:
    _backend(conn).drop(conn)


def trigger_names(conn: Connection) -> list[str]:
    return _backend(conn).trigger_names()


def _present_triggers(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    return {row[0] for row in conn.exec_driver_sql(sql)}


def _has_rollup(conn: Connection) -> bool:
    if conn.dialect.name == "sqlite":
        sql = f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{ROLLUP}'"
    else:
        sql = (
            "SELECT count(*) FROM information_schema.tables "
            f"WHERE table_name = '{ROLLUP}' AND table_schema = current_schema()"
        )
    return bool(conn.exec_driver_sql(sql).scalar())


def ensure(conn: Connection) -> bool:
    """Put back triggers a table rebuild dropped, and refill the rollups; True if it had to."""
    if not _has_rollup(conn):
        return False
    missing = set(trigger_names(conn)) - _present_triggers(conn)
    if not missing:
        return False
    log.info("rollup: restoring %d triggers dropped by a table rebuild", len(missing))
    drop_triggers(conn)
    install(conn)
    return True


@contextmanager
def safe_rebuilds(conn: Connection) -> Iterator[None]:
    """Let SQLite rebuild tables that the rollup triggers read (see the module's docstring)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        yield
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")
