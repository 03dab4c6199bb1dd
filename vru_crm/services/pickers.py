"""Names for the pickers in the forms: found through the search index as the user types.

A picker over 20,000 people cannot load them all, so it asks for the few
best matches of what is typed. They come from the search index
(``db/search_index.py``: FTS5 on SQLite, a table of words on PostgreSQL) rather
than a ``LIKE '%text%'`` scan of the names: each typed word matches the start
of a word of the name, without regard to case or accents ("hack cv" finds
Hackney CVS, "anne" finds Anne-Marie and Anné). Names that start with what was
typed come first, then the others by name. The UI calls these on the thread pool.
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import SQLModel, col, select

from db import search_index
from db.models import Network, Organisation, Person, Tag
from db.session import Database
from vru_crm.queries.words import normalise_words

# kind -> (its code in the search index, its table, its name column)
_INDEXED: dict[str, tuple[int, str, str]] = {
    "organisation": (1, "organisation", "name"),
    "person": (2, "person", "full_name"),
    "network": (3, "network", "name"),
}
_MODELS: dict[str, type[SQLModel]] = {
    "organisation": Organisation,
    "person": Person,
    "network": Network,
}


def suggest(database: Database, kind: str, text: str, limit: int = 15) -> list[tuple[int, str]]:
    """Up to ``limit`` (id, name) pairs whose name has a word starting with each word typed."""
    words = normalise_words(text)
    if not words:
        return []
    code, table, name = _INDEXED[kind]
    start = _like_start(text)
    if database.is_sqlite:
        match = " AND ".join(f'"{w}"*' for w in words)
        statement = (
            f"SELECT r.id, r.{name} FROM {search_index.SQLITE_TABLE} f "
            f"JOIN {table} r ON r.id = f.rowid / 8 "
            f"WHERE {search_index.SQLITE_TABLE} MATCH :match AND f.rowid % 8 = :code "
            f"ORDER BY lower(r.{name}) LIKE :start ESCAPE '\\' DESC, lower(r.{name}) LIMIT :n"
        )
        params: dict[str, Any] = {"match": f"name : ({match})"}
    else:
        likes = " AND ".join(f"i.name_words LIKE :w{i}" for i in range(len(words)))
        statement = (
            f"SELECT r.id, r.{name} FROM {search_index.PG_TABLE} i "
            f"JOIN {table} r ON r.id = i.ref_id "
            f"WHERE i.kind = :code AND {likes} "
            f"ORDER BY lower(r.{name}) LIKE :start ESCAPE '\\' DESC, lower(r.{name}) LIMIT :n"
        )
        params = {f"w{i}": f"% {w}%" for i, w in enumerate(words)}
    params.update(code=code, start=start, n=limit)
    with database.engine.connect() as conn:
        return [(int(r[0]), str(r[1])) for r in conn.execute(sa.text(statement), params)]


def _like_start(text: str) -> str:
    """A LIKE pattern for names starting with ``text`` (its wildcards taken literally)."""
    needle = text.strip().casefold()
    return needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def names(database: Database, kind: str, ids: list[int]) -> list[tuple[int, str]]:
    """(id, name) of the given records, in the order given (missing ones left out)."""
    if not ids:
        return []
    model = cast(Any, _MODELS[kind])
    name = model.full_name if kind == "person" else model.name
    with database.session(audit_rows=False) as s:
        found = {
            int(i): str(n) for i, n in s.exec(select(model.id, name).where(col(model.id).in_(ids)))
        }
    return [(i, found[i]) for i in ids if i in found]


def all_choices(database: Database, kind: str) -> list[tuple[int, str]]:
    """Every (id, name) of a small set (networks, tags), by name, for a picker given whole."""
    model = cast(Any, {"network": Network, "tag": Tag}[kind])
    with database.session(audit_rows=False) as s:
        rows = s.exec(select(model.id, model.name).order_by(model.name))
        return [(int(r[0]), str(r[1])) for r in rows]
