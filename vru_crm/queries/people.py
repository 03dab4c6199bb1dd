"""People as a paged list: job, current organisations, borough and last contact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from db.enums import AGE_BAND_LABELS
from vru_crm.london import today_in_london
from vru_crm.queries import tables as t
from vru_crm.queries.common import Choice, Column, ListQuery, Sort, direction, joined, sorted_list
from vru_crm.queries.engaged import engaged_filter


@dataclass(frozen=True)
class PersonRow:
    id: int
    full_name: str
    job_title: str
    organisations: str
    borough: str
    email: str
    last_contact: date | None
    is_young_person: bool
    age_band: str | None = None

    @property
    def young_label(self) -> str:
        """ "Young, 16-17" for a young person (their age band), empty for an adult."""
        if not self.is_young_person:
            return ""
        band = AGE_BAND_LABELS.get(self.age_band or "", "")
        return f"Young, {band}" if band else "Young"


def current_affiliation(today: date) -> ColumnElement[bool]:
    a = t.affiliation.c
    return sa.or_(a.end_date.is_(None), a.end_date >= today)


class PersonQuery(ListQuery[PersonRow]):
    columns = (
        Column("name", "Name"),
        Column("young", "Young person"),
        Column("job_title", "Job title"),
        Column("organisations", "Organisations"),
        Column("borough", "Borough"),
        Column("email", "E-mail"),
        Column("last_contact", "Last contact"),
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
    # The status filter is the young-people filter on this list: its words say so.
    statuses: ClassVar[tuple[Choice, ...]] = (
        Choice("young", "Young people only"),
        Choice("adult", "Adults only"),
    )
    any_status_label: ClassVar[str] = "Young people and adults"
    status_filter_name: ClassVar[str] = "Filter by young people or adults"

    def _id_column(self) -> ColumnElement[int]:
        return t.person.c.id

    def _from(self) -> Any:
        if self.sort.column == "borough":
            return t.person.outerjoin(t.borough, t.borough.c.id == t.person.c.borough_id)
        return t.person

    def _conditions(self) -> list[ColumnElement[bool]]:
        f, p = self.filters, t.person.c
        where: list[ColumnElement[bool]] = []
        if f.borough_id is not None:
            where.append(p.borough_id == f.borough_id)
        if f.sector:
            a, o = t.affiliation.c, t.organisation.c
            in_sector = sa.select(o.id).where(o.sector == f.sector)
            where.append(p.id.in_(sa.select(a.person_id).where(a.organisation_id.in_(in_sector))))
        if f.network_id is not None:
            m = t.membership.c
            where.append(p.id.in_(sa.select(m.person_id).where(m.network_id == f.network_id)))
        if f.status == "young":
            where.append(p.is_young_person.is_(True))
        elif f.status == "adult":
            where.append(p.is_young_person.is_(False))
        where += self._engagement_conditions()
        if f.text.strip():
            text = f.text.strip()
            where.append(
                sa.or_(
                    self._contains(p.full_name, text),
                    self._contains(p.email, text),
                    self._contains(p.job_title, text),
                )
            )
        return where

    def _engagement_conditions(self) -> list[ColumnElement[bool]]:
        """Objective and dates filter persons by the engagements they had."""
        return engaged_filter(self.filters, t.engagement_person, "person_id", t.person.c.id)

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        p = t.person.c
        if sort.column == "young":  # young people first, youngest band first, then by name
            bands = {code: i for i, code in enumerate(AGE_BAND_LABELS)}
            rank = sa.case(
                (p.is_young_person.is_(False), len(bands) + 1),
                *((p.age_band == code, i) for code, i in bands.items()),
                else_=len(bands),
            )
            return [direction(rank, sort), direction(sa.func.lower(p.full_name), sort)]
        if sort.column == "job_title":
            return [direction(sa.func.lower(p.job_title), sort, nullable=True)]
        if sort.column == "borough":
            return [direction(t.borough.c.name, sort, nullable=True)]
        if sort.column == "email":
            return [direction(sa.func.lower(p.email), sort, nullable=True)]
        if sort.column == "last_contact":
            ep, e = t.engagement_person.c, t.engagement.c
            last = (
                sa.select(sa.func.max(e.occurred_on))
                .select_from(t.engagement_person.join(t.engagement, e.id == ep.engagement_id))
                .where(ep.person_id == p.id)
                .scalar_subquery()
            )
            return [direction(last, sort, nullable=True)]
        if sort.column == "organisations":
            a, o = t.affiliation.c, t.organisation.c
            first = (
                sa.select(sa.func.min(sa.func.lower(o.name)))
                .select_from(t.affiliation.join(t.organisation, o.id == a.organisation_id))
                .where(a.person_id == p.id)
                .scalar_subquery()
            )
            return [direction(first, sort, nullable=True)]
        return [direction(sa.func.lower(p.full_name), sort)]

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, PersonRow]:
        return dress_people(conn, ids)


def dress_people(conn: Connection, ids: Sequence[int]) -> dict[int, PersonRow]:
    p, b = t.person.c, t.borough.c
    a, o = t.affiliation.c, t.organisation.c
    ep, e = t.engagement_person.c, t.engagement.c
    base = sa.select(
        p.id, p.full_name, p.job_title, b.name, p.email, p.is_young_person, p.age_band
    ).select_from(t.person.outerjoin(t.borough, b.id == p.borough_id))
    orgs = (
        sa.select(a.person_id, joined(o.name))
        .select_from(t.affiliation.join(t.organisation, o.id == a.organisation_id))
        .where(a.person_id.in_(ids), current_affiliation(today_in_london()))
        .group_by(a.person_id)
    )
    last = (
        sa.select(ep.person_id, sa.func.max(e.occurred_on))
        .select_from(t.engagement_person.join(t.engagement, e.id == ep.engagement_id))
        .where(ep.person_id.in_(ids))
        .group_by(ep.person_id)
    )
    org_text = {r[0]: sorted_list(r[1]) for r in conn.execute(orgs)}
    last_contact = {r[0]: r[1] for r in conn.execute(last)}
    return {
        r.id: PersonRow(
            id=r.id,
            full_name=r.full_name,
            job_title=r.job_title or "",
            organisations=org_text.get(r.id, ""),
            borough=r.name or "",
            email=r.email or "",
            last_contact=last_contact.get(r.id),
            is_young_person=bool(r.is_young_person),
            age_band=r.age_band,
        )
        for r in conn.execute(base.where(p.id.in_(ids)))
    }
