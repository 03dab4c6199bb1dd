"""``vru-crm meeting …`` as a user types it: output, JSON and exit statuses (0, 1, 2)."""

import json

import pytest
from governance_data import at, person
from icalendar import Calendar

from db.models import Membership, Network, Organisation
from vru_crm.cli.main import main
from vru_crm.governance.attendance import meeting_guests, meeting_members
from vru_crm.governance.meetings import get_meeting

RULE = "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0"


def run(database, *args) -> int:
    """The exit status, as a shell would see it (argparse exits by itself on usage errors)."""
    try:
        return main(["--db", database.url, *args])
    except SystemExit as exit_:
        return exit_.code


@pytest.fixture
def prg(database):
    with database.session() as s:
        network = Network(
            name="Partnership Reference Group",
            short_name="PRG",
            kind="board",
            cadence_rrule=RULE,
            meeting_minutes=90,
            quorum=2,
        )
        s.add(network)
        s.flush()
        organisation = Organisation(name="London Councils", sector="local_authority")
        s.add(organisation)
        s.flush()
        s.add(Membership(network_id=network.id, organisation_id=organisation.id))
        network_id = network.id
    people = {
        "chair": person(database, "Sadiq Khan", network_id, "chair", email="mayor@example.org"),
        "zoe": person(database, "Zoë O'Neil", network_id),
        "lib": person(database, "Lib Peck", network_id),
    }
    return {"network": network_id, **people}


def _add(database, capsys, *args) -> int:
    assert run(database, "meeting", "add", *args) == 0
    return int(capsys.readouterr().out.strip())


def test_add_prints_the_id_and_json_gives_the_record(database, prg, capsys):
    meeting_id = _add(database, capsys, "--network", "prg", "--start", "2019-05-14 10:00")
    record = get_meeting(database, meeting_id)
    assert record.title == "PRG meeting, May 2019" and record.network_id == prg["network"]
    assert record.starts_at == at(2019, 5, 14) and record.ends_at == at(2019, 5, 14, 11, 30)
    assert (
        run(
            database,
            "meeting",
            "add",
            "--event",
            "--start",
            "14/06/2019 18:00",
            "--end",
            "20:30",
            "--title",
            "Youth summit",
            "--location",
            "City Hall",
            "--online-url",
            "www.teams.example/summit",
            "--json",
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["id"] > meeting_id and data["network_id"] is None
    assert data["starts_at"] == "2019-06-14T18:00:00+01:00"
    assert data["ends_at"] == "2019-06-14T20:30:00+01:00"
    assert data["online_url"] == "https://www.teams.example/summit"
    assert (data["title"], data["location"], data["sequence"]) == ("Youth summit", "City Hall", 0)


def test_add_without_start_takes_the_next_expected_slot(database, prg, capsys):
    first = _add(database, capsys, "--network", "Partnership Reference Group")
    second = _add(database, capsys, "--network", "PRG", "--next")
    one, two = get_meeting(database, first), get_meeting(database, second)
    assert (one.starts_at.hour, one.starts_at.weekday()) == (10, 1) and 8 <= one.starts_at.day <= 14
    assert two.starts_at.month == (one.starts_at.month + 2) % 12 + 1  # three months on
    assert one.ends_at - one.starts_at == two.ends_at - two.starts_at


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--event", "--start", "2019-02-30 10:00"], "is not a real date"),
        (["--event", "--start", "2019-02-03 25:00"], "is not a time of day"),
        (["--event", "--start", "tomorrow"], 'write it as "2019-05-14 10:00"'),
        (["--event", "--start", "2019-03-31 01:30"], "the clocks go forward"),
        (["--event"], "an event needs --start"),
        (["--network", "PRG", "--event", "--start", "2019-05-14 10:00"], "not allowed with"),
        (["--start", "2019-05-14 10:00"], "one of the arguments --network --event is required"),
    ],
)
def test_add_usage_errors_exit_2_in_words(database, prg, capsys, args, words):
    assert run(database, "meeting", "add", *args) == 2
    assert words in capsys.readouterr().err


def test_add_data_errors_exit_1(database, prg, capsys):
    assert run(database, "meeting", "add", "--network", "XYZ", "--start", "2019-05-14 10:00") == 1
    assert 'There is no network called "XYZ"' in capsys.readouterr().err
    args = ["--event", "--start", "2019-05-14 10:00", "--end", "09:00"]
    assert run(database, "meeting", "add", *args) == 1
    assert "End: the meeting ends before it starts" in capsys.readouterr().err
    args = ["--event", "--start", "2019-05-14 10:00", "--online-url", "teams"]
    assert run(database, "meeting", "add", *args) == 1
    assert "Online link:" in capsys.readouterr().err


def test_add_next_without_a_cadence_is_explained(database, capsys):
    with database.session() as s:
        s.add(Network(name="Charities network", kind="network"))
    assert run(database, "meeting", "add", "--network", "charities network") == 2
    assert "has no usable cadence" in capsys.readouterr().err


def test_edit_reschedules_keeping_the_length_and_bumps_sequence(database, prg, capsys):
    meeting_id = _add(database, capsys, "--network", "PRG", "--start", "2019-05-14 10:00")
    args = ["meeting", "edit", str(meeting_id), "--start", "2019-05-21 14:00"]
    assert run(database, *args, "--location", "City Hall") == 0
    out = capsys.readouterr().out
    assert "When:     Tue 21 May 2019 14:00 to 15:30 (London)" in out
    assert "Where:    City Hall" in out and "SEQUENCE 1" in out
    assert run(database, "meeting", "edit", str(meeting_id), "--end", "16:00", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ends_at"] == "2019-05-21T16:00:00+01:00" and data["sequence"] == 2
    assert run(database, "meeting", "edit", str(meeting_id), "--network", "none", "--json") == 0
    assert json.loads(capsys.readouterr().out)["network_id"] is None
    assert (
        run(database, "meeting", "edit", str(meeting_id), "--network", "prg", "--chair", "Lib") == 0
    )
    assert get_meeting(database, meeting_id).chair == "Lib"
    capsys.readouterr()


def test_edit_errors(database, prg, capsys):
    meeting_id = _add(database, capsys, "--network", "PRG", "--start", "2019-05-14 10:00")
    assert run(database, "meeting", "edit", str(meeting_id)) == 2
    assert "nothing to change" in capsys.readouterr().err
    assert run(database, "meeting", "edit", str(meeting_id), "--reinstate") == 2
    assert "not cancelled" in capsys.readouterr().err
    assert run(database, "meeting", "edit", "999", "--title", "X") == 1
    assert "There is no meeting with id 999." in capsys.readouterr().err
    assert run(database, "meeting", "edit", str(meeting_id), "--title", " ") == 1
    assert "Title: a title is required" in capsys.readouterr().err
    assert run(database, "meeting", "edit", "abc") == 2


def test_cancel_with_a_reason_then_reinstate(database, prg, capsys):
    meeting_id = _add(database, capsys, "--network", "PRG", "--start", "2019-05-14 10:00")
    assert run(database, "meeting", "cancel", str(meeting_id), "--reason", "Election purdah") == 0
    assert capsys.readouterr().out.strip() == (
        f"Cancelled meeting {meeting_id}, PRG meeting, May 2019 "
        "(Tue 14 May 2019 10:00 to 11:30): Election purdah"
    )
    assert run(database, "meeting", "cancel", str(meeting_id), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["cancel_reason"], data["sequence"]) == ("cancelled", None, 1)
    assert run(database, "meeting", "edit", str(meeting_id), "--reinstate", "--json") == 0
    assert json.loads(capsys.readouterr().out)["status"] == "planned"
    assert run(database, "meeting", "cancel", "999") == 1


def test_held_names_members_any_case_and_accents_the_rest_absent(database, prg, capsys):
    meeting_id = _add(database, capsys, "--network", "PRG", "--start", "2019-05-14 10:00")
    args = ["meeting", "held", str(meeting_id), "--present", "zoe o'neil", "SADIQ KHAN"]
    assert run(database, *args, "--guest", "Ann Visitor") == 0
    assert capsys.readouterr().out.strip() == (
        f"Recorded meeting {meeting_id}, PRG meeting, May 2019, as held: 2 present, "
        "0 apologies, 1 absent, 1 guest; quorum 2: quorate."
    )
    statuses = {m.name: m.status for m in meeting_members(database, meeting_id)}
    assert statuses == {
        "Sadiq Khan": "present",
        "Zoë O'Neil": "present",
        "Lib Peck": "absent",
        "London Councils": None,
    }
    assert meeting_guests(database, meeting_id) == ["Ann Visitor"]
    args = ["meeting", "held", str(meeting_id), "--all-present", "--apologies", "Khan"]
    assert run(database, *args, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    by_name = {a["name"]: a["status"] for a in data["attendance"]}
    assert by_name["Sadiq Khan"] == "apologies" and by_name["Lib Peck"] == "present"
    assert data["guests"] == ["Ann Visitor"] and data["quorum"] == {
        "present": 2,
        "needed": 2,
        "quorate": True,
    }
    assert data["meeting"]["status"] == "held"


def test_held_errors(database, prg, capsys):
    meeting_id = _add(database, capsys, "--network", "PRG", "--start", "2019-05-14 10:00")
    assert run(database, "meeting", "held", str(meeting_id), "--present", "Zoey") == 1
    assert "\"Zoey\" is not a member of this meeting's network; closest: Zoë O'Neil" in (
        capsys.readouterr().err
    )
    assert run(database, "meeting", "held", str(meeting_id), "--present", "london councils") == 1
    assert "is an organisation member" in capsys.readouterr().err
    args = ["meeting", "held", str(meeting_id), "--present", "Lib Peck", "--apologies", "lib peck"]
    assert run(database, *args) == 2
    assert "both present and apologies" in capsys.readouterr().err
    assert run(database, "meeting", "held", str(meeting_id), "--absent", "Lib Peck") == 2
    assert run(database, "meeting", "held", str(meeting_id), "--all-present", "--present", "x") == 2
    capsys.readouterr()
    future = _add(database, capsys, "--network", "PRG", "--start", "2099-05-12 10:00")
    assert run(database, "meeting", "held", str(future), "--all-present") == 1
    assert "This meeting starts on Tuesday 12 May 2099 at 10:00" in capsys.readouterr().err
    assert get_meeting(database, future).status == "planned"


def test_show_and_list(database, prg, capsys):
    may = _add(database, capsys, "--network", "PRG", "--start", "2019-05-14 10:00")
    event = _add(database, capsys, "--event", "--start", "2019-06-14 18:00", "--title", "Summit")
    run(database, "meeting", "held", str(may), "--all-present", "--guest", "Ann Visitor")
    capsys.readouterr()
    assert run(database, "meeting", "show", str(may)) == 0
    out = capsys.readouterr().out
    assert f"Meeting {may}: PRG meeting, May 2019" in out
    assert (
        "Sadiq Khan (chair): present" in out and "London Councils (member, organisation): -" in out
    )
    assert (
        "Guests:   Ann Visitor" in out and "Quorum:   3 members present; quorum 2: quorate" in out
    )
    assert run(database, "meeting", "show", str(may), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["meeting"]["id"] == may and data["agenda"] == []
    assert run(database, "meeting", "show", "999") == 1
    capsys.readouterr()

    assert run(database, "meeting", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{may:>5}  Tue 14 May 2019 10:00  held       Partnership Reference Group: PRG meeting, May 2019",
        f"{event:>5}  Fri 14 Jun 2019 18:00  planned    event: Summit",
    ]
    assert run(database, "meeting", "list", "--network", "prg", "--json") == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)] == [may]
    assert run(database, "meeting", "list", "--from", "2019-06-01", "--to", "30/06/2019") == 0
    assert "Summit" in capsys.readouterr().out
    assert run(database, "meeting", "list", "--from", "2020-01-01") == 0
    assert capsys.readouterr().out.strip() == "No meetings."
    assert run(database, "meeting", "list", "--from", "2019-02-30") == 2
    assert run(database, "meeting", "list", "--from", "2019-06-01", "--to", "2019-05-01") == 2
    assert run(database, "meeting", "list", "--network", "nope") == 1


def test_a_script_on_an_empty_database_reaches_the_calendar(database, prg, capsys, tmp_path):
    meeting_id = _add(database, capsys, "--network", "PRG", "--start", "2019-05-14 10:00")
    assert run(database, "meeting", "held", str(meeting_id), "--all-present") == 0
    path = tmp_path / "prg.ics"
    assert run(database, "export", "ics", "-o", str(path), "--network", "PRG", "--series") == 0
    calendar = Calendar.from_ical(path.read_bytes())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[get_meeting(database, meeting_id).uid]
    assert str(event["SUMMARY"]) == "PRG meeting, May 2019" and int(event["SEQUENCE"]) == 1
