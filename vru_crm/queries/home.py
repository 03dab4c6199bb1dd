"""The Home page: what needs doing today and who has gone quiet.

All aggregation is in SQL; each figure is a short list (a dozen rows at most)
plus, where useful, how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.session import Database
from db.types import utcnow
from vru_crm.london import today_in_london
from vru_crm.queries import tables as t
from vru_crm.queries.engagements import EngagementQuery, EngagementRow, dress_engagements

QUIET_DAYS = 90
FOLLOW_UP_HORIZON_DAYS = 14


@dataclass(frozen=True)
class FollowUp:
    engagement_id: int
    due: date
    summary: str
    organisations: str
    overdue: bool


@dataclass(frozen=True)
class UpcomingMeeting:
    id: int
    starts_at: datetime
    title: str
    network: str


@dataclass(frozen=True)
class QuietPartner:
    organisation_id: int
    name: str
    last_contact: date
    is_priority: bool


@dataclass(frozen=True)
class QuietBorough:
    borough_id: int
    name: str
    last_contact: date | None


@dataclass
class HomeFigures:
    username: str
    staff_known: bool
    today: date
    quiet_days: int
    follow_ups: list[FollowUp] = field(default_factory=list)
    follow_ups_due: int = 0  # all open ones due within the horizon, overdue included
    follow_ups_overdue: int = 0
    recent: list[EngagementRow] = field(default_factory=list)
    meetings: list[UpcomingMeeting] = field(default_factory=list)
    quiet_partners: list[QuietPartner] = field(default_factory=list)
    quiet_partner_total: int = 0
    quiet_boroughs: list[QuietBorough] = field(default_factory=list)


def home_figures(
    database: Database,
    username: str | None = None,
    today: date | None = None,
    quiet_days: int = QUIET_DAYS,
    limit: int = 10,
) -> HomeFigures:
    """Everything the Home page shows, for ``username`` (default: the database's user)."""
    today = today or today_in_london()
    username = username or database.username
    figures = HomeFigures(username=username, staff_known=False, today=today, quiet_days=quiet_days)
    cutoff = today - timedelta(days=quiet_days)
    with database.engine.connect() as conn:
        staff_id = conn.execute(
            sa.select(t.staff_user.c.id).where(t.staff_user.c.username == username)
        ).scalar_one_or_none()
        figures.staff_known = staff_id is not None
        if staff_id is not None:
            figures.follow_ups = my_follow_ups(conn, staff_id, today, limit)
            figures.follow_ups_due, figures.follow_ups_overdue = follow_up_counts(
                conn, staff_id, today
            )
        figures.meetings = next_meetings(conn, limit=min(limit, 8))
        figures.quiet_partners, figures.quiet_partner_total = quiet_partners(conn, cutoff, limit)
        figures.quiet_boroughs = quiet_boroughs(conn, cutoff)
    figures.recent = EngagementQuery(database).page(0, limit)
    return figures


def my_follow_ups(conn: Connection, staff_id: int, today: date, limit: int) -> list[FollowUp]:
    """Open follow-ups logged by this staff member, due within two weeks; overdue first."""
    e = t.engagement.c
    rows = conn.execute(
        sa.select(e.id, e.follow_up_on)
        .where(*_open_follow_ups(staff_id, today))
        .order_by(e.follow_up_on, e.id)
        .limit(limit)
    ).all()
    dressed = dress_engagements(conn, [r.id for r in rows])
    return [
        FollowUp(
            engagement_id=r.id,
            due=r.follow_up_on,
            summary=dressed[r.id].summary,
            organisations=dressed[r.id].organisations,
            overdue=r.follow_up_on < today,
        )
        for r in rows
    ]


def _open_follow_ups(staff_id: int, today: date) -> list[Any]:
    e = t.engagement.c
    return [
        e.logged_by_id == staff_id,
        e.follow_up_on.is_not(None),
        e.follow_up_done.is_(False),
        e.follow_up_on <= today + timedelta(days=FOLLOW_UP_HORIZON_DAYS),
    ]


def follow_up_counts(conn: Connection, staff_id: int, today: date) -> tuple[int, int]:
    """(due within the horizon, of which overdue) for one staff member."""
    e = t.engagement.c
    overdue = sa.func.sum(sa.case((e.follow_up_on < today, 1), else_=0))
    due, late = conn.execute(
        sa.select(sa.func.count(), overdue).where(*_open_follow_ups(staff_id, today))
    ).one()
    return int(due), int(late or 0)


def next_meetings(
    conn: Connection, limit: int = 8, now: datetime | None = None
) -> list[UpcomingMeeting]:
    mt, n = t.meeting.c, t.network.c
    rows = conn.execute(
        sa.select(mt.id, mt.starts_at, mt.title, n.name)
        .select_from(t.meeting.outerjoin(t.network, n.id == mt.network_id))
        .where(mt.starts_at >= (now or utcnow()), mt.status != "cancelled")
        .order_by(mt.starts_at, mt.id)
        .limit(limit)
    )
    return [UpcomingMeeting(r.id, r.starts_at, r.title, r.name or "") for r in rows]


def _engaged_since(cutoff: date) -> sa.Select[Any]:
    """Organisations with an engagement on or after ``cutoff`` (found through the date index)."""
    eo, e = t.engagement_organisation.c, t.engagement.c
    return (
        sa.select(eo.organisation_id)
        .select_from(t.engagement.join(t.engagement_organisation, eo.engagement_id == e.id))
        .where(e.occurred_on >= cutoff)
    )


def quiet_partners(conn: Connection, cutoff: date, limit: int) -> tuple[list[QuietPartner], int]:
    """Organisations engaged before ``cutoff`` but not since: priority partners first, then most recent.

    Without aggregating every link: the count is "ever engaged" minus "engaged
    since", priority partners are few, and the others are found by walking the
    engagements backwards from ``cutoff`` (the first date met is the last contact).
    """
    eo, e, o = t.engagement_organisation.c, t.engagement.c, t.organisation.c
    ever = conn.execute(sa.select(sa.func.count(sa.distinct(eo.organisation_id)))).scalar_one()
    since = conn.execute(
        sa.select(sa.func.count(sa.distinct(_engaged_since(cutoff).subquery().c[0])))
    ).scalar_one()
    links = t.engagement_organisation.join(t.engagement, e.id == eo.engagement_id)
    quiet = eo.organisation_id.not_in(_engaged_since(cutoff))
    last = sa.func.max(e.occurred_on).label("last_contact")
    priority = conn.execute(
        sa.select(o.id, o.name, last)
        .select_from(links.join(t.organisation, o.id == eo.organisation_id))
        .where(o.is_priority.is_(True), quiet)
        .group_by(o.id, o.name)
        .order_by(last.desc(), o.name)
        .limit(limit)
    ).all()
    found = [QuietPartner(r.id, r.name, r.last_contact, True) for r in priority]
    seen = {q.organisation_id for q in found}
    offset = 0
    while len(found) < limit:
        chunk = conn.execute(
            sa.select(eo.organisation_id, e.occurred_on)
            .select_from(links)
            .where(e.occurred_on < cutoff, quiet)
            .order_by(e.occurred_on.desc(), e.id.desc())
            .limit(500)
            .offset(offset)
        ).all()
        for organisation_id, occurred_on in chunk:
            if organisation_id not in seen:
                seen.add(organisation_id)
                found.append(QuietPartner(organisation_id, "", occurred_on, False))
        if len(chunk) < 500:
            break
        offset += 500
    names = dict(
        conn.execute(
            sa.select(o.id, o.name).where(o.id.in_([q.organisation_id for q in found]))
        ).all()
    )
    found = [
        QuietPartner(
            q.organisation_id, names.get(q.organisation_id, ""), q.last_contact, q.is_priority
        )
        for q in found
    ]
    return found[:limit], int(ever - since)


def quiet_boroughs(conn: Connection, cutoff: date) -> list[QuietBorough]:
    """Priority boroughs with no engagement since ``cutoff`` (or never), longest silent first.

    The last contact per borough comes from the trigger-kept rollup (db/rollup.py):
    the newest week-in-month span with an engagement, then the exact day inside that
    span from the log. Scanning every borough link instead took 650 ms at 500,000
    engagements; this reads a few hundred rollup rows.
    """
    b = t.borough.c
    priority = conn.execute(sa.select(b.id, b.name).where(b.is_priority.is_(True))).all()
    last_span = _last_spans(conn, [r.id for r in priority])
    quiet = []
    for borough_id, name in priority:
        span = last_span.get(borough_id)
        last = _last_day_in_span(conn, borough_id, span) if span else None
        if last is None or last < cutoff:
            quiet.append(QuietBorough(borough_id, name, last))
    return sorted(quiet, key=lambda q: (q.last_contact or date.min, q.name))


def _last_spans(conn: Connection, borough_ids: list[int]) -> dict[int, date]:
    """The start of each borough's newest rollup span that still counts an engagement."""
    r = t.engagement_rollup.c
    rows = conn.execute(
        sa.select(r.item, sa.func.max(r.span_start))
        .where(r.dim == "borough", r.engagements > 0, r.item.in_([str(i) for i in borough_ids]))
        .group_by(r.item)
    ).all()
    return {int(item): _as_date(start) for item, start in rows}


def _last_day_in_span(conn: Connection, borough_id: int, span_start: date) -> date | None:
    """A span lies within one week, so the log is read for seven days at most."""
    eb, e = t.engagement_borough.c, t.engagement.c
    linked = sa.exists().where(eb.engagement_id == e.id, eb.borough_id == borough_id)
    last = conn.execute(
        sa.select(sa.func.max(e.occurred_on)).where(
            e.occurred_on >= span_start, e.occurred_on < span_start + timedelta(days=7), linked
        )
    ).scalar_one_or_none()
    return _as_date(last) if last is not None else None


def _as_date(value: date | str) -> date:
    """SQLite hands back MAX() of a date as text; PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
