"""Minutes workflow and lateness; attendance shares and quorum."""

from datetime import date

import pytest
from governance_data import at, make_network, meeting, person, set_minutes

from vru_crm.errors import ValidationError
from vru_crm.governance.agenda import assemble_draft
from vru_crm.governance.attendance import (
    attendance_shares,
    inquorate_meetings,
    meeting_members,
    record_meeting_held,
)
from vru_crm.governance.minutes import (
    advance_minutes,
    late_minutes,
    minutes_due_soon,
)
from vru_crm.governance.minutes import published_late_in as _published_late_in

MINUTES_URL = "https://www.london.gov.uk/prg-minutes-2019-05-01"


def test_minutes_move_none_draft_approved_published(database):
    prg = make_network(database)
    held = meeting(database, prg, at(2019, 5, 1), "held")
    advance_minutes(database, held, "draft")
    advance_minutes(database, held, "approved", on=date(2019, 7, 30))
    state = advance_minutes(database, held, "published", on=date(2019, 8, 2), url=MINUTES_URL)
    assert (state.status, state.approved_on, state.published_on, state.url) == (
        "published",
        date(2019, 7, 30),
        date(2019, 8, 2),
        MINUTES_URL,
    )


def test_publishing_needs_a_url_and_a_date_and_changes_nothing_without_them(database):
    prg = make_network(database)
    held = meeting(database, prg, at(2019, 5, 1), "held")
    set_minutes(database, held, "approved", minutes_approved_on=date(2019, 7, 30))
    with pytest.raises(ValidationError) as caught:
        advance_minutes(database, held, "published", url="london.gov.uk minutes")
    assert set(caught.value.fields) == {"date", "url"}
    assert "web address" in caught.value.fields["url"]
    with pytest.raises(ValidationError, match="before they were approved"):
        advance_minutes(database, held, "published", on=date(2019, 7, 1), url=MINUTES_URL)
    assert late_minutes(database, as_of=date(2019, 7, 1))[0].status == "approved"


def test_steps_cannot_be_skipped_and_planned_meetings_have_no_minutes(database):
    prg = make_network(database)
    held = meeting(database, prg, at(2019, 5, 1), "held")
    with pytest.raises(ValidationError, match="the next step is draft"):
        advance_minutes(database, held, "approved", on=date(2019, 6, 1))
    planned = meeting(database, prg, at(2019, 7, 30))
    with pytest.raises(ValidationError, match="only kept for a meeting that was held"):
        advance_minutes(database, planned, "draft")


def test_late_minutes_and_by_how_much(database):
    prg = make_network(database, window=28)  # deadline 29 May for 1 May
    may = meeting(database, prg, at(2019, 5, 1), "held")
    jan = meeting(database, prg, at(2019, 1, 22), "held")
    set_minutes(
        database, jan, "published", minutes_published_on=date(2019, 2, 26), minutes_url=MINUTES_URL
    )
    late = late_minutes(database, as_of=date(2019, 6, 10))
    assert [(m.meeting_id, m.deadline, m.days) for m in late] == [(may, date(2019, 5, 29), 12)]
    with database.session() as s:
        published_late = _published_late_in(s)
    assert [(m.meeting_id, m.days) for m in published_late] == [(jan, 7)]  # due 19 Feb


def test_home_is_warned_before_minutes_become_late(database):
    prg = make_network(database, window=28)
    may = meeting(database, prg, at(2019, 5, 1), "held")
    soon = minutes_due_soon(database, as_of=date(2019, 5, 25))
    assert [(m.meeting_id, m.days) for m in soon] == [(may, 4)]
    assert minutes_due_soon(database, as_of=date(2019, 5, 10)) == []
    assert late_minutes(database, as_of=date(2019, 5, 29)) == []


def test_agreeing_the_minutes_item_at_the_next_meeting_approves_them(database):
    prg = make_network(database)
    may = meeting(database, prg, at(2019, 5, 1), "held")
    advance_minutes(database, may, "draft")
    july = meeting(database, prg, at(2019, 7, 30))
    agenda = assemble_draft(database, july)
    item = next(i for i in agenda.items if i.kind == "minutes")
    assert item.subject_meeting_id == may
    record_meeting_held(database, july, {}, outcomes={item.id: "agreed"})
    late = late_minutes(database, as_of=date(2019, 12, 1))
    assert {m.meeting_id: m.status for m in late}[may] == "approved"
    with database.session() as s:
        from db.models import Meeting

        assert s.get(Meeting, may).minutes_approved_on == date(2019, 7, 30)


def test_agreeing_undrafted_minutes_is_refused_and_nothing_is_recorded(database):
    prg = make_network(database)
    may = meeting(database, prg, at(2019, 5, 1), "held")
    july = meeting(database, prg, at(2019, 7, 30))
    item = next(i for i in assemble_draft(database, july).items if i.kind == "minutes")
    with pytest.raises(ValidationError, match="not been drafted yet"):
        record_meeting_held(database, july, {}, outcomes={item.id: "agreed"})
    with database.session() as s:
        from db.models import Meeting

        assert s.get(Meeting, july).status == "planned"  # the whole record was rolled back
        assert s.get(Meeting, may).minutes_status == "none"


def test_attendance_share_per_member_over_a_year_and_quorum(database):
    prg = make_network(database, quorum=2)
    mayor = person(database, "Sadiq Khan", prg, "chair")
    lib = person(database, "Lib Peck", prg)
    late_joiner = person(database, "Sophie Linden", prg, start=date(2019, 6, 1))
    jan = meeting(database, prg, at(2019, 1, 22), "planned")
    may = meeting(database, prg, at(2019, 5, 1), "planned")
    july = meeting(database, prg, at(2019, 7, 30), "planned")
    record_meeting_held(database, jan, {mayor: "present", lib: "present"})
    record_meeting_held(database, may, {mayor: "present", lib: "apologies"})
    quorum = record_meeting_held(
        database, july, {mayor: "apologies", lib: "present", late_joiner: "absent"}
    )
    assert quorum.quorate is False and quorum.present == 1
    shares = {
        r.name: (r.attended, r.meetings, r.apologies)
        for r in attendance_shares(database, prg, date(2019, 1, 1), date(2019, 12, 31))
    }
    assert shares == {"Sadiq Khan": (2, 3, 1), "Lib Peck": (2, 3, 1), "Sophie Linden": (0, 1, 0)}
    flagged = inquorate_meetings(database, prg, date(2019, 1, 1), date(2019, 12, 31))
    assert [q.meeting_id for q in flagged] == [may, july]
    members = meeting_members(database, july)
    assert members[0].name == "Sadiq Khan" and members[0].status == "apologies"


def test_a_future_meeting_cannot_be_recorded_as_held(database):
    prg = make_network(database)
    future = meeting(database, prg, at(2099, 1, 6))
    with pytest.raises(ValidationError, match="once it has started"):
        record_meeting_held(database, future, {})


def test_bad_attendance_status_is_refused_in_words(database):
    prg = make_network(database)
    someone = person(database, "Lib Peck", prg)
    jan = meeting(database, prg, at(2019, 1, 22))
    with pytest.raises(ValidationError, match="not present, apologies or absent"):
        record_meeting_held(database, jan, {someone: "late"})
