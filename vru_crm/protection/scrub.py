"""Removing values from the audit trail and from free text, shared by erasure and retention.

Why: an audit entry records old and new values, so erasing a person from their
record alone would leave their name, e-mail and phone in every earlier entry
about them. These helpers rewrite those entries in place (the audit trail has
no foreign keys and is never itself audited, so this leaves no new trace of
the values it removes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from db.models import AnonymousAttendance, AnonymousParticipant, AuditEntry

ERASED = "[erased]"
ANONYMISED = "[anonymised]"

# Tables whose free text is never searched for a name: codes, reference data, the trail itself.
_SKIP_TABLES = {"audit_entry", "alembic_version", "borough", "sector", "objective", "tag"}
_MIN_NEEDLE = 4


def needle_pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for whole-word occurrences of any needle.

    Short values (fewer than four characters) are left out: scrubbing "Al" from
    every note would damage far more than it protects.
    """
    words = sorted({n.strip() for n in needles if n and len(n.strip()) >= _MIN_NEEDLE}, key=len)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in reversed(words))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub_text(value: Any, pattern: re.Pattern[str] | None, marker: str = ERASED) -> Any:
    """``value`` with every match of ``pattern`` replaced; lists and dicts are walked."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(marker, value)
    if isinstance(value, list):
        return [scrub_text(x, pattern, marker) for x in value]
    if isinstance(value, dict):
        return {k: scrub_text(x, pattern, marker) for k, x in value.items()}
    return value


def blank_values(changes: dict[str, Any], marker: str = ERASED, keep: Iterable[str] = ()) -> dict:
    """Every value of an entry replaced by ``marker`` (None stays None), except keys in ``keep``."""
    kept = set(keep)

    def blank(value: Any) -> Any:
        if isinstance(value, list):
            return [blank(x) for x in value]
        return value if value is None else marker

    return {k: (x if k in kept else blank(x)) for k, x in changes.items()}


def rewrite_entries(
    s: Session,
    where: sa.ColumnElement[bool],
    rewrite: Callable[[AuditEntry, dict], tuple[str, dict] | None],
) -> int:
    """Apply ``rewrite(entry, changes) -> (summary, changes)`` to matching entries; count changed."""
    changed = 0
    rows = s.exec(select(AuditEntry).where(where).order_by(col(AuditEntry.id))).all()
    table = AuditEntry.__table__  # type: ignore[attr-defined]
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
        s.connection().execute(
            sa.update(table)
            .where(table.c.id == entry.id)
            .values(summary=summary[:300], changes=text)
        )
        changed += 1
    s.expire_all()
    return changed


def like_any(
    column: sa.ColumnElement[str], needles: Iterable[str], minimum: int = _MIN_NEEDLE
) -> sa.ColumnElement[bool]:
    """SQL pre-filter: ``column`` contains any needle (case-insensitive for ASCII), as JSON too."""
    clauses = []
    for needle in {n.strip() for n in needles if n and len(n.strip()) >= minimum}:
        for form in {needle, json.dumps(needle, ensure_ascii=False)[1:-1]}:
            escaped = form.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(sa.func.lower(column).like(f"%{escaped}%", escape="\\"))
    return sa.or_(*clauses) if clauses else sa.false()


def scrub_free_text(s: Session, pattern: re.Pattern[str] | None, needles: list[str]) -> int:
    """Replace the needles in every text column of every table; returns the number of rows changed.

    Rows that carry a ``version`` have it bumped, so a stale copy open in
    someone's form cannot save the old text back.
    """
    if pattern is None:
        return 0
    changed = 0
    for table in SQLModel.metadata.sorted_tables:
        if table.name in _SKIP_TABLES or not table.primary_key.columns:
            continue
        columns = [c for c in table.columns if _is_text(c) and not c.primary_key]
        if columns:
            changed += _scrub_table(s, table, columns, pattern, needles)
    return changed


def _is_text(column: sa.Column) -> bool:
    kind = column.type
    impl = getattr(kind, "impl", None)  # sqlmodel's AutoString wraps a String
    return isinstance(kind, sa.String) or isinstance(impl, sa.String) or impl is sa.String


def _scrub_table(s: Session, table: sa.Table, columns, pattern, needles) -> int:
    keys = list(table.primary_key.columns)
    where = sa.or_(*(like_any(c, needles) for c in columns))
    rows = s.connection().execute(sa.select(*keys, *columns).where(where)).mappings().all()
    changed = 0
    for row in rows:
        values: dict[str, Any] = {}
        for column in columns:
            new = scrub_text(row[column.name], pattern)
            if new != row[column.name]:
                values[column.name] = new
        if not values:
            continue
        if "version" in table.c:
            values["version"] = table.c.version + 1
        condition = sa.and_(*(k == row[k.name] for k in keys))
        s.connection().execute(sa.update(table).where(condition).values(**values))
        changed += 1
    return changed


def add_participants(s: Session, engagement_id: int, count: int) -> None:
    """Count ``count`` more anonymous people on an engagement."""
    if count <= 0:
        return
    row = s.get(AnonymousParticipant, engagement_id)
    if row is None:
        row = AnonymousParticipant(engagement_id=engagement_id, count=0)
    row.count += count
    s.add(row)


def add_attendees(s: Session, meeting_id: int, status: str, count: int = 1) -> None:
    """Count ``count`` more anonymous attendees of a meeting with ``status``."""
    if count <= 0:
        return
    row = s.get(AnonymousAttendance, (meeting_id, status))
    if row is None:
        row = AnonymousAttendance(meeting_id=meeting_id, status=status, count=0)
    row.count += count
    s.add(row)


def person_tables() -> list[tuple[sa.Table, sa.Column]]:
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


def flush_traces(engine: sa.Engine) -> None:
    """SQLite, after an erasure: compact the search index and empty the write-ahead log.

    FTS5 keeps deleted words in old index segments until they are merged, and
    the -wal file keeps old page versions until a checkpoint; both would still
    hold the erased values on disk. Best effort: a busy database is left as it
    is and tidied by the next erasure or checkpoint.
    """
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
            found = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'"
            ).first()
            if found:
                conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES('optimize')")
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except sa.exc.OperationalError:
        pass
