"""The rollup triggers on PostgreSQL (see ``db/rollup.py``): once per statement where it counts.

PostgreSQL fires AFTER ROW triggers at the end of the statement, when every
row of it is already written, so "was this the engagement's first network?"
cannot be asked row by row. Link tables and engagement inserts therefore use
statement triggers over transition tables, which are also what makes a COPY
of half a million rows cheap. An engagement's own update or delete only needs
that row's values, so those stay row triggers (a delete runs BEFORE, while the
links it cascades to still exist).

For a link table, an engagement "has" a network after the statement if the
table has a row for it, and had one before if the statement removed one or
if the table still has rows the statement did not add. Counting rather than
probing the transition tables keeps the work linear in the statement's size.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from db import rollup as r
from db.rollup import ANY, LINKS, ORG_LINK, add_org_daily, add_rollup, one_engagement_orgs

AT = r.span("e.occurred_on", "postgresql")

CHANGED = (
    "OLD.occurred_on IS DISTINCT FROM NEW.occurred_on OR OLD.kind IS DISTINCT FROM NEW.kind "
    "OR OLD.people_reached IS DISTINCT FROM NEW.people_reached"
)
EVENTS = {"ai": "INSERT", "ad": "DELETE", "au": "UPDATE"}


def _empty(columns: tuple[str, ...]) -> str:
    cols = ", ".join(f"CAST(NULL AS integer) AS {c}" for c in columns)
    return f"(SELECT {cols} WHERE false)"


def _relations(suffix: str, columns: tuple[str, ...]) -> tuple[str, str]:
    """The old and new rows of a statement: a transition table, or an empty one."""
    old = "old_rows" if suffix in ("ad", "au") else _empty(columns)
    new = "new_rows" if suffix in ("ai", "au") else _empty(columns)
    return old, new


def _signed(old: str, new: str, columns: str) -> str:
    return f"SELECT {columns}, -1 AS sign FROM {old} x UNION ALL SELECT {columns}, 1 FROM {new} y"


def _had_has(table: str, old: str, new: str, dim: str, key: str = "", where: str = "") -> str:
    """Daily rows for engagements whose "has at least one" changed; ``key`` groups further (sector)."""
    join = "JOIN organisation g ON g.id = r.organisation_id" if key else ""
    group = f"r.engagement_id{', g.sector' if key else ''}"
    using = "engagement_id" + (", sector" if key else "")
    per = ", g.sector AS sector" if key else ""
    count_where = f"t.engagement_id = a.engagement_id{where}"
    count_from = f"{table} t"
    item = "d.sector" if key else f"'{ANY}'"
    return (
        f"SELECT '{dim}' AS dim, {AT} AS span_start, {item} AS item, d.delta AS engagements, "
        "d.delta * e.people_reached AS people FROM ("
        "SELECT a.*, CAST(c.n > 0 AS integer) - CAST(a.o_n > 0 OR c.n - a.w_n > 0 AS integer) AS delta FROM ("
        f"SELECT {using}, coalesce(o.n, 0) AS o_n, coalesce(w.n, 0) AS w_n FROM "
        f"(SELECT r.engagement_id{per}, count(*) AS n FROM {old} r {join} GROUP BY {group}) o FULL JOIN "
        f"(SELECT r.engagement_id{per}, count(*) AS n FROM {new} r {join} GROUP BY {group}) w USING ({using})"
        f") a CROSS JOIN LATERAL (SELECT count(*) AS n FROM {count_from} WHERE {count_where}) c"
        ") d JOIN engagement e ON e.id = d.engagement_id WHERE d.delta <> 0"
    )


def _link_statements(table: str, dim: str, column: str, counts_any: bool, suffix: str) -> list[str]:
    old, new = _relations(suffix, ("engagement_id", column))
    counts = (
        f"SELECT '{dim}' AS dim, {AT} AS span_start, CAST(s.{column} AS TEXT) AS item, "
        f"s.sign AS engagements, s.sign * e.people_reached AS people "
        f"FROM ({_signed(old, new, f'engagement_id, {column}')}) s JOIN engagement e ON e.id = s.engagement_id"
    )
    out = [add_rollup(counts)]
    if counts_any:
        out.append(add_rollup(_had_has(table, old, new, dim)))
    return out


# A lookup per link row: the planner, with no statistics for a fresh table, would
# otherwise walk every organisation of the sector for each engagement.
_SAME_SECTOR = (
    " AND (SELECT g.sector FROM organisation g WHERE g.id = t.organisation_id) = a.sector"
)


def _org_link_statements(suffix: str) -> list[str]:
    old, new = _relations(suffix, ("engagement_id", "organisation_id"))
    orgs = (
        "SELECT s.organisation_id AS organisation_id, e.occurred_on AS day, s.sign AS engagements "
        f"FROM ({_signed(old, new, 'engagement_id, organisation_id')}) s "
        "JOIN engagement e ON e.id = s.engagement_id"
    )
    return [
        add_org_daily(orgs),
        add_rollup(_had_has(ORG_LINK, old, new, "sector")),
        add_rollup(_had_has(ORG_LINK, old, new, "sector", key="sector", where=_SAME_SECTOR)),
    ]


def _organisation_sector_change() -> str:
    """Sector rows of engagements whose organisations changed sector in the statement."""
    return (
        "WITH ch AS (SELECT o.id, o.sector AS before, n.sector AS after FROM old_rows o "
        "JOIN new_rows n ON n.id = o.id WHERE o.sector IS DISTINCT FROM n.sector), "
        f"pairs AS (SELECT DISTINCT x.engagement_id, s.sector FROM {ORG_LINK} x JOIN ch ON ch.id = x.organisation_id "
        "CROSS JOIN LATERAL (VALUES (ch.before), (ch.after)) AS s(sector)), "
        "d AS (SELECT p.engagement_id, p.sector, "
        f"CAST(EXISTS (SELECT 1 FROM {ORG_LINK} t JOIN organisation g ON g.id = t.organisation_id "
        "WHERE t.engagement_id = p.engagement_id AND g.sector = p.sector) AS integer) - "
        f"CAST(EXISTS (SELECT 1 FROM {ORG_LINK} t JOIN organisation g ON g.id = t.organisation_id "
        "LEFT JOIN ch ON ch.id = g.id WHERE t.engagement_id = p.engagement_id "
        "AND coalesce(ch.before, g.sector) = p.sector) AS integer) AS delta FROM pairs p) "
        f"SELECT 'sector' AS dim, {AT} AS span_start, d.sector AS item, d.delta AS engagements, "
        "d.delta * e.people_reached AS people FROM d JOIN engagement e ON e.id = d.engagement_id "
        "WHERE d.delta <> 0"
    )


# name -> (table, timing and event, level, statements, value returned)
def _definitions() -> dict[str, tuple[str, str, str, list[str], str]]:
    inserted = (
        f"SELECT 'kind' AS dim, {r.span('occurred_on', 'postgresql')} AS span_start, kind AS item, "
        "1 AS engagements, people_reached AS people FROM new_rows"
    )
    moved = f"{r.one_engagement('OLD', -1, 'postgresql')} UNION ALL {r.one_engagement('NEW', 1, 'postgresql')}"
    moved_orgs = f"{one_engagement_orgs('OLD', -1)} UNION ALL {one_engagement_orgs('NEW', 1)}"
    defs = {
        "vru_rollup_engagement_ai": ("engagement", "AFTER INSERT", "STATEMENT", [add_rollup(inserted)], "NULL"),
        "vru_rollup_engagement_au": ("engagement", "AFTER UPDATE", "ROW", [
            add_rollup(moved), add_org_daily(moved_orgs),
        ], "NULL"),
        "vru_rollup_engagement_bd": ("engagement", "BEFORE DELETE", "ROW", [
            add_rollup(r.one_engagement("OLD", -1, "postgresql")), add_org_daily(one_engagement_orgs("OLD", -1)),
        ], "OLD"),
        "vru_rollup_organisation_bd": ("organisation", "BEFORE DELETE", "ROW", [
            add_rollup(r.sector_of_organisation("OLD.id", "OLD.sector", -1, "postgresql")),
        ], "OLD"),
        "vru_rollup_organisation_au": ("organisation", "AFTER UPDATE", "STATEMENT", [
            add_rollup(_organisation_sector_change()),
        ], "NULL"),
    }  # fmt: skip
    for suffix, event in EVENTS.items():
        for table, (dim, column, counts_any) in LINKS.items():
            statements = _link_statements(table, dim, column, counts_any, suffix)
            defs[f"vru_rollup_{table}_{suffix}"] = (
                table,
                f"AFTER {event}",
                "STATEMENT",
                statements,
                "NULL",
            )
        defs[f"vru_rollup_{ORG_LINK}_{suffix}"] = (
            ORG_LINK,
            f"AFTER {event}",
            "STATEMENT",
            _org_link_statements(suffix),
            "NULL",
        )
    return defs


def _referencing(event: str, level: str) -> str:
    if level != "STATEMENT":
        return ""
    if event.endswith("INSERT"):
        return "REFERENCING NEW TABLE AS new_rows "
    if event.endswith("DELETE"):
        return "REFERENCING OLD TABLE AS old_rows "
    return "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "


SMALL = 100  # rows: below this a statement runs the cached plans, above it freshly planned ones


def _sized(event: str, statements: list[str]) -> str:
    """Cached plans for the app's small statements; plans made for the size of a bulk one.

    A plan cached for a one-row insert (index lookups) would crawl through a
    COPY of half a million rows, and planning afresh costs a millisecond, which
    a row-at-a-time executemany pays per row. So: measure, then choose.
    """
    rows = "old_rows" if event.endswith("DELETE") else "new_rows"
    small = "; ".join(statements)
    large = "; ".join(f"EXECUTE $sql${sql}$sql$" for sql in statements)
    return f"IF (SELECT count(*) FROM {rows}) <= {SMALL} THEN {small}; ELSE {large}; END IF"


def trigger_names() -> list[str]:
    return list(_definitions())


def install(conn: Connection) -> None:
    for name, (table, event, level, statements, returned) in _definitions().items():
        body = _sized(event, statements) if level == "STATEMENT" else "; ".join(statements)
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {body}; RETURN {returned}; END $$"
        )
        when = f"WHEN ({CHANGED}) " if name == "vru_rollup_engagement_au" else ""
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} {event} ON {table} {_referencing(event, level)}"
            f"FOR EACH {level} {when}EXECUTE FUNCTION {name}()"
        )


def drop(conn: Connection) -> None:
    for name, (table, *_rest) in _definitions().items():
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
