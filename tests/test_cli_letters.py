"""``letter``, ``recommendation`` and ``action`` as a script types them: output and exit statuses."""

import json
from datetime import date
from pathlib import Path

import pytest
from governance_data import at, make_network, meeting, person

from db.models import Network
from vru_crm.cli.main import main
from vru_crm.governance.actions import list_actions
from vru_crm.governance.agenda import assemble_draft
from vru_crm.governance.letters import list_letters
from vru_crm.governance.recommendations import list_recommendations
from vru_crm.services.organisations import OrganisationInput, create_organisation

LETTERS = Path(__file__).parent / "fixtures" / "letters"
COMMITTEE = str(LETTERS / "committee_2020_04_07.md")
MAYOR = str(LETTERS / "mayor_reply_2019_03_08.md")


def run(database, *args) -> int:
    """The exit status, as a shell would see it (argparse exits by itself on usage errors)."""
    try:
        return main(["--db", database.url, *args])
    except SystemExit as exit_:
        return exit_.code


def out(capsys) -> str:
    return capsys.readouterr().out


def added_letter(database, capsys, path=COMMITTEE) -> int:
    assert run(database, "letter", "add", "--text-file", path) == 0
    return int(out(capsys).strip())


@pytest.fixture
def prg(database):
    network = make_network(database)
    with database.session() as s:
        s.get(Network, network).short_name = "PRG"
    return {
        "network": network,
        "may": meeting(database, network, at(2019, 5, 1), "held"),
        "july": meeting(database, network, at(2019, 7, 30)),
        "lib": person(database, "Lib Peck"),
        "vru": create_organisation(
            database, OrganisationInput(name="Violence Reduction Unit", sector="police")
        ).id,
    }


# --- letter parse ---------------------------------------------------------------------------


def test_parse_prints_what_was_found_and_writes_nothing(database, capsys):
    assert run(database, "letter", "parse", COMMITTEE) == 0
    text = out(capsys)
    assert "Sender:     Police and Crime Committee" in text
    assert "Date:       Tue 07 Apr 2020" in text
    assert "Reply due:  Thu 30 Apr 2020" in text
    assert "10 recommendations found:" in text
    assert "  3. The VRU provides further information" in text
    assert "     Due: Sun 31 May 2020" in text
    assert list_letters(database) == []


def test_parse_json_and_a_reply(database, capsys):
    assert run(database, "letter", "parse", MAYOR, "--json") == 0
    found = json.loads(out(capsys))
    assert (found["sender"], found["letter_date"], found["reply_due"]) == (
        "Sadiq Khan",
        "2019-03-08",
        None,
    )
    assert len(found["recommendations"]) == 13
    first = found["recommendations"][0]
    assert first["number"] is None and first["due_date"] is None
    assert first["reply"].startswith("This is an important issue")
    assert run(database, "letter", "parse", COMMITTEE, "--json") == 0
    numbers = json.loads(out(capsys))["recommendations"]
    assert [(r["number"], r["due_date"]) for r in numbers][2:4] == [
        (3, "2020-05-31"),
        (4, "2020-12-31"),
    ]


def test_parse_a_letter_without_recommendations(database, capsys):
    assert run(database, "letter", "parse", str(LETTERS / "own_no_recommendations.txt")) == 0
    assert "No recommendations found." in out(capsys)


def test_parse_windows_text(database, capsys, tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(
        "5 May 2020\r\n\r\nRecommendation 1: Do it by June 2020 \u2013 soon.\r\n".encode("cp1252")
    )
    assert run(database, "letter", "parse", str(path), "--json") == 0
    [found] = json.loads(out(capsys))["recommendations"]
    assert found["due_date"] == "2020-06-30" and found["text"].endswith("\u2013 soon.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "There is no file"),
        (b"%PDF-1.7\n...", "is a PDF; save the letter as text"),
        (b"PK\x03\x04\x00\x00binary", "is not a text file"),
    ],
)
def test_a_file_that_is_not_a_letter_is_a_data_problem(
    database, capsys, tmp_path, content, message
):
    path = tmp_path / "letter.txt"
    if content is not None:
        path.write_bytes(content)
    assert run(database, "letter", "parse", str(path)) == 1
    assert message in capsys.readouterr().err
    assert (
        run(
            database,
            "letter",
            "add",
            "--from",
            "X",
            "--date",
            "2020-01-01",
            "--text-file",
            str(path),
        )
        == 1
    )
    assert list_letters(database) == []


def test_a_folder_is_not_a_letter(database, capsys, tmp_path):
    assert run(database, "letter", "parse", str(tmp_path)) == 1
    assert "is a folder" in capsys.readouterr().err


# --- letter add, list, show, delete -----------------------------------------------------------


def test_add_from_the_text_prints_the_id_and_adds_the_recommendations(database, capsys):
    letter_id = added_letter(database, capsys)
    [letter] = list_letters(database)
    assert letter.id == letter_id and letter.sender == "Police and Crime Committee"
    assert letter.reply_due == date(2020, 4, 30) and len(letter.recommendations) == 10
    assert "Recommendation 10" in letter.text


def test_add_with_flags_and_json(database, capsys):
    args = [
        "letter",
        "add",
        "--from",
        "Lib Peck",
        "--date",
        "13/06/2019",
        "--reply-due",
        "2019-07-01",
    ]
    assert run(database, *args, "--subject", "Work programme", "--json") == 0
    record = json.loads(out(capsys))
    assert (record["sender"], record["letter_date"], record["reply_due"], record["subject"]) == (
        "Lib Peck",
        "2019-06-13",
        "2019-07-01",
        "Work programme",
    )
    assert record["recommendations"] == [] and isinstance(record["id"], int)
    # Flags win over what the text says.
    assert run(database, "letter", "add", "--from", "PCC", "--text-file", COMMITTEE, "--json") == 0
    record = json.loads(out(capsys))
    assert (record["sender"], record["letter_date"]) == ("PCC", "2020-04-07")
    assert {r["sender"] for r in record["recommendations"]} == {"PCC"}


def test_add_a_reply_records_the_answers(database, capsys):
    letter_id = added_letter(database, capsys, MAYOR)
    rows = list_recommendations(database, letter_id=letter_id)
    assert len(rows) == 13 and {r.status for r in rows} == {"responded"}


def test_add_usage_and_data_problems(database, capsys, tmp_path):
    assert run(database, "letter", "add", "--date", "2020-01-01") == 2
    assert "say --from" in capsys.readouterr().err
    assert run(database, "letter", "add", "--from", "PCC") == 2
    assert run(database, "letter", "add", "--from", "PCC", "--date", "31/02/2020") == 2
    assert "is not a real date" in capsys.readouterr().err
    plain = tmp_path / "plain.txt"
    plain.write_text("Nothing to see.\n", encoding="utf-8")
    assert run(database, "letter", "add", "--text-file", str(plain)) == 2
    assert "say --from and --date (not found in the text either)" in capsys.readouterr().err
    args = ["letter", "add", "--from", "PCC", "--date", "2020-04-07", "--reply-due", "2020-04-01"]
    assert run(database, *args) == 1
    assert "Reply due: a reply cannot be due before the letter was written" in (
        capsys.readouterr().err
    )
    assert list_letters(database) == []


def test_list_and_show(database, capsys):
    assert run(database, "letter", "list") == 0
    assert out(capsys) == "No letters yet.\n"
    assert run(database, "letter", "list", "--json") == 0
    assert json.loads(out(capsys)) == {"letters": []}
    letter_id = added_letter(database, capsys)
    assert run(database, "letter", "list") == 0
    assert (
        f"{letter_id:>4}  Tue 07 Apr 2020  Police and Crime Committee  "
        "(10 recommendations, 10 open; reply due Thu 30 Apr 2020)"
    ) in out(capsys)
    assert run(database, "letter", "list", "--json") == 0
    [listed] = json.loads(out(capsys))["letters"]
    assert listed["id"] == letter_id and "text" not in listed
    assert run(database, "letter", "show", str(letter_id)) == 0
    text = out(capsys)
    assert text.startswith(f"Letter {letter_id}: Police and Crime Committee, 7 April 2020\n")
    assert "Recommendations: 10, 10 open" in text
    assert "3. The VRU provides further information" in text
    assert "Status: open; due Sun 31 May 2020" in text
    assert run(database, "letter", "show", str(letter_id), "--json") == 0
    shown = json.loads(out(capsys))
    assert len(shown["recommendations"]) == 10 and "Recommendation 10" in shown["text"]
    assert run(database, "letter", "show", "999") == 1
    assert "There is no letter with id 999" in capsys.readouterr().err
    assert run(database, "letter", "show", "x") == 2


def test_delete(database, capsys):
    letter_id = added_letter(database, capsys)
    assert run(database, "letter", "delete", str(letter_id)) == 0
    assert "Deleted letter" in out(capsys)
    assert list_letters(database) == [] and list_recommendations(database) == []
    assert run(database, "letter", "delete", str(letter_id)) == 1


def test_letter_needs_a_subcommand(database, capsys):
    assert run(database, "letter") == 2
    assert run(database, "recommendation") == 2
    assert run(database, "action") == 2


# --- recommendation ---------------------------------------------------------------------------


def test_recommendation_add_numbers_and_problems(database, capsys):
    assert run(database, "letter", "add", "--from", "PCC", "--date", "2020-04-07") == 0
    letter_id = int(out(capsys))
    args = ["recommendation", "add", "--letter", str(letter_id)]
    assert run(database, *args, "--text", "Publish the minutes", "--due", "2020-05-31") == 0
    first = int(out(capsys))
    assert run(database, *args, "--text", "Report back", "--json") == 0
    second = json.loads(out(capsys))
    assert (second["number"], second["letter_id"], second["sender"]) == (2, letter_id, "PCC")
    assert run(database, *args, "--number", "2", "--text", "Again") == 1
    assert "Number: this letter already has a recommendation 2" in capsys.readouterr().err
    assert run(database, "recommendation", "add", "--letter", "999", "--text", "x") == 1
    assert "There is no letter with id 999" in capsys.readouterr().err
    assert run(database, *args) == 2  # --text is required
    assert run(database, *args, "--text", "  ") == 1
    assert "Text: the recommendation's text is required" in capsys.readouterr().err
    [row, _] = list_recommendations(database)
    assert (row.id, row.due_date) == (first, date(2020, 5, 31))


def test_recommendation_reply_partial_close_and_list(database, capsys):
    letter_id = added_letter(database, capsys)
    rows = list_recommendations(database, letter_id=letter_id)
    third, eighth = rows[2], rows[7]
    assert (
        run(
            database,
            "recommendation",
            "reply",
            str(third.id),
            "--text",
            "Done",
            "--date",
            "2020-04-30",
        )
        == 0
    )
    assert out(capsys) == (
        f"Recommendation {third.id} (Police and Crime Committee, 7 April 2020, "
        "recommendation 3): responded.\n"
    )
    reply = ["recommendation", "reply", str(eighth.id), "--text", "In part", "--partial"]
    assert run(database, *reply, "--json") == 0
    assert json.loads(out(capsys))["status"] == "partially_accepted"
    assert (
        run(
            database,
            "recommendation",
            "reply",
            str(rows[0].id),
            "--text",
            "Yes",
            "--close",
            "--json",
        )
        == 0
    )
    closed = json.loads(out(capsys))
    assert (closed["status"], closed["response"]) == ("closed", "Yes")
    assert run(database, "recommendation", "close", str(rows[1].id)) == 0
    assert out(capsys).endswith("recommendation 2): closed.\n")
    assert run(database, "recommendation", "reply", str(rows[3].id), "--text", " ") == 1
    assert "Reply: write what was replied" in capsys.readouterr().err
    assert run(database, "recommendation", "reply", "999", "--text", "x") == 1
    assert run(database, "recommendation", "reply", str(rows[3].id)) == 2

    assert run(database, "recommendation", "list", "--overdue", "--as-of", "2021-01-05") == 0
    text = out(capsys)
    assert text.startswith("Police and Crime Committee, letter of Tue 07 Apr 2020\n")
    assert "4. The VRU reports back" in text and "OVERDUE by 5 days" in text
    assert "3. The VRU provides" not in text and "8. We ask" not in text
    assert run(database, "recommendation", "list", "--open", "--json", "--as-of", "2021-01-05") == 0
    listed = json.loads(out(capsys))
    assert listed["as_of"] == "2021-01-05" and len(listed["recommendations"]) == 6
    assert run(database, "recommendation", "list", "--json") == 0
    assert len(json.loads(out(capsys))["recommendations"]) == 10
    assert run(database, "recommendation", "list", "--letter", str(letter_id + 1)) == 0
    assert out(capsys) == "No recommendations.\n"
    assert run(database, "recommendation", "list", "--overdue", "--as-of", "2020-01-01") == 0
    assert out(capsys) == "No overdue recommendations.\n"


# --- action ------------------------------------------------------------------------------------


def test_action_add_at_a_meeting_and_see_it_carried_forward(database, capsys, prg):
    add = ["action", "add", "--meeting", str(prg["may"])]
    assert (
        run(database, *add, "--owner", "lib peck", "--due", "2019-06-30", "Map stakeholders") == 0
    )
    first = int(out(capsys))
    assert (
        run(database, *add, "--owner", "Violence Reduction Unit", "Publish principles", "--json")
        == 0
    )
    second = json.loads(out(capsys))
    assert (second["owner"], second["owner_kind"], second["network"]) == (
        "Violence Reduction Unit",
        "organisation",
        "Partnership Reference Group",
    )
    agenda = assemble_draft(database, prg["july"])
    notes = next(i for i in agenda.items if i.kind == "matters_arising").notes
    assert "- Map stakeholders (Lib Peck; due 30/06/2019" in notes
    assert "- Publish principles (Violence Reduction Unit; no due date" in notes
    assert [a.id for a in list_actions(database)][0] == first


def test_action_add_from_a_recommendation(database, capsys, prg):
    letter_id = added_letter(database, capsys)
    rec = list_recommendations(database, letter_id=letter_id)[8]
    args = ["action", "add", "--recommendation", str(rec.id), "--owner", f"person:{prg['lib']}"]
    assert run(database, *args, "Update the website", "--json") == 0
    row = json.loads(out(capsys))
    assert (row["recommendation_id"], row["meeting_id"], row["owner"]) == (rec.id, None, "Lib Peck")


def test_action_add_problems(database, capsys, prg):
    base = ["action", "add", "--owner", "Lib Peck", "Text"]
    assert run(database, *base) == 2  # neither a meeting nor a recommendation
    assert run(database, *base, "--meeting", "1", "--recommendation", "1") == 2
    assert run(database, "action", "add", "--meeting", str(prg["may"]), "Text") == 2  # no owner
    assert (
        run(database, "action", "add", "--meeting", str(prg["may"]), "--owner", "Lib Pek", "Text")
        == 1
    )
    assert 'There is no person or team called "Lib Pek". Closest: Lib Peck (person)' in (
        capsys.readouterr().err
    )
    assert run(database, *base, "--meeting", "999") == 1
    assert "Meeting: there is no meeting with id 999" in capsys.readouterr().err
    assert run(database, *base, "--meeting", str(prg["may"]), "--due", "soon") == 2
    assert list_actions(database) == []


def test_action_close_and_list(database, capsys, prg):
    add = ["action", "add", "--meeting", str(prg["may"]), "--owner", "Lib Peck"]
    assert run(database, *add, "--due", "2019-06-01", "First") == 0
    first = int(out(capsys))
    assert run(database, *add, "Second") == 0
    second = int(out(capsys))
    other = make_network(database, name="Young People's Action Group")
    elsewhere = meeting(database, other, at(2019, 5, 2), "held")
    assert (
        run(database, "action", "add", "--meeting", str(elsewhere), "--owner", "Lib Peck", "Third")
        == 0
    )
    out(capsys)

    assert run(database, "action", "list", "--network", "prg", "--as-of", "2019-07-01") == 0
    text = out(capsys)
    assert (
        f"{first:>4}  First\n      Owner: Lib Peck; due Sat 01 Jun 2019  OVERDUE by 30 days; open"
        in text
    )
    assert "raised at Partnership Reference Group, Wed 01 May 2019" in text
    assert "Third" not in text
    assert (
        run(database, "action", "close", str(first), "--note", "Done in June", "--on", "2019-06-20")
        == 0
    )
    assert out(capsys) == f"Action {first} done on Thu 20 Jun 2019: First\n"
    assert run(database, "action", "close", str(second), "--dropped", "--json") == 0
    assert json.loads(out(capsys))["status"] == "dropped"
    assert (
        run(database, "action", "list", "--open", "--network", "Partnership Reference Group") == 0
    )
    assert out(capsys) == "No open actions.\n"
    assert run(database, "action", "list", "--json") == 0
    listed = json.loads(out(capsys))["actions"]
    assert len(listed) == 3
    closed = next(a for a in listed if a["id"] == first)
    assert (closed["closing_note"], closed["closed_on"]) == ("Done in June", "2019-06-20")
    assert run(database, "action", "list") == 0
    assert "Closed Thu 20 Jun 2019: Done in June" in out(capsys)
    assert run(database, "action", "list", "--network", "Partnership Refrence Group") == 1
    assert "Partnership Reference Group" in capsys.readouterr().err
    assert run(database, "action", "close", "999") == 1
    assert "There is no action with id 999" in capsys.readouterr().err


# --- an empty database ---------------------------------------------------------------------------


def test_on_an_empty_database(database, capsys):
    assert run(database, "recommendation", "list") == 0
    assert out(capsys) == "No recommendations.\n"
    assert run(database, "action", "list") == 0
    assert out(capsys) == "No actions.\n"
    assert run(database, "action", "list", "--open", "--json") == 0
    assert json.loads(out(capsys))["actions"] == []
    assert run(database, "action", "add", "--meeting", "1", "--owner", "Lib Peck", "x") == 1
    assert "there are no people or organisations yet" in capsys.readouterr().err
    assert run(database, "action", "list", "--network", "PRG") == 1
    assert "there are no networks yet" in capsys.readouterr().err
    # A letter and its recommendations from the pasted text, then the register.
    letter_id = added_letter(database, capsys)
    assert (
        run(database, "recommendation", "list", "--overdue", "--as-of", "2020-06-01", "--json") == 0
    )
    overdue = json.loads(out(capsys))["recommendations"]
    assert [(r["number"], r["overdue_days"]) for r in overdue] == [(3, 1), (8, 1)]
    assert all(r["letter_id"] == letter_id for r in overdue)
