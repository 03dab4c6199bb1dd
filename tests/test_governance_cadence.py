"""Cadence arithmetic: expected dates, clock changes, month ends, cancellations, overdue."""

from datetime import UTC, date

import pytest
from governance_data import at, make_network, meeting

from vru_crm.governance.cadence import MeetingFact, cadence_report, expand, figures, rule_problem

QUARTERLY = "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU"
YEAR_2019 = (date(2019, 1, 1), date(2019, 12, 31))


def test_ten_oclock_stays_ten_oclock_across_both_clock_changes():
    dates = expand("FREQ=MONTHLY;BYDAY=2TU", at(2024, 1, 9), date(2024, 3, 1), date(2024, 11, 30))
    assert all((d.hour, d.minute) == (10, 0) for d in dates)
    by_month = {d.month: d.astimezone(UTC).hour for d in dates}
    assert by_month[3] == 10 and by_month[4] == 9  # GMT before 31 March, BST after
    assert by_month[10] == 9 and by_month[11] == 10  # BST until 27 October, GMT after


def test_meeting_on_the_day_the_clocks_change_keeps_its_local_time():
    sundays = expand("FREQ=WEEKLY;BYDAY=SU", at(2024, 3, 24), date(2024, 3, 24), date(2024, 3, 31))
    assert [d.day for d in sundays] == [24, 31]
    assert [d.astimezone(UTC).hour for d in sundays] == [10, 9]
    autumn = expand(
        "FREQ=WEEKLY;BYDAY=SU", at(2024, 10, 20), date(2024, 10, 20), date(2024, 10, 27)
    )
    assert [d.astimezone(UTC).hour for d in autumn] == [9, 10]


def test_a_rule_on_the_31st_skips_short_months_as_rfc_5545_says():
    dates = expand(
        "FREQ=MONTHLY;BYMONTHDAY=31", at(2024, 1, 31), date(2024, 1, 1), date(2024, 12, 31)
    )
    assert [d.month for d in dates] == [1, 3, 5, 7, 8, 10, 12]


def test_last_day_of_the_month_includes_a_leap_february():
    dates = expand(
        "FREQ=MONTHLY;BYMONTHDAY=-1", at(2024, 1, 31), date(2024, 1, 1), date(2024, 12, 31)
    )
    assert len(dates) == 12
    assert dates[1].date() == date(2024, 2, 29) and dates[3].date() == date(2024, 4, 30)


def test_next_due_after_a_meeting_at_the_end_of_january_is_the_end_of_february():
    held = [MeetingFact(at(2023, 1, 31), "held")]
    result = figures(
        "FREQ=MONTHLY;BYMONTHDAY=-1", at(2023, 1, 31), held, date(2023, 2, 10), 7, YEAR_2019
    )
    assert result.next_due == date(2023, 2, 28)


def test_cancelled_meetings_count_as_not_held():
    meetings = [
        MeetingFact(at(2019, 1, 29), "held"),
        MeetingFact(at(2019, 4, 30), "cancelled"),
        MeetingFact(at(2019, 7, 30), "held"),
        MeetingFact(at(2019, 10, 29), "held"),
    ]
    result = figures(QUARTERLY, at(2019, 1, 29), meetings, date(2019, 12, 31), 14, YEAR_2019)
    assert (result.expected, result.held, result.cancelled) == (4, 3, 1)
    assert result.last_held.date() == date(2019, 10, 29)
    assert result.next_due == date(2020, 1, 28)


def test_a_cancelled_meeting_leaves_the_date_due_and_then_overdue():
    meetings = [MeetingFact(at(2019, 1, 29), "held"), MeetingFact(at(2019, 4, 30), "cancelled")]
    result = figures(QUARTERLY, at(2019, 1, 29), meetings, date(2019, 5, 20), 14, YEAR_2019)
    assert result.next_due == date(2019, 4, 30)
    assert result.overdue and result.days_overdue == 20


@pytest.mark.parametrize(
    ("planned", "tolerance", "overdue"),
    [
        (None, 14, True),  # nothing scheduled
        (at(2019, 8, 6), 14, False),  # scheduled a week late: within tolerance
        (at(2019, 9, 3), 14, True),  # scheduled five weeks late: beyond it
        (at(2019, 9, 3), 40, False),  # ... unless the user allows 40 days
    ],
)
def test_overdue_depends_on_what_is_scheduled_within_the_tolerance(planned, tolerance, overdue):
    meetings = [MeetingFact(at(2019, 4, 30), "held")]
    if planned:
        meetings.append(MeetingFact(planned, "planned"))
    result = figures(QUARTERLY, at(2019, 1, 29), meetings, date(2019, 8, 10), tolerance, YEAR_2019)
    assert result.next_due == date(2019, 7, 30)
    assert result.overdue is overdue
    assert result.days_overdue == (11 if overdue else 0)


def test_a_meeting_held_late_within_tolerance_covers_its_slot():
    meetings = [MeetingFact(at(2019, 8, 8), "held")]  # due 30 July, held 9 days late
    result = figures(QUARTERLY, at(2019, 1, 29), meetings, date(2019, 9, 1), 14, YEAR_2019)
    assert result.next_due == date(2019, 10, 29) and not result.overdue


def test_the_every_tuesday_trap_is_refused_in_words():
    problem = rule_problem("FREQ=MONTHLY;INTERVAL=3;BYDAY=TU")
    assert "every Tuesday of the month" in problem and "BYDAY=2TU" in problem
    assert rule_problem("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU") is None
    assert rule_problem("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2") is None
    assert "FREQ" in rule_problem("INTERVAL=3")
    assert "cannot be read" in rule_problem("FREQ=MONTHLY;BYDAY=XX")


def test_report_from_the_database(database):
    prg = make_network(database, rule=QUARTERLY, window=28)
    make_network(database, name="Youth Practitioners Forum", rule=None, window=None)
    meeting(database, prg, at(2019, 1, 29), "held")
    meeting(database, prg, at(2019, 4, 30), "cancelled")
    meeting(database, prg, at(2019, 7, 30), "held")
    rows = {r.network: r for r in cadence_report(database, as_of=date(2019, 11, 20))}
    prg_row = rows["Partnership Reference Group"]
    assert prg_row.last_held == date(2019, 7, 30)
    assert prg_row.next_due == date(2019, 10, 29)
    assert prg_row.overdue and prg_row.days_overdue == 22
    assert (prg_row.expected, prg_row.held, prg_row.cancelled) == (4, 2, 1)
    assert [m.held_on for m in prg_row.minutes_late] == [date(2019, 1, 29), date(2019, 7, 30)]
    forum = rows["Youth Practitioners Forum"]
    assert forum.next_due is None and not forum.overdue and forum.expected is None


def test_report_for_one_network_by_name_ignores_case(database):
    make_network(database)
    rows = cadence_report(
        database, as_of=date(2019, 1, 1), network="  partnership reference GROUP "
    )
    assert [r.network for r in rows] == ["Partnership Reference Group"]


def test_a_meeting_off_the_rules_day_stands_for_the_nearest_expected_date():
    # First PRG under the rule on Wednesday 1 May; the rule says the last Tuesday.
    held = [MeetingFact(at(2019, 5, 1), "held")]
    result = figures(QUARTERLY, at(2019, 5, 1), held, date(2019, 6, 1), 14, YEAR_2019)
    assert result.next_due == date(2019, 8, 27)  # not 28 May: 1 May stood for that slot
    early = [MeetingFact(at(2019, 7, 16), "held")]  # a fortnight early for 30 July
    result = figures(QUARTERLY, at(2019, 1, 29), early, date(2019, 8, 1), 14, YEAR_2019)
    assert result.next_due == date(2019, 10, 29) and not result.overdue


def test_every_three_months_counts_from_the_last_meeting_when_the_rhythm_moved():
    # Monthly at first (as the PRG in 2018-19), then quarterly on other months.
    meetings = [
        MeetingFact(at(2018, 10, 31), "held"),
        MeetingFact(at(2018, 11, 28), "held"),
        MeetingFact(at(2019, 3, 6), "held"),
        MeetingFact(at(2019, 6, 12), "held"),
        MeetingFact(at(2019, 9, 11), "held"),
        MeetingFact(at(2019, 12, 10), "planned"),
    ]
    year = (date(2018, 11, 21), date(2019, 11, 20))
    result = figures(
        "FREQ=MONTHLY;INTERVAL=3", at(2018, 10, 31), meetings, date(2019, 11, 20), 14, year
    )
    assert result.next_due == date(2019, 12, 11) and not result.overdue
    # Counted from 31 October 2018, the last meeting before the period: 31 January, 31 July,
    # 31 October; there is no 31 April, and RFC 5545 skips it rather than moving it.
    assert (result.expected, result.held) == (3, 4)


def test_plain_monthly_from_the_31st_skips_to_the_next_month_with_a_31st():
    held = [MeetingFact(at(2023, 1, 31), "held")]
    result = figures("FREQ=MONTHLY", at(2023, 1, 31), held, date(2023, 2, 10), 7, YEAR_2019)
    assert result.next_due == date(2023, 3, 31)  # RFC 5545: no 31 February


SIX_WEEKLY = "FREQ=WEEKLY;INTERVAL=6"


@pytest.mark.parametrize(
    "rule", [SIX_WEEKLY, "FREQ=WEEKLY;INTERVAL=6;BYDAY=WE;BYHOUR=9;BYMINUTE=30"]
)
def test_a_six_weekly_network_that_never_met_expects_the_whole_year_and_is_overdue(rule):
    # The bug: the network record was made today (the anchor), so only today's slot was
    # "expected": "expected 1, held 0" over 12 months, and "On track".
    year = (date(2019, 1, 1), date(2019, 12, 31))
    result = figures(rule, at(2019, 12, 31), [], date(2019, 12, 31), 14, year)
    assert result.expected in (8, 9)
    assert result.held == 0
    assert result.overdue and result.days_overdue > 300
    assert result.next_due is not None and result.next_due <= date(2019, 2, 12)


def test_the_never_met_network_in_the_report_is_overdue(database):
    network = make_network(database, name="Violence Reduction Steering Group", rule=SIX_WEEKLY)
    (row,) = cadence_report(database, network="Violence Reduction Steering Group")
    assert row.network_id == network
    assert row.expected in (8, 9) and row.held == 0
    assert row.overdue


def test_a_new_network_with_its_first_meeting_planned_is_not_overdue(database):
    # A team starting on an empty database: the network made today, its first meeting booked.
    network = make_network(database, name="New Forum", rule=SIX_WEEKLY)
    meeting(database, network, at(2031, 3, 5), "planned")
    (row,) = cadence_report(database, as_of=date(2031, 2, 20), network="new forum")
    assert (row.expected, row.held, row.overdue) == (0, 0, False)
    assert row.next_due == date(2031, 3, 5)


def test_a_time_of_day_does_not_fix_the_days_of_a_rule():
    from vru_crm.governance.cadence import has_fixed_days

    assert not has_fixed_days("FREQ=MONTHLY;INTERVAL=3;BYHOUR=10;BYMINUTE=0")
    assert has_fixed_days("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0")


def test_archived_networks_leave_the_report_but_can_be_named(database):
    from vru_crm.governance.networks import archive_network

    make_network(database)
    old = make_network(database, name="Old Group", rule=SIX_WEEKLY)
    archive_network(database, old, on=date(2019, 1, 1))
    assert [r.network for r in cadence_report(database)] == ["Partnership Reference Group"]
    assert [r.network for r in cadence_report(database, network="old group")] == ["Old Group"]


def test_cadence_report_accepts_the_short_name(database):
    from db.models import Network

    network = make_network(database)
    with database.session() as s:
        s.get(Network, network).short_name = "PRG"
    rows = cadence_report(database, as_of=date(2019, 1, 1), network="prg")
    assert [r.network for r in rows] == ["Partnership Reference Group"]
