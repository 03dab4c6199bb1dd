"""The engagement list's text filter through the indexes of migration 0010 (SQLite: FTS5).

Scanning two million summaries for a word took seconds; the FTS5 table
``search_engagement_fts`` (``db/search_index.py``) answers which engagements
hold words starting with the ones typed, and the search box's index answers
which organisations and people are named so. Every word typed must start a
word of the summary or outcome, or of a linked organisation's or person's
name, as the search box matches: "youth cl" finds "Youth Club".

PostgreSQL keeps its ``ILIKE`` (the text anywhere), which the trigram indexes
of the same migration serve; so does a database without the index.
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
from vru_crm.queries.words import normalise_words

_INDEXED: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()
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
    parts = _parts(database, text)
    if parts is None:
        return None
    ids = sa.union(*parts).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(ids)).scalar_one())


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
