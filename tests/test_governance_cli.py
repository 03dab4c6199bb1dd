"""The governance commands as a user types them: output, files and exit statuses."""

import json
from datetime import date

import pytest
from governance_data import at, make_network, meeting, set_minutes
from ical.calendar_stream import IcsCalendarStream

from vru_crm.cli.main import main
from vru_crm.governance.actions import create_action


@pytest.fixture
def prg(database):
    network = make_network(database, window=28)
    meeting(database, network, at(2019, 1, 29), "held")
    may = meeting(database, network, at(2019, 5, 1), "held")
    set_minutes(database, may, "draft")
    create_action(
        database,
        "Share the commissioning principles",
        owner="VRU Director",
        due_date=date(2019, 6, 1),
        meeting_id=may,
    )
    july = meeting(database, network, at(2019, 7, 30))
    return {"network": network, "may": may, "july": july}


def run(database, *args) -> int:
    """The exit status, as a shell would see it (argparse exits by itself on usage errors)."""
    try:
        return main(["--db", database.url, *args])
    except SystemExit as exit_:
        return exit_.code


def test_cadence_prints_each_networks_figures(database, prg, capsys):
    assert run(database, "cadence", "--as-of", "2019-06-10") == 0
    out = capsys.readouterr().out
    assert "Partnership Reference Group" in out
    assert "Last held:        Wed 01 May 2019" in out
    assert "Next due:         Tue 30 Jul 2019  (next scheduled Tue 30 Jul 2019)" in out
    assert "Last 12 months:   2 expected, 2 held, 0 cancelled" in out
    assert "LATE 12 days: minutes of Wed 01 May 2019 (draft; due Wed 29 May 2019)" in out


def test_cadence_json(database, prg, capsys):
    assert (
        run(
            database,
            "cadence",
            "--network",
            "partnership reference group",
            "--as-of",
            "10/08/2019",
            "--json",
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    row = data["networks"][0]
    assert data["as_of"] == "2019-08-10"
    assert (row["last_held"], row["next_due"], row["overdue"]) == (
        "2019-05-01",
        "2019-07-30",
        False,
    )
    assert [m["held_on"] for m in row["minutes_late"]] == ["2019-01-29", "2019-05-01"]


def test_cadence_usage_and_data_errors(database, prg, capsys):
    assert run(database, "cadence", "--as-of", "31/02/2019") == 2
    assert "is not a real date" in capsys.readouterr().err
    assert run(database, "cadence", "--network", "PGR") == 1
    err = capsys.readouterr().err
    assert 'There is no network called "PGR"' in err and "Traceback" not in err


def test_export_ics_and_import_it_back(database, prg, tmp_path, capsys):
    path = tmp_path / "prg.ics"
    assert (
        run(
            database,
            "export",
            "ics",
            "--network",
            "Partnership Reference Group",
            "--from",
            "2019-05-01",
            "--to",
            "2019-12-31",
            "-o",
            str(path),
        )
        == 0
    )
    assert "Wrote 2 meetings" in capsys.readouterr().out
    calendar = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    assert [e.dtstart.date() for e in calendar.events] == [date(2019, 5, 1), date(2019, 7, 30)]
    assert run(database, "import-ics", str(path), "--dry-run") == 0
    assert "Meetings would be: 0 new, 0 updated, 2 unchanged." in capsys.readouterr().out
    assert (
        run(
            database,
            "export",
            "ics",
            "--from",
            "2019-05-01",
            "--to",
            "2019-01-01",
            "-o",
            str(tmp_path / "x.ics"),
        )
        == 2
    )


def test_import_ics_problems_exit_1_with_each_event_named(database, prg, tmp_path, capsys):
    path = tmp_path / "bad.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        "SUMMARY:PRG\r\nUID:prg-1@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert run(database, "import-ics", str(path)) == 1
    err = capsys.readouterr().err
    # An event without a UID is taken with one made from its content; one with
    # no start cannot be a meeting.
    assert 'event 1 "PRG"' in err and "it has no start time (DTSTART)" in err
    assert "no event that could be imported" in err


def test_agenda_command_builds_and_writes_markdown(database, prg, tmp_path, capsys):
    path = tmp_path / "july.md"
    assert run(database, "agenda", str(prg["july"]), "-o", str(path)) == 0
    assert "Wrote the agenda" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert "Share the commissioning principles (VRU Director; due 01/06/2019" in text
    assert "Minutes of the meeting of Wednesday 1 May 2019" in text


def test_agenda_command_errors(database, prg, tmp_path, capsys):
    assert run(database, "agenda", str(prg["july"]), "-o", str(tmp_path / "a.docx")) == 2
    assert ".html, .md or .pdf" in capsys.readouterr().err
    assert run(database, "agenda", "999", "-o", str(tmp_path / "a.md")) == 1
    assert "There is no meeting with id 999." in capsys.readouterr().err
    assert not list(tmp_path.glob("a.*"))
