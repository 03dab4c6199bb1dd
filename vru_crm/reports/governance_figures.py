"""Governance figures for the dashboard and the PRG report: meetings, minutes, actions.

The PRG and the Committee look for three things: are the networks meeting as
often as they said (cadence), are minutes published on time, and are actions
and recommendations being closed. Each is counted as at the end of the
period (or today, inside it), so a report on 2020 Q4 written in 2021 still
says what was open at the end of December 2020 where the dates allow.

Meetings in a period are few (tens), so their rows are read and the
lateness arithmetic is done in Python; actions and recommendations are
counted in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from vru_crm.governance.cadence import expand, rule_problem
from vru_crm.governance.minutes import deadline_for
from vru_crm.london import LONDON, london_date
from vru_crm.reports import sql as q
from vru_crm.reports.period import PeriodFilter

OPEN_ACTION = ("open", "in_progress")


@dataclass(frozen=True)
class MeetingLine:
    """A meeting in the period, for the report's "meetings held" table."""

    meeting_id: int
    held_on: date
    network: str
    title: str
    status: str
    minutes_status: str
    minutes_published_on: date | None
    deadline: date | None
    days_late: int  # past the publication window (0 if on time, pending or no window)

    @property
    def minutes_published(self) -> bool:
        return self.minutes_status == "published" or self.minutes_published_on is not None


@dataclass(frozen=True)
class NetworkHealth:
    network_id: int
    name: str
    expected: int | None  # meetings the cadence asks for in the period; None without a cadence
    held: int
    cancelled: int
    minutes_published: int
    minutes_late: int
    worst_days_late: int

    @property
    def on_cadence(self) -> bool | None:
        return None if self.expected is None else self.held >= self.expected


@dataclass(frozen=True)
class OpenItem:
    """An open action or recommendation, with how overdue it is as at the period's end."""

    kind: str  # "action" or "recommendation"
    item_id: int
    text: str
    source: str
    owner: str
    due_date: date | None
    days_overdue: int


@dataclass(frozen=True)
class GovernanceHealth:
    as_of: date
    networks: list[NetworkHealth]
    meetings: list[MeetingLine]
    actions_open: int
    actions_overdue: int
    recommendations_open: int
    recommendations_overdue: int
    open_items: list[OpenItem]


# -- meetings and minutes ------------------------------------------------------------
def _meeting_rows(conn: Connection, period: PeriodFilter) -> Sequence[Row[*tuple[Any, ...]]]:
    mt, n = q.meeting, q.network
    return conn.execute(
        sa.select(
            mt.c.id,
            mt.c.starts_at,
            mt.c.title,
            mt.c.status,
            mt.c.minutes_status,
            mt.c.minutes_published_on,
            mt.c.network_id,
            n.c.name,
            n.c.minutes_publication_days,
        )
        .select_from(mt.outerjoin(n, n.c.id == mt.c.network_id))
        .where(q.meetings_in(period))
        .order_by(mt.c.starts_at, mt.c.id)
    ).all()


def _line(row: Row[*tuple[Any, ...]], as_of: date) -> MeetingLine:
    held_on = london_date(row.starts_at)
    window = row.minutes_publication_days
    deadline = deadline_for(held_on, window) if row.status == "held" else None
    published = row.minutes_published_on
    late = 0
    if deadline is not None:
        reference = published if published is not None else as_of
        late = max(0, (reference - deadline).days)
    return MeetingLine(
        row.id,
        held_on,
        row.name or "(no network)",
        row.title,
        row.status,
        row.minutes_status,
        published,
        deadline,
        late,
    )


def meeting_lines(conn: Connection, period: PeriodFilter, as_of: date) -> list[MeetingLine]:
    return [_line(r, as_of) for r in _meeting_rows(conn, period)]


def meeting_counts(conn: Connection, period: PeriodFilter) -> tuple[int, int]:
    """(meetings held in the period, of which minutes are published)."""
    mt = q.meeting
    published = sa.or_(mt.c.minutes_status == "published", mt.c.minutes_published_on.is_not(None))
    held, with_minutes = conn.execute(
        sa.select(sa.func.count(), sa.func.count().filter(published))
        .where(q.meetings_in(period))
        .where(mt.c.status == "held")
    ).one()
    return int(held), int(with_minutes)


# -- cadence ----------------------------------------------------------------------------
def _expected(rule: str | None, anchor: datetime | None, period: PeriodFilter) -> int | None:
    """Meetings a network's RRULE expects in the period, counted from its first meeting.

    The same expansion as the cadence panel (``vru_crm.governance.cadence.expand``),
    so the dashboard and the panel never disagree on what was expected.
    """
    if not rule or anchor is None or rule_problem(rule):
        return None
    start = max(period.start, london_date(anchor))
    return len(expand(rule, anchor, start, period.end)) if start <= period.end else 0


def _anchors(conn: Connection) -> dict[int, datetime]:
    mt = q.meeting
    rows = conn.execute(
        sa.select(mt.c.network_id, sa.func.min(mt.c.starts_at))
        .where(mt.c.network_id.is_not(None), mt.c.status != "cancelled")
        .group_by(mt.c.network_id)
    )
    out: dict[int, datetime] = {}
    for network_id, first in rows:
        if first is not None:
            first = first if isinstance(first, datetime) else datetime.fromisoformat(str(first))
            out[network_id] = first if first.tzinfo else first.replace(tzinfo=UTC)
    return out


def network_health(
    conn: Connection, period: PeriodFilter, lines: list[MeetingLine]
) -> list[NetworkHealth]:
    """Networks with a cadence or a meeting in the period, by name."""
    n = q.network
    anchors = _anchors(conn)
    by_network: dict[str, list[MeetingLine]] = {}
    for line in lines:
        by_network.setdefault(line.network, []).append(line)
    out = []
    for row in conn.execute(sa.select(n.c.id, n.c.name, n.c.cadence_rrule).order_by(n.c.name)):
        mine = by_network.get(row.name, [])
        expected = _expected(row.cadence_rrule, anchors.get(row.id), period)
        if not mine and not expected:
            continue
        held = [m for m in mine if m.status == "held"]
        out.append(
            NetworkHealth(
                row.id,
                row.name,
                expected,
                len(held),
                sum(m.status == "cancelled" for m in mine),
                sum(m.minutes_published for m in held),
                sum(m.days_late > 0 for m in held),
                max((m.days_late for m in held), default=0),
            )
        )
    return out


# -- actions and recommendations ---------------------------------------------------------
def _end_instant(as_of: date) -> datetime:
    return datetime.combine(as_of + timedelta(days=1), time.min, LONDON).astimezone(UTC)


def _open_actions(conn: Connection, as_of: date, limit: int) -> tuple[int, int, list[OpenItem]]:
    a, mt = q.action, q.meeting
    raised = sa.case((mt.c.starts_at.is_not(None), mt.c.starts_at), else_=a.c.created_at)
    still_open = sa.or_(a.c.status.in_(OPEN_ACTION), a.c.closed_on > as_of)
    overdue = sa.and_(a.c.due_date.is_not(None), a.c.due_date < as_of)
    base = (
        sa.select(a.c.id, a.c.text, a.c.owner, a.c.due_date, mt.c.title)
        .select_from(a.outerjoin(mt, mt.c.id == a.c.meeting_id))
        .where(raised < _end_instant(as_of), still_open)
    )
    total = conn.execute(
        base.with_only_columns(sa.func.count(), sa.func.count().filter(overdue))
    ).one()
    rows = conn.execute(base.order_by(a.c.due_date.asc().nulls_last(), a.c.id).limit(limit)).all()
    items = [
        OpenItem("action", r[0], r[1], r[4] or "", r[2] or "", r[3], _overdue(r[3], as_of))
        for r in rows
    ]
    return int(total[0]), int(total[1]), items


def _open_recommendations(
    conn: Connection, as_of: date, limit: int
) -> tuple[int, int, list[OpenItem]]:
    r = q.recommendation
    still_open = sa.or_(
        sa.and_(
            r.c.status == "open", sa.or_(r.c.response_date.is_(None), r.c.response_date > as_of)
        ),
        r.c.response_date > as_of,
    )
    overdue = sa.and_(r.c.due_date.is_not(None), r.c.due_date < as_of)
    base = sa.select(r.c.id, r.c.text, r.c.sender, r.c.due_date, r.c.letter_date, r.c.number).where(
        r.c.letter_date <= as_of, still_open
    )
    total = conn.execute(
        base.with_only_columns(sa.func.count(), sa.func.count().filter(overdue))
    ).one()
    rows = conn.execute(
        base.order_by(r.c.due_date.asc().nulls_last(), r.c.letter_date, r.c.number).limit(limit)
    )
    items = [
        OpenItem(
            "recommendation",
            x.id,
            x.text,
            f"{x.sender}, letter of {x.letter_date:%d %b %Y}, no. {x.number}",
            "",
            x.due_date,
            _overdue(x.due_date, as_of),
        )
        for x in rows
    ]
    return int(total[0]), int(total[1]), items


def _overdue(due: date | None, as_of: date) -> int:
    return max(0, (as_of - due).days) if due is not None else 0


def governance_health(
    conn: Connection, period: PeriodFilter, today: date, *, limit: int = 50
) -> GovernanceHealth:
    as_of = min(period.end, today)
    lines = meeting_lines(conn, period, as_of)
    actions_open, actions_overdue, actions = _open_actions(conn, as_of, limit)
    recs_open, recs_overdue, recs = _open_recommendations(conn, as_of, limit)
    return GovernanceHealth(
        as_of=as_of,
        networks=network_health(conn, period, lines),
        meetings=lines,
        actions_open=actions_open,
        actions_overdue=actions_overdue,
        recommendations_open=recs_open,
        recommendations_overdue=recs_overdue,
        open_items=actions + recs,
    )
