"""The one query layer behind the dashboard and the quarterly report.

Both screens and files read their numbers from here, so a figure on the
dashboard and the same figure in a PRG report cannot disagree. Every function
takes an open connection and a ``PeriodFilter`` and aggregates in SQL (GROUP
BY, COUNT, SUM): nothing loads the engagement log into Python.

Engagement counts come from the rollups that triggers keep (``db/rollup.py``,
migration 0007), not from the log itself: counting half a million engagements
and their links took seconds, summing a few thousand rows (one per
week-within-month and borough, say) takes milliseconds, so the cost follows
time x boroughs (or networks, objectives, sectors), not the engagements.

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

from db.enums import ENGAGEMENT_KIND_LABELS
from db.session import Database
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
SPLITS: dict[str, str] = {
    "kind": "Kind",
    "network": "Network",
    "sector": "Sector",
    "objective": "Objective",
}
KIND_LABELS: dict[str, str] = dict(ENGAGEMENT_KIND_LABELS)  # one label per kind everywhere
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
def totals(
    conn: Connection, period: PeriodFilter, boroughs: list[BoroughFigure] | None = None
) -> Totals:
    d = q.rollup.c  # every engagement has one kind: the kinds add up to the total
    count, people = conn.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(d.engagements), 0),
            sa.func.coalesce(sa.func.sum(d.people), 0),
        ).where(q.rollup_in("kind", period))
    ).one()
    od, o = q.org_daily.c, q.organisation.c
    engaged = sa.exists().where(
        od.organisation_id == o.id, q.in_period(od.day, period), od.engagements > 0
    )
    organisations = conn.execute(
        sa.select(sa.func.count()).select_from(q.organisation).where(engaged)
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
    statement = sa.select(sa.func.count()).where(
        q.engagements_in(period), e.c.is_synthetic.is_(True)
    )
    return int(conn.execute(statement).scalar_one())


# -- per borough and per objective ---------------------------------------------------------
def _per_link(conn: Connection, dim: str, period: PeriodFilter) -> dict[int, tuple[int, int]]:
    d = q.rollup.c
    rows = conn.execute(
        sa.select(d.item, sa.func.sum(d.engagements), sa.func.sum(d.people))
        .where(q.rollup_in(dim, period), d.item != q.ANY)
        .group_by(d.item)
    )
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def borough_figures(conn: Connection, period: PeriodFilter) -> list[BoroughFigure]:
    """All 33 authorities, those with no engagement included (with zeros), by name."""
    counts = _per_link(conn, "borough", period)
    b = q.borough
    rows = conn.execute(sa.select(b.c.id, b.c.code, b.c.name, b.c.is_priority).order_by(b.c.name))
    return [
        BoroughFigure(r.id, r.code, r.name, bool(r.is_priority), *counts.get(r.id, (0, 0)))
        for r in rows
    ]


def objective_figures(conn: Connection, period: PeriodFilter) -> list[ObjectiveFigure]:
    """The objectives in number order, those with no engagement included (with zeros)."""
    counts = _per_link(conn, "objective", period)
    o = q.objective
    rows = conn.execute(sa.select(o.c.id, o.c.number, o.c.title).order_by(o.c.number))
    return [ObjectiveFigure(r.id, r.number, r.title, *counts.get(r.id, (0, 0))) for r in rows]


# -- over time -------------------------------------------------------------------------
def _bucketed(
    conn: Connection, dim: str, period: PeriodFilter, unit: Unit
) -> list[tuple[str, str, int]]:
    """(bucket start, item, engagements) from the rollup, summed in SQL."""
    d = q.rollup.c
    bucket = q.bucket_start(d.span_start, unit, conn.dialect.name)
    statement = (
        sa.select(bucket, d.item, sa.func.sum(d.engagements))
        .where(q.rollup_in(dim, period))
        .group_by(bucket, d.item)
    )
    return [(start, item, int(n)) for start, item, n in conn.execute(statement)]


def _series_labels(conn: Connection, split: str) -> dict[str, str]:
    """Every possible series in display order (so colours stay put when a value is absent)."""
    if split == "kind":
        return dict(KIND_LABELS)
    if split == "network":
        n = q.network
        return {
            str(r.id): r.name for r in conn.execute(sa.select(n.c.id, n.c.name).order_by(n.c.name))
        }
    if split == "objective":
        o = q.objective
        rows = conn.execute(sa.select(o.c.id, o.c.number, o.c.title).order_by(o.c.number))
        return {str(r.id): f"{r.number}. {r.title}" for r in rows}
    s = q.sector
    return {
        r.code: r.label for r in conn.execute(sa.select(s.c.code, s.c.label).order_by(s.c.position))
    }


def over_time(
    conn: Connection, period: PeriodFilter, split: str = "kind", unit: Unit | None = None
) -> OverTime:
    """Engagements per week/month/quarter in the period, split by kind, network, sector or objective.

    "None" (no network, say) is the bucket's total less the engagements with
    at least one (item ``*`` of the rollup).
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    buckets = period.buckets(unit)
    chosen: Unit = buckets[0].unit
    index = {p: i for i, p in enumerate(buckets)}
    totals_row = [0] * len(buckets)
    for start, _kind, n in _bucketed(conn, "kind", period, chosen):
        totals_row[index[q.to_period(chosen, start)]] += n
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
    linked = [0] * len(buckets)
    for start, key, n in _bucketed(conn, split, period, chosen):
        if key == q.ANY:
            linked[index[q.to_period(chosen, start)]] += n
        elif n:
            counts[str(key)][index[q.to_period(chosen, start)]] += n
    if split != "kind":
        unlinked = [total - some for total, some in zip(totals_row, linked, strict=True)]
        if any(unlinked):
            counts[NONE_LABEL] = unlinked
    labels = _series_labels(conn, split)
    labels[NONE_LABEL] = f"No {split}"
    labels.update({k: k for k in counts if k not in labels})  # e.g. a kind outside the list
    series = tuple(
        Series(key, labels[key], tuple(counts[key]))
        for key in labels
        if key in counts and any(counts[key])
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
        sa.select(
            a.c.organisation_id,
            a.c.assessed_on,
            a.c.influence,
            a.c.interest,
            a.c.support,
            rank.label("rn"),
        )
        .where(a.c.assessed_on <= period.end)
        .subquery()
    )
    cur, prev = ranked.alias("cur"), ranked.alias("prev")
    o, s = q.organisation, q.sector
    statement = (
        sa.select(
            o.c.id,
            o.c.name,
            o.c.sector,
            s.c.label,
            cur.c.influence,
            cur.c.interest,
            cur.c.support,
            cur.c.assessed_on,
            prev.c.influence,
            prev.c.interest,
            prev.c.assessed_on,
        )
        .select_from(
            cur.join(o, o.c.id == cur.c.organisation_id)
            .outerjoin(s, s.c.code == o.c.sector)
            .outerjoin(
                prev, sa.and_(prev.c.organisation_id == cur.c.organisation_id, prev.c.rn == 2)
            )
        )
        .where(cur.c.rn == 1)
        .order_by(o.c.name, o.c.id)
    )
    return [
        StakeholderPoint(
            r[0],
            r[1],
            r[2],
            r[3] or r[2],
            r[4],
            r[5],
            r[6],
            _date(r[7]),
            r[8],
            r[9],
            _date(r[10]) if r[10] is not None else None,
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
    conn: Connection,
    period: PeriodFilter,
    today: date,
    *,
    quiet_days: int = QUIET_DAYS,
    limit: int = 50,
) -> tuple[int, list[QuietPartner]]:
    """Organisations engaged in the year before the last ``quiet_days``, but not since.

    Counted as at the period's end (or today). Each organisation's last
    engagement up to then is one step back along the organisation rollup's
    key, so the cost follows the number of organisations, not of engagements.
    Priority partners come first, then the longest silence. Returns (how many
    in all, the first ``limit``).
    """
    od, o = q.org_daily.c, q.organisation
    as_of = as_of_date(period, today)
    quiet_from = as_of - timedelta(days=quiet_days - 1)
    last_day = (
        sa.select(od.day)
        .where(od.organisation_id == o.c.id, od.day <= as_of, od.engagements > 0)
        .order_by(od.day.desc())
        .limit(1)
        .scalar_subquery()
    )
    lasts = sa.select(o.c.id, o.c.name, o.c.sector, o.c.is_priority, last_day.label("last")).cte(
        "lasts"
    )
    last = lasts.c["last"]
    statement = (
        sa.select(
            lasts.c.id,
            lasts.c.name,
            lasts.c.sector,
            lasts.c.is_priority,
            last,
            sa.func.count().over(),
        )
        .where(
            last.between(quiet_from - timedelta(days=LOOKBACK_DAYS), quiet_from - timedelta(days=1))
        )
        .order_by(lasts.c.is_priority.desc(), last, lasts.c.name)
        .limit(limit)
    )
    rows = conn.execute(statement).all()
    found = [
        QuietPartner(r[0], r[1], r[2], bool(r[3]), _date(r[4]), (as_of - _date(r[4])).days)
        for r in rows
    ]
    return (int(rows[0][5]) if rows else 0), found


def follow_ups_overdue(
    conn: Connection, period: PeriodFilter, today: date, *, limit: int = 50
) -> tuple[int, list[OverdueFollowUp]]:
    """Follow-ups due in the period before its end (or today), still not done; oldest first.

    Days overdue are counted to that same day, so a past quarter's report reads as it stood then.
    The count and the first rows are two statements over the open-follow-up index
    (migration 0007): a window count would read every open row before the first 50.
    """
    e = q.engagement
    as_of = as_of_date(period, today)
    due = sa.and_(
        e.c.follow_up_done == sa.false(),  # "= false", not "IS false": an index can serve it
        e.c.follow_up_on.between(period.start, as_of - timedelta(days=1)),
    )
    total = int(conn.execute(sa.select(sa.func.count()).select_from(e).where(due)).scalar_one())
    statement = (
        sa.select(e.c.id, e.c.occurred_on, e.c.follow_up_on, e.c.summary)
        .where(due)
        .order_by(e.c.follow_up_on, e.c.id)
        .limit(limit)
    )
    rows = conn.execute(statement).all() if total else []
    names = _organisation_names(conn, [r[0] for r in rows])
    found = [
        OverdueFollowUp(
            r[0],
            _date(r[1]),
            _date(r[2]),
            r[3] or "",
            names.get(r[0], ""),
            (as_of - _date(r[2])).days,
        )
        for r in rows
    ]
    return total, found


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
    database: Database,
    period: PeriodFilter,
    *,
    split: str = "kind",
    unit: Unit | None = None,
    today: date | None = None,
) -> Dashboard:
    """All dashboard figures for ``period`` over one connection (``database``: db.session.Database)."""
    from vru_crm.london import today_in_london

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
