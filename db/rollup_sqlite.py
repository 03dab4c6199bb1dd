"""The rollup triggers on SQLite (see ``db/rollup.py``): one row at a time.

SQLite fires row triggers as each row is written, so each trigger sees the
rows written before it and can ask "was this the engagement's first network?"
with a plain NOT EXISTS. A link row that is updated counts as its old value
leaving (BEFORE UPDATE, old state) and its new value arriving (AFTER UPDATE).
Each statement is an upsert of one or two rows: about 3 microseconds, which
is most of what the rollups add to a bulk insert.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection

from db import rollup as r
from db.rollup import ANY, LINKS, ORG_LINK


def _span(day: str) -> str:
    return r.span(day, "sqlite")


def _add(rows: str) -> str:
    return r.add_rollup(rows, grouped=False)


def _add_orgs(rows: str) -> str:
    return r.add_org_daily(rows, grouped=False)


CHANGED = (
    "old.occurred_on IS NOT new.occurred_on OR old.kind IS NOT new.kind "
    "OR old.people_reached IS NOT new.people_reached"
)


def _body(*statements: str) -> str:
    return "BEGIN " + "; ".join(statements) + "; END"


def _engagement() -> dict[str, str]:
    inserted = f"SELECT 'kind', {_span('new.occurred_on')}, new.kind, 1, new.people_reached"
    moved = (
        f"{r.one_engagement('old', -1, 'sqlite')} UNION ALL {r.one_engagement('new', 1, 'sqlite')}"
    )
    moved_orgs = f"{r.one_engagement_orgs('old', -1)} UNION ALL {r.one_engagement_orgs('new', 1)}"
    return {
        "rollup_engagement_ai": "AFTER INSERT ON engagement " + _body(_add(inserted)),
        "rollup_engagement_au": (
            f"AFTER UPDATE OF occurred_on, kind, people_reached ON engagement WHEN {CHANGED} "
            + _body(_add(moved), _add_orgs(moved_orgs))
        ),
        "rollup_engagement_bd": "BEFORE DELETE ON engagement "
        + _body(
            _add(r.one_engagement("old", -1, "sqlite")), _add_orgs(r.one_engagement_orgs("old", -1))
        ),
    }


def _link(table: str, dim: str, column: str, counts_any: bool) -> dict[str, str]:
    def change(row: str, sign: int) -> str:
        at, people = _span("e.occurred_on"), f"{sign} * e.people_reached"
        rows = (
            f"SELECT '{dim}', {at}, CAST({row}.{column} AS TEXT), {sign}, {people} "
            f"FROM engagement e WHERE e.id = {row}.engagement_id"
        )
        if counts_any:  # the engagement's first (or last) link of this kind
            rows += (
                f" UNION ALL SELECT '{dim}', {at}, '{ANY}', {sign}, {people} FROM engagement e "
                f"WHERE e.id = {row}.engagement_id AND NOT EXISTS (SELECT 1 FROM {table} l "
                f"WHERE l.engagement_id = {row}.engagement_id AND l.{column} <> {row}.{column})"
            )
        return _add(rows)

    return _four(table, change)


def _organisation_link() -> dict[str, str]:
    def change(row: str, sign: int) -> str:
        at, people = _span("e.occurred_on"), f"{sign} * e.people_reached"
        sector = (
            f"SELECT 'sector', {at}, g.sector, {sign}, {people} FROM engagement e, organisation g "
            f"WHERE e.id = {row}.engagement_id AND g.id = {row}.organisation_id AND NOT EXISTS "
            f"(SELECT 1 FROM {ORG_LINK} l JOIN organisation h ON h.id = l.organisation_id "
            f"WHERE l.engagement_id = {row}.engagement_id AND l.organisation_id <> {row}.organisation_id "
            "AND h.sector = g.sector)"
        )
        first = (
            f"SELECT 'sector', {at}, '{ANY}', {sign}, {people} FROM engagement e "
            f"WHERE e.id = {row}.engagement_id AND NOT EXISTS (SELECT 1 FROM {ORG_LINK} l "
            f"WHERE l.engagement_id = {row}.engagement_id AND l.organisation_id <> {row}.organisation_id)"
        )
        org = (
            f"SELECT {row}.organisation_id, e.occurred_on, {sign} FROM engagement e "
            f"WHERE e.id = {row}.engagement_id"
        )
        return _add(f"{sector} UNION ALL {first}") + "; " + _add_orgs(org)

    return _four(ORG_LINK, change)


def _four(table: str, change: Callable[[str, int], str]) -> dict[str, str]:
    return {
        f"rollup_{table}_ai": f"AFTER INSERT ON {table} " + _body(change("new", 1)),
        f"rollup_{table}_ad": f"AFTER DELETE ON {table} " + _body(change("old", -1)),
        f"rollup_{table}_bu": f"BEFORE UPDATE ON {table} " + _body(change("old", -1)),
        f"rollup_{table}_au": f"AFTER UPDATE ON {table} " + _body(change("new", 1)),
    }


def _organisation() -> dict[str, str]:
    def sector(org: str, value: str, sign: int) -> str:
        return _add(r.sector_of_organisation(org, value, sign, "sqlite"))

    return {
        "rollup_organisation_bd": "BEFORE DELETE ON organisation "
        + _body(sector("old.id", "old.sector", -1)),
        "rollup_organisation_au": (
            "AFTER UPDATE OF sector ON organisation WHEN old.sector IS NOT new.sector "
            + _body(sector("new.id", "old.sector", -1), sector("new.id", "new.sector", 1))
        ),
    }


def triggers() -> dict[str, str]:
    """Trigger name -> what follows ``CREATE TRIGGER name``."""
    out = _engagement()
    for table, (dim, column, counts_any) in LINKS.items():
        out.update(_link(table, dim, column, counts_any))
    out.update(_organisation_link())
    out.update(_organisation())
    return out


def trigger_names() -> list[str]:
    return list(triggers())


def install(conn: Connection) -> None:
    for name, body in triggers().items():
        conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop(conn: Connection) -> None:
    for name in triggers():
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
