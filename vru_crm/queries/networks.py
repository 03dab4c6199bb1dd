"""Networks as a list: kind, current members, meetings, the next one and the cadence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from db.enums import NetworkKind
from db.types import utcnow
from vru_crm.governance.rule_words import describe_rule
from vru_crm.london import today_in_london
from vru_crm.queries import tables as t
from vru_crm.queries.common import Choice, Column, ListQuery, Sort, direction

NETWORK_KIND_LABELS: dict[str, str] = {
    NetworkKind.BOARD: "Board",
    NetworkKind.NETWORK: "Network",
    NetworkKind.FORUM: "Forum",
    NetworkKind.ADVISORY: "Advisory group",
    NetworkKind.YOUTH_GROUP: "Youth group",
    NetworkKind.PARTNERSHIP: "Partnership",
    NetworkKind.OTHER: "Other",
}


ARCHIVED = "archived"
WITH_ARCHIVED = "all"


@dataclass(frozen=True)
class NetworkRow:
    id: int
    name: str
    kind: str
    members: int
    meetings: int
    next_meeting: datetime | None
    cadence: str

    @property
    def kind_label(self) -> str:
        return NETWORK_KIND_LABELS.get(self.kind, self.kind)


def current_membership() -> ColumnElement[bool]:
    m = t.membership.c
    return sa.or_(m.end_date.is_(None), m.end_date >= today_in_london())


class NetworkQuery(ListQuery[NetworkRow]):
    columns = (
        Column("name", "Name"),
        Column("kind", "Kind"),
        Column("members", "Members"),
        Column("meetings", "Meetings"),
        Column("next_meeting", "Next meeting"),
        Column("cadence", "Cadence", sortable=False),
    )
    filter_fields = frozenset({"text", "kind", "status"})
    default_sort = Sort("name")
    kinds: ClassVar[tuple[Choice, ...]] = tuple(
        Choice(k, v) for k, v in NETWORK_KIND_LABELS.items()
    )
    # No status chosen: the networks in use. Archived ones are history, shown on request.
    any_status_label: ClassVar[str] = "Not archived"
    statuses: ClassVar[tuple[Choice, ...]] = (
        Choice(ARCHIVED, "Archived only"),
        Choice(WITH_ARCHIVED, "Including archived"),
    )

    def _id_column(self) -> ColumnElement[int]:
        return t.network.c.id

    def _from(self) -> Any:
        return t.network

    def _conditions(self) -> list[ColumnElement[bool]]:
        f, n = self.filters, t.network.c
        where: list[ColumnElement[bool]] = []
        if f.kind:
            where.append(n.kind == f.kind)
        if f.status == ARCHIVED:
            where.append(n.archived_on.is_not(None))
        elif f.status != WITH_ARCHIVED:
            where.append(n.archived_on.is_(None))
        if f.text.strip():
            where.append(
                sa.or_(
                    self._contains(n.name, f.text.strip()),
                    self._contains(n.short_name, f.text.strip()),
                    self._contains(n.description, f.text.strip()),
                )
            )
        return where

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        n, m, mt = t.network.c, t.membership.c, t.meeting.c
        if sort.column == "kind":
            return [direction(n.kind, sort)]
        if sort.column == "members":
            members = sa.select(sa.func.count()).where(m.network_id == n.id, current_membership())
            return [direction(members.scalar_subquery(), sort)]
        if sort.column == "meetings":
            return [
                direction(
                    sa.select(sa.func.count()).where(mt.network_id == n.id).scalar_subquery(), sort
                )
            ]
        if sort.column == "next_meeting":
            return [
                direction(
                    _next_meeting().where(mt.network_id == n.id).scalar_subquery(),
                    sort,
                    nullable=True,
                )
            ]
        return [direction(sa.func.lower(n.name), sort)]

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, NetworkRow]:
        n, m, mt = t.network.c, t.membership.c, t.meeting.c
        members: dict[int, int] = dict(
            conn.execute(
                sa.select(m.network_id, sa.func.count())
                .where(m.network_id.in_(ids), current_membership())
                .group_by(m.network_id)
            ).all()
        )
        meetings: dict[int, int] = dict(
            conn.execute(
                sa.select(mt.network_id, sa.func.count())
                .where(mt.network_id.in_(ids))
                .group_by(mt.network_id)
            ).all()
        )
        upcoming = {
            network_id: starts
            for starts, network_id in conn.execute(
                _next_meeting()
                .add_columns(mt.network_id)
                .where(mt.network_id.in_(ids))
                .group_by(mt.network_id)
            )
        }
        return {
            r.id: NetworkRow(
                id=r.id,
                name=r.name,
                kind=r.kind,
                members=int(members.get(r.id, 0)),
                meetings=int(meetings.get(r.id, 0)),
                next_meeting=upcoming.get(r.id),
                cadence=describe_rule(r.cadence_rrule),
            )
            for r in conn.execute(
                sa.select(n.id, n.name, n.kind, n.cadence_rrule).where(n.id.in_(ids))
            )
        }


def _next_meeting() -> sa.Select[Any]:
    mt = t.meeting.c
    return sa.select(sa.func.min(mt.starts_at)).where(
        mt.starts_at >= utcnow(), mt.status != "cancelled"
    )
