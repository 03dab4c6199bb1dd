"""The one query layer behind the dashboard and the quarterly report.

Both screens and files read their numbers from here, so a figure on the
dashboard and the same figure in a PRG report cannot disagree. Every function
takes an open connection and a ``PeriodFilter`` and aggregates in SQL (GROUP
BY, COUNT, SUM): nothing loads the engagement log into Python, so the cost
follows the number of boroughs, objectives and buckets, not of engagements.

Counting rules, stated once:
- an engagement counts once in every borough, network, objective and sector
  it is linked to, so a split can add up to more than the total; the total is
  always the number of distinct engagements;
- an engagement with no link of a kind shows as "None" in that split, so no
  engagement drops out of a chart;
- "people reached" is the sum of ``Engagement.people_reached``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vru_crm.reports import sql as q
from vru_crm.reports.governance_figures import (
    GovernanceHealth,
    MeetingLine,
    OpenItem,
    governance_health,
    meeting_counts,
)
from vru_crm.reports.period import Period, PeriodFilter, Unit

Split = Literal["kind", "network", "sector", "objective"]
SPLITS: dict[str, str] = {"kind": "Kind", "network": "Network", "sector": "Sector", "objective": "Objective"}
KIND_LABELS: dict[str, str] = {
    "visit": "Visit", "online_meeting": "Online meeting", "call": "Call",
    "event": "Event", "email": "E-mail",
}  # fmt: skip
NONE_LABEL = "None"

__all__ = [
    "BoroughFigure", "Dashboard", "GovernanceHealth", "MeetingLine", "ObjectiveFigure",
    "OpenItem", "OverTime", "OverdueFollowUp", "QuietPartner", "Series", "StakeholderPoint",
    "Totals", "borough_figures", "dashboard", "follow_ups_overdue", "governance_health",
    "objective_figures", "over_time", "partners_gone_quiet", "stakeholder_map", "totals",
]  # fmt: skip


@dataclass(frozen=True)
class Totals:
    engagements: int
    people_reached: int
    boroughs_covered: int
    organisations_engaged: int
    meetings_held: int
    minutes_published: int


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class OverTime:
    """Engagements per bucket, one series per value of the split."""

    split: str
    unit: Unit
    buckets: tuple[Period, ...]
    series: tuple[Series, ...]
    totals: tuple[int, ...]  # distinct engagements per bucket


@dataclass(frozen=True)
class BoroughFigure:
    borough_id: int
    code: str
    name: str
    is_priority: bool
    engagements: int
    people_reached: int


@dataclass(frozen=True)
class ObjectiveFigure:
    objective_id: int
    number: int
    title: str
    engagements: int
    people_reached: int


@dataclass(frozen=True)
class StakeholderPoint:
    organisation_id: int
    name: str
    sector: str
    sector_label: str
    influence: int
    interest: int
    support: int
    assessed_on: date
    previous_influence: int | None
    previous_interest: int | None
    previous_assessed_on: date | None

    @property
    def moved(self) -> bool:
        return self.previous_influence is not None and (
            (self.previous_influence, self.previous_interest) != (self.influence, self.interest)
        )


@dataclass(frozen=True)
class QuietPartner:
    organisation_id: int
    name: str
    sector: str
    is_priority: bool
    last_engaged_on: date
    days_quiet: int


@dataclass(frozen=True)
class OverdueFollowUp:
    engagement_id: int
    occurred_on: date
    follow_up_on: date
    summary: str
    organisations: str
    days_overdue: int


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# -- totals -------------------------------------------------------------------------
def totals(conn: Connection, period: PeriodFilter, boroughs: list[BoroughFigure] | None = None) -> Totals:
    e = q.engagement
    count, people = conn.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(e.c.people_reached), 0)).where(
            q.engagements_in(period)
        )
    ).one()
    organisations = conn.execute(
        sa.select(sa.func.count(sa.distinct(q.eng_org.c.organisation_id)))
        .select_from(q.eng_org.join(e, e.c.id == q.eng_org.c.engagement_id))
        .where(q.engagements_in(period))
    ).scalar_one()
    rows = boroughs if boroughs is not None else borough_figures(conn, period)
    held, published = meeting_counts(conn, period)
    return Totals(
        engagements=int(count),
        people_reached=int(people),
        boroughs_covered=sum(1 for b in rows if b.engagements),
        organisations_engaged=int(organisations),
        meetings_held=held,
        minutes_published=published,
    )


def synthetic_count(conn: Connection, period: PeriodFilter) -> int:
    """Engagements in the period that are generated demo data (a report must say so)."""
    e = q.engagement
    statement = sa.select(sa.func.count()).where(q.engagements_in(period), e.c.is_synthetic.is_(True))
    return int(conn.execute(statement).scalar_one())


# -- per borough and per objective ---------------------------------------------------------
def _per_link(conn: Connection, link: sa.Table, key: str, period: PeriodFilter) -> dict[int, tuple[int, int]]:
    e = q.engagement
    rows = conn.execute(
        sa.select(link.c[key], sa.func.count(), sa.func.coalesce(sa.func.sum(e.c.people_reached), 0))
        .select_from(link.join(e, e.c.id == link.c.engagement_id))
        .where(q.engagements_in(period))
        .group_by(link.c[key])
    )
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def borough_figures(conn: Connection, period: PeriodFilter) -> list[BoroughFigure]:
    """All 33 authorities, those with no engagement included (with zeros), by name."""
    counts = _per_link(conn, q.eng_borough, "borough_id", period)
    b = q.borough
    rows = conn.execute(sa.select(b.c.id, b.c.code, b.c.name, b.c.is_priority).order_by(b.c.name))
    return [
        BoroughFigure(r.id, r.code, r.name, bool(r.is_priority), *counts.get(r.id, (0, 0)))
        for r in rows
    ]


def objective_figures(conn: Connection, period: PeriodFilter) -> list[ObjectiveFigure]:
    """The objectives in number order, those with no engagement included (with zeros)."""
    counts = _per_link(conn, q.eng_objective, "objective_id", period)
    o = q.objective
    rows = conn.execute(sa.select(o.c.id, o.c.number, o.c.title).order_by(o.c.number))
    return [ObjectiveFigure(r.id, r.number, r.title, *counts.get(r.id, (0, 0))) for r in rows]


# -- over time -------------------------------------------------------------------------
def _split_statement(split: str, bucket: sa.ColumnElement) -> sa.Select:
    e = q.engagement
    if split == "kind":
        return sa.select(bucket, e.c.kind, sa.func.count()).group_by(bucket, e.c.kind)
    if split == "network":
        j = e.outerjoin(q.eng_network, q.eng_network.c.engagement_id == e.c.id)
        return sa.select(bucket, q.eng_network.c.network_id, sa.func.count()).select_from(j).group_by(
            bucket, q.eng_network.c.network_id
        )
    if split == "objective":
        j = e.outerjoin(q.eng_objective, q.eng_objective.c.engagement_id == e.c.id)
        return sa.select(bucket, q.eng_objective.c.objective_id, sa.func.count()).select_from(j).group_by(
            bucket, q.eng_objective.c.objective_id
        )
    if split == "sector":
        j = e.outerjoin(q.eng_org, q.eng_org.c.engagement_id == e.c.id).outerjoin(
            q.organisation, q.organisation.c.id == q.eng_org.c.organisation_id
        )
        sector = q.organisation.c.sector
        return sa.select(bucket, sector, sa.func.count(sa.distinct(e.c.id))).select_from(j).group_by(
            bucket, sector
        )
    raise ValueError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")


def _series_labels(conn: Connection, split: str) -> dict[str, str]:
    """Every possible series in display order (so colours stay put when a value is absent)."""
    if split == "kind":
        return dict(KIND_LABELS)
    if split == "network":
        n = q.network
        return {str(r.id): r.name for r in conn.execute(sa.select(n.c.id, n.c.name).order_by(n.c.name))}
    if split == "objective":
        o = q.objective
        rows = conn.execute(sa.select(o.c.id, o.c.number, o.c.title).order_by(o.c.number))
        return {str(r.id): f"{r.number}. {r.title}" for r in rows}
    s = q.sector
    return {r.code: r.label for r in conn.execute(sa.select(s.c.code, s.c.label).order_by(s.c.position))}


def over_time(conn: Connection, period: PeriodFilter, split: str = "kind", unit: Unit | None = None) -> OverTime:
    """Engagements per week/month/quarter in the period, split by kind, network, sector or objective."""
    buckets = period.buckets(unit)
    chosen: Unit = buckets[0].unit
    bucket = q.bucket_start(q.engagement.c.occurred_on, chosen, conn.dialect.name)
    index = {p: i for i, p in enumerate(buckets)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
    for start, key, n in conn.execute(_split_statement(split, bucket).where(q.engagements_in(period))):
        counts[NONE_LABEL if key is None else str(key)][index[q.to_period(chosen, start)]] += int(n)
    totals_row = [0] * len(buckets)
    statement = sa.select(bucket, sa.func.count()).where(q.engagements_in(period)).group_by(bucket)
    for start, n in conn.execute(statement):
        totals_row[index[q.to_period(chosen, start)]] = int(n)
    labels = _series_labels(conn, split)
    labels[NONE_LABEL] = f"No {split}"
    labels.update({k: k for k in counts if k not in labels})  # e.g. a kind outside the list
    series = tuple(
        Series(key, labels[key], tuple(counts[key])) for key in labels if key in counts
    )
    return OverTime(split, chosen, tuple(buckets), series, tuple(totals_row))


# -- stakeholder map -----------------------------------------------------------------------
def stakeholder_map(conn: Connection, period: PeriodFilter) -> list[StakeholderPoint]:
    """Each assessed organisation's latest assessment up to the period's end, with the one before."""
    a = q.assessment
    rank = sa.func.row_number().over(
        partition_by=a.c.organisation_id, order_by=(a.c.assessed_on.desc(), a.c.id.desc())
    )
    ranked = (
        sa.select(a.c.organisation_id, a.c.assessed_on, a.c.influence, a.c.interest, a.c.support, rank.label("rn"))
        .where(a.c.assessed_on <= period.end)
        .subquery()
    )
    cur, prev = ranked.alias("cur"), ranked.alias("prev")
    o, s = q.organisation, q.sector
    statement = (
        sa.select(
            o.c.id, o.c.name, o.c.sector, s.c.label, cur.c.influence, cur.c.interest, cur.c.support,
            cur.c.assessed_on, prev.c.influence, prev.c.interest, prev.c.assessed_on,
        )
        .select_from(
            cur.join(o, o.c.id == cur.c.organisation_id)
            .outerjoin(s, s.c.code == o.c.sector)
            .outerjoin(prev, sa.and_(prev.c.organisation_id == cur.c.organisation_id, prev.c.rn == 2))
        )
        .where(cur.c.rn == 1)
        .order_by(o.c.name, o.c.id)
    )
    return [
        StakeholderPoint(
            r[0], r[1], r[2], r[3] or r[2], r[4], r[5], r[6], _date(r[7]),
            r[8], r[9], _date(r[10]) if r[10] is not None else None,
        )
        for r in conn.execute(statement)
    ]


# -- lists: gone quiet, follow-ups overdue ---------------------------------------------------
QUIET_DAYS = 90
LOOKBACK_DAYS = 365


def as_of_date(period: PeriodFilter, today: date) -> date:
    """The day a "so far" figure is taken on: the period's end, or today inside it."""
    return min(period.end, today)


def partners_gone_quiet(
    conn: Connection, period: PeriodFilter, today: date, *, quiet_days: int = QUIET_DAYS, limit: int = 50
) -> tuple[int, list[QuietPartner]]:
    """Organisations engaged in the year before the last ``quiet_days``, but not since.

    Counted as at the period's end (or today). Bounded to that year so the cost
    does not grow with a decade of history. Priority partners come first, then
    the longest silence. Returns (how many in all, the first ``limit``).
    """
    e, eo, o = q.engagement, q.eng_org, q.organisation
    as_of = as_of_date(period, today)
    quiet_from = as_of - timedelta(days=quiet_days - 1)
    recent = (
        sa.select(eo.c.organisation_id)
        .select_from(eo.join(e, e.c.id == eo.c.engagement_id))
        .where(e.c.occurred_on.between(quiet_from, as_of))
    )
    last = sa.func.max(e.c.occurred_on)
    statement = (
        sa.select(o.c.id, o.c.name, o.c.sector, o.c.is_priority, last, sa.func.count().over())
        .select_from(eo.join(e, e.c.id == eo.c.engagement_id).join(o, o.c.id == eo.c.organisation_id))
        .where(e.c.occurred_on.between(quiet_from - timedelta(days=LOOKBACK_DAYS), quiet_from - timedelta(days=1)))
        .where(eo.c.organisation_id.not_in(recent))
        .group_by(o.c.id, o.c.name, o.c.sector, o.c.is_priority)
        .order_by(o.c.is_priority.desc(), last, o.c.name)
        .limit(limit)
    )
    rows = conn.execute(statement).all()
    found = [
        QuietPartner(r[0], r[1], r[2], bool(r[3]), _date(r[4]), (as_of - _date(r[4])).days) for r in rows
    ]
    return (int(rows[0][5]) if rows else 0), found


def follow_ups_overdue(
    conn: Connection, period: PeriodFilter, today: date, *, limit: int = 50
) -> tuple[int, list[OverdueFollowUp]]:
    """Follow-ups due in the period before its end (or today), still not done; oldest first.

    Days overdue are counted to that same day, so a past quarter's report reads as it stood then.
    """
    e = q.engagement
    as_of = as_of_date(period, today)
    statement = (
        sa.select(e.c.id, e.c.occurred_on, e.c.follow_up_on, e.c.summary, sa.func.count().over())
        .where(e.c.follow_up_on.between(period.start, as_of - timedelta(days=1)))
        .where(e.c.follow_up_done.is_(False))
        .order_by(e.c.follow_up_on, e.c.id)
        .limit(limit)
    )
    rows = conn.execute(statement).all()
    names = _organisation_names(conn, [r[0] for r in rows])
    found = [
        OverdueFollowUp(r[0], _date(r[1]), _date(r[2]), r[3] or "", names.get(r[0], ""), (as_of - _date(r[2])).days)
        for r in rows
    ]
    return (int(rows[0][4]) if rows else 0), found


def _organisation_names(conn: Connection, engagement_ids: list[int]) -> dict[int, str]:
    if not engagement_ids:
        return {}
    eo, o = q.eng_org, q.organisation
    out: dict[int, list[str]] = defaultdict(list)
    rows = conn.execute(
        sa.select(eo.c.engagement_id, o.c.name)
        .join(o, o.c.id == eo.c.organisation_id)
        .where(eo.c.engagement_id.in_(engagement_ids))
        .order_by(o.c.name)
    )
    for engagement_id, name in rows:
        out[engagement_id].append(name)
    return {k: ", ".join(v) for k, v in out.items()}


# -- everything at once --------------------------------------------------------------------
@dataclass(frozen=True)
class Dashboard:
    """Every figure the dashboard shows for one period, computed in one go."""

    period: PeriodFilter
    as_of: date
    totals: Totals
    over_time: OverTime
    boroughs: list[BoroughFigure]
    objectives: list[ObjectiveFigure]
    stakeholders: list[StakeholderPoint]
    quiet_count: int
    quiet: list[QuietPartner]
    follow_ups_count: int
    follow_ups: list[OverdueFollowUp]
    governance: GovernanceHealth


def dashboard(
    database, period: PeriodFilter, *, split: str = "kind", unit: Unit | None = None, today: date | None = None
) -> Dashboard:
    """All dashboard figures for ``period`` over one connection (``database``: db.session.Database)."""
    from vru_crm.reports.governance_figures import today_in_london

    today = today or today_in_london()
    with database.engine.connect() as conn:
        boroughs = borough_figures(conn, period)
        quiet_count, quiet = partners_gone_quiet(conn, period, today)
        follow_count, follow = follow_ups_overdue(conn, period, today)
        return Dashboard(
            period=period,
            as_of=as_of_date(period, today),
            totals=totals(conn, period, boroughs),
            over_time=over_time(conn, period, split, unit),
            boroughs=boroughs,
            objectives=objective_figures(conn, period),
            stakeholders=stakeholder_map(conn, period),
            quiet_count=quiet_count,
            quiet=quiet,
            follow_ups_count=follow_count,
            follow_ups=follow,
            governance=governance_health(conn, period, today),
        )
