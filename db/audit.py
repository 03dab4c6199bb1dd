"""The audit trail: every create, update and delete, written in the same transaction.

Hooked on ``after_flush`` so an entry exists if and only if the change it
describes was committed. Bulk imports may switch per-row entries off
(``session.info["audit_rows"] = False``) and write one summary entry instead.
"""

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import AuditEntry, Objective, SectorRef
from db.types import utcnow

_NOT_AUDITED = (AuditEntry, Objective, SectorRef)
_SKIP_FIELDS = {"version", "created_at", "updated_at"}


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


def _entry(session: Session, action: AuditAction, obj: Any, changes: dict) -> dict:
    return {
        "at": utcnow(),
        "username": session.info.get("username") or "unknown",
        "action": action.value,
        "entity": type(obj).__tablename__,
        "entity_id": _entity_id(obj),
        "summary": _label(obj),
        "changes": json.dumps(changes, ensure_ascii=False, default=str),
    }


def _after_flush(session: Session, _context) -> None:
    if session.info.get("audit_rows") is False:
        return
    rows = []
    for obj in session.new:
        if not isinstance(obj, _NOT_AUDITED):
            rows.append(_entry(session, AuditAction.CREATE, obj, _columns(obj)))
    for obj in session.dirty:
        if isinstance(obj, _NOT_AUDITED) or not session.is_modified(obj, include_collections=False):
            continue
        changes = _changed(obj)
        if changes:
            rows.append(_entry(session, AuditAction.UPDATE, obj, changes))
    for obj in session.deleted:
        if not isinstance(obj, _NOT_AUDITED):
            rows.append(_entry(session, AuditAction.DELETE, obj, _columns(obj)))
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def write_summary(session: Session, action: AuditAction, entity: str, summary: str) -> None:
    """One entry for a bulk operation (an import of thousands of rows)."""
    session.add(
        AuditEntry(
            username=session.info.get("username") or "unknown",
            action=action.value,
            entity=entity,
            summary=summary[:300],
        )
    )


def install(session_factory) -> None:
    event.listen(session_factory, "after_flush", _after_flush)
