"""Everything the network page shows: members with roles and dates, meetings and cadence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.governance.rule_words import describe_rule
from vru_crm.queries import tables as t
from vru_crm.queries.common import is_current
from vru_crm.queries.networks import NETWORK_KIND_LABELS


@dataclass(frozen=True)
class Member:
    membership_id: int
    kind: str  # "person" or "organisation"
    member_id: int
    name: str
    role: str
    represents: str
    start_date: date | None
    end_date: date | None

    @property
    def current(self) -> bool:
        return is_current(self.end_date)


@dataclass(frozen=True)
class NetworkMeeting:
    id: int
    starts_at: datetime
    title: str
    status: str
    minutes_status: str
    attendees: int


@dataclass
class NetworkDetail:
    id: int
    version: int
    name: str
    kind: str
    kind_label: str
    description: str
    cadence_rule: str
    cadence: str
    minutes_publication_days: int | None
    quorum: int | None
    members: list[Member] = field(default_factory=list)
    meetings: list[NetworkMeeting] = field(default_factory=list)
    engagement_total: int = 0

    @property
    def current_members(self) -> int:
        return sum(1 for m in self.members if m.current)


def network_detail(database: Database, network_id: int) -> NetworkDetail:
    """The network page's figures; ``NotFound`` if it was deleted."""
    with database.engine.connect() as conn:
        row = conn.execute(sa.select(t.network).where(t.network.c.id == network_id)).one_or_none()
        if row is None:
            raise NotFound(f"Network {network_id} no longer exists.")
        detail = NetworkDetail(
            id=row.id,
            version=row.version,
            name=row.name,
            kind=row.kind,
            kind_label=NETWORK_KIND_LABELS.get(row.kind, row.kind),
            description=row.description or "",
            cadence_rule=row.cadence_rrule or "",
            cadence=describe_rule(row.cadence_rrule),
            minutes_publication_days=row.minutes_publication_days,
            quorum=row.quorum,
        )
        detail.members = _members(conn, network_id)
        detail.meetings = _meetings(conn, network_id)
        en = t.engagement_network.c
        detail.engagement_total = int(
            conn.execute(sa.select(sa.func.count()).where(en.network_id == network_id)).scalar_one()
        )
    return detail


def _members(conn: Connection, network_id: int) -> list[Member]:
    """People and organisations in one list: current first, then by role and name."""
    m, p, o = t.membership.c, t.person.c, t.organisation.c
    statement = (
        sa.select(
            m.id,
            m.person_id,
            m.organisation_id,
            p.full_name,
            o.name,
            m.role,
            m.represents,
            m.start_date,
            m.end_date,
        )
        .select_from(
            t.membership.outerjoin(t.person, p.id == m.person_id).outerjoin(
                t.organisation, o.id == m.organisation_id
            )
        )
        .where(m.network_id == network_id)
    )
    members = [
        Member(
            membership_id=r[0],
            kind="person" if r[1] is not None else "organisation",
            member_id=r[1] if r[1] is not None else r[2],
            name=r[3] if r[1] is not None else r[4],
            role=r.role,
            represents=r.represents or "",
            start_date=r.start_date,
            end_date=r.end_date,
        )
        for r in conn.execute(statement)
    ]
    order = {"chair": 0, "deputy": 1, "member": 2, "adviser": 3, "observer": 4, "secretariat": 5}
    return sorted(members, key=lambda x: (not x.current, order.get(x.role, 9), x.name.casefold()))


def _meetings(conn: Connection, network_id: int) -> list[NetworkMeeting]:
    mt, a = t.meeting.c, t.attendance.c
    present = (
        sa.select(sa.func.count())
        .where(a.meeting_id == mt.id, a.status == "present")
        .scalar_subquery()
        .label("n")
    )
    statement = (
        sa.select(mt.id, mt.starts_at, mt.title, mt.status, mt.minutes_status, present)
        .where(mt.network_id == network_id)
        .order_by(mt.starts_at.desc())
    )
    return [
        NetworkMeeting(r.id, r.starts_at, r.title, r.status, r.minutes_status, int(r.n))
        for r in conn.execute(statement)
    ]
