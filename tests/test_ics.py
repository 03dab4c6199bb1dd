"""iCalendar export: read back by the strict `ical` parser and by icalendar."""

from datetime import UTC, date, datetime, timedelta

import pytest
from governance_data import at, make_network, meeting, person
from ical.calendar_stream import IcsCalendarStream
from ical.types.recur import Frequency
from icalendar import Calendar

from vru_crm.governance.agenda import add_item
from vru_crm.governance.ics import build_calendar, export_ics
from vru_crm.governance.meetings import cancel_meeting, update_meeting

QUARTERLY = "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU"


def _strict(data: bytes):
    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def _by_uid(calendar):
    return {e.uid: e for e in calendar.events}


@pytest.fixture
def prg(database):
    network = make_network(database, rule=QUARTERLY)
    person(database, "Sadiq Khan", network, "chair", email="mayor@example.org")
    person(database, "Lib Peck", network, email="lib.peck@example.org")
    person(database, "No Email", network)
    meeting(database, network, at(2019, 1, 29), "held")  # the first meeting sets the rule's phase
    march = meeting(database, network, at(2019, 3, 26), "held", location="City Hall")
    october = meeting(
        database, network, at(2019, 10, 22), online_url="https://teams.example.org/prg"
    )
    cancelled = meeting(database, network, at(2019, 4, 30), "cancelled")
    return {"network": network, "march": march, "october": october, "cancelled": cancelled}


def _uids(database):
    from sqlmodel import select

    from db.models import Meeting

    with database.session() as s:
        return {m.id: m.uid for m in s.exec(select(Meeting)).all()}


def test_strict_parser_reads_london_times_across_clock_changes(database, prg):
    calendar = _strict(build_calendar(database).data)
    events = _by_uid(calendar)
    uids = _uids(database)
    march, october = events[uids[prg["march"]]], events[uids[prg["october"]]]
    assert (march.dtstart.hour, october.dtstart.hour) == (10, 10)
    assert march.dtstart.astimezone(UTC).hour == 10  # GMT
    assert october.dtstart.astimezone(UTC).hour == 9  # BST until 27 October 2019
    assert october.dtend - october.dtstart == timedelta(hours=2)


def test_vtimezone_has_both_parts_and_matches_every_tzid(database, prg):
    data = build_calendar(database).data
    calendar = Calendar.from_ical(data)
    zones = calendar.walk("VTIMEZONE")
    assert [z["TZID"] for z in zones] == ["Europe/London"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    tzids = {e["DTSTART"].params.get("TZID") for e in calendar.walk("VEVENT")}
    assert tzids == {"Europe/London"}


def test_fields_calendar_programs_show(database, prg):
    add_item(
        database, prg["october"], "Ofsted and exclusions", presenter="DfE", minutes_allotted=30
    )
    events = _by_uid(_strict(build_calendar(database).data))
    uids = _uids(database)
    october, march = events[uids[prg["october"]]], events[uids[prg["march"]]]
    assert "1. Ofsted and exclusions (10:00, DfE)" in october.description
    assert october.url == "https://teams.example.org/prg" and october.location == "Online"
    assert march.location == "City Hall"
    assert events[uids[prg["cancelled"]]].status.value == "CANCELLED"
    attendees = {a.uri: a.common_name for a in october.attendees}
    assert attendees == {
        "mailto:mayor@example.org": "Sadiq Khan",
        "mailto:lib.peck@example.org": "Lib Peck",
    }
    assert october.organizer.uri == "mailto:mayor@example.org"
    assert october.dtstamp.tzinfo is not None and october.categories == [
        "Partnership Reference Group"
    ]


def test_crlf_and_folding_never_split_a_character(database, prg):
    long_title = "Réunion du groupe — “partenariat” £ " * 5
    add_item(database, prg["october"], long_title[:290], presenter="Zoë Ørsted-Łukasz")
    data = build_calendar(database).data
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is whole UTF-8 on its own
    october = _by_uid(_strict(data))[_uids(database)[prg["october"]]]
    assert long_title[:40] in october.description


def test_reexport_keeps_uids_and_bumps_sequence_after_a_change(database, prg, tmp_path):
    first = _by_uid(_strict(export_ics(database, tmp_path / "a.ics").data))
    update_meeting(
        database, prg["october"], starts_at=at(2019, 10, 22, 14), ends_at=at(2019, 10, 22, 16)
    )
    cancel_meeting(database, prg["march"])
    update_meeting(database, prg["cancelled"], notes="a note is not a calendar change")
    second = _by_uid(_strict(export_ics(database, tmp_path / "b.ics").data))
    assert set(first) == set(second)
    uids = _uids(database)
    october, march = uids[prg["october"]], uids[prg["march"]]
    assert (first[october].sequence, second[october].sequence) == (0, 1)
    assert second[october].dtstart.hour == 14
    assert second[march].sequence == 1 and second[march].status.value == "CANCELLED"
    assert second[uids[prg["cancelled"]]].sequence == first[uids[prg["cancelled"]]].sequence


def test_network_and_period_filters(database, prg):
    make_network(database, name="Charities network")
    other = meeting(database, None, at(2019, 4, 1), title="Community event")
    assert build_calendar(database, network="charities network").events == 0
    result = build_calendar(database, start=date(2019, 4, 1), end=date(2019, 4, 30))
    assert result.events == 2  # the cancelled PRG and the community event
    assert _uids(database)[other] in _by_uid(_strict(result.data))


def test_cadence_series_uses_an_ordinal_day_and_exdates(database, prg):
    result = build_calendar(database, network="Partnership Reference Group", series=True)
    assert result.series == 1
    series = next(e for e in _strict(result.data).events if e.uid.startswith("cadence-"))
    assert series.rrule.freq == Frequency.MONTHLY and series.rrule.interval == 3
    assert [(d.weekday.value, d.occurrence) for d in series.rrule.by_weekday] == [("TU", -1)]
    exdates = {d.date() for d in series.exdate}
    # January and October have events of their own (22 October is within the tolerance of
    # the 29th); 30 April was cancelled. July has no meeting, so it stays an expected date.
    assert exdates == {date(2019, 1, 29), date(2019, 4, 30), date(2019, 10, 29)}
    assert all(d.hour == 10 for d in series.exdate)
    icalendar_series = next(
        e
        for e in Calendar.from_ical(result.data).walk("VEVENT")
        if str(e["UID"]).startswith("cadence-")
    )
    assert icalendar_series["RRULE"].to_ical() == b"FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU"


def test_export_is_written_whole_or_not_at_all(database, prg, tmp_path):
    from vru_crm.errors import UserError

    with pytest.raises(UserError, match="does not exist"):
        export_ics(database, tmp_path / "missing" / "prg.ics")
    with pytest.raises(UserError, match='no network called "PGR"'):
        export_ics(database, tmp_path / "prg.ics", network="PGR")
    assert list(tmp_path.iterdir()) == [] or not list(tmp_path.glob("*.ics*"))


def test_icalendar_reads_the_same_times(database, prg):
    events = Calendar.from_ical(build_calendar(database).data).walk("VEVENT")
    starts = sorted(e["DTSTART"].dt for e in events)
    assert [s.astimezone(UTC) for s in starts] == [
        datetime(2019, 1, 29, 10, tzinfo=UTC),
        datetime(2019, 3, 26, 10, tzinfo=UTC),
        datetime(2019, 4, 30, 9, tzinfo=UTC),
        datetime(2019, 10, 22, 9, tzinfo=UTC),
    ]


def test_icalendar_is_not_loaded_at_start_up():
    import subprocess
    import sys

    code = (
        "import sys; import vru_crm.cli.main as m; m.build_parser();"
        "import vru_crm.governance.ics, vru_crm.governance.ics_import, vru_crm.governance.agenda;"
        "print('icalendar' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- the lines the export writes itself (vru_crm/governance/ics_writer.py) -----------------

AWKWARD = 'O\'Brien, "Jo"; Zoë: Ørsted 😀 \\ the second'
AWKWARD_NETWORK = 'Parents, Carers; "Voices": Zoë 😀'
AWKWARD_NOTES = "Bring: pens, paper; \\\\server\\share\r\nSecond line\tindented"


@pytest.fixture
def awkward(database):
    network = make_network(database, name=AWKWARD_NETWORK)
    person(database, AWKWARD, network, "chair", email="jo@example.org")
    held = meeting(database, network, at(2019, 6, 4), title=AWKWARD, notes=AWKWARD_NOTES)
    return {"network": network, "meeting": held}


def test_names_with_commas_quotes_colons_and_emoji_read_back_exactly(database, awkward):
    data = build_calendar(database).data
    expected_description = f"Chair: {AWKWARD}\n" + AWKWARD_NOTES.replace("\r\n", "\n")
    strict = _strict(data).events[0]
    assert strict.summary == AWKWARD
    assert [a.common_name for a in strict.attendees] == [AWKWARD]
    assert strict.organizer.common_name == AWKWARD
    # Not checked with `ical`: it splits CATEGORIES on the escaped comma RFC 5545 asks for
    # (icalendar fixed the same in collective/icalendar#1058); icalendar reads it below.
    assert strict.description == expected_description
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == AWKWARD
    assert event["ATTENDEE"].params["CN"] == AWKWARD
    assert event["ORGANIZER"].params["CN"] == AWKWARD
    assert list(event["CATEGORIES"].cats) == [AWKWARD_NETWORK]
    assert str(event["DESCRIPTION"]) == expected_description


@pytest.mark.parametrize("char", ["é", "€", "😀"])
def test_long_descriptions_fold_between_characters_and_unfold_to_the_text(database, char):
    # No network and no agenda: the description is the notes alone, after "DESCRIPTION:"
    # (12 octets), so each meeting puts a multibyte character on a different octet of the fold.
    notes = {
        meeting(database, None, at(2019, 6, 1 + lead), notes="x" * (60 + lead) + char * 50): (
            "x" * (60 + lead) + char * 50
        )
        for lead in range(5)
    }
    data = build_calendar(database).data
    physical = data.split(b"\r\n")
    assert max(len(line) for line in physical) == 75  # folded as late as the RFC allows
    for line in physical:
        assert len(line) <= 75
        line.decode("utf-8")  # no line starts or ends inside a character
    uids = _uids(database)
    strict = _by_uid(_strict(data))
    by_icalendar = {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    for meeting_id, text in notes.items():
        assert strict[uids[meeting_id]].description == text
        assert str(by_icalendar[uids[meeting_id]]["DESCRIPTION"]) == text


@pytest.mark.parametrize("char", ["é", "€", "😀", "👩‍👩‍👧"])
def test_fold_never_splits_a_character_at_any_offset(char):
    from vru_crm.governance.ics_writer import fold

    for lead in range(80):
        line = "DESCRIPTION:" + "x" * lead + char * 40
        physical = fold(line).split(b"\r\n")
        assert all(len(p) <= 75 for p in physical)
        assert all(p.startswith(b" ") for p in physical[1:])
        pieces = [physical[0], *(p[1:] for p in physical[1:])]
        assert [p.decode("utf-8") for p in pieces]  # every piece is whole UTF-8
        assert b"".join(pieces).decode("utf-8") == line


def test_cancelled_meetings_stay_in_the_calendar_as_cancelled(database, prg):
    cancel_meeting(database, prg["october"])
    data = build_calendar(database).data
    uids = _uids(database)
    strict = _by_uid(_strict(data))
    october = strict[uids[prg["october"]]]
    assert october.status.value == "CANCELLED" and october.sequence == 1
    assert len(october.attendees) == 2  # invitees need the cancellation in their calendars
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in Calendar.from_ical(data).walk("VEVENT")}
    assert statuses[uids[prg["october"]]] == statuses[uids[prg["cancelled"]]] == "CANCELLED"
    assert statuses[uids[prg["march"]]] == "CONFIRMED"


def test_meetings_across_the_clock_changes_keep_their_instants(database):
    autumn = meeting(  # 00:30 BST to 03:30 GMT on 27 October 2019: four hours, not three
        database, None, datetime(2019, 10, 26, 23, 30, tzinfo=UTC), hours=4, title="Night watch"
    )
    spring = meeting(  # 00:30 GMT to 03:30 BST on 31 March 2019: two hours, not three
        database, None, datetime(2019, 3, 31, 0, 30, tzinfo=UTC), hours=2, title="Early shift"
    )
    data = build_calendar(database).data
    unfolded = data.replace(b"\r\n ", b"")
    assert b"DTSTART;TZID=Europe/London:20191027T003000\r\n" in unfolded
    assert b"DTEND;TZID=Europe/London:20191027T033000\r\n" in unfolded
    assert b"DTSTART;TZID=Europe/London:20190331T003000\r\n" in unfolded
    assert b"DTEND;TZID=Europe/London:20190331T033000\r\n" in unfolded
    uids = _uids(database)
    strict = _by_uid(_strict(data))
    by_icalendar = {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    for meeting_id, starts, ends in (
        (autumn, datetime(2019, 10, 26, 23, 30, tzinfo=UTC), datetime(2019, 10, 27, 3, 30)),
        (spring, datetime(2019, 3, 31, 0, 30, tzinfo=UTC), datetime(2019, 3, 31, 2, 30)),
    ):
        ends = ends.replace(tzinfo=UTC)
        event = strict[uids[meeting_id]]
        assert (event.dtstart.astimezone(UTC), event.dtend.astimezone(UTC)) == (starts, ends)
        event = by_icalendar[uids[meeting_id]]
        assert event["DTSTART"].dt.astimezone(UTC) == starts
        assert event["DTEND"].dt.astimezone(UTC) == ends


def test_reimporting_an_export_updates_by_uid_and_reads_awkward_names_back(
    database, awkward, tmp_path
):
    from sqlmodel import func, select

    from db.models import Meeting
    from vru_crm.governance.ics_import import import_ics

    def count() -> int:
        with database.session() as s:
            return s.exec(select(func.count(Meeting.id))).one()

    path = tmp_path / "awkward.ics"
    result = export_ics(database, path, series=True)
    assert (result.events, result.series) == (1, 1)
    report = import_ics(database, path)
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 1)
    assert count() == 1  # the cadence series is not imported as a meeting

    update_meeting(database, awkward["meeting"], title="Renamed here")  # SEQUENCE 0 -> 1
    path.write_bytes(path.read_bytes().replace(b"SEQUENCE:0\r\n", b"SEQUENCE:2\r\n"))
    report = import_ics(database, path)
    assert (len(report.created), len(report.updated)) == (0, 1) and count() == 1
    with database.session() as s:
        back = s.get(Meeting, awkward["meeting"])
        assert back.title == AWKWARD and back.sequence == 2
        assert back.uid == _uids(database)[awkward["meeting"]]


def _all_sequences(database) -> dict[str, int]:
    calendar = Calendar.from_ical(build_calendar(database, series=True).data)
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize("rule", [QUARTERLY, "FREQ=MONTHLY;INTERVAL=3"])
def test_recording_held_never_lowers_any_sequence(database, rule):
    """The expected-meetings series' SEQUENCE fell 4 to 3 after a meeting was recorded held
    (it was the network's version plus its EXDATEs, and the series then starts later)."""
    from vru_crm.governance.attendance import record_meeting_held

    network = make_network(database, rule=rule)
    member = person(database, "Lib Peck", network, email="lib.peck@example.org")
    meeting(database, network, at(2019, 1, 29), "held")
    later = [meeting(database, network, at(2019, m, d)) for m, d in ((4, 30), (7, 30), (10, 29))]
    for meeting_id in later:
        before = _all_sequences(database)
        record_meeting_held(database, meeting_id, {member: "present"})
        after = _all_sequences(database)
        assert set(before) <= set(after)
        assert all(after[uid] >= before[uid] for uid in before), (before, after)
        series = next(uid for uid in after if uid.startswith("cadence-"))
        assert after[series] > before[series]
    strict = _strict(build_calendar(database, series=True).data)
    assert len(strict.events) == 5
