"""What the demo loader's steps share: ids by name, and the count of rows each step added.

Every step looks records up by their natural key (a name, a title and start,
a letter's date and number) and adds only what is missing. That is what makes
the demo safe to run twice, and safe on a database that already holds some of
the same partners.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect
from sqlalchemy import select as core_select
from sqlalchemy.orm import Mapper
from sqlmodel import Session, col, select

from db.models import Borough, Objective, Tag, saved_id

# Rows of a table by their natural key: the id, a new record until it is flushed, or None
# for a table without an id (a link).
Known = dict[tuple[Any, ...], Any]


@dataclass
class Refs:
    """Ids of the records the steps create or find, by their natural key."""

    boroughs: dict[str, int] = field(default_factory=dict)
    priority_boroughs: set[int] = field(default_factory=set)
    objectives: dict[int, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    organisation_boroughs: dict[int, list[int]] = field(default_factory=dict)
    organisation_sectors: dict[int, str] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    contacts: dict[int, list[int]] = field(default_factory=dict)  # organisation -> people
    contact_names: list[str] = field(default_factory=list)
    networks: dict[str, int] = field(default_factory=dict)
    organisation_networks: dict[int, list[int]] = field(default_factory=dict)
    staff: list[int] = field(default_factory=list)
    tags: dict[str, int] = field(default_factory=dict)
    added: Counter[str] = field(default_factory=Counter)
    known: dict[tuple[str, tuple[str, ...]], Known] = field(default_factory=dict)  # see _known


def read_reference(session: Session, refs: Refs) -> None:
    """Boroughs and objectives, seeded by the first migration."""
    for borough in session.exec(select(Borough).order_by(Borough.code)):
        refs.boroughs[borough.name] = saved_id(borough)
        if borough.is_priority:
            refs.priority_boroughs.add(saved_id(borough))
    for objective in session.exec(select(Objective).order_by(col(Objective.number))):
        refs.objectives[objective.number] = saved_id(objective)


def _known(session: Session, refs: Refs, model: type, fields: tuple[str, ...]) -> Known:
    """Existing rows of ``model`` by their key: one query per table, not one per row."""
    mapper: Mapper[Any] = inspect(model)
    cache_key = (model.__name__, fields)
    if cache_key not in refs.known:
        has_id = "id" in mapper.columns
        columns = [mapper.columns[name] for name in fields]
        statement = core_select(*columns, mapper.columns["id"]) if has_id else core_select(*columns)
        refs.known[cache_key] = {
            tuple(row[: len(fields)]): (row[-1] if has_id else None)
            for row in session.execute(statement)
        }
    return refs.known[cache_key]


def get_or_add_all(
    session: Session,
    refs: Refs,
    counter: str,
    model: type,
    rows: list[tuple[dict[str, Any], dict[str, Any]]],
) -> list[int]:
    """Ids of the rows of ``model`` matching each ``(key, values)``; the missing ones added.

    One flush for all the new rows, so a step costs a statement or two, not one
    round trip per row. ``counter`` names the summary's line ("organisations").
    """
    if not rows:
        return []
    known = _known(session, refs, model, tuple(rows[0][0]))
    new = []
    for key, values in rows:
        wanted = tuple(key.values())
        if wanted not in known:
            known[wanted] = model(**key, **values)
            session.add(known[wanted])
            new.append(wanted)
    if new:
        session.flush()
        for wanted in new:
            known[wanted] = known[wanted].id
        refs.added[counter] += len(new)
    return [known[tuple(key.values())] for key, _ in rows]


def add_missing(
    session: Session, refs: Refs, counter: str, model: type, key: dict[str, Any], /, **values: Any
) -> None:
    """Add the row if missing, for rows nobody needs the id of; written at the next flush."""
    known = _known(session, refs, model, tuple(key))
    wanted = tuple(key.values())
    if wanted not in known:
        session.add(model(**key, **values))
        refs.added[counter] += 1
        known[wanted] = None


def add_tags(session: Session, refs: Refs, names: list[str]) -> None:
    """Find or add the tags ``names``; their ids go to ``refs.tags``."""
    unique = sorted(set(names))
    ids = get_or_add_all(session, refs, "tags", Tag, [({"name": n}, {}) for n in unique])
    refs.tags.update(zip(unique, ids, strict=True))
