"""Importing .ics files into meetings: by UID, all or nothing, per-event messages."""

from datetime import UTC, datetime

import pytest
from governance_data import at, make_network, meeting
from sqlmodel import func, select

from db.models import Meeting
from vru_crm.governance.ics import export_ics
from vru_crm.governance.ics_import import IcsImportError, import_ics
from vru_crm.governance.meetings import update_meeting


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
        _event("allday@example.org", start="20190730"),
        _event("norule@example.org", extra="RRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU"),
        _event("prg-2019-07@example.org", summary="Same UID again"),
        _event("untitled@example.org", summary=""),
    )
    with pytest.raises(IcsImportError) as caught:
        import_ics(database, path)
    lines = str(caught.value).splitlines()
    assert lines[0] == "in.ics has 5 problem(s); nothing was imported:"
    assert lines[1:] == [
        '  event 2 "PRG": it has no UID, so a re-import could not find it again',
        '  event 3 "PRG" (UID allday@example.org): it is an all-day event; a meeting needs a start time',
        '  event 4 "PRG" (UID norule@example.org): it is a repeating event; export the single meetings and import those',
        '  event 5 "Same UID again" (UID prg-2019-07@example.org): the same UID appears twice in the file',
        "  event 6 (UID untitled@example.org): its title (SUMMARY): a title is required",
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
