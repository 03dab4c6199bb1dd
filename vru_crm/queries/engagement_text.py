"""The engagement list's text filter through the indexes of migration 0010 (SQLite: FTS5).

Scanning two million summaries for a word took seconds; the FTS5 table
``search_engagement_fts`` (``db/search_index.py``) answers which engagements
hold words starting with the ones typed, and the search box's index answers
which organisations and people are named so. Every word typed must start a
word of the summary or outcome, or of a linked organisation's or person's
name, as the search box matches: "youth cl" finds "Youth Club".

PostgreSQL keeps its ``ILIKE`` (the text anywhere), which the trigram indexes
of the same migration serve. A text in few summaries (the planner's estimate
under ``UNION_BELOW`` of the log) is asked as a union of the four places it can
be (summary, outcome, a linked organisation's name, a linked person's name),
each through its index: asked as one ``OR`` across them, the planner used none
of the indexes and read the whole log, 5.5 s of CPU at 2,000,000 engagements
for a word found nowhere (0.2 s as a union), 5.1 s for "hackney" (1.1 s). A
common word stays one ``OR``: the list walks its order and finds a page in a
few hundred rows, where the union would gather and de-duplicate 470,000 ids
("youth": 2.3 s for count and first page as an ``OR``, 6.3 s as a union). A
SQLite database without the index scans for the text.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement

from db import search_index
from db.session import Database
from vru_crm.queries import tables as t
from vru_crm.queries.common import contains
from vru_crm.queries.words import normalise_words

_INDEXED: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()
_SELECTIVE: WeakKeyDictionary[Engine, dict[str, bool]] = WeakKeyDictionary()
UNION_BELOW = 0.05  # PostgreSQL: the share of the log under which a text is read as a union
ORGANISATION, PERSON = 1, 2  # the search index's kind codes (db/search_index.py)


def indexed(database: Database) -> bool:
    """Whether this SQLite database has the engagement text index (asked once per engine)."""
    if not database.is_sqlite:
        return False
    engine = database.engine
    if engine not in _INDEXED:
        with engine.connect() as conn:
            _INDEXED[engine] = search_index.engagement_indexed(conn)
    return _INDEXED[engine]


def match_expression(words: list[str]) -> str:
    """An FTS5 query: every word as a prefix ("youth"* AND "cl"*). Words hold no quotes."""
    return " AND ".join(f'"{w}"*' for w in words)


def condition(database: Database, text: str, row_by_row: bool) -> ColumnElement[bool] | None:
    """The filter for ``text`` through the indexes, or None where they cannot serve it.

    ``row_by_row``: the list walks its order and tests each row (many
    matches), so each test is a look-up by the engagement's id; otherwise the
    matching ids are read once, as one set (three IN tests per row of the log
    took twice as long), and the rows found by them.
    """
    if not database.is_sqlite:
        return _anywhere(text) if _selective(database, text) else None
    parts = _parts(database, text)
    if parts is None:
        return None
    e = t.engagement.c
    texts, by_organisation, by_person = parts
    if not row_by_row:
        return e.id.in_(sa.union(texts, by_organisation, by_person))
    fts = sa.table(search_index.ENGAGEMENT_FTS, sa.column("rowid"))
    eo, ep = t.engagement_organisation.c, t.engagement_person.c
    return sa.or_(
        sa.exists(texts.where(fts.c.rowid == e.id)),
        sa.exists(by_organisation.where(eo.engagement_id == e.id)),
        sa.exists(by_person.where(ep.engagement_id == e.id)),
    )


def count(conn: Connection, database: Database, text: str) -> int | None:
    """How many engagements ``text`` finds, counted on the indexes' ids alone (SQLite).

    The ids are engagements' own (the FTS5 table and the link tables follow
    the log by trigger and cascade), so no row of the log is looked up:
    "hackney" (23,000) in 49 ms instead of 65-130. None where the indexes
    cannot serve ``text``.
    """
    if database.is_sqlite:
        parts = _parts(database, text)
    else:
        parts = _anywhere_parts(text) if _selective(database, text) else None
    if parts is None:
        return None
    ids = sa.union(*parts).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(ids)).scalar_one())


def _selective(database: Database, text: str) -> bool:
    """PostgreSQL: whether the planner expects ``text`` in under ``UNION_BELOW`` of the summaries.

    One ``EXPLAIN`` (about a millisecond), remembered per text for this engine.
    """
    if not text:
        return False
    remembered = _SELECTIVE.setdefault(database.engine, {})
    known = remembered.get(text)  # read once: another list's thread may clear the dict meanwhile
    if known is None:
        if len(remembered) > 256:
            remembered.clear()
        e = t.engagement.c
        statement = sa.select(e.id).where(contains(e.summary, text, sqlite=False))
        compiled = statement.compile(dialect=database.engine.dialect)
        with database.engine.connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
            expected = float(plan.scalar_one()[0]["Plan"]["Plan Rows"])
            log = conn.execute(
                sa.text("SELECT reltuples FROM pg_class WHERE oid = 'engagement'::regclass")
            ).scalar_one()
        known = expected < UNION_BELOW * max(float(log or 0), expected, 1.0)
        remembered[text] = known
    return known


def _anywhere(text: str) -> ColumnElement[bool] | None:
    """PostgreSQL: the engagements with ``text`` anywhere in the four places, as one id set."""
    parts = _anywhere_parts(text)
    return None if parts is None else t.engagement.c.id.in_(sa.union(*parts))


def _anywhere_parts(text: str) -> tuple[sa.Select[Any], ...] | None:
    """PostgreSQL: ids with ``text`` in the summary, the outcome, or a linked name (``ILIKE``)."""
    if not text:
        return None
    e, o, p = t.engagement.c, t.organisation.c, t.person.c
    eo, ep = t.engagement_organisation.c, t.engagement_person.c
    return (
        sa.select(e.id).where(contains(e.summary, text, sqlite=False)),
        sa.select(e.id).where(contains(e.outcome, text, sqlite=False)),
        sa.select(eo.engagement_id).where(
            eo.organisation_id.in_(sa.select(o.id).where(contains(o.name, text, sqlite=False)))
        ),
        sa.select(ep.engagement_id).where(
            ep.person_id.in_(sa.select(p.id).where(contains(p.full_name, text, sqlite=False)))
        ),
    )


def _parts(database: Database, text: str) -> tuple[sa.Select[Any], ...] | None:
    """The ids of engagements whose text, organisations' names and people's names match."""
    words = normalise_words(text)
    if not words or not indexed(database):
        return None
    query = match_expression(words)
    names = f"name : ({query})"
    fts = sa.table(search_index.ENGAGEMENT_FTS, sa.column("rowid"))
    texts = sa.select(fts.c.rowid).where(
        sa.text(f"{search_index.ENGAGEMENT_FTS} MATCH :engagement_words").bindparams(
            engagement_words=query
        )
    )
    organisations = _named(ORGANISATION, names, "organisation_names")
    people = _named(PERSON, names, "person_names")
    eo, ep = t.engagement_organisation.c, t.engagement_person.c
    by_organisation = sa.select(eo.engagement_id).where(eo.organisation_id.in_(organisations))
    by_person = sa.select(ep.engagement_id).where(ep.person_id.in_(people))
    return texts, by_organisation, by_person


def _named(kind: int, names: str, key: str) -> sa.Select[Any]:
    """Ids of the organisations (or people) whose names hold words starting with those typed."""
    index = sa.table(search_index.SQLITE_TABLE, sa.column("rowid"))
    return (
        sa.select(sa.literal_column("rowid / 8"))
        .select_from(index)
        .where(
            sa.text(f"{search_index.SQLITE_TABLE} MATCH :{key}").bindparams(
                sa.bindparam(key, names)
            ),
            index.c.rowid % 8 == kind,
        )
    )
