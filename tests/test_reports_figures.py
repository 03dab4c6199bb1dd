"""The query layer against a hand-counted data set, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from reports_fixture import EXPECTED, TODAY, build

from vru_crm.reports import figures as f
from vru_crm.reports.period import Period, PeriodFilter

Q4 = PeriodFilter.single(Period.parse("2020Q4"))


@pytest.fixture
def loaded(database):
    ids = build(database)
    return database, ids


def test_totals_match_the_hand_count(loaded):
    database, _ = loaded
    d = f.dashboard(database, Q4, today=TODAY)
    t = d.totals
    assert (t.engagements, t.people_reached, t.boroughs_covered, t.organisations_engaged) == (
        EXPECTED["engagements"], EXPECTED["people_reached"],
        EXPECTED["boroughs_covered"], EXPECTED["organisations_engaged"],
    )  # fmt: skip
    assert (t.meetings_held, t.minutes_published) == (
        EXPECTED["meetings_held"],
        EXPECTED["minutes_published"],
    )


def test_every_borough_is_listed_with_zeros_and_priority_flags(loaded):
    database, _ = loaded
    rows = f.dashboard(database, Q4, today=TODAY).boroughs
    assert len(rows) == 33
    got = {b.code: (b.engagements, b.people_reached) for b in rows if b.engagements}
    assert got == EXPECTED["boroughs"]
    assert sum(1 for b in rows if b.engagements == 0) == 30
    assert sum(b.is_priority for b in rows) == 16
    assert next(b for b in rows if b.code == "HAC").is_priority


def test_objectives_coverage_lists_all_eight(loaded):
    database, _ = loaded
    rows = f.dashboard(database, Q4, today=TODAY).objectives
    assert [o.number for o in rows] == list(range(1, 9))
    assert {o.number: (o.engagements, o.people_reached) for o in rows if o.engagements} == EXPECTED[
        "objectives"
    ]


def _series(over_time):
    return {s.label: list(s.values) for s in over_time.series}


def test_over_time_by_month_split_by_kind(loaded):
    database, _ = loaded
    with database.engine.connect() as conn:
        ot = f.over_time(conn, Q4, "kind")
    assert [p.code for p in ot.buckets] == ["2020-10", "2020-11", "2020-12"]
    assert _series(ot) == {
        "Visit": [1, 0, 1],
        "Online meeting": [0, 1, 0],
        "Call": [1, 0, 0],
        "Event": [0, 1, 0],
    }
    assert list(ot.totals) == [2, 2, 1]


def test_over_time_split_by_network_and_sector_counts_the_unlinked(loaded):
    database, _ = loaded
    with database.engine.connect() as conn:
        by_network = _series(f.over_time(conn, Q4, "network"))
        by_sector = _series(f.over_time(conn, Q4, "sector"))
    assert by_network == {
        "Charities network": [0, 1, 0], "Partnership Reference Group": [1, 1, 0], "No network": [1, 1, 1],
    }  # fmt: skip
    assert by_sector == {
        "Charity / VCS": [2, 0, 0], "School / PRU / alternative provision": [0, 0, 1],
        "Faith": [1, 1, 0], "No sector": [0, 1, 0],
    }  # fmt: skip


def test_over_time_by_iso_week(loaded):
    database, _ = loaded
    with database.engine.connect() as conn:
        ot = f.over_time(conn, Q4, "objective", unit="week")
    assert ot.buckets[0].start == date(2020, 9, 28) and ot.buckets[-1].start == date(2020, 12, 28)
    assert len(ot.buckets) == 14
    nonzero = {p.start: n for p, n in zip(ot.buckets, ot.totals, strict=True) if n}
    # e5 (30 Sep) shares the first week but falls before the quarter: not counted.
    assert nonzero == {date(2020, 10, 5): 1, date(2020, 10, 19): 1, date(2020, 11, 2): 1,
                       date(2020, 11, 9): 1, date(2020, 12, 28): 1}  # fmt: skip
    first = next(s for s in ot.series if s.label.startswith("3."))
    assert sum(first.values) == 2


def test_stakeholder_map_takes_the_latest_assessment_before_the_period_end(loaded):
    database, ids = loaded
    points = {p.organisation_id: p for p in f.dashboard(database, Q4, today=TODAY).stakeholders}
    assert set(points) == {ids["A"], ids["B"]}
    a = points[ids["A"]]
    assert (a.influence, a.interest, a.previous_influence, a.previous_interest) == (4, 5, 2, 3)
    assert a.moved and a.sector_label == "Charity / VCS"
    b = points[ids["B"]]
    assert (b.influence, b.interest, b.previous_influence) == (3, 2, None) and not b.moved


def test_gone_quiet_and_follow_ups_overdue(loaded):
    database, ids = loaded
    d = f.dashboard(database, Q4, today=TODAY)
    assert d.quiet_count == 1
    assert [(p.organisation_id, p.last_engaged_on, p.days_quiet) for p in d.quiet] == [
        (ids["D"], date(2020, 9, 30), 92)
    ]
    assert d.follow_ups_count == 1
    (only,) = d.follow_ups
    assert (only.engagement_id, only.follow_up_on, only.organisations) == (
        ids["e3"],
        date(2020, 11, 20),
        "St Mary's Church",
    )


def test_governance_health(loaded):
    database, _ = loaded
    g = f.dashboard(database, Q4, today=TODAY).governance
    assert g.as_of == date(2020, 12, 31)
    nets = {n.name: n for n in g.networks}
    prg = nets["Partnership Reference Group"]
    assert (
        prg.expected,
        prg.held,
        prg.minutes_published,
        prg.minutes_late,
        prg.worst_days_late,
    ) == (1, 2, 1, 1, 8)
    assert prg.on_cadence is True
    charities = nets["Charities network"]
    assert (charities.expected, charities.held, charities.cancelled) == (None, 0, 1)
    assert [m.title for m in g.meetings] == [
        "PRG October",
        "Charities network November",
        "PRG December",
    ]
    assert (g.actions_open, g.actions_overdue) == (3, 2)
    assert (g.recommendations_open, g.recommendations_overdue) == (3, 2)
    overdue = {i.text: i.days_overdue for i in g.open_items if i.days_overdue}
    assert overdue == {"Share the needs assessment": 31, "Closed in January": 30,
                       "Publish KPIs": 214, "Answered in February": 61}  # fmt: skip


def test_an_empty_quarter_gives_zeros_not_errors(loaded):
    database, _ = loaded
    d = f.dashboard(database, PeriodFilter.single(Period.parse("2015Q1")), today=TODAY)
    t = d.totals
    assert (
        t.engagements,
        t.people_reached,
        t.boroughs_covered,
        t.organisations_engaged,
        t.meetings_held,
    ) == (0, 0, 0, 0, 0)
    assert len(d.boroughs) == 33 and all(b.engagements == 0 for b in d.boroughs)
    assert len(d.objectives) == 8 and all(o.engagements == 0 for o in d.objectives)
    assert list(d.over_time.totals) == [0, 0, 0] and d.over_time.series == ()
    assert (d.quiet_count, d.follow_ups_count, d.stakeholders) == (0, 0, [])
    assert (
        d.governance.networks,
        d.governance.actions_open,
        d.governance.recommendations_open,
    ) == ([], 0, 0)
