"""The audit trail as a list query, newest first, for the paged table model.

The audit trail grows with every change, so its screen pages it like any long
list (``ui.models.paged_model.PagedTableModel``) instead of holding what was
scrolled past. The filter is the audit trail's own (``AuditFilter``: who, what
kind of record, which action, between which days, words in the values).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from db.models import AuditEntry
from db.models.base import table_of
from db.session import Database
from vru_crm.protection.audit_view import AuditFilter, AuditRow, condition, in_words, to_row
from vru_crm.queries.common import Column, Filters, ListQuery, Sort

_AUDIT = table_of(AuditEntry)


class AuditQuery(ListQuery[AuditRow]):
    """Audit entries matching an ``AuditFilter``, newest first."""

    columns: ClassVar[tuple[Column, ...]] = (
        Column("at", "When"),
        Column("username", "Who", sortable=False),
        Column("action", "Action", sortable=False),
        Column("record", "Record", sortable=False),
        Column("what", "What", sortable=False),
    )
    default_sort: ClassVar[Sort] = Sort("at", descending=True)

    def __init__(
        self,
        database: Database,
        filters: AuditFilter | Filters | None = None,
        sort: Sort | None = None,
    ) -> None:
        super().__init__(database, None, sort)
        self.where = filters if isinstance(filters, AuditFilter) else AuditFilter()

    def _id_column(self) -> ColumnElement[int]:
        return _AUDIT.c.id

    def _from(self) -> Any:
        return _AUDIT

    def _conditions(self) -> list[ColumnElement[bool]]:
        return [condition(self.where)]

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        return [_AUDIT.c.at.desc() if sort.descending else _AUDIT.c.at]

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, AuditRow]:
        """The entries in words (their records named, one query per kind of record)."""
        with Session(bind=conn) as s:
            entries = s.exec(select(AuditEntry).where(col(AuditEntry.id).in_(list(ids)))).all()
            rows = in_words(s, [to_row(e) for e in entries])
        return {row.id: row for row in rows}
