"""A partner's engagements, the same way for organisations and people.

The organisation and people lists filter the same way: "engaged on objective
4 between these dates" means "appears in such an engagement"; and their pages
show the same history: how many, the last contact, the latest few. Each
function is given the link table between engagements and the partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from vru_crm.queries import tables as t
from vru_crm.queries.common import Filters
from vru_crm.queries.engagements import EngagementRow, dress_engagements

RECENT_ENGAGEMENTS = 50


def engaged_filter(
    filters: Filters, link: sa.Table, partner: str, partner_id: ColumnElement[int]
) -> list[ColumnElement[bool]]:
    """``partner_id IN (partners of matching engagements)``, or nothing when no such filter is set.

    ``link`` is ``engagement_organisation`` or ``engagement_person`` and
    ``partner`` its column naming the partner.
    """
    f = filters
    if f.objective_id is None and f.date_from is None and f.date_to is None:
        return []
    e = t.engagement.c
    engaged = sa.select(link.c[partner]).join(t.engagement, e.id == link.c.engagement_id)
    if f.date_from:
        engaged = engaged.where(e.occurred_on >= f.date_from)
    if f.date_to:
        engaged = engaged.where(e.occurred_on <= f.date_to)
    if f.objective_id is not None:
        obj = t.engagement_objective.c
        engaged = engaged.where(
            e.id.in_(sa.select(obj.engagement_id).where(obj.objective_id == f.objective_id))
        )
    return [partner_id.in_(engaged)]


@dataclass
class History:
    total: int
    last_contact: date | None
    recent: list[EngagementRow]  # newest first, at most RECENT_ENGAGEMENTS


def engagement_history(conn: Connection, link: sa.Table, partner: str, partner_id: int) -> History:
    """How many engagements a partner had, the last one's date, and the latest few, dressed for a table."""
    e = t.engagement.c
    joined = link.join(t.engagement, e.id == link.c.engagement_id)
    mine = link.c[partner] == partner_id
    total, last = conn.execute(
        sa.select(sa.func.count(), sa.func.max(e.occurred_on)).select_from(joined).where(mine)
    ).one()
    ids = list(
        conn.execute(
            sa.select(e.id)
            .select_from(joined)
            .where(mine)
            .order_by(e.occurred_on.desc(), e.id.desc())
            .limit(RECENT_ENGAGEMENTS)
        ).scalars()
    )
    dressed = dress_engagements(conn, ids) if ids else {}
    return History(int(total), last, [dressed[i] for i in ids if i in dressed])
