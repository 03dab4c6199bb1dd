"""What the dashboard lists when a borough's tile is clicked: its partners and engagements.

Bounded lists (``limit``) for a side panel, in the same period as the map, so
the count on the tile and the list beside it agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.session import Database
from vru_crm.reports import sql as q
from vru_crm.reports.figures import KIND_LABELS, _organisation_names
from vru_crm.reports.period import PeriodFilter


@dataclass(frozen=True)
class BoroughPartner:
    organisation_id: int
    name: str
    sector: str
    engagements: int  # in the period, anywhere


@dataclass(frozen=True)
class BoroughEngagement:
    engagement_id: int
    occurred_on: date
    kind: str
    summary: str
    organisations: str
    people_reached: int


@dataclass(frozen=True)
class BoroughDetail:
    borough_id: int
    name: str
    is_priority: bool
    engagement_count: int
    partners: list[BoroughPartner]
    engagements: list[BoroughEngagement]


def borough_detail(
    database: Database, borough_id: int, period: PeriodFilter, *, limit: int = 50
) -> BoroughDetail:
    b, e, eb = q.borough, q.engagement, q.eng_borough
    with database.engine.connect() as conn:
        row = conn.execute(sa.select(b.c.name, b.c.is_priority).where(b.c.id == borough_id)).one()
        in_borough = sa.and_(eb.c.borough_id == borough_id, q.engagements_in(period))
        count = conn.execute(
            sa.select(sa.func.count())
            .select_from(eb.join(e, e.c.id == eb.c.engagement_id))
            .where(in_borough)
        ).scalar_one()
        rows = conn.execute(
            sa.select(e.c.id, e.c.occurred_on, e.c.kind, e.c.summary, e.c.people_reached)
            .select_from(eb.join(e, e.c.id == eb.c.engagement_id))
            .where(in_borough)
            .order_by(e.c.occurred_on.desc(), e.c.id.desc())
            .limit(limit)
        ).all()
        names = _organisation_names(conn, [r.id for r in rows])
        engagements = [
            BoroughEngagement(
                r.id,
                r.occurred_on,
                KIND_LABELS.get(r.kind, r.kind),
                r.summary or "",
                names.get(r.id, ""),
                r.people_reached,
            )  # fmt: skip
            for r in rows
        ]
        partners = _partners(conn, borough_id, period, limit)
    return BoroughDetail(
        borough_id, row.name, bool(row.is_priority), int(count), partners, engagements
    )


def _partners(
    conn: Connection, borough_id: int, period: PeriodFilter, limit: int
) -> list[BoroughPartner]:
    """Organisations based in the borough, most engaged in the period first."""
    o, ob, eo, e = q.organisation, q.organisation_borough, q.eng_org, q.engagement
    counts = (
        sa.select(eo.c.organisation_id, sa.func.count().label("n"))
        .join(e, e.c.id == eo.c.engagement_id)
        .where(q.engagements_in(period))
        .group_by(eo.c.organisation_id)
        .subquery()
    )
    n = sa.func.coalesce(counts.c.n, 0)
    rows = conn.execute(
        sa.select(o.c.id, o.c.name, o.c.sector, n)
        .select_from(
            ob.join(o, o.c.id == ob.c.organisation_id).outerjoin(
                counts, counts.c.organisation_id == o.c.id
            )
        )
        .where(ob.c.borough_id == borough_id)
        .order_by(n.desc(), o.c.name)
        .limit(limit)
    )
    return [BoroughPartner(r[0], r[1], r[2], int(r[3])) for r in rows]
