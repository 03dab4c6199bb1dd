"""Dashboard figures read from the rollups equal the same figures counted in Python from the log.

The generated data set is small enough to count engagement by engagement in
Python; the periods cover weeks that cross a month's end, single months split
by week, quarters and a decade, so any span that straddled a boundary would
show. Both backends.
"""

from collections import defaultdict
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from vru_crm.generate import Counts, generate
from vru_crm.reports import figures as f
from vru_crm.reports.period import Period, PeriodFilter

TODAY = date(2026, 6, 30)
PERIODS = [
    (PeriodFilter.recent("quarter", 4, TODAY), None),
    (
        PeriodFilter.single(Period.parse("2024-03")),
        None,
    ),  # by week, the first and last cut by the month
    (PeriodFilter.parse("2023-W10..2024-W20"), "week"),
    (PeriodFilter.parse("2017..2026"), "quarter"),
]


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class Log:
    """The engagement log and its links, read into Python once."""

    def __init__(self, conn: sa.Connection) -> None:
        rows = conn.execute(sa.text("SELECT id, occurred_on, kind, people_reached FROM engagement"))
        self.engagements = {r[0]: (_day(r[1]), r[2], r[3]) for r in rows}
        self.links: dict[str, dict[int, set]] = {}
        for dim, sql in {
            "borough": "SELECT engagement_id, borough_id FROM engagement_borough",
            "network": "SELECT engagement_id, network_id FROM engagement_network",
            "objective": "SELECT engagement_id, objective_id FROM engagement_objective",
            "sector": "SELECT l.engagement_id, o.sector FROM engagement_organisation l "
            "JOIN organisation o ON o.id = l.organisation_id",
            "organisation": "SELECT engagement_id, organisation_id FROM engagement_organisation",
        }.items():
            found: dict[int, set] = defaultdict(set)
            for engagement_id, key in conn.execute(sa.text(sql)):
                found[engagement_id].add(key)
            self.links[dim] = found

    def within(self, period: PeriodFilter):
        return [(i, *v) for i, v in self.engagements.items() if period.start <= v[0] <= period.end]

    def per_link(self, dim: str, period: PeriodFilter) -> dict[int, tuple[int, int]]:
        out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for i, *_, people in self.within(period):
            for key in self.links[dim].get(i, ()):
                out[key][0] += 1
                out[key][1] += people
        return {k: tuple(v) for k, v in out.items()}

    def over_time(self, period: PeriodFilter, split: str, unit) -> tuple[dict, list[int]]:
        buckets = period.buckets(unit)
        index = {p.start: n for n, p in enumerate(buckets)}
        series: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
        totals = [0] * len(buckets)
        for i, day, kind, _people in self.within(period):
            b = index[Period.containing(buckets[0].unit, day).start]
            totals[b] += 1
            keys = {kind} if split == "kind" else self.links[split].get(i, set())
            for key in keys or {None}:
                series["None" if key is None else str(key)][b] += 1
        return dict(series), totals


COUNTS = Counts(organisations=80, people=200, engagements=3000, meetings=20)


def _generate(database) -> None:
    generate(database, COUNTS, seed=11, today=TODAY)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def loaded(request, prebuilt, tmp_path):
    """The generated set, made once per test process (tests/conftest.py), a copy per test."""
    with prebuilt.database(request, request.param, "perf_figures", _generate, tmp_path) as database:
        with database.engine.connect() as conn:
            log = Log(conn)
        yield database, log


@pytest.mark.parametrize("period,unit", PERIODS, ids=lambda p: getattr(p, "code", str(p)))
def test_counts_by_period_borough_objective_and_over_time(loaded, period, unit):
    database, log = loaded
    with database.engine.connect() as conn:
        boroughs = {
            b.borough_id: (b.engagements, b.people_reached) for b in f.borough_figures(conn, period)
        }
        objectives = {
            o.objective_id: (o.engagements, o.people_reached)
            for o in f.objective_figures(conn, period)
        }
        totals = f.totals(conn, period)
        for split in f.SPLITS:
            got = f.over_time(conn, period, split, unit)
            want, want_totals = log.over_time(period, split, unit)
            assert {s.key: list(s.values) for s in got.series} == want, split
            assert list(got.totals) == want_totals
    assert {k: v for k, v in boroughs.items() if v != (0, 0)} == log.per_link("borough", period)
    assert {k: v for k, v in objectives.items() if v != (0, 0)} == log.per_link("objective", period)
    within = log.within(period)
    engaged = {o for i, *_ in within for o in log.links["organisation"].get(i, ())}
    assert (totals.engagements, totals.people_reached) == (len(within), sum(e[3] for e in within))
    assert totals.organisations_engaged == len(engaged)


@pytest.mark.parametrize("as_of", [TODAY, date(2024, 2, 29), date(2019, 12, 31)])
def test_partners_gone_quiet_as_counted_by_hand(loaded, as_of):
    database, log = loaded
    last: dict[int, date] = {}
    for i, (day, _kind, _people) in log.engagements.items():
        for org in log.links["organisation"].get(i, ()):
            if day <= as_of and day > last.get(org, date.min):
                last[org] = day
    quiet_from = as_of - timedelta(days=f.QUIET_DAYS - 1)
    lookback = quiet_from - timedelta(days=f.LOOKBACK_DAYS)
    quiet = {org for org, day in last.items() if lookback <= day < quiet_from}
    period = PeriodFilter.single(Period.containing("year", as_of))
    with database.engine.connect() as conn:
        count, rows = f.partners_gone_quiet(conn, period, as_of, limit=500)
    assert count == len(quiet)
    assert {r.organisation_id: r.last_engaged_on for r in rows} == {o: last[o] for o in quiet}
    assert [(not r.is_priority, r.last_engaged_on) for r in rows] == sorted(
        (not r.is_priority, r.last_engaged_on) for r in rows
    )


def test_follow_ups_overdue_count_and_order(loaded):
    database, _ = loaded
    period = PeriodFilter.recent("year", 3, TODAY)
    with database.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, follow_up_on, follow_up_done FROM engagement")
        ).all()
        count, found = f.follow_ups_overdue(conn, period, TODAY, limit=20)
    due = sorted(
        (_day(d), i)
        for i, d, done in rows
        if d is not None and not done and period.start <= _day(d) < TODAY
    )
    assert count == len(due) and count > 20
    assert [(r.follow_up_on, r.engagement_id) for r in found] == due[:20]
