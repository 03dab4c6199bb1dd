"""Everything the network page shows: members with roles and dates, meetings and cadence.

Each person's attendance share is over the last 12 months: of the meetings held
while they were a member, the share they were present at. Organisations are
members without a seat at the table, so they have none. Cadence health (last
held, next due, overdue) is the Cadence dialog's arithmetic (``cadence.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.engine import Connection

from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.governance.cadence import cadence_for
from vru_crm.governance.rule_words import describe_cadence
from vru_crm.london import london_date, today_in_london
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
    membership_version: int = 1
    attendance_share: float | None = None  # last 12 months, people only
    attended: int = 0
    meetings_while_member: int = 0

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
    short_name: str | None = None
    archived_on: date | None = None
    meeting_minutes: int | None = None
    tolerance_days: int = 14
    last_held: date | None = None
    next_due: date | None = None
    overdue: bool = False
    days_overdue: int = 0
    next_scheduled: date | None = None
    attendance_from: date | None = None  # the 12 months the shares cover
    attendance_to: date | None = None

    @property
    def current_members(self) -> int:
        return sum(1 for m in self.members if m.current)


def network_detail(database: Database, network_id: int, as_of: date | None = None) -> NetworkDetail:
    """The network page's figures as of ``as_of`` (today); ``NotFound`` if it was deleted."""
    day = as_of or today_in_london()
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
            cadence=describe_cadence(row.cadence_rrule, row.meeting_minutes),
            minutes_publication_days=row.minutes_publication_days,
            quorum=row.quorum,
            short_name=row.short_name,
            archived_on=row.archived_on,
            meeting_minutes=row.meeting_minutes,
            tolerance_days=row.cadence_tolerance_days,
            attendance_from=day - relativedelta(years=1) + timedelta(days=1),
            attendance_to=day,
        )
        detail.members = _members(conn, network_id)
        detail.members = _with_attendance(
            conn,
            network_id,
            detail.members,
            (day - relativedelta(years=1) + timedelta(days=1), day),
        )
        detail.meetings = _meetings(conn, network_id)
        en = t.engagement_network.c
        detail.engagement_total = int(
            conn.execute(sa.select(sa.func.count()).where(en.network_id == network_id)).scalar_one()
        )
    health = cadence_for(database, network_id, day)
    if health is not None:
        detail.last_held = health.last_held
        detail.next_due = health.next_due
        detail.overdue = health.overdue
        detail.days_overdue = health.days_overdue
        detail.next_scheduled = health.next_scheduled
    return detail


def _with_attendance(
    conn: Connection, network_id: int, members: list[Member], period: tuple[date, date]
) -> list[Member]:
    """Each person's meetings held while a member in ``period``, and the share attended."""
    mt, a = t.meeting.c, t.attendance.c
    low = datetime.combine(period[0] - timedelta(days=1), datetime.min.time())
    high = datetime.combine(period[1] + timedelta(days=2), datetime.min.time())
    held = [
        (r.id, london_date(r.starts_at))
        for r in conn.execute(
            sa.select(mt.id, mt.starts_at).where(
                mt.network_id == network_id,
                mt.status == "held",
                mt.starts_at >= low.replace(tzinfo=UTC),
                mt.starts_at < high.replace(tzinfo=UTC),
            )
        )
    ]
    held = [(mid, day) for mid, day in held if period[0] <= day <= period[1]]
    present: set[tuple[int, int]] = set()
    if held:
        rows = conn.execute(
            sa.select(a.meeting_id, a.person_id).where(
                a.meeting_id.in_([mid for mid, _ in held]), a.status == "present"
            )
        )
        present = {(r.meeting_id, r.person_id) for r in rows}
    result = []
    for member in members:
        if member.kind != "person":
            result.append(member)
            continue
        due = [
            mid
            for mid, day in held
            if (member.start_date is None or member.start_date <= day)
            and (member.end_date is None or day <= member.end_date)
        ]
        came = sum((mid, member.member_id) in present for mid in due)
        result.append(
            replace(
                member,
                attended=came,
                meetings_while_member=len(due),
                attendance_share=came / len(due) if due else None,
            )
        )
    return result


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
            m.version,
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
            membership_version=r.version,
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
