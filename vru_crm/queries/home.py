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
    """One staff member's open follow-ups due by the horizon: a range of one index.

    ``ix_engagement_logged_by_follow_up`` (logged by, done, due) holds all three
    columns, so the rows and the counts are read off the index alone; "= false"
    rather than "IS false", which PostgreSQL cannot look up in an index.
    """
    e = t.engagement.c
    return [
        e.logged_by_id == staff_id,
        e.follow_up_done == sa.false(),
        e.follow_up_on.is_not(None),
        e.follow_up_on <= today + timedelta(days=FOLLOW_UP_HORIZON_DAYS),
    ]


def follow_up_counts(conn: Connection, staff_id: int, today: date) -> tuple[int, int]:
    """(due within the horizon, of which overdue) for one staff member.

    Counted over the staff member's open follow-ups in the index only: the
    cost follows how many they have open, not the length of the log.
    """
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


def _last_contact(organisation_id: Any) -> Any:
    """An organisation's last day with an engagement: one step back along the organisation rollup's key.

    ``organisation_daily`` (organisation, day) is kept by triggers (db/rollup.py);
    days that fell to zero stay, so the step skips them.
    """
    od = t.organisation_daily.c
    return (
        sa.select(od.day)
        .where(od.organisation_id == organisation_id, od.engagements > 0)
        .order_by(od.day.desc())
        .limit(1)
        .scalar_subquery()
    )


def quiet_partners(conn: Connection, cutoff: date, limit: int) -> tuple[list[QuietPartner], int]:
    """Organisations engaged before ``cutoff`` but not since: priority partners first, then most recent.

    Read off the trigger-kept organisation rollup (one row an organisation a
    day, db/rollup.py), never the log (aggregating every link took 0.65 s at
    2,000,000 engagements). How many: the organisations ever engaged (one
    index probe each) less those engaged since ``cutoff`` (a range of the
    rollup's day index). Ties on the same last day go by name, then id.
    """
    found = _quiet_priority(conn, cutoff, limit)
    if len(found) < limit:
        found += _quiet_others(conn, cutoff, limit - len(found))
    return found, _ever_engaged(conn) - _engaged_since(conn, cutoff)


def _ever_engaged(conn: Connection) -> int:
    """Organisations with at least one engagement: one probe of the link index each."""
    o, eo = t.organisation.c, t.engagement_organisation.c
    linked = sa.exists().where(eo.organisation_id == o.id)
    statement = sa.select(sa.func.count()).select_from(t.organisation).where(linked)
    return int(conn.execute(statement).scalar_one())


def _engaged_since(conn: Connection, cutoff: date) -> int:
    """Organisations with an engagement on or after ``cutoff``: ``ix_organisation_daily_day``."""
    od = t.organisation_daily.c
    return int(
        conn.execute(
            sa.select(sa.func.count(sa.distinct(od.organisation_id))).where(
                od.day >= cutoff, od.engagements > 0
            )
        ).scalar_one()
    )


def _not_since(organisation_id: Any, cutoff: date) -> Any:
    """No engagement on or after ``cutoff`` (its own copy of the rollup: the outer query reads it too)."""
    od = t.organisation_daily.alias("since").c
    return ~sa.exists().where(
        od.organisation_id == organisation_id, od.day >= cutoff, od.engagements > 0
    )


def _quiet_priority(conn: Connection, cutoff: date, limit: int) -> list[QuietPartner]:
    """The quiet priority partners (a few in a hundred organisations): each one's last contact."""
    o = t.organisation.c
    last = _last_contact(o.id).label("last_contact")
    lasts = (
        sa.select(o.id, o.name, last)
        .where(o.is_priority == sa.true())
        .cte("priority_lasts")
        .prefix_with("MATERIALIZED")  # the last contact once a partner, not once a use
    )
    rows = conn.execute(
        sa.select(lasts)
        .where(lasts.c.last_contact < cutoff)
        .order_by(lasts.c.last_contact.desc(), lasts.c.name, lasts.c.id)
        .limit(limit)
    ).all()
    return [QuietPartner(r.id, r.name, _as_date(r.last_contact), True) for r in rows]


def _quiet_others(conn: Connection, cutoff: date, limit: int) -> list[QuietPartner]:
    """The other quiet partners, latest contact first: the rollup's days walked back from ``cutoff``.

    A week before it first, then wider: an organisation whose last contact
    falls in the window has its true last contact there (none since), and every
    one outside it was in touch earlier, so the first window holding
    ``limit`` of them gives the answer in order.
    """
    od, o = t.organisation_daily.c, t.organisation.c
    last = sa.func.max(od.day).label("last_contact")
    span = 7
    while True:
        since = cutoff - timedelta(days=span) if span < 40_000 else None
        rows = conn.execute(
            sa.select(o.id, o.name, last)
            .select_from(t.organisation_daily.join(t.organisation, o.id == od.organisation_id))
            .where(
                od.day < cutoff,
                od.engagements > 0,
                o.is_priority == sa.false(),
                _not_since(od.organisation_id, cutoff),
                *([od.day >= since] if since is not None else []),
            )
            .group_by(o.id, o.name)
            .order_by(last.desc(), o.name, o.id)
            .limit(limit)
        ).all()
        if len(rows) >= limit or since is None:
            return [QuietPartner(r.id, r.name, _as_date(r.last_contact), False) for r in rows]
        span *= 8


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
    """A span lies within one week, so the log is read for seven days at most.

    Walked back from the span's end until an engagement of the borough's is
    met, one link probed a step: as a MAX over the span, PostgreSQL read
    every link of the borough (30,000 at 2,000,000) to join them.
    """
    eb, e = t.engagement_borough.c, t.engagement.c
    linked = sa.exists().where(eb.engagement_id == e.id, eb.borough_id == borough_id)
    last = conn.execute(
        sa.select(e.occurred_on)
        .where(e.occurred_on >= span_start, e.occurred_on < span_start + timedelta(days=7), linked)
        .order_by(e.occurred_on.desc())
        .limit(1)
    ).scalar_one_or_none()
    return _as_date(last) if last is not None else None


def _as_date(value: date | str) -> date:
    """SQLite hands back MAX() of a date as text; PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
