"""Meetings as records: the next expected slot, reschedule, cancel with a reason, delete,
recording held with guests, and the calendar SEQUENCE that only rises."""

from datetime import UTC, date, datetime, timedelta

import pytest
from governance_data import at, make_network, meeting, person
from icalendar import Calendar

from db.errors import ConcurrentEditError
from db.models import Membership, Network, Organisation
from vru_crm.errors import NotFound, ValidationError
from vru_crm.governance.attendance import (
    held_problem,
    match_attendees,
    meeting_guests,
    meeting_members,
    quorum_for,
    quorum_of,
    record_meeting_held,
)
from vru_crm.governance.ics import build_calendar
from vru_crm.governance.meetings import (
    cancel_meeting,
    create_meeting,
    default_title,
    delete_meeting,
    get_meeting,
    list_meetings,
    next_expected_slot,
    reschedule_meeting,
    update_meeting,
    web_address,
)
from vru_crm.governance.minutes import advance_minutes

SECOND_TUESDAY = "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0"


def _network(database, rule=SECOND_TUESDAY, minutes=120, short="PRG", quorum=None) -> int:
    with database.session() as s:
        row = Network(
            name="Partnership Reference Group",
            short_name=short,
            kind="board",
            cadence_rrule=rule,
            meeting_minutes=minutes,
            quorum=quorum,
        )
        s.add(row)
        s.flush()
        return row.id


def _organisation_member(database, network_id: int, name: str) -> int:
    with database.session() as s:
        row = Organisation(name=name, sector="local_authority")
        s.add(row)
        s.flush()
        s.add(Membership(network_id=network_id, organisation_id=row.id, role="member"))
        return row.id


# --- the record -----------------------------------------------------------------------------


def test_get_meeting_has_everything_the_form_shows(database):
    prg = _network(database)
    mid = meeting(
        database, prg, at(2019, 5, 14), location="City Hall", online_url="www.teams.example/prg"
    )
    record = get_meeting(database, mid)
    assert record.network_name == "Partnership Reference Group"
    assert record.starts_at == at(2019, 5, 14) and record.starts_at.utcoffset() == timedelta(
        hours=1
    )
    assert record.online_url == "https://www.teams.example/prg"  # www. gets its https://
    assert (record.status, record.sequence, record.cancel_reason) == ("planned", 0, None)
    assert record.to_dict()["starts_at"] == "2019-05-14T10:00:00+01:00"
    with pytest.raises(NotFound, match="no meeting with id 999"):
        get_meeting(database, 999)


def test_web_address_adds_https_only_to_www():
    assert web_address(" www.london.gov.uk/prg ") == "https://www.london.gov.uk/prg"
    assert web_address("http://example.org") == "http://example.org"
    assert web_address("  ") is None


def test_default_title_uses_the_short_name_and_the_month(database):
    prg = _network(database)
    assert default_title(database, prg, at(2019, 5, 14)) == "PRG meeting, May 2019"
    assert default_title(database, None, at(2019, 5, 14)) == "Event, May 2019"
    plain = make_network(database, name="Charities network")
    assert (
        default_title(database, plain, at(2020, 1, 2)) == "Charities network meeting, January 2020"
    )


# --- the next expected slot -----------------------------------------------------------------


def test_next_slot_on_an_empty_network_is_the_next_date_to_come(database):
    prg = _network(database)
    now = datetime(2019, 4, 1, 12, tzinfo=UTC)
    start, end = next_expected_slot(database, prg, after=now)
    assert start == at(2019, 4, 9) and end == at(2019, 4, 9, 12)  # second Tuesday, 10:00 London
    start, end = next_expected_slot(database, prg)  # after now (today, whenever tests run)
    assert start > datetime.now(UTC) and (start.hour, start.minute) == (10, 0)
    assert start.weekday() == 1 and 8 <= start.day <= 14 and end - start == timedelta(hours=2)


def test_next_slot_follows_the_latest_meeting_and_its_usual_length(database):
    prg = _network(database, minutes=90)
    meeting(database, prg, at(2099, 1, 13), "planned")  # the January slot, far ahead
    start, end = next_expected_slot(database, prg)
    assert start == at(2099, 4, 14) and end == at(2099, 4, 14, 11, 30)


def test_a_meeting_held_early_stands_for_its_slot(database):
    prg = _network(database)
    meeting(database, prg, at(2099, 1, 6), "planned")  # a week before the 13 January slot
    assert next_expected_slot(database, prg)[0] == at(2099, 4, 14)


def test_time_comes_from_the_last_meeting_without_byhour(database):
    prg = _network(database, rule="FREQ=MONTHLY;BYDAY=-1TH", minutes=None)
    meeting(database, prg, at(2099, 1, 29, 14, 30))
    start, end = next_expected_slot(database, prg)
    assert start == at(2099, 2, 26, 14, 30) and end - start == timedelta(hours=2)


def test_no_slot_without_a_usable_cadence(database):
    assert next_expected_slot(database, _network(database, rule=None)) is None
    other = make_network(database, name="Bad rule", rule="FREQ=MONTHLY;BYDAY=TU")
    assert next_expected_slot(database, other) is None


# --- reschedule, cancel, delete ---------------------------------------------------------------


def test_each_saved_change_of_time_place_or_status_raises_sequence_once(database):
    prg = _network(database)
    mid = meeting(database, prg, at(2019, 5, 14))
    uid = get_meeting(database, mid).uid
    row = reschedule_meeting(database, mid, at(2019, 5, 21), at(2019, 5, 21, 12))
    assert row.sequence == 1
    update_meeting(database, mid, location="City Hall", online_url="www.x.example/join")
    assert get_meeting(database, mid).sequence == 2  # two fields, one save: one step
    update_meeting(database, mid, notes="Bring papers", chair="Sophie Linden")
    assert get_meeting(database, mid).sequence == 2  # not calendar fields
    cancel_meeting(database, mid, reason="  Election purdah  ")
    record = get_meeting(database, mid)
    assert (record.status, record.cancel_reason, record.sequence) == (
        "cancelled",
        "Election purdah",
        3,
    )
    cancel_meeting(database, mid, reason="Purdah")  # only the reason changes
    assert get_meeting(database, mid).sequence == 3 and get_meeting(database, mid).uid == uid


def test_stale_edits_are_refused(database):
    mid = meeting(database, _network(database), at(2019, 5, 14))
    version = get_meeting(database, mid).version
    update_meeting(database, mid, version, title="Renamed")
    with pytest.raises(ConcurrentEditError):
        reschedule_meeting(database, mid, at(2019, 6, 1), at(2019, 6, 1, 12), version)
    with pytest.raises(ConcurrentEditError):
        cancel_meeting(database, mid, "x", expected_version=version)
    with pytest.raises(ConcurrentEditError):
        delete_meeting(database, mid, version)


def test_bad_values_are_refused_in_words_by_label(database):
    mid = meeting(database, _network(database), at(2019, 5, 14))
    with pytest.raises(ValidationError) as caught:
        reschedule_meeting(database, mid, at(2019, 5, 14, 12), at(2019, 5, 14, 10))
    assert str(caught.value) == "End: the meeting ends before it starts"
    with pytest.raises(ValidationError, match="Online link: .*not a web address"):
        update_meeting(database, mid, online_url="teams meeting")
    with pytest.raises(ValidationError, match="Reason: too long"):
        cancel_meeting(database, mid, reason="x" * 501)


def test_delete_removes_the_meeting(database):
    prg = _network(database)
    mid = meeting(database, prg, at(2019, 5, 14))
    delete_meeting(database, mid)
    assert list_meetings(database, prg) == []
    with pytest.raises(NotFound):
        delete_meeting(database, mid)


def test_list_meetings_by_network_and_london_dates(database):
    prg = _network(database)
    other = make_network(database, name="Charities network")
    may = meeting(database, prg, at(2019, 5, 14))
    midnight = meeting(database, prg, at(2019, 7, 1, 0, 30))  # 30 June in UTC
    meeting(database, other, at(2019, 6, 1))
    assert [r.id for r in list_meetings(database, prg)] == [may, midnight]
    assert [r.id for r in list_meetings(database, prg, date(2019, 7, 1), date(2019, 7, 1))] == [
        midnight
    ]


# --- recording held -------------------------------------------------------------------------


def test_held_problem_says_when_the_meeting_starts(database):
    mid = meeting(database, _network(database), at(2099, 5, 12))
    assert held_problem(database, mid) == (
        "This meeting starts on Tuesday 12 May 2099 at 10:00; "
        "it can be recorded as held once it has started."
    )
    assert held_problem(database, mid, now=at(2099, 5, 12, 10, 1)) is None
    with pytest.raises(ValidationError, match="Start: This meeting starts on Tuesday 12 May 2099"):
        record_meeting_held(database, mid, {})
    cancel_meeting(database, mid, "no quorum expected")
    assert "cancelled" in held_problem(database, mid, now=at(2099, 6, 1))


def test_members_not_named_are_absent_guests_kept_and_do_not_count(database):
    prg = _network(database, quorum=2)
    chair = person(database, "Sadiq Khan", prg, "chair")
    zoe = person(database, "Zoë O'Neil", prg)
    lib = person(database, "Lib Peck", prg)
    person(database, "Left Early", prg, end=date(2019, 1, 1))
    _organisation_member(database, prg, "London Councils")
    mid = meeting(database, prg, at(2019, 5, 14))
    quorum = record_meeting_held(
        database, mid, {zoe: "present"}, guests=["Ann Visitor", ("Bo Guest", "MOPAC"), " "]
    )
    assert (quorum.present, quorum.quorum, quorum.quorate, quorum.guests) == (1, 2, False, 2)
    members = meeting_members(database, mid)
    assert [(m.name, m.role, m.kind, m.status) for m in members] == [
        ("Sadiq Khan", "chair", "person", "absent"),
        ("Lib Peck", "member", "person", "absent"),
        ("London Councils", "member", "organisation", None),
        ("Zoë O'Neil", "member", "person", "present"),
    ]
    assert meeting_guests(database, mid) == ["Ann Visitor", "Bo Guest"]
    assert quorum_for(database, mid, {chair: "present", zoe: "present"}).quorate is True
    # Recording again replaces attendance; guests=None keeps them, a list replaces them.
    record_meeting_held(database, mid, {chair: "present", zoe: "present", lib: "apologies"})
    assert quorum_of(database, mid).present == 2 and quorum_of(database, mid).quorate
    assert meeting_guests(database, mid) == ["Ann Visitor", "Bo Guest"]
    record_meeting_held(database, mid, {chair: "present"}, guests=["bo guest"])
    assert meeting_guests(database, mid) == ["bo guest"]


def test_names_match_members_ignoring_case_and_accents(database):
    prg = _network(database)
    person(database, "Sadiq Khan", prg, "chair")
    zoe = person(database, "Zoë O'Neil", prg)
    person(database, "Lib Peck", prg)
    _organisation_member(database, prg, "London Councils")
    mid = meeting(database, prg, at(2019, 5, 14))
    found = match_attendees(database, mid, ["ZOE O'NEIL", "khan"])
    assert [m.name for m in found] == ["Zoë O'Neil", "Sadiq Khan"] and found[0].person_id == zoe
    with pytest.raises(NotFound) as caught:
        match_attendees(database, mid, ["Zoey ONeil", "London councils"])
    message = str(caught.value)
    assert (
        "\"Zoey ONeil\" is not a member of this meeting's network; closest: Zoë O'Neil" in message
    )
    assert '"London councils" is an organisation member' in message


# --- the calendar's SEQUENCE never falls ----------------------------------------------------


def _sequences(database) -> dict[str, int]:
    calendar = Calendar.from_ical(build_calendar(database, series=True).data)
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}


def _never_lower(before: dict[str, int], after: dict[str, int]) -> None:
    for uid, sequence in before.items():
        if uid in after:
            assert after[uid] >= sequence, f"{uid}: SEQUENCE fell from {sequence} to {after[uid]}"


def test_recording_a_meeting_held_never_lowers_an_exported_sequence(database):
    # "Every three months" counts from the last meeting held: once May is held the
    # series starts there and has fewer EXDATEs (it used to fall 4 to 3 then).
    prg = make_network(database, rule="FREQ=MONTHLY;INTERVAL=3")
    lib = person(database, "Lib Peck", prg)
    meeting(database, prg, at(2019, 1, 29), "held")
    may = meeting(database, prg, at(2019, 4, 30))
    meeting(database, prg, at(2019, 7, 30))
    meeting(database, prg, at(2019, 10, 29))
    before = _sequences(database)
    record_meeting_held(database, may, {lib: "present"})
    after = _sequences(database)
    _never_lower(before, after)
    series = next(uid for uid in after if uid.startswith("cadence-"))
    assert after[series] > before[series]


def test_series_sequence_rises_with_every_change_and_survives_a_deletion(database):
    prg = _network(database)
    meeting(database, prg, at(2019, 1, 8), "held")
    april = meeting(database, prg, at(2019, 4, 9))
    july = meeting(database, prg, at(2019, 7, 9))
    steps = [_sequences(database)]
    cancel_meeting(database, april, "moved")
    steps.append(_sequences(database))
    reschedule_meeting(database, july, at(2019, 7, 16), at(2019, 7, 16, 12))
    steps.append(_sequences(database))
    delete_meeting(database, april)
    steps.append(_sequences(database))
    meeting(database, prg, at(2019, 10, 8))
    steps.append(_sequences(database))
    series = [s for s in steps[0] if s.startswith("cadence-")][0]
    values = [step[series] for step in steps]
    assert values == sorted(set(values)), values  # strictly rising
    for earlier, later in zip(steps, steps[1:], strict=False):
        _never_lower(earlier, later)


def test_an_empty_database_from_network_to_calendar(database):
    """No demo: a network, its next meeting, recorded held, the calendar read back."""
    prg = _network(database, quorum=1)
    chair = person(database, "Sadiq Khan", prg, "chair", email="mayor@example.org")
    start, end = next_expected_slot(database, prg, after=datetime(2019, 1, 1, tzinfo=UTC))
    row = create_meeting(
        database,
        title=default_title(database, prg, start),
        starts_at=start,
        ends_at=end,
        network_id=prg,
        location="City Hall",
    )
    quorum = record_meeting_held(database, row.id, {chair: "present"}, guests=["Ann Visitor"])
    assert quorum.quorate is True
    advance_minutes(database, row.id, "draft")
    calendar = Calendar.from_ical(build_calendar(database, series=True).data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[get_meeting(database, row.id).uid]
    assert str(event["SUMMARY"]) == "PRG meeting, January 2019"
    assert event["DTSTART"].dt == at(2019, 1, 8) and int(event["SEQUENCE"]) == 1
    assert str(event["LOCATION"]) == "City Hall"
    assert any(uid.startswith("cadence-") for uid in events)


def test_a_meeting_in_year_9999_is_refused_in_words(database):
    from datetime import UTC, datetime

    import pytest

    from vru_crm.errors import ValidationError
    from vru_crm.governance.meetings import create_meeting

    start = datetime(9999, 1, 5, 10, tzinfo=UTC)
    with pytest.raises(ValidationError) as caught:
        create_meeting(database, title="Far away", starts_at=start, ends_at=start)
    assert "Start: the meeting is in 9999: dates must be between 1990 and 2100" in str(caught.value)
