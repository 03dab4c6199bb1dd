"""The governance records' whole journey by script: the PRG with the command line only.

On a new, empty database (no demo), on SQLite and PostgreSQL, a script makes the
PRG with its cadence and standing items, its members, a meeting that has been
held (with attendance and two actions), the next meeting at the time the cadence
expects (whose agenda carries both actions), a Committee letter read from its
text with its ten recommendations, a reply, a closed action, and the calendar,
read back with the ``icalendar`` parser. Every command's exit status is checked.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from main import main
from vru_crm.london import today_in_london

LETTERS = Path(__file__).parent / "fixtures" / "letters"
COMMITTEE = LETTERS / "committee_2020_04_07.md"
PRG = "Partnership Reference Group"


class Script:
    """Runs ``vru-crm --db URL ...`` as a shell script would, keeping each command's output."""

    def __init__(self, url: str, capsys) -> None:
        self.url, self.capsys = url, capsys

    def run(self, *args: str, status: int = 0) -> str:
        try:
            code = main(["--db", self.url, *args])
        except SystemExit as exit_:  # argparse's own usage errors
            code = exit_.code
        out, err = self.capsys.readouterr()
        assert code == status, f"vru-crm {' '.join(args)} -> {code}\n{out}\n{err}"
        return out

    def json(self, *args: str) -> dict | list:
        return json.loads(self.run(*args, "--json"))


def _make_people(script: Script, folder: Path) -> None:
    """An organisation and two people by `add`, a third from the import file a team keeps."""
    out = script.run("organisation", "add", "Hackney CVS", "--sector", "charity")
    assert out.strip()
    for name in ("Sadiq Khan", "Lib Peck"):
        script.run("person", "add", name)
    people = folder / "people.csv"
    people.write_text("name,organisation,role,email\nSophie Linden,,,\n", "utf-8")
    assert "Imported 1 person" in script.run("import", "people", str(people))


def test_the_prg_journey_by_script(db_url, capsys, tmp_path):
    script = Script(db_url, capsys)
    today = today_in_london()
    joined = today - timedelta(days=120)
    held_day = today - timedelta(days=14)

    # The PRG, with its cadence in words and three standing items.
    out = script.run(
        "network",
        "add",
        PRG,
        "--short",
        "PRG",
        "--kind",
        "board",
        "--cadence",
        "quarterly, second Tuesday, 10:00 to 12:00",
        "--quorum",
        "3",
        "--publish-within",
        "28",
        "--standing-item",
        "Welcome and apologies|Chair|5",
        "--standing-item",
        "VRU Director's update|VRU Director|20",
        "--standing-item",
        "Any other business|Chair|10",
    )
    network_id = int(out.strip())
    shown = script.json("network", "show", "prg")
    assert shown["id"] == network_id and shown["short_name"] == "PRG"
    assert shown["cadence_rrule"] == "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0"

    # Its members: people first (made by the commands a new team has), then `network join`.
    _make_people(script, tmp_path)
    for args in (
        ("--person", "Sadiq Khan", "--role", "chair"),
        ("--person", "lib peck"),
        ("--person", "Sophie Linden"),
        ("--organisation", "Hackney CVS", "--represents", "Hackney's charities"),
    ):
        out = script.run("network", "join", "PRG", *args, "--from", joined.isoformat())
        assert "joined Partnership Reference Group (PRG)" in out
    members = script.json("network", "show", "PRG")["members"]
    assert {m["name"] for m in members if m["current"]} == {
        "Sadiq Khan",
        "Lib Peck",
        "Sophie Linden",
        "Hackney CVS",
    }
    script.run("network", "join", "PRG", "--person", "Sadiq Khan", status=1)  # already a member

    # A meeting that has started (two weeks ago), its agenda, then recorded held.
    past_id = int(
        script.run("meeting", "add", "--network", "PRG", "--start", f"{held_day} 10:00").strip()
    )
    agenda_md = tmp_path / "agenda.md"
    out = script.run("agenda", str(past_id), "-o", str(agenda_md))
    assert agenda_md.is_file() and "Wrote the agenda" in out
    text = agenda_md.read_text("utf-8")
    assert "1. **Welcome and apologies**" in text and "VRU Director's update" in text
    held = script.json("meeting", "held", str(past_id), "--all-present", "--apologies", "Lib Peck")
    assert held, "the attendance is printed"
    shown = script.json("meeting", "show", str(past_id))
    assert shown["meeting"]["status"] == "held"
    assert {a["name"]: a["status"] for a in shown["attendance"] if a["status"]} == {
        "Sadiq Khan": "present",
        "Lib Peck": "apologies",
        "Sophie Linden": "present",
    }

    # Two actions raised at it, owners by name (a person, a team).
    first = script.json(
        "action", "add", "--meeting", str(past_id), "--owner", "Sophie Linden",
        "Circulate the work programme",
    )  # fmt: skip
    second = script.json(
        "action", "add", "--meeting", str(past_id), "--owner", "hackney cvs",
        "--due", (today + timedelta(days=30)).isoformat(), "Map community stakeholders",
    )  # fmt: skip
    assert (first["owner"], first["owner_kind"]) == ("Sophie Linden", "person")
    assert (second["owner"], second["owner_kind"]) == ("Hackney CVS", "organisation")
    script.run("action", "add", "--meeting", str(past_id), "--owner", "Nobody Atall", "x", status=1)

    # The next meeting, at the slot the cadence expects; its agenda carries both actions.
    nxt = script.json("meeting", "add", "--network", "PRG")
    assert nxt["network_id"] == network_id and nxt["starts_at"][11:16] in ("10:00", "09:00")
    assert date.fromisoformat(nxt["starts_at"][:10]) > held_day
    next_md = tmp_path / "next.md"
    script.run("agenda", str(nxt["id"]), "-o", str(next_md))
    text = next_md.read_text("utf-8")
    assert "Matters arising" in text
    assert "Circulate the work programme (Sophie Linden" in text
    assert "Map community stakeholders (Hackney CVS" in text
    assert "VRU Director's update" in text and "1. **Welcome and apologies**" in text
    assert text.index("Matters arising") < text.index("Any other business")  # AOB closes

    # The Committee's letter, read from its text: ten recommendations.
    letter = script.json(
        "letter",
        "add",
        "--from",
        "Police and Crime Committee",
        "--date",
        "2020-04-07",
        "--text-file",
        str(COMMITTEE),
    )
    recs = {r["number"]: r for r in letter["recommendations"]}
    assert sorted(recs) == list(range(1, 11))
    assert letter["reply_due"] == "2020-04-30"
    assert recs[3]["due_date"] == "2020-05-31"  # "by May 2020"
    replied = script.json(
        "recommendation",
        "reply",
        str(recs[1]["id"]),
        "--text",
        "Evaluation framework sent on 28 May 2020",
        "--date",
        "2020-05-28",
    )
    assert replied["status"] == "responded" and replied["response_date"] == "2020-05-28"
    script.run("recommendation", "reply", "999999", "--text", "x", status=1)

    # One action done, with a note; the other still open.
    closed = script.json("action", "close", str(first["id"]), "--note", "Sent on Friday")
    assert (closed["status"], closed["closing_note"]) == ("done", "Sent on Friday")
    still_open = script.json("action", "list", "--open", "--network", "PRG")
    assert [a["id"] for a in still_open["actions"]] == [second["id"]]

    # The calendar, read back with a real iCalendar parser.
    ics = tmp_path / "prg.ics"
    assert "Wrote 2 meetings" in script.run("export", "ics", "--network", "prg", "-o", str(ics))
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    uids = {script.json("meeting", "show", str(i))["meeting"]["uid"] for i in (past_id, nxt["id"])}
    assert set(events) == uids
    assert str(events[nxt["uid"]]["SUMMARY"]) == nxt["title"]
    assert events[nxt["uid"]].decoded("DTSTART").isoformat()[:16] == _london(nxt["starts_at"])


def _london(instant: str) -> str:
    from datetime import datetime

    from vru_crm.london import london

    return london(datetime.fromisoformat(instant)).isoformat()[:16]


@pytest.mark.parametrize("args", [("meeting", "held"), ("network", "join", "PRG")])
def test_usage_errors_exit_2(db_url, capsys, args):
    Script(db_url, capsys).run(*args, status=2)
