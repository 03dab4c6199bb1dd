"""Meetings as a paged list: when, what, which network, status, minutes and attendance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from db.enums import MeetingStatus, MinutesStatus
from vru_crm.queries import tables as t
from vru_crm.queries.common import (
    Choice,
    Column,
    ListQuery,
    Sort,
    direction,
    london_day_bounds,
)

MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: "Planned",
    MeetingStatus.HELD: "Held",
    MeetingStatus.CANCELLED: "Cancelled",
}
MINUTES_STATUS_LABELS = {
    MinutesStatus.NONE: "No minutes",
    MinutesStatus.DRAFT: "Draft",
    MinutesStatus.APPROVED: "Approved",
    MinutesStatus.PUBLISHED: "Published",
}


@dataclass(frozen=True)
class MeetingRow:
    id: int
    starts_at: datetime
    title: str
    network: str
    status: str
    minutes_status: str
    attendees: int

    @property
    def status_label(self) -> str:
        return str(MEETING_STATUS_LABELS.get(self.status, self.status))  # type: ignore[call-overload]

    @property
    def minutes_label(self) -> str:
        return str(MINUTES_STATUS_LABELS.get(self.minutes_status, self.minutes_status))  # type: ignore[call-overload]


class MeetingQuery(ListQuery[MeetingRow]):
    columns = (
        Column("starts_at", "Date"),
        Column("title", "Title"),
        Column("network", "Network"),
        Column("status", "Status"),
        Column("minutes", "Minutes"),
        Column("attendees", "Attendees"),
    )
    filter_fields = frozenset({"text", "network_id", "date_from", "date_to", "status"})
    default_sort = Sort("starts_at", descending=True)
    statuses: ClassVar[tuple[Choice, ...]] = (
        *(Choice(k, v) for k, v in MEETING_STATUS_LABELS.items()),
        Choice("minutes_due", "Held, minutes not published"),
    )

    def _id_column(self) -> ColumnElement[int]:
        return t.meeting.c.id

    def _from(self) -> Any:
        if self.sort.column == "network":
            return t.meeting.outerjoin(t.network, t.network.c.id == t.meeting.c.network_id)
        return t.meeting

    def _conditions(self) -> list[ColumnElement[bool]]:
        f, mt = self.filters, t.meeting.c
        where: list[ColumnElement[bool]] = []
        if f.network_id is not None:
            where.append(mt.network_id == f.network_id)
        start, end = london_day_bounds(f.date_from, f.date_to)
        if start:
            where.append(mt.starts_at >= start)
        if end:
            where.append(mt.starts_at <= end)
        if f.status == "minutes_due":
            where += [mt.status == MeetingStatus.HELD, mt.minutes_status != MinutesStatus.PUBLISHED]
        elif f.status:
            where.append(mt.status == f.status)
        if f.text.strip():
            text = f.text.strip()
            where.append(
                sa.or_(
                    self._contains(mt.title, text),
                    self._contains(mt.location, text),
                    self._contains(mt.notes, text),
                )
            )
        return where

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        mt = t.meeting.c
        if sort.column == "title":
            return [direction(sa.func.lower(mt.title), sort)]
        if sort.column == "network":
            return [direction(t.network.c.name, sort, nullable=True)]
        if sort.column == "status":
            return [direction(mt.status, sort)]
        if sort.column == "minutes":
            return [direction(mt.minutes_status, sort)]
        if sort.column == "attendees":
            a = t.attendance.c
            count = sa.select(sa.func.count()).where(a.meeting_id == mt.id, a.status == "present")
            return [direction(count.scalar_subquery(), sort)]
        return [direction(mt.starts_at, sort)]

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, MeetingRow]:
        mt, n, a = t.meeting.c, t.network.c, t.attendance.c
        present: dict[int, int] = dict(
            conn.execute(
                sa.select(a.meeting_id, sa.func.count())
                .where(a.meeting_id.in_(ids), a.status == "present")
                .group_by(a.meeting_id)
            ).all()
        )
        statement = (
            sa.select(mt.id, mt.starts_at, mt.title, n.name, mt.status, mt.minutes_status)
            .select_from(t.meeting.outerjoin(t.network, n.id == mt.network_id))
            .where(mt.id.in_(ids))
        )
        return {
            r.id: MeetingRow(
                id=r.id,
                starts_at=r.starts_at,
                title=r.title,
                network=r.name or "",
                status=r.status,
                minutes_status=r.minutes_status,
                attendees=int(present.get(r.id, 0)),
            )
            for r in conn.execute(statement)
        }
