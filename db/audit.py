"""The audit trail: every create, update and delete, written in the same transaction.

Hooked on ``after_flush`` so an entry exists if and only if the change it
describes was committed. Rows that go without being objects of the unit of
work (bulk deletes through the session, and the database's ON DELETE CASCADE)
are read and recorded just before they go (``before_flush``, ``do_orm_execute``). Bulk imports may switch per-row entries off
(``session.info["audit_rows"] = False``) and write one summary entry instead.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Delete, Table, event, insert, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker
from sqlmodel import Session as ModelSession

from db.engine import TEAM_LOGIN
from db.enums import AuditAction
from db.models import AuditEntry, Objective, SectorRef, table_of
from db.team_access import server_audited
from db.types import utcnow

_NOT_AUDITED = (AuditEntry, Objective, SectorRef)
_UNAUDITED_TABLES = {"audit_entry", "objective", "sector", "alembic_version"}
_SKIP_FIELDS = {"version", "created_at", "updated_at"}

# One audit_entry row, as inserted in bulk.
Entry = dict[str, Any]
# A row's table and primary key values: how a row to be deleted is recognised.
RowKey = tuple[str, tuple[Any, ...]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _entity_id(obj: Any) -> int | None:
    state = inspect(obj)
    # A row inserted by this flush has no identity key until after it: read its primary key.
    identity = state.identity or state.mapper.primary_key_from_instance(obj)
    if identity and len(identity) >= 1 and isinstance(identity[0], int):
        return identity[0]
    return None


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _SKIP_FIELDS
    }


def _changed(obj: Any) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def _label(obj: Any) -> str:
    for name in ("name", "full_name", "title", "username", "text", "summary"):
        value = getattr(obj, name, None)
        if value:
            return str(value)[:120]
    return ""


def _entry(session: Session, action: AuditAction, obj: Any, changes: dict[str, Any]) -> Entry:
    return {
        "at": unit_time(session),
        "username": signed_by(session),
        "action": action.value,
        "entity": type(obj).__tablename__,
        "entity_id": _entity_id(obj),
        "summary": _label(obj),
        "changes": json.dumps(changes, ensure_ascii=False, default=str),
    }


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get("audit_rows") is False:
        return
    rows: list[Entry] = []
    server = _on_server(session)  # a team database's triggers write these entries themselves
    for obj in session.new:
        if not isinstance(obj, _NOT_AUDITED) and obj.__tablename__ not in server:
            rows.append(_entry(session, AuditAction.CREATE, obj, _columns(obj)))
    for obj in session.dirty:
        if isinstance(obj, _NOT_AUDITED) or not session.is_modified(obj, include_collections=False):
            continue
        if obj.__tablename__ in server:
            continue
        changes = _changed(obj)
        if changes:
            rows.append(_entry(session, AuditAction.UPDATE, obj, changes))
    for obj in session.deleted:
        if not isinstance(obj, _NOT_AUDITED) and obj.__tablename__ not in server:
            rows.append(_entry(session, AuditAction.DELETE, obj, _columns(obj)))
    if rows:
        session.connection().execute(insert(table_of(AuditEntry)), rows)


def _on_server(session: Session) -> frozenset[str]:
    """Tables whose changes the server's own triggers audit (a team database after ``team init``)."""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return frozenset()
    return server_audited(session.connection().info)


def unit_time(session: Session) -> datetime:
    """One instant for every entry of a unit of work.

    The entries of one transaction then read as one change (``vru-crm history``) and are
    undone together (``vru-crm undo``), as PostgreSQL's ``now()`` is one instant per
    transaction for the entries its triggers write.
    """
    transaction = session.get_transaction()
    held = session.info.get("audit_at")
    if held is None or held[0] is not transaction:
        held = (transaction, _transaction_start(session))
        session.info["audit_at"] = held
    stamp: datetime = held[1]
    return stamp


def _transaction_start(session: Session) -> datetime:
    """PostgreSQL's own instant for the transaction (what its triggers stamp), else the clock."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stamp = session.connection().execute(text("SELECT now()")).scalar()
        if isinstance(stamp, datetime):
            return stamp
    return utcnow()


def signed_by(session: Session) -> str:
    """Who an entry names: on PostgreSQL a team login's ``session_user``, else the stated user.

    The server's name is read once per connection (``db.engine``), so a team member's
    ``--user 'Sadiq Khan'`` changes nothing in the trail.
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        login = session.connection().info.get(TEAM_LOGIN)
        if isinstance(login, str) and login:
            return login
    return str(session.info.get("username") or "unknown")


def write_summary(
    session: Session,
    action: AuditAction,
    entity: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> None:
    """One entry for a bulk operation (an import of thousands of rows).

    ``changes`` says what the operation wrote (see ``bulk_changes``), so the
    entry records which rows came in and with what, not only how many.
    """
    session.add(
        AuditEntry(
            at=unit_time(session),
            username=signed_by(session),
            action=action.value,
            entity=entity,
            summary=summary[:300],
            changes=json.dumps(changes or {}, ensure_ascii=False, default=str),
        )
    )


BULK_VALUES_LIMIT = 5000


def bulk_changes(
    ids: Iterable[int], rows: Sequence[dict[str, Any]] | None = None, total: int | None = None
) -> dict[str, Any]:
    """What a bulk write did, for its summary entry: ids as ranges, and the rows' values.

    Ids are kept as ``[first, last]`` ranges (an import's ids are consecutive,
    so a million rows is one pair). The values of up to ``BULK_VALUES_LIMIT``
    rows are copied in (``total``: how many were written when ``rows`` is not
    given); past that the entry says so, because one entry of
    hundreds of megabytes would slow every later read of the trail, and the
    imported file itself holds them.
    """
    ordered = sorted(set(ids))
    ranges: list[list[int]] = []
    for value in ordered:
        if ranges and value == ranges[-1][1] + 1:
            ranges[-1][1] = value
        else:
            ranges.append([value, value])
    changes: dict[str, Any] = {"count": len(ordered), "ids": ranges}
    total = len(rows) if total is None and rows is not None else total
    if rows is not None and len(rows) <= BULK_VALUES_LIMIT:
        changes["rows"] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    elif total is not None:
        changes["rows_not_copied"] = (
            f"the values of {total:,} rows are not copied into the audit trail "
            f"(more than {BULK_VALUES_LIMIT:,}); the imported file holds them"
        )
    return changes


# -- rows that go without passing through the unit of work's objects ------------------
#
# Two ways a row can be deleted without being in ``session.deleted``: a bulk
# ``delete(...)`` statement run through the session (how services drop link
# rows: an organisation's boroughs and tags, an engagement's people), and the
# database's own ON DELETE CASCADE (a person's consents, an organisation's
# affiliations). Both are read just before they happen and written as ordinary
# delete entries, with their values.


def _row_entry(session: Session, table: Table, row: dict[str, Any]) -> Entry:
    first = next(iter(table.primary_key.columns), None)
    entity_id = row.get(first.name) if first is not None else None
    values = {k: _plain(v) for k, v in row.items() if k not in _SKIP_FIELDS}
    label = next(
        (
            str(row[n])[:120]
            for n in ("name", "full_name", "title", "username", "text")
            if row.get(n)
        ),
        "",
    )
    return {
        "at": unit_time(session),
        "username": signed_by(session),
        "action": AuditAction.DELETE.value,
        "entity": table.name,
        "entity_id": entity_id if isinstance(entity_id, int) else None,
        "summary": label,
        "changes": json.dumps(values, ensure_ascii=False, default=str),
    }


def _key(table: Table, row: dict[str, Any]) -> RowKey:
    return (table.name, tuple(row.get(c.name) for c in table.primary_key.columns))


def _cascaded(
    session: Session, table: Table, rows: list[dict[str, Any]], going: set[RowKey]
) -> list[Entry]:
    """Entries for the rows the database will delete by cascade when ``rows`` of ``table`` go."""
    entries: list[Entry] = []
    if not rows:
        return entries
    conn = session.connection()
    for child in table.metadata.sorted_tables:
        if child.name in _UNAUDITED_TABLES or child.name in _on_server(session):
            continue
        for fk in child.foreign_keys:
            if fk.column.table is not table or (fk.ondelete or "").upper() != "CASCADE":
                continue
            values = sorted({r.get(fk.column.name) for r in rows} - {None}, key=str)
            for start in range(0, len(values), 500):
                chunk = values[start : start + 500]
                found = [
                    dict(r)
                    for r in conn.execute(select(child).where(fk.parent.in_(chunk))).mappings()
                ]
                fresh = [r for r in found if _key(child, r) not in going]
                going.update(_key(child, r) for r in fresh)
                entries.extend(_row_entry(session, child, r) for r in fresh)
                entries.extend(_cascaded(session, child, fresh, going))
    return entries


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    if session.info.get("audit_rows") is False:
        return
    deleted = [o for o in session.deleted if not isinstance(o, _NOT_AUDITED)]
    if not deleted:
        return
    going = {_key(o.__table__, _values(o)) for o in session.deleted}
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for obj in deleted:
        by_table.setdefault(obj.__table__, []).append(_values(obj))
    entries: list[Entry] = []
    for table, rows in by_table.items():
        entries.extend(_cascaded(session, table, rows, going))
    if entries:
        session.connection().execute(insert(table_of(AuditEntry)), entries)


def _values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.name: getattr(obj, attr.key) for attr in mapper.column_attrs for c in attr.columns}


def _do_orm_execute(state: ORMExecuteState) -> None:
    """A bulk ``delete(...)`` run through the session: record each row (and its cascades) first."""
    session = state.session
    if not state.is_delete or session.info.get("audit_rows") is False:
        return
    statement = state.statement
    if not isinstance(statement, Delete):
        return
    table = statement.table
    if not isinstance(table, Table) or table.name in _UNAUDITED_TABLES:
        return
    if table.name in _on_server(session):
        return
    query = select(table)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    rows = [dict(r) for r in session.connection().execute(query).mappings()]
    if not rows:
        return
    going = {_key(table, r) for r in rows}
    entries = [_row_entry(session, table, r) for r in rows]
    entries.extend(_cascaded(session, table, rows, going))
    session.connection().execute(insert(table_of(AuditEntry)), entries)


def install(session_factory: sessionmaker[ModelSession]) -> None:
    event.listen(session_factory, "before_flush", _before_flush)
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "do_orm_execute", _do_orm_execute)
