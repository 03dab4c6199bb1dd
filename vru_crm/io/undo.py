"""Undoing an import: delete exactly the records it added, by the ids its report carries.

Records added by hand since, or changed since, are not touched unless they are
among those ids; one that was already deleted is simply not there to delete.
It runs in one unit of work: all of the import goes, or none of it (the audit
trail records the deletes like any other).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlmodel import SQLModel

from db.models import Engagement, Organisation, Person, table_of
from db.session import Database

_MODELS: dict[str, type[SQLModel]] = {
    "organisations": Organisation,
    "people": Person,
    "engagements": Engagement,
}
_CHUNK = 500  # ids per statement, well inside SQLite's limit on bound values


def delete_imported(database: Database, kind: str, ids: Sequence[int]) -> int:
    """Delete the ``kind`` records with these ids (their links go with them); how many went."""
    model = _MODELS[kind]
    table = table_of(model)
    gone = 0
    with database.session() as s:
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            result = s.execute(sa.delete(model).where(table.c.id.in_(chunk)))
            if isinstance(result, CursorResult):  # what a bulk DELETE returns
                gone += result.rowcount or 0
    return gone
