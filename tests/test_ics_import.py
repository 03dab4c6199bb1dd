"""Importing .ics files into meetings: by UID, all or nothing, per-event messages;
repeating events as one meeting per date, all-day events as whole London days."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from governance_data import at, make_network, meeting
from sqlmodel import func, select

from db.models import Meeting
from vru_crm.governance.ics import export_ics
from vru_crm.governance.ics_import import IcsImportError, import_calendar, import_ics
from vru_crm.governance.ics_series import Window
from vru_crm.governance.meetings import update_meeting
from vru_crm.london import LONDON, london


def _count(database) -> int:
    with database.session() as s:
        return s.exec(select(func.count(Meeting.id))).one()


def _meeting(database, uid: str) -> Meeting:
    with database.session() as s:
        return s.exec(select(Meeting).where(Meeting.uid == uid)).one()


def _event(
    uid="prg-2019-07@example.org",
    summary="PRG",
    start="20190730T100000",
    extra="",
    end="20190730T120000",
):
    lines = [
        f"UID:{uid}" if uid else "",
        f"SUMMARY:{summary}" if summary else "",
        (f"DTSTART;TZID=Europe/London:{start}" if "T" in start else f"DTSTART;VALUE=DATE:{start}")
        if start
        else "",
        f"DTEND;TZID=Europe/London:{end}" if end and "T" in start else "",
        "DTSTAMP:20190701T000000Z",
        extra,
    ]
    return "BEGIN:VEVENT\r\n" + "".join(f"{x}\r\n" for x in lines if x) + "END:VEVENT\r\n"


def _file(tmp_path, *events, name="in.ics"):
    path = tmp_path / name
    body = "".join(events)
    path.write_bytes(
        (
            f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n"
        ).encode()
    )
    return path


def test_reimport_of_an_export_updates_instead_of_duplicating(database, tmp_path):
    prg = make_network(database)
    held = meeting(database, prg, at(2019, 5, 1), "held")
    planned = meeting(database, prg, at(2019, 7, 30))
    path = tmp_path / "prg.ics"
    export_ics(database, path)
    report = import_ics(database, path)
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 2)
    assert _count(database) == 2

    text = path.read_text(encoding="utf-8").replace("20190730T100000", "20190730T140000")
    text = text.replace("20190730T120000", "20190730T160000")
    text = text.replace("SEQUENCE:0", "SEQUENCE:3")
    path.write_text(text, encoding="utf-8", newline="")
    report = import_ics(database, path)
    assert len(report.updated) == 1 and _count(database) == 2
    with database.session() as s:
        moved = s.get(Meeting, planned)
        assert moved.starts_at == datetime(2019, 7, 30, 13, tzinfo=UTC)  # 14:00 BST
        assert moved.sequence == 3
        assert s.get(Meeting, held).status == "held"  # an import never "un-holds" a meeting


def test_new_events_are_created_in_the_named_network_and_keep_their_uid(database, tmp_path):
    make_network(database)
    path = _file(
        tmp_path,
        _event(),
        _event(
            "other@example.org",
            "Charities network forum",
            "20191105T140000",
            "STATUS:CANCELLED\r\nLOCATION:City Hall",
            end=None,
        ),
    )
    report = import_ics(database, path, network="partnership reference group")
    assert len(report.created) == 2
    july = _meeting(database, "prg-2019-07@example.org")
    assert july.network_id is not None and july.starts_at == datetime(2019, 7, 30, 9, tzinfo=UTC)
    forum = _meeting(database, "other@example.org")
    assert forum.status == "cancelled" and forum.location == "City Hall"
    assert forum.ends_at == forum.starts_at  # no DTEND: RFC 5545 says it ends as it starts


def test_bad_events_are_each_reported_and_nothing_is_written(database, tmp_path):
    make_network(database)
    path = _file(
        tmp_path,
        _event(),  # fine on its own
        _event(uid=""),
        _event(
            "allday@example.org",
            start="20190730",
            extra="DTEND;TZID=Europe/London:20190730T120000",
        ),
        _event("norule@example.org", extra="RRULE:FREQ=FORTNIGHTLY;BYDAY=TU"),
        _event("prg-2019-07@example.org", summary="Same UID again"),
        _event("untitled@example.org", summary=""),
    )
    with pytest.raises(IcsImportError) as caught:
        import_ics(database, path)
    lines = str(caught.value).splitlines()
    # no UID (event 2) and no title (event 6) are taken as a calendar program takes them
    assert lines[0] == (
        "in.ics has 3 problem(s); nothing was imported (--skip-invalid imports the other events):"
    )
    assert lines[1:] == [
        '  event 3 "PRG" (UID allday@example.org): it starts on a date without a time but its '
        "end (DTEND) has a time",
        '  event 4 "PRG" (UID norule@example.org): its repeat rule (RRULE) could not be read: '
        "FREQ=FORTNIGHTLY;BYDAY=TU",
        '  event 5 "Same UID again" (UID prg-2019-07@example.org): the same UID appears twice '
        "in the file (event 1 has it too)",
    ]
    assert _count(database) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no events"),
        (b"hello, this is a letter", "not a readable iCalendar file"),
    ],
)
def test_files_that_are_not_calendars_are_refused_in_words(database, tmp_path, content, message):
    path = tmp_path / "x.ics"
    path.write_bytes(content)
    with pytest.raises(IcsImportError, match=message):
        import_ics(database, path)


def test_dry_run_reports_and_writes_nothing(database, tmp_path):
    make_network(database)
    report = import_ics(database, _file(tmp_path, _event()), dry_run=True)
    assert report.dry_run and len(report.created) == 1
    assert "would be: 1 new" in report.summary()
    assert _count(database) == 0


def test_an_older_copy_does_not_overwrite_a_newer_one(database, tmp_path):
    prg = make_network(database)
    planned = meeting(database, prg, at(2019, 7, 30))
    path = tmp_path / "old.ics"
    export_ics(database, path)
    update_meeting(database, planned, location="City Hall")
    report = import_ics(database, path)
    assert len(report.skipped) == 1 and "older" in report.skipped[0]
    with database.session() as s:
        assert s.get(Meeting, planned).location == "City Hall"


# --- files as calendar programs write them: repeating and all-day events -------------------

THUNDERBIRD_LONDON = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
END:VTIMEZONE
"""

OUTLOOK_LONDON = """BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
"""

FORUM = "3f1c2a90-7d1e-4c55-9a4b-parent-carer-forum"


def _calendar(tmp_path, text: str, name: str = "calendar.ics"):
    """A file as a calendar program writes it: CRLF line ends, UTF-8."""
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def _thunderbird_forum(tmp_path, *, sequence=0, exdates=("20250319T100000",), moved="140000"):
    """A weekly forum, 7 Wednesdays from 5 March 2025: one date left out (EXDATE), the
    26 March one moved to Thursday afternoon, the 9 April one cancelled (written with an
    empty title, as Google writes cancelled dates)."""
    exdate_lines = "".join(f"EXDATE;TZID=Europe/London:{day}\n" for day in exdates)
    end = f"{int(moved[:2]) + 1:02d}3000"
    return _calendar(
        tmp_path,
        f"""BEGIN:VCALENDAR
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
VERSION:2.0
{THUNDERBIRD_LONDON}BEGIN:VEVENT
CREATED:20250201T120000Z
LAST-MODIFIED:20250201T120000Z
DTSTAMP:20250201T120000Z
UID:{FORUM}
SUMMARY:Parent/carer network forum
RRULE:FREQ=WEEKLY;COUNT=7
{exdate_lines}DTSTART;TZID=Europe/London:20250305T100000
DTEND;TZID=Europe/London:20250305T113000
LOCATION:Online
SEQUENCE:{sequence}
END:VEVENT
BEGIN:VEVENT
DTSTAMP:20250201T120000Z
UID:{FORUM}
SUMMARY:Parent/carer network forum
RECURRENCE-ID;TZID=Europe/London:20250326T100000
DTSTART;TZID=Europe/London:20250327T{moved}
DTEND;TZID=Europe/London:20250327T{end}
LOCATION:Community Centre\\, Brixton
SEQUENCE:{sequence + 1}
END:VEVENT
BEGIN:VEVENT
DTSTAMP:20250201T120000Z
UID:{FORUM}
SUMMARY:
RECURRENCE-ID;TZID=Europe/London:20250409T100000
DTSTART;TZID=Europe/London:20250409T100000
DTEND;TZID=Europe/London:20250409T113000
STATUS:CANCELLED
SEQUENCE:{sequence + 1}
END:VEVENT
END:VCALENDAR
""",
    )


def _forum_meetings(database) -> dict[str, Meeting]:
    with database.session() as s:
        query = select(Meeting).where(Meeting.uid.startswith(FORUM)).order_by(Meeting.starts_at)
        return {m.uid.removeprefix(FORUM + "/"): m for m in s.exec(query)}


SPRING_2025 = Window(today=date(2025, 3, 1))


def test_a_weekly_series_becomes_one_meeting_per_date_and_a_reimport_updates_them(
    database, tmp_path
):
    path = _thunderbird_forum(tmp_path)
    report = import_calendar(database, path, window=SPRING_2025)
    forum = _forum_meetings(database)
    # 5, 12 March (GMT), 26 March moved to the 27th, 2 and 16 April (BST); 19 March left out
    # and 9 April cancelled, so neither becomes a meeting
    assert list(forum) == [
        "20250305T100000Z",
        "20250312T100000Z",
        "20250326T100000Z",
        "20250402T090000Z",
        "20250416T090000Z",
    ]
    moved = forum["20250326T100000Z"]
    assert moved.starts_at == datetime(2025, 3, 27, 14, tzinfo=UTC)
    assert moved.location == "Community Centre, Brixton"
    assert forum["20250402T090000Z"].starts_at == datetime(2025, 4, 2, 9, tzinfo=UTC)  # 10:00 BST
    assert len(report.created) == 5 and report.not_added == 1
    lines = report.summary().splitlines()
    assert lines[0] == "Meetings were: 5 new, 0 updated, 0 unchanged."
    assert "5 of them are the dates of 1 repeating event, one meeting per date." in lines
    assert (
        "Not added: 1 cancelled date(s) of repeating events (there was no meeting here to "
        "cancel)." in lines
    )

    again = import_calendar(database, path, window=SPRING_2025)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 5)
    assert _count(database) == 5


def test_a_changed_series_cancels_a_left_out_date_and_moves_a_changed_one(database, tmp_path):
    import_calendar(database, _thunderbird_forum(tmp_path), window=SPRING_2025)
    ids = {slot: m.id for slot, m in _forum_meetings(database).items()}
    # The organiser leaves out 2 April too and moves the 27 March meeting to 15:00;
    # Thunderbird bumps SEQUENCE on both.
    changed = _thunderbird_forum(
        tmp_path, sequence=1, exdates=("20250319T100000", "20250402T100000"), moved="150000"
    )
    report = import_calendar(database, changed, window=SPRING_2025)
    assert len(report.created) == 0 and len(report.updated) == 1
    assert report.cancelled == ['"Parent/carer network forum" (02/04/2025 10:00)']
    assert "Meetings were: 0 new, 1 updated, 3 unchanged, 1 cancelled." in report.summary()
    forum = _forum_meetings(database)
    assert {slot: m.id for slot, m in forum.items()} == ids  # the same meetings, none added
    assert forum["20250402T090000Z"].status == "cancelled"  # kept, with its history
    assert forum["20250326T100000Z"].starts_at == datetime(2025, 3, 27, 15, tzinfo=UTC)
    assert _count(database) == 5

    again = import_calendar(database, changed, window=SPRING_2025)
    assert (len(again.created), len(again.updated), len(again.cancelled)) == (0, 0, 0)
    assert len(again.unchanged) == 4 and _count(database) == 5


def test_a_cancelled_date_of_a_series_cancels_its_meeting_and_a_held_one_stays_held(
    database, tmp_path
):
    path = _thunderbird_forum(tmp_path, exdates=())
    import_calendar(database, path, window=SPRING_2025)
    march_19 = _forum_meetings(database)["20250319T100000Z"]
    update_meeting(database, march_19.id, status="held")
    # A file without the 9 April cancellation: that meeting is made, then cancelled by the
    # next file's STATUS:CANCELLED; the held 19 March one is left out but stays held.
    path.write_bytes(path.read_bytes().replace(b"STATUS:CANCELLED\r\n", b""))
    import_calendar(database, path, window=SPRING_2025)
    april_9 = _forum_meetings(database)["20250409T090000Z"]
    assert (april_9.status, april_9.title) == ("planned", "Parent/carer network forum")
    later = _thunderbird_forum(tmp_path, sequence=1, exdates=("20250319T100000",))
    report = import_calendar(database, later, window=SPRING_2025)
    forum = _forum_meetings(database)
    assert forum["20250409T090000Z"].status == "cancelled"
    assert forum["20250319T100000Z"].status == "held"
    assert len(report.cancelled) == 0 and _count(database) == 7


def test_a_later_start_date_leaves_earlier_meetings_of_the_series_alone(database, tmp_path):
    import_calendar(database, _thunderbird_forum(tmp_path, exdates=()), window=SPRING_2025)
    # Read from 1 April on, a file that leaves out 12 March and 2 April: only April's
    # meeting is cancelled; 12 March is before the window, so it is not touched.
    changed = _thunderbird_forum(
        tmp_path, sequence=1, exdates=("20250312T100000", "20250402T100000")
    )
    since_april = Window(since=date(2025, 4, 1), today=date(2025, 3, 1))
    report = import_calendar(database, changed, window=since_april)
    assert report.cancelled == ['"Parent/carer network forum" (02/04/2025 10:00)']
    assert len(report.unchanged) == 1  # 16 April; 9 April is cancelled in both files
    forum = _forum_meetings(database)
    assert forum["20250312T100000Z"].status == "planned"
    assert forum["20250402T090000Z"].status == "cancelled"


def test_a_monthly_second_tuesday_series_from_outlook_keeps_10_london_across_bst(
    database, tmp_path
):
    make_network(database, name="NHS steering group", rule=None)
    path = _calendar(
        tmp_path,
        f"""BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-MS-OLK-FORCEINSPECTOROPEN:TRUE
{OUTLOOK_LONDON}BEGIN:VEVENT
CATEGORIES:NHS steering group
CLASS:PUBLIC
CREATED:20241201T093000Z
DTEND;TZID="GMT Standard Time":20250114T113000
DTSTAMP:20241201T093000Z
DTSTART;TZID="GMT Standard Time":20250114T100000
LAST-MODIFIED:20241201T093000Z
LOCATION:Room 4.12\\, City Hall
PRIORITY:5
RRULE:FREQ=MONTHLY;UNTIL=20250513T090000Z;INTERVAL=1;BYDAY=2TU;WKST=MO
SEQUENCE:0
SUMMARY;LANGUAGE=en-gb:NHS steering group
TRANSP:OPAQUE
UID:040000008200E00074C5B7101A82E00800000000C0A1B2C3D4E5DB01000000000000000010000000
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
END:VEVENT
END:VCALENDAR
""",
    )
    report = import_calendar(database, path, window=Window(today=date(2025, 1, 1)))
    assert len(report.created) == 5 and report.cut == []
    with database.session() as s:
        meetings = list(s.exec(select(Meeting).order_by(Meeting.starts_at)))
        assert [london(m.starts_at).strftime("%a %d %b %H:%M") for m in meetings] == [
            "Tue 14 Jan 10:00",
            "Tue 11 Feb 10:00",
            "Tue 11 Mar 10:00",
            "Tue 08 Apr 10:00",  # BST from 30 March: 09:00 UTC
            "Tue 13 May 10:00",
        ]
        assert meetings[3].starts_at == datetime(2025, 4, 8, 9, tzinfo=UTC)
        assert meetings[3].uid.endswith("/20250408T090000Z")
        assert {m.network_id for m in meetings} != {None}  # CATEGORIES names the network
        assert all(m.location == "Room 4.12, City Hall" for m in meetings)


GOOGLE_WEEKLY = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:VRU partnership
X-WR-TIMEZONE:Europe/London
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20250107T100000
DTEND;TZID=Europe/London:20250107T110000
RRULE:FREQ=WEEKLY;BYDAY=TU
DTSTAMP:20241220T101010Z
UID:7kukuqrfedlm2f9t0vr42q2p0k@google.com
CREATED:20241220T100000Z
LAST-MODIFIED:20241220T100000Z
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Youth practitioners' check-in
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
"""


def test_a_series_without_an_end_is_cut_at_the_horizon_and_grows_on_a_later_import(
    database, tmp_path
):
    path = _calendar(tmp_path, GOOGLE_WEEKLY)
    report = import_calendar(database, path, window=Window(today=date(2025, 1, 1)))
    assert len(report.created) == 78  # every Tuesday from 7 Jan 2025 to 30 Jun 2026
    with database.session() as s:
        last = s.exec(select(func.max(Meeting.starts_at))).one()
    assert london(last) == datetime(2026, 6, 30, 10, tzinfo=LONDON)
    assert report.cut == [
        'event 1 "Youth practitioners\' check-in" (UID 7kukuqrfedlm2f9t0vr42q2p0k@google.com): '
        "it repeats beyond 01/07/2026 (18 months ahead); the later dates were not imported "
        "(import the file again nearer the time)"
    ]
    assert "Cut short: event 1" in report.summary()

    later = import_calendar(database, path, window=Window(today=date(2025, 7, 1)))
    assert (len(later.created), len(later.unchanged)) == (26, 78)
    assert _count(database) == 104


def test_a_long_series_keeps_its_last_dates_up_to_the_limit(database, tmp_path):
    path = _calendar(tmp_path, GOOGLE_WEEKLY)
    report = import_calendar(database, path, window=Window(today=date(2025, 1, 1), limit=10))
    assert len(report.created) == 10
    with database.session() as s:
        first = s.exec(select(func.min(Meeting.starts_at))).one()
    assert london(first).date() == date(2026, 4, 28)
    assert (
        "only its last 10 dates (from 28/04/2026) were imported; the 68 earlier" in (report.cut[0])
    )


def test_all_day_events_last_their_whole_london_days(database, tmp_path):
    path = _calendar(
        tmp_path,
        f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
X-WR-TIMEZONE:Europe/London
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250506
DTEND;VALUE=DATE:20250507
DTSTAMP:20250401T000000Z
UID:away-day@google.com
SUMMARY:Partnership away day
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250624
DTEND;VALUE=DATE:20250626
DTSTAMP:20250401T000000Z
UID:conference@google.com
SUMMARY:VRU conference
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20251201
DTSTAMP:20250401T000000Z
UID:no-end@example.org
SUMMARY:Winter forum
END:VEVENT
{_event().replace(chr(13), "")}END:VCALENDAR
""",
    )
    report = import_ics(database, path)
    assert len(report.created) == 4 and report.all_day == 3
    assert (
        "3 of them came from all-day events and last the whole day (00:00 to 00:00, London time)."
        in report.summary().splitlines()
    )
    away = _meeting(database, "away-day@google.com")
    assert away.starts_at == datetime(2025, 5, 6, tzinfo=LONDON)  # 23:00 UTC on the 5th (BST)
    assert away.ends_at == datetime(2025, 5, 7, tzinfo=LONDON)
    conference = _meeting(database, "conference@google.com")
    assert conference.ends_at - conference.starts_at == timedelta(days=2)
    winter = _meeting(database, "no-end@example.org")
    assert (winter.starts_at, winter.ends_at) == (
        datetime(2025, 12, 1, tzinfo=UTC),
        datetime(2025, 12, 2, tzinfo=UTC),
    )


def test_one_broken_event_among_good_series_imports_nothing_and_is_named(database, tmp_path):
    path = _calendar(
        tmp_path,
        GOOGLE_WEEKLY.replace(
            "END:VEVENT\n",
            """END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20250108T150000
DTEND;TZID=Europe/London:20250108T140000
RRULE:FREQ=MONTHLY;BYDAY=2WE
DTSTAMP:20241220T101010Z
UID:backwards@google.com
SUMMARY:Steering group
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20250108T150000
RRULE:FREQ=MINUTELY
DTSTAMP:20241220T101010Z
UID:minutely@google.com
SUMMARY:Typo
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20100101T090000
RRULE:FREQ=DAILY
DTSTAMP:20241220T101010Z
UID:daily@google.com
SUMMARY:Stand-up
END:VEVENT
""",
        ),
        name="team.ics",
    )
    with pytest.raises(IcsImportError) as caught:
        import_calendar(database, path, window=Window(today=date(2025, 1, 1)))
    assert str(caught.value).splitlines() == [
        "team.ics has 3 problem(s); nothing was imported (--skip-invalid imports the other "
        "events):",
        '  event 2 "Steering group" (UID backwards@google.com): its end: the meeting ends '
        "before it starts",
        '  event 3 "Typo" (UID minutely@google.com): it repeats more than once a day '
        "(FREQ=MINUTELY), far too often for meetings; check its repeat rule",
        '  event 4 "Stand-up" (UID daily@google.com): it repeats more than 5,000 times before '
        "01/07/2026, far too often for meetings; check its repeat rule",
    ]
    assert _count(database) == 0


def test_our_own_export_with_cadence_series_round_trips(database, tmp_path):
    prg = make_network(database)
    meeting(database, prg, at(2019, 5, 1), "held")
    meeting(database, prg, at(2019, 7, 30))
    path = tmp_path / "prg.ics"
    assert export_ics(database, path, series=True).series == 1
    report = import_ics(database, path)
    assert (len(report.created), len(report.unchanged), report.series) == (0, 2, 0)
    assert report.skipped == ["1 expected-dates series (not meetings)"]
    assert _count(database) == 2


def test_the_command_line_prints_the_series_lines(database, tmp_path, capsys):
    from vru_crm.cli.main import main

    path = _thunderbird_forum(tmp_path)  # ends in April 2025, well before any horizon
    assert main(["--db", database.url, "import-ics", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Meetings would be: 5 new, 0 updated, 0 unchanged." in out
    assert "5 of them are the dates of 1 repeating event, one meeting per date." in out
    assert _count(database) == 0
    broken = _calendar(tmp_path, GOOGLE_WEEKLY.replace("RRULE:FREQ=WEEKLY", "RRULE:FREQ=WEAKLY"))
    assert main(["--db", database.url, "import-ics", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "its repeat rule (RRULE) could not be read: FREQ=WEAKLY;BYDAY=TU" in err
    assert "Traceback" not in err


# --- files from real programs, imitated (tests/fixtures/ics_own, README there) ---------------
# Each file is our own, written to have the structure a real program's file had when issue
# 14 fed it to the import; test_ics_corpus.py runs the public files themselves when present.

OWN = Path(__file__).parent / "fixtures" / "ics_own"


def _all_meetings(database) -> list[Meeting]:
    with database.session() as s:
        return list(s.exec(select(Meeting).order_by(Meeting.starts_at, Meeting.uid)))


def test_a_line_the_reader_cannot_split_is_named_in_words_never_a_traceback(database):
    # "DTSTART;;VALUE=DATE-TIME:..." (once 'NoneType' object has no attribute 'upper')
    with pytest.raises(IcsImportError) as caught:
        import_ics(database, OWN / "broken_start_line.ics")
    assert str(caught.value).splitlines()[1] == (
        '  event 1 "Steering group with a mistyped start" (UID broken-start@vru-crm.test): its '
        'start (DTSTART) could not be read: "DTSTART;;VALUE=DATE-TIME:20250409T093000"'
    )
    # as Trumba wrote one: a description's folded line lost its leading space; the event
    # comes in, and the report says the line was left out
    report = import_ics(database, OWN / "trumba_lost_fold.ics", dry_run=True)
    assert len(report.created) == 1
    assert 'a line that could not be read was left out: "Street"' in report.summary()


def test_an_event_with_two_start_lines_is_named_in_words(database):
    # once 'list' object has no attribute 'dt'
    with pytest.raises(IcsImportError) as caught:
        import_ics(database, OWN / "two_start_lines.ics")
    assert str(caught.value).splitlines()[1] == (
        '  event 1 "Borough leads call" (UID two-starts@vru-crm.test): it has 2 starts '
        "(DTSTART lines), where an event has one"
    )


def test_skip_invalid_imports_the_good_events_and_lists_the_others(database, capsys):
    from vru_crm.cli.main import main

    path = OWN / "khal_shared_uid.ics"  # as khal's: events 2 and 3 share a UID
    with pytest.raises(IcsImportError, match="--skip-invalid imports the other events"):
        import_ics(database, path)
    assert _count(database) == 0
    report = import_ics(database, path, skip_invalid=True)
    assert len(report.created) == 2
    assert report.invalid == [
        'event 3 "Data group (saved again)" (UID data-group@vru-crm.test): the same UID appears '
        "twice in the file (event 2 has it too)"
    ]
    assert "Not imported: 1 event(s) with problems" in report.summary()
    # the command line: the good events are written, and the exit status says one was not
    assert main(["import-ics", str(path), "--skip-invalid", "--db", database.url]) == 1
    out = capsys.readouterr().out
    assert "0 new, 0 updated, 2 unchanged" in out and 'event 3 "Data group (saved again)"' in out


def test_events_without_uid_get_a_stable_one_so_a_reimport_matches_them(database):
    # as calcurse's own export: no UID at all (Thunderbird's test files have none either);
    # a weekly series over the spring clock change, a one-off and a 24-hour event
    path = OWN / "calcurse_no_uid.ics"
    window = Window(today=date(2025, 3, 1))
    first = import_calendar(database, path, window=window)
    assert len(first.created) > 3 and first.derived == 3
    assert "3 event(s) had no UID: each was given one made from its start" in first.summary()
    uids = {m.uid for m in _all_meetings(database)}
    again = import_calendar(database, path, window=window)
    assert (len(again.created), len(again.updated)) == (0, 0)
    assert {m.uid for m in _all_meetings(database)} == uids


def test_events_without_a_title_are_called_no_title(database):
    # as Google wrote them: two untitled, UID-less daily series of whole days; the second
    # one's empty EXDATE is its problem alone
    report = import_ics(database, OWN / "google_untitled.ics", skip_invalid=True)
    assert len(report.created) == 6 and report.untitled == 6
    assert {m.title for m in _all_meetings(database)} == {"(no title)"}
    assert report.invalid == ["event 2: its left-out dates (EXDATE) could not be read: it is empty"]


def test_a_url_that_is_not_a_web_address_is_left_out_with_a_note(database):
    # as icalendar-ruby (a Discourse forum) writes: the site's path as each event's URL
    report = import_ics(database, OWN / "discourse_site_path_url.ics")
    assert len(report.created) == 2
    assert {m.online_url for m in _all_meetings(database)} == {None}
    assert sum("its URL was left out" in note for note in report.notes) == 2


def test_a_floating_time_under_x_wr_timezone_is_in_that_zone_for_one_off_events_too(database):
    # as Google writes: times without a zone, the calendar's zone in X-WR-TIMEZONE
    import_calendar(
        database, OWN / "google_x_wr_timezone.ics", window=Window(today=date(2025, 1, 1))
    )
    starts = {m.uid: m.starts_at for m in _all_meetings(database)}
    assert starts["eurocities-once@vru-crm.test"] == datetime(2025, 1, 15, 19, tzinfo=UTC)  # CET
    assert starts["eurocities-weekly@vru-crm.test/20250115T190000Z"] == datetime(
        2025, 1, 15, 19, tzinfo=UTC
    )


def test_reimporting_a_time_in_the_repeated_autumn_hour_changes_nothing(database):
    # 01:30 on 27 October 2024 happens twice in London; Thunderbird writes it with its TZID
    path = OWN / "thunderbird_autumn_hour.ics"
    assert len(import_ics(database, path).created) == 1
    for _ in range(2):
        again = import_ics(database, path)
        assert (len(again.updated), len(again.unchanged), again.skipped) == (0, 1, [])
    (briefing,) = _all_meetings(database)
    assert briefing.sequence == 0
    assert briefing.starts_at == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # the first 01:30 (BST)


def test_this_and_future_changes_are_said_once_and_every_date_keeps_its_own_uid(database):
    # RANGE=THISANDFUTURE once gave a line "its UID is also that of a date of event 2" for
    # every later date; here two such changes, one single-date change and an RDATE
    path = OWN / "this_and_future.ics"
    window = Window(today=date(2024, 9, 1))
    report = import_calendar(database, path, window=window)
    assert len(report.created) == 16
    assert [note.split(": ", 1)[1] for note in report.notes] == [
        "from 13/09/2024 on, its dates follow event 2, a change to that date and all later ones "
        "(RANGE=THISANDFUTURE): 4 date(s) moved with it",
        "from 21/09/2024 on, its dates follow event 4, a change to that date and all later ones "
        "(RANGE=THISANDFUTURE): 5 date(s) moved with it",
    ]
    meetings = {m.uid: m for m in _all_meetings(database)}
    # 23 September 12:00 moved with the 21 September change (+1 day 2h22) to the 24th 14:22
    moved = meetings["youth-panel-series@vru-crm.test/20240923T120000Z"]
    assert moved.starts_at == datetime(2024, 9, 24, 14, 22, tzinfo=UTC)
    # the single-date change stays its own, inside the first change's dates
    evening = meetings["youth-panel-series@vru-crm.test/20240915T120000Z"]
    assert evening.starts_at == datetime(2024, 9, 15, 17, tzinfo=UTC)
    again = import_calendar(database, path, window=window)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 16)


def test_a_lotus_notes_meeting_on_several_dates_keeps_every_date(database):
    # Lotus Notes writes no main event: a THISANDFUTURE change with all dates in its RDATE
    # (periods, in a time zone of its own naming)
    path = OWN / "lotus_notes_rdate_only.ics"
    report = import_calendar(database, path, window=Window(today=date(2021, 10, 1)))
    assert [london(m.starts_at).strftime("%d/%m/%Y %H:%M") for m in _all_meetings(database)] == [
        "03/11/2021 15:00",
        "01/12/2021 15:00",
        "05/01/2022 15:00",
        "02/02/2022 15:00",
    ]
    assert "as Lotus Notes writes a meeting held on several dates: all 4 of them were read" in (
        report.summary()
    )


def test_an_evolution_time_zone_is_read_and_said_in_words_not_warned(database, recwarn):
    report = import_ics(database, OWN / "evolution_tzid.ics")
    assert [str(w.message) for w in recwarn if not issubclass(w.category, ResourceWarning)] == []
    assert report.notes == [
        f'the time zone "/freeassociation.sourceforge.net/Tzfile/Europe/{city}" (as Evolution '
        f"and Thunderbird name zones) was read as Europe/{city}"
        for city in ("London", "Paris")
    ]
    london_leads, paris_call = _all_meetings(database)
    assert london_leads.starts_at == datetime(2025, 6, 24, 12, tzinfo=UTC)  # 13:00 BST
    assert paris_call.starts_at == datetime(2025, 6, 25, 11, tzinfo=UTC)  # 13:00 CEST


def test_a_windows_1252_file_as_thunderbirds_tests_import_is_read_with_a_note(database):
    report = import_ics(database, OWN / "thunderbird_windows_1252.ics")
    assert len(report.created) == 2 and "Windows-1252" in report.notes[0]
    titles = {m.title for m in _all_meetings(database)}
    assert titles == {"Réunion with the café owners", "Budget – £5,000 for summer activities"}
