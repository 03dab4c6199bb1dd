"""Everything the organisation page shows: people, networks, engagements over time, assessments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.london import today_in_london
from vru_crm.queries import tables as t
from vru_crm.queries.common import is_current, month_key
from vru_crm.queries.engaged import RECENT_ENGAGEMENTS as RECENT
from vru_crm.queries.engagements import EngagementRow, dress_engagements
from vru_crm.queries.people import current_affiliation


@dataclass(frozen=True)
class Affiliated:
    person_id: int
    name: str
    role: str
    start_date: date | None
    end_date: date | None

    @property
    def current(self) -> bool:
        return is_current(self.end_date)


@dataclass(frozen=True)
class MemberOf:
    network_id: int
    network: str
    role: str
    represents: str
    start_date: date | None
    end_date: date | None
    via: str = ""  # the person through whom an organisation sits on the network, if not directly

    @property
    def current(self) -> bool:
        return is_current(self.end_date)


@dataclass(frozen=True)
class MonthCount:
    month: str  # "YYYY-MM"
    count: int


@dataclass(frozen=True)
class AssessmentPoint:
    assessed_on: date
    influence: int
    interest: int
    support: int
    assessed_by: str
    notes: str


@dataclass
class OrganisationDetail:
    id: int
    version: int
    name: str
    sector: str
    sector_label: str
    is_priority: bool
    website: str
    email: str
    phone: str
    notes: str
    boroughs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    people: list[Affiliated] = field(default_factory=list)
    networks: list[MemberOf] = field(default_factory=list)
    by_month: list[MonthCount] = field(default_factory=list)
    engagement_total: int = 0
    last_contact: date | None = None
    recent: list[EngagementRow] = field(default_factory=list)
    assessments: list[AssessmentPoint] = field(default_factory=list)


def organisation_detail(database: Database, organisation_id: int) -> OrganisationDetail:
    """The organisation page's figures; ``NotFound`` if it was deleted or merged away."""
    o, s = t.organisation.c, t.sector.c
    with database.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.organisation, s.label)
            .select_from(t.organisation.join(t.sector, s.code == o.sector))
            .where(o.id == organisation_id)
        ).one_or_none()
        if row is None:
            raise NotFound(f"Organisation {organisation_id} no longer exists (deleted or merged).")
        detail = OrganisationDetail(
            id=row.id,
            version=row.version,
            name=row.name,
            sector=row.sector,
            sector_label=row.label,
            is_priority=bool(row.is_priority),
            website=row.website or "",
            email=row.email or "",
            phone=row.phone or "",
            notes=row.notes or "",
        )
        detail.boroughs = _boroughs(conn, organisation_id)
        detail.tags = _tags(conn, organisation_id)
        detail.people = _people(conn, organisation_id)
        detail.networks = _networks(conn, organisation_id)
        _engagements(conn, detail)
        detail.assessments = _assessments(conn, organisation_id)
    return detail


def _boroughs(conn: Connection, organisation_id: int) -> list[str]:
    ob, b = t.organisation_borough.c, t.borough.c
    statement = (
        sa.select(b.name)
        .select_from(t.organisation_borough.join(t.borough, b.id == ob.borough_id))
        .where(ob.organisation_id == organisation_id)
        .order_by(b.name)
    )
    return list(conn.execute(statement).scalars())


def _tags(conn: Connection, organisation_id: int) -> list[str]:
    ot, tag = t.organisation_tag.c, t.tag.c
    statement = (
        sa.select(tag.name)
        .select_from(t.organisation_tag.join(t.tag, tag.id == ot.tag_id))
        .where(ot.organisation_id == organisation_id)
        .order_by(tag.name)
    )
    return list(conn.execute(statement).scalars())


def _people(conn: Connection, organisation_id: int) -> list[Affiliated]:
    a, p = t.affiliation.c, t.person.c
    statement = (
        sa.select(p.id, p.full_name, a.role, a.start_date, a.end_date)
        .select_from(t.affiliation.join(t.person, p.id == a.person_id))
        .where(a.organisation_id == organisation_id)
        .order_by(a.end_date.is_not(None), p.full_name)
    )
    return [
        Affiliated(r.id, r.full_name, r.role or "", r.start_date, r.end_date)
        for r in conn.execute(statement)
    ]


def _networks(conn: Connection, organisation_id: int) -> list[MemberOf]:
    """Its own memberships, then those of the people who work there now (the PRG seats people)."""
    m, n, a, p = t.membership.c, t.network.c, t.affiliation.c, t.person.c
    own = (
        sa.select(n.id, n.name, m.role, m.represents, m.start_date, m.end_date)
        .select_from(t.membership.join(t.network, n.id == m.network_id))
        .where(m.organisation_id == organisation_id)
        .order_by(m.end_date.is_not(None), n.name)
    )
    staff = (
        sa.select(n.id, n.name, m.role, m.represents, m.start_date, m.end_date, p.full_name)
        .select_from(
            t.membership.join(t.network, n.id == m.network_id)
            .join(t.person, p.id == m.person_id)
            .join(t.affiliation, a.person_id == p.id)
        )
        .where(a.organisation_id == organisation_id, current_affiliation(today_in_london()))
        .order_by(m.end_date.is_not(None), n.name, p.full_name)
    )
    rows = [
        MemberOf(r.id, r.name, r.role, r.represents or "", r.start_date, r.end_date)
        for r in conn.execute(own)
    ]
    rows += [
        MemberOf(
            r.id, r.name, r.role, r.represents or "", r.start_date, r.end_date, via=r.full_name
        )
        for r in conn.execute(staff)
    ]
    return rows


def _engagements(conn: Connection, detail: OrganisationDetail) -> None:
    """Counts by month, total, last contact and the latest few, all for one organisation.

    The counts come from the trigger-kept organisation rollup (one row a day
    with engagements, db/rollup.py), so the busiest partner (40,000
    engagements at 2,000,000) costs a few thousand rollup rows, not a join
    over every engagement it had.
    """
    od = t.organisation_daily.c
    mine = (od.organisation_id == detail.id, od.engagements > 0)
    month = month_key(conn, od.day).label("month")
    detail.by_month = [
        MonthCount(r.month, int(r.n))
        for r in conn.execute(
            sa.select(month, sa.func.sum(od.engagements).label("n"))
            .where(*mine)
            .group_by(month)
            .order_by(month)
        )
    ]
    detail.engagement_total = sum(m.count for m in detail.by_month)
    newest = conn.execute(
        sa.select(od.day, od.engagements).where(*mine).order_by(od.day.desc()).limit(RECENT)
    ).all()
    detail.last_contact = _as_date(newest[0].day) if newest else None
    ids = _recent_ids(conn, detail.id, detail.engagement_total, _first_recent_day(newest))
    dressed = dress_engagements(conn, ids) if ids else {}
    detail.recent = [dressed[i] for i in ids if i in dressed]


def _first_recent_day(newest: Sequence[Any]) -> date | None:
    """The day from which the latest ``RECENT`` engagements come (days newest first)."""
    seen = 0
    for row in newest:
        seen += int(row.engagements)
        if seen >= RECENT:
            return _as_date(row.day)
    return None


def _recent_ids(
    conn: Connection, organisation_id: int, total: int, since: date | None
) -> list[int]:
    """The latest engagements' ids, newest first, from whichever side reads fewer rows.

    A partner with few engagements: its links, sorted. A busy one: the log
    walked back from today through the date index until enough are its own,
    when fewer engagements of anyone's were logged since ``since`` than it
    has in all (counted up to that bound, so the count costs no more).
    """
    eo, e = t.engagement_organisation.c, t.engagement.c
    if since is not None and total > RECENT:
        logged_since = conn.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(e.id).where(e.occurred_on >= since).limit(total).subquery()
            )
        ).scalar_one()
        if logged_since < total:
            linked = sa.exists().where(
                eo.engagement_id == e.id, eo.organisation_id == organisation_id
            )
            return list(
                conn.execute(
                    sa.select(e.id)
                    .where(e.occurred_on >= since, linked)
                    .order_by(e.occurred_on.desc(), e.id.desc())
                    .limit(RECENT)
                ).scalars()
            )
    return list(
        conn.execute(
            sa.select(e.id)
            .select_from(t.engagement_organisation.join(t.engagement, e.id == eo.engagement_id))
            .where(eo.organisation_id == organisation_id)
            .order_by(e.occurred_on.desc(), e.id.desc())
            .limit(RECENT)
        ).scalars()
    )


def _as_date(value: date | str) -> date:
    """SQLite may hand back a date read through a subquery or MAX() as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _assessments(conn: Connection, organisation_id: int) -> list[AssessmentPoint]:
    sa_ = t.assessment.c
    statement = (
        sa.select(
            sa_.assessed_on, sa_.influence, sa_.interest, sa_.support, sa_.assessed_by, sa_.notes
        )
        .where(sa_.organisation_id == organisation_id)
        .order_by(sa_.assessed_on, sa_.id)
    )
    return [
        AssessmentPoint(
            r.assessed_on, r.influence, r.interest, r.support, r.assessed_by or "", r.notes or ""
        )
        for r in conn.execute(statement)
    ]
