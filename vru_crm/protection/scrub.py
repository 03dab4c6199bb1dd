"""Removing values from the audit trail and from free text, shared by erasure and retention.

Why: an audit entry records old and new values, so erasing a person from their
record alone would leave their name, e-mail and phone in every earlier entry
about them. These helpers rewrite those entries in place (the audit trail has
no foreign keys and is never itself audited, so this leaves no new trace of
the values it removes).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, col, select

from db.models import AnonymousAttendance, AnonymousParticipant, AuditEntry, table_of
from db.search_index import ENGAGEMENT_FTS
from db.search_index import SQLITE_TABLE as SEARCH_FTS
from vru_crm.protection.matching import Matcher

log = logging.getLogger(__name__)

ERASED = "[erased]"
ANONYMISED = "[anonymised]"

# Tables whose free text is never searched for a name: codes, reference data, the trail itself.
_SKIP_TABLES = {
    "audit_entry",
    "alembic_version",
    "borough",
    "sector",
    "objective",
    "tag",
    "erasure_register",
}
_MIN_NEEDLE = 4  # for like_any (the audit view's text filter uses minimum=1)


def blank_values(
    changes: dict[str, Any], marker: str = ERASED, keep: Iterable[str] = ()
) -> dict[str, Any]:
    """Every value of an entry replaced by ``marker`` (None stays None), except keys in ``keep``."""
    kept = set(keep)

    def blank(value: Any) -> Any:
        if isinstance(value, list):
            return [blank(x) for x in value]
        return value if value is None else marker

    return {k: (x if k in kept else blank(x)) for k, x in changes.items()}


def on_server(s: Session) -> bool:
    """A team database, whose audit trail only the server's own functions may rewrite."""
    from db.team_access import scrubs_on_server

    conn = s.connection()
    return conn.dialect.name == "postgresql" and scrubs_on_server(conn.info)


def begin_scrub(s: Session) -> None:
    """On a team database, before removing values: the server then audits none of them again."""
    if on_server(s):
        from vru_crm.team.server_audit import scrub_entries

        scrub_entries(s.connection(), [])


def rewrite_entries(
    s: Session,
    where: sa.ColumnElement[bool],
    rewrite: Callable[[AuditEntry, dict[str, Any]], tuple[str, dict[str, Any]] | None],
) -> int:
    """Apply ``rewrite(entry, changes) -> (summary, changes)`` to matching entries; count changed."""
    changed = 0
    rows = s.exec(select(AuditEntry).where(where).order_by(col(AuditEntry.id))).all()
    table = table_of(AuditEntry)
    server, pending = on_server(s), []
    for entry in rows:
        try:
            changes = json.loads(entry.changes or "{}")
        except ValueError:
            changes = {}
        result = rewrite(entry, changes if isinstance(changes, dict) else {})
        if result is None:
            continue
        summary, new_changes = result
        text = json.dumps(new_changes, ensure_ascii=False, default=str)
        if summary == entry.summary and text == entry.changes:
            continue
        if server:  # a team database: the trail is rewritten only through the server
            pending.append((int(entry.id or 0), summary, text))
            continue
        s.connection().execute(
            sa.update(table)
            .where(table.c.id == entry.id)
            .values(summary=summary[:300], changes=text)
        )
        changed += 1
    if pending:
        from vru_crm.team.server_audit import scrub_entries

        changed += scrub_entries(s.connection(), pending)
    s.expire_all()
    return changed


def like_any(
    column: sa.SQLColumnExpression[str], needles: Iterable[str], minimum: int = _MIN_NEEDLE
) -> sa.ColumnElement[bool]:
    """SQL pre-filter: ``column`` contains any needle (case-insensitive for ASCII), as JSON too."""
    clauses = []
    for needle in {n.strip() for n in needles if n and len(n.strip()) >= minimum}:
        for form in {needle, json.dumps(needle, ensure_ascii=False)[1:-1]}:
            escaped = form.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(sa.func.lower(column).like(f"%{escaped}%", escape="\\"))
    return sa.or_(*clauses) if clauses else sa.false()


def scrub_free_text(s: Session, found: Matcher, marker: str = ERASED) -> int:
    """Replace a person's values in every text column of every table; the number of rows changed.

    Rows that carry a ``version`` have it bumped, so a stale copy open in
    someone's form cannot save the old text back.
    """
    changed = 0
    for table, keys, row, columns in mentions(s, found):
        values: dict[str, Any] = {c: found.replace(row[c], marker) for c in columns}
        if "version" in table.c:
            values["version"] = table.c.version + 1
        condition = sa.and_(*(k == row[k.name] for k in keys))
        s.connection().execute(sa.update(table).where(condition).values(**values))
        changed += 1
    return changed


def mentions(
    s: Session, found: Matcher
) -> Iterator[tuple[sa.Table, list[sa.Column[Any]], dict[str, Any], list[str]]]:
    """Rows whose free text holds one of the values: (table, key columns, row, the columns)."""
    if not found:
        return
    dialect = s.connection().dialect.name
    for table in SQLModel.metadata.sorted_tables:
        if table.name in _SKIP_TABLES or not table.primary_key.columns:
            continue
        columns = [c for c in table.columns if _is_text(c) and not c.primary_key]
        if not columns:
            continue
        keys = list(table.primary_key.columns)
        where = sa.or_(*(found.prefilter(c, dialect) for c in columns))
        rows = s.connection().execute(sa.select(*keys, *columns).where(where)).mappings().all()
        for row in rows:
            hits = [c.name for c in columns if found.finds(row[c.name])]
            if hits:
                yield table, keys, dict(row), hits


def _is_text(column: sa.Column[Any]) -> bool:
    kind = column.type
    impl = getattr(kind, "impl", None)  # sqlmodel's AutoString wraps a String
    return isinstance(kind, sa.String) or isinstance(impl, sa.String) or impl is sa.String


def add_participants(s: Session, engagement_id: int, count: int) -> None:
    """Count ``count`` more anonymous people on an engagement.

    One atomic upsert: two erasures (or an erasure and retention) counting the
    same engagement at the same moment both add, where a read-then-write would
    lose one of them or collide on the key.
    """
    if count <= 0:
        return
    _upsert_count(s, AnonymousParticipant, {"engagement_id": engagement_id}, count)


def add_attendees(s: Session, meeting_id: int, status: str, count: int = 1) -> None:
    """Count ``count`` more anonymous attendees of a meeting with ``status`` (atomic, as above)."""
    if count <= 0:
        return
    _upsert_count(s, AnonymousAttendance, {"meeting_id": meeting_id, "status": status}, count)


def _upsert_count(s: Session, model: type[SQLModel], key: dict[str, Any], count: int) -> None:
    table = table_of(model)
    conn = s.connection()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(**key, count=count)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={"count": table.c.count + statement.excluded.count}
    )
    s.flush()
    conn.execute(statement)
    for obj in [o for o in s.identity_map.values() if isinstance(o, model)]:
        s.expire(obj)


def person_tables() -> list[tuple[sa.Table, sa.Column[Any]]]:
    """Every table with a column pointing at ``person.id``, with that column."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "person" and table.name != "person":
                found.append((table, fk.parent))
    return found


def owned_ids(s: Session, person_id: int) -> dict[str, set[int]]:
    """Ids of the rows that belong to a person, per table, as the audit trail names them.

    Only tables keyed by a plain ``id`` (or by the person themselves) have such
    ids; link tables keyed by two columns are recognised by their values instead.
    """
    found: dict[str, set[int]] = {}
    for table, column in person_tables():
        first = list(table.primary_key.columns)[0]
        if first is column:
            found[table.name] = {person_id}
        elif first.name == "id":
            ids = s.connection().execute(sa.select(first).where(column == person_id)).scalars()
            found[table.name] = set(ids)
    return found


def zero_freed_pages(s: Session) -> None:
    """SQLite: overwrite what this connection deletes with zeros, not leave it in free pages."""
    if s.connection().dialect.name == "sqlite":
        s.connection().exec_driver_sql("PRAGMA secure_delete=ON")


FINISH_WAIT_SECONDS = 10.0
# The SQLite full-text indexes: the search box's, and the engagement log's text filter.
FTS_TABLES = (SEARCH_FTS, ENGAGEMENT_FTS)


def flush_traces(engine: sa.Engine, wait_seconds: float | None = None) -> str | None:
    """SQLite, after an erasure: leave no copy of what was removed anywhere in the files.

    Four places still hold erased values after the commit: FTS5's old index
    segments (merged away by ``optimize``), cells and pages freed by earlier
    edits that were made without ``secure_delete`` (gone after ``VACUUM``,
    which rebuilds the file), the -wal file (emptied by a TRUNCATE checkpoint)
    and the main file's old pages (overwritten by that checkpoint). A program
    holding a read transaction blocks the checkpoint; we wait for it up to
    ``wait_seconds``, then give up and return, in words, what remains and how
    to finish. None means nothing remains.
    """
    if engine.dialect.name != "sqlite":
        return None
    wait = FINISH_WAIT_SECONDS if wait_seconds is None else wait_seconds
    name = engine.url.database or "the database"
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
            for table in FTS_TABLES:
                found = conn.execute(
                    sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"),
                    {"n": table},
                ).first()
                if found:
                    conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES('optimize')")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
            conn.exec_driver_sql("VACUUM")
            if _checkpoint(conn, wait):
                return None
    except sa.exc.OperationalError as error:
        log.warning("tidying %s after an erasure failed: %s", name, error)
        return (
            f"The erasure is saved, but the database was too busy to tidy {name}: until it is, "
            "the erased details remain in unused parts of the file. Close other programs using "
            "it, then run `vru-crm erasures reapply`."
        )
    return (
        "The erasure is saved, but another program is reading the database, so the erased "
        f"details remain in {name}-wal and in unused parts of {name} until it closes. Close the "
        "VRU CRM wherever else it is open, then run `vru-crm erasures reapply` to finish."
    )


def _checkpoint(conn: sa.Connection, wait_seconds: float) -> bool:
    """``wal_checkpoint(TRUNCATE)``, retried while a reader blocks it; True once it completed."""
    deadline = time.monotonic() + wait_seconds
    while True:
        busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if not busy:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
