"""Everything the person page shows: affiliations, memberships, meetings attended, engagements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.enums import AGE_BAND_LABELS
from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.queries import tables as t
from vru_crm.queries.common import is_current
from vru_crm.queries.engaged import engagement_history
from vru_crm.queries.engagements import EngagementRow
from vru_crm.queries.organisation_detail import MemberOf


@dataclass(frozen=True)
class AffiliationAt:
    organisation_id: int
    organisation: str
    role: str
    start_date: date | None
    end_date: date | None

    @property
    def current(self) -> bool:
        return is_current(self.end_date)


@dataclass(frozen=True)
class Attended:
    meeting_id: int
    starts_at: datetime
    title: str
    network: str
    status: str


@dataclass
class PersonDetail:
    id: int
    version: int
    full_name: str
    job_title: str
    email: str
    phone: str
    borough: str
    is_young_person: bool
    age_band: str
    notes: str
    affiliations: list[AffiliationAt] = field(default_factory=list)
    memberships: list[MemberOf] = field(default_factory=list)
    meetings: list[Attended] = field(default_factory=list)
    engagement_total: int = 0
    last_contact: date | None = None
    recent: list[EngagementRow] = field(default_factory=list)


def person_detail(database: Database, person_id: int) -> PersonDetail:
    """The person page's figures; ``NotFound`` if they were deleted or merged away."""
    p, b = t.person.c, t.borough.c
    with database.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.person, b.name.label("borough_name"))
            .select_from(t.person.outerjoin(t.borough, b.id == p.borough_id))
            .where(p.id == person_id)
        ).one_or_none()
        if row is None:
            raise NotFound(f"Person {person_id} no longer exists (deleted or merged).")
        detail = PersonDetail(
            id=row.id,
            version=row.version,
            full_name=row.full_name,
            job_title=row.job_title or "",
            email=row.email or "",
            phone=row.phone or "",
            borough=row.borough_name or "",
            is_young_person=bool(row.is_young_person),
            age_band=AGE_BAND_LABELS.get(row.age_band or "", row.age_band or ""),
            notes=row.notes or "",
        )
        detail.affiliations = _affiliations(conn, person_id)
        detail.memberships = _memberships(conn, person_id)
        detail.meetings = _meetings(conn, person_id)
        _engagements(conn, detail)
    return detail


def _affiliations(conn: Connection, person_id: int) -> list[AffiliationAt]:
    a, o = t.affiliation.c, t.organisation.c
    statement = (
        sa.select(o.id, o.name, a.role, a.start_date, a.end_date)
        .select_from(t.affiliation.join(t.organisation, o.id == a.organisation_id))
        .where(a.person_id == person_id)
        .order_by(a.end_date.is_not(None), a.start_date.desc().nulls_last(), o.name)
    )
    return [
        AffiliationAt(r.id, r.name, r.role or "", r.start_date, r.end_date)
        for r in conn.execute(statement)
    ]


def _memberships(conn: Connection, person_id: int) -> list[MemberOf]:
    m, n = t.membership.c, t.network.c
    statement = (
        sa.select(n.id, n.name, m.role, m.represents, m.start_date, m.end_date)
        .select_from(t.membership.join(t.network, n.id == m.network_id))
        .where(m.person_id == person_id)
        .order_by(m.end_date.is_not(None), n.name)
    )
    return [
        MemberOf(r.id, r.name, r.role, r.represents or "", r.start_date, r.end_date)
        for r in conn.execute(statement)
    ]


def _meetings(conn: Connection, person_id: int) -> list[Attended]:
    a, mt, n = t.attendance.c, t.meeting.c, t.network.c
    statement = (
        sa.select(mt.id, mt.starts_at, mt.title, n.name, a.status)
        .select_from(
            t.attendance.join(t.meeting, mt.id == a.meeting_id).outerjoin(
                t.network, n.id == mt.network_id
            )
        )
        .where(a.person_id == person_id)
        .order_by(mt.starts_at.desc())
    )
    return [
        Attended(r.id, r.starts_at, r.title, r.name or "", r.status)
        for r in conn.execute(statement)
    ]


def _engagements(conn: Connection, detail: PersonDetail) -> None:
    history = engagement_history(conn, t.engagement_person, "person_id", detail.id)
    detail.engagement_total, detail.last_contact = history.total, history.last_contact
    detail.recent = history.recent
