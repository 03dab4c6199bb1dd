"""A meeting off the cadence's own dates does not move the cadence of the meetings booked.

The Done-when journey: the next PRG is scheduled at the slot the cadence offers,
then a meeting that already took place (on a Wednesday, off the rule) is entered
and recorded held. The cadence keeps the booked meeting's months: the one after it
is offered three months later, not five, and the network page's "next due" agrees.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from vru_crm.governance import cadence, meetings, networks
from vru_crm.governance.attendance import record_meeting_held
from vru_crm.london import london, today_in_london


def test_an_off_rule_meeting_entered_later_keeps_the_booked_phase(sqlite_database):
    db = sqlite_database
    prg = networks.create_network(
        db,
        networks.NetworkInput(
            name="Partnership Reference Group",
            short_name="PRG",
            cadence="quarterly, second Tuesday, 10:00 to 12:00",
        ),
    ).id
    start, end = meetings.next_expected_slot(db, prg)
    booked = meetings.create_meeting(db, title="Next", network_id=prg, starts_at=start, ends_at=end)
    day = today_in_london() - timedelta(days=14)
    while day.weekday() != 2:  # a Wednesday: never a "second Tuesday"
        day -= timedelta(days=1)
    past_start = london(start).replace(year=day.year, month=day.month, day=day.day)
    past = meetings.create_meeting(
        db,
        title="Earlier",
        network_id=prg,
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=2),
    ).id
    record_meeting_held(db, past, {})
    following, _ = meetings.next_expected_slot(db, prg)
    three_months_on = london(booked.starts_at).date() + relativedelta(months=3)
    assert abs((london(following).date() - three_months_on).days) <= 7
    assert london(following).weekday() == 1 and london(following).hour == 10
    [row] = cadence.cadence_report(db)
    assert row.next_due == london(following).date() and not row.overdue
