"""Organisations as a paged list: sector, boroughs, last contact and engagement count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from vru_crm.queries import tables as t
from vru_crm.queries.common import (
    Choice,
    Column,
    ListQuery,
    Sort,
    direction,
    joined,
    sorted_list,
)
from vru_crm.queries.engaged import engaged_filter


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    sector: str
    boroughs: str
    last_contact: date | None
    engagements: int
    is_priority: bool
    email: str


def last_contact_of_organisation() -> ColumnElement[Any]:
    """The date of the organisation's latest engagement (a correlated subquery)."""
    eo, e = t.engagement_organisation.c, t.engagement.c
    return (
        sa.select(sa.func.max(e.occurred_on))
        .select_from(t.engagement_organisation.join(t.engagement, e.id == eo.engagement_id))
        .where(eo.organisation_id == t.organisation.c.id)
        .scalar_subquery()
    )


class OrganisationQuery(ListQuery[OrganisationRow]):
    columns = (
        Column("name", "Name"),
        Column("sector", "Sector"),
        Column("boroughs", "Boroughs"),
        Column("last_contact", "Last contact"),
        Column("engagements", "Engagements"),
        Column("priority", "Priority"),
    )
    filter_fields = frozenset(
        {
            "text",
            "sector",
            "borough_id",
            "network_id",
            "objective_id",
            "date_from",
            "date_to",
            "status",
        }
    )
    default_sort = Sort("name")
    statuses: ClassVar[tuple[Choice, ...]] = (
        Choice("priority", "Priority partners"),
        Choice("never", "Never engaged"),
    )

    def _id_column(self) -> ColumnElement[int]:
        return t.organisation.c.id

    def _from(self) -> Any:
        if self.sort.column == "sector":
            return t.organisation.join(t.sector, t.sector.c.code == t.organisation.c.sector)
        return t.organisation

    def _conditions(self) -> list[ColumnElement[bool]]:
        f, o = self.filters, t.organisation.c
        where: list[ColumnElement[bool]] = []
        if f.sector:
            where.append(o.sector == f.sector)
        if f.borough_id is not None:
            ob = t.organisation_borough.c
            where.append(
                o.id.in_(sa.select(ob.organisation_id).where(ob.borough_id == f.borough_id))
            )
        if f.network_id is not None:
            m = t.membership.c
            where.append(o.id.in_(sa.select(m.organisation_id).where(m.network_id == f.network_id)))
        if f.status == "priority":
            where.append(o.is_priority.is_(True))
        elif f.status == "never":
            eo = t.engagement_organisation.c
            where.append(o.id.not_in(sa.select(eo.organisation_id)))
        where += self._engagement_conditions()
        if f.text.strip():
            text = f.text.strip()
            where.append(
                sa.or_(
                    self._contains(o.name, text),
                    self._contains(o.email, text),
                    self._contains(o.website, text),
                )
            )
        return where

    def _engagement_conditions(self) -> list[ColumnElement[bool]]:
        """Objective and dates filter organisations by the engagements they had."""
        return engaged_filter(
            self.filters, t.engagement_organisation, "organisation_id", t.organisation.c.id
        )

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        o = t.organisation.c
        if sort.column == "sector":
            return [direction(t.sector.c.label, sort)]
        if sort.column == "last_contact":
            return [direction(last_contact_of_organisation(), sort, nullable=True)]
        if sort.column == "engagements":
            eo = t.engagement_organisation.c
            count = sa.select(sa.func.count()).where(eo.organisation_id == o.id).scalar_subquery()
            return [direction(count, sort)]
        if sort.column == "priority":
            return [direction(o.is_priority, sort), sa.func.lower(o.name)]
        if sort.column == "boroughs":
            ob, b = t.organisation_borough.c, t.borough.c
            first = (
                sa.select(sa.func.min(b.name))
                .select_from(t.organisation_borough.join(t.borough, b.id == ob.borough_id))
                .where(ob.organisation_id == o.id)
                .scalar_subquery()
            )
            return [direction(first, sort, nullable=True)]
        return [direction(sa.func.lower(o.name), sort)]

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, OrganisationRow]:
        return dress_organisations(conn, ids)


def dress_organisations(conn: Connection, ids: Sequence[int]) -> dict[int, OrganisationRow]:
    o, s = t.organisation.c, t.sector.c
    ob, b = t.organisation_borough.c, t.borough.c
    eo, e = t.engagement_organisation.c, t.engagement.c
    base = sa.select(o.id, o.name, s.label, o.is_priority, o.email).select_from(
        t.organisation.join(t.sector, s.code == o.sector)
    )
    boroughs = sa.select(ob.organisation_id, joined(b.name)).select_from(
        t.organisation_borough.join(t.borough, b.id == ob.borough_id)
    )
    contact = sa.select(
        eo.organisation_id, sa.func.max(e.occurred_on), sa.func.count()
    ).select_from(t.engagement_organisation.join(t.engagement, e.id == eo.engagement_id))
    borough_text = {
        r[0]: sorted_list(r[1])
        for r in conn.execute(
            boroughs.where(ob.organisation_id.in_(ids)).group_by(ob.organisation_id)
        )
    }
    contacts = {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            contact.where(eo.organisation_id.in_(ids)).group_by(eo.organisation_id)
        )
    }
    return {
        r.id: OrganisationRow(
            id=r.id,
            name=r.name,
            sector=r.label,
            boroughs=borough_text.get(r.id, ""),
            last_contact=contacts.get(r.id, (None, 0))[0],
            engagements=int(contacts.get(r.id, (None, 0))[1]),
            is_priority=bool(r.is_priority),
            email=r.email or "",
        )
        for r in conn.execute(base.where(o.id.in_(ids)))
    }
