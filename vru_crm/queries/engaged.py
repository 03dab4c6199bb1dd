"""Which partners had an engagement matching the list's objective and date filters.

The organisation and people lists filter the same way: "engaged on objective
4 between these dates" means "appears in such an engagement". One statement
builder serves both, given the link table between engagements and the partner.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from vru_crm.queries import tables as t
from vru_crm.queries.common import Filters


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
