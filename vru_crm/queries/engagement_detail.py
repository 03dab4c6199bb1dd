"""One engagement in full: who, where, which networks and objectives, what came of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.queries import tables as t
from vru_crm.queries.common import Ref
from vru_crm.queries.engagements import KIND_LABELS


@dataclass
class EngagementDetail:
    id: int
    version: int
    occurred_on: date
    kind: str
    summary: str
    outcome: str
    people_reached: int
    follow_up_on: date | None
    follow_up_done: bool
    is_notable: bool
    is_synthetic: bool
    logged_by: str
    organisations: list[Ref] = field(default_factory=list)
    people: list[Ref] = field(default_factory=list)
    boroughs: list[str] = field(default_factory=list)
    networks: list[Ref] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def engagement_detail(database: Database, engagement_id: int) -> EngagementDetail:
    e, s = t.engagement.c, t.staff_user.c
    with database.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.engagement, s.display_name)
            .select_from(t.engagement.outerjoin(t.staff_user, s.id == e.logged_by_id))
            .where(e.id == engagement_id)
        ).one_or_none()
        if row is None:
            raise NotFound(f"Engagement {engagement_id} no longer exists.")
        detail = EngagementDetail(
            id=row.id,
            version=row.version,
            occurred_on=row.occurred_on,
            kind=row.kind,
            summary=row.summary,
            outcome=row.outcome,
            people_reached=row.people_reached,
            follow_up_on=row.follow_up_on,
            follow_up_done=bool(row.follow_up_done),
            is_notable=bool(row.is_notable),
            is_synthetic=bool(row.is_synthetic),
            logged_by=row.display_name or "",
        )
        detail.organisations = _refs(
            conn, "organisation", t.engagement_organisation, t.organisation, "name", engagement_id
        )
        detail.people = _refs(
            conn, "person", t.engagement_person, t.person, "full_name", engagement_id
        )
        detail.networks = _refs(
            conn, "network", t.engagement_network, t.network, "name", engagement_id
        )
        detail.boroughs = [
            r.label
            for r in _refs(conn, "borough", t.engagement_borough, t.borough, "name", engagement_id)
        ]
        detail.objectives = _objectives(conn, engagement_id)
    return detail


def _refs(
    conn: Connection, kind: str, link: sa.Table, target: sa.Table, name: str, engagement_id: int
) -> list[Ref]:
    key = f"{kind}_id"
    statement = (
        sa.select(target.c.id, target.c[name])
        .select_from(link.join(target, target.c.id == link.c[key]))
        .where(link.c.engagement_id == engagement_id)
        .order_by(target.c[name])
    )
    return [Ref(kind, r[0], r[1]) for r in conn.execute(statement)]


def _objectives(conn: Connection, engagement_id: int) -> list[str]:
    eo, o = t.engagement_objective.c, t.objective.c
    statement = (
        sa.select(o.number, o.title)
        .select_from(t.engagement_objective.join(t.objective, o.id == eo.objective_id))
        .where(eo.engagement_id == engagement_id)
        .order_by(o.number)
    )
    return [f"{r.number}. {r.title}" for r in conn.execute(statement)]
