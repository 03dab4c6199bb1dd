"""``vru-crm network ...`` as a script uses it, from an empty database: output and exit statuses."""

import json

import pytest
from governance_data import at, meeting

from vru_crm.cli.main import main
from vru_crm.london import today_in_london
from vru_crm.services.organisations import OrganisationInput, create_organisation
from vru_crm.services.people import PersonInput, create_person


def run(database, capsys, *args) -> tuple[int, str, str]:
    """Exit status, stdout, stderr (argparse exits by itself on usage errors)."""
    try:
        status = main(["--db", database.url, *args])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def prg(database, capsys) -> int:
    status, out, _ = run(
        database,
        capsys,
        "network",
        "add",
        "Partnership Reference Group",
        "--short",
        "PRG",
        "--kind",
        "board",
        "--cadence",
        "quarterly, second Tuesday, 10:00 to 12:00",
        "--publish-within",
        "28",
        "--quorum",
        "6",
    )
    assert status == 0
    return int(out.strip())


@pytest.fixture
def people(database) -> dict[str, int]:
    return {
        "ana": create_person(database, PersonInput("Ana López")).id,
        "ben": create_person(database, PersonInput("Ben Okafor")).id,
        "cvs": create_organisation(
            database, OrganisationInput(name="Hackney CVS", sector="charity")
        ).id,
    }


def test_add_prints_the_new_id_and_json_gives_the_record(database, capsys, prg):
    assert prg > 0
    status, out, _ = run(
        database,
        capsys,
        "network",
        "add",
        "Young People's Action Group",
        "--short",
        "YPAG",
        "--kind",
        "youth_group",
        "--cadence",
        "monthly, last Saturday, 11:00 to 13:00",
        "--tolerance",
        "7",
        "--description",
        "Ten young Londoners",
        "--json",
    )
    assert status == 0
    record = json.loads(out)
    assert record["id"] > prg
    assert record["cadence_rrule"] == "FREQ=MONTHLY;BYDAY=-1SA;BYHOUR=11;BYMINUTE=0"
    assert (record["meeting_minutes"], record["cadence_tolerance_days"]) == (120, 7)
    assert record["cadence_words"] == "monthly, on the last Saturday, 11:00 to 13:00"


def test_add_refuses_bad_values_in_words(database, capsys, prg):
    status, out, err = run(
        database,
        capsys,
        "network",
        "add",
        "Other",
        "--short",
        "prg",
        "--cadence",
        "monthly on Tuesday",
    )
    assert status == 1 and out == ""
    assert 'Short name: "prg" already names "Partnership Reference Group (PRG)"' in err
    assert "Cadence:" in err and "every Tuesday of the month" in err
    status, _, err = run(database, capsys, "network", "add", "X", "--kind", "club")
    assert status == 1 and "Kind:" in err and "youth_group" in err
    status, _, err = run(database, capsys, "network", "add", "X", "--quorum", "-2")
    assert status == 1 and "Quorum: the quorum cannot be below zero" in err
    status, _, err = run(database, capsys, "network", "add", "X", "--quorum", "six")
    assert status == 2 and "invalid int value" in err
    assert run(database, capsys, "network")[0] == 2
    assert run(database, capsys, "network", "add")[0] == 2


def test_edit_changes_only_the_flags_given_and_archives(database, capsys, prg):
    status, out, _ = run(
        database,
        capsys,
        "network",
        "edit",
        "prg",
        "--cadence",
        "every six weeks on Wednesday",
        "--json",
    )
    assert status == 0
    record = json.loads(out)
    assert record["cadence_rrule"] == "FREQ=WEEKLY;INTERVAL=6;BYDAY=WE"
    assert (record["quorum"], record["short_name"], record["version"]) == (6, "PRG", 2)
    status, out, _ = run(
        database, capsys, "network", "edit", "PRG", "--name", "The PRG board", "--quorum", "5"
    )
    assert status == 0 and out.startswith("Saved The PRG board (PRG) (id ")
    assert "Quorum:     5" in out
    status, out, _ = run(
        database, capsys, "network", "edit", "prg", "--archive", "--archive-on", "2024-01-31"
    )
    assert status == 0 and "Archived on 2024-01-31" in out
    assert run(database, capsys, "network", "list")[1] == "No current networks.\n"
    status, out, _ = run(database, capsys, "network", "list", "--all")
    assert status == 0 and "[archived 2024-01-31]" in out
    status, out, _ = run(database, capsys, "network", "edit", "prg", "--unarchive", "--json")
    assert json.loads(out)["archived_on"] is None
    status, _, err = run(database, capsys, "network", "edit", "prg", "--archive", "--unarchive")
    assert status == 2 and "not allowed with" in err
    status, _, err = run(database, capsys, "network", "edit", "prg", "--archive-on", "2024-01-01")
    assert status == 2 and "--archive-on goes with --archive" in err
    status, _, err = run(database, capsys, "network", "edit", "PGR", "--quorum", "3")
    assert status == 1 and 'There is no network called "PGR". Closest: The PRG board (PRG)' in err


def test_list_text_and_json(database, capsys, prg, people):
    run(database, capsys, "network", "join", "PRG", "--person", "ana lopez")
    status, out, _ = run(database, capsys, "network", "list")
    assert status == 0
    assert f"{prg:>4}  Partnership Reference Group (PRG)" in out
    assert "board; quarterly, on the second Tuesday, 10:00 to 12:00; 1 current members" in out
    status, out, _ = run(database, capsys, "network", "list", "--json")
    (row,) = json.loads(out)
    assert (row["id"], row["short_name"], row["current_members"]) == (prg, "PRG", 1)


def test_join_leave_and_role_by_name_with_show(database, capsys, prg, people):
    status, out, _ = run(
        database,
        capsys,
        "network",
        "join",
        "prg",
        "--person",
        "ANA LOPEZ",
        "--role",
        "chair",
        "--represents",
        "MOPAC",
        "--from",
        "01/01/2020",
    )
    assert status == 0
    assert out.startswith(
        "Ana López joined Partnership Reference Group (PRG) as chair from 2020-01-01"
    )
    status, out, _ = run(
        database, capsys, "network", "join", "PRG", "--organisation", "hackney cvs", "--json"
    )
    assert status == 0 and json.loads(out)["organisation_id"] == people["cvs"]
    status, out, _ = run(
        database,
        capsys,
        "network",
        "join",
        "PRG",
        "--person",
        str(people["ben"]),
        "--from",
        "2020-02-01",
    )
    assert status == 0 and "Ben Okafor joined" in out
    status, _, err = run(database, capsys, "network", "join", "PRG", "--person", "Ana López")
    assert status == 1 and "already a member of Partnership Reference Group" in err
    status, out, _ = run(
        database,
        capsys,
        "network",
        "role",
        "PRG",
        "--person",
        "Ben Okafor",
        "--role",
        "deputy",
        "--on",
        "2021-01-01",
    )
    assert (
        status == 0
        and "Ben Okafor is deputy of Partnership Reference Group (PRG) from 2021-01-01" in out
    )
    status, _, err = run(
        database, capsys, "network", "leave", "PRG", "--person", "Ana López", "--on", "2019-01-01"
    )
    assert status == 1 and "before the membership began" in err
    status, out, _ = run(
        database, capsys, "network", "leave", "PRG", "--person", "Ana López", "--on", "2022-06-30"
    )
    assert status == 0 and "Ana López left Partnership Reference Group (PRG) on 2022-06-30" in out
    status, _, err = run(database, capsys, "network", "leave", "PRG", "--person", "Ana López")
    assert status == 1 and "Ana López is not a current member of Partnership Reference Group" in err

    meeting(database, prg, at(2021, 6, 8), "held")
    status, out, _ = run(database, capsys, "network", "show", "Prg", "--as-of", "2021-07-01")
    assert status == 0
    assert "Partnership Reference Group (PRG)  (id" in out
    assert "Cadence:    quarterly, on the second Tuesday, 10:00 to 12:00" in out
    assert "Last held:  2021-06-08" in out
    assert "Current members (2):" in out and "Past members (2):" in out
    assert "Ana López (chair, for MOPAC), from 2020-01-01 to 2022-06-30" in out
    assert "Ben Okafor (member), from 2020-02-01 to 2020-12-31" in out
    assert "Ben Okafor (deputy), from 2021-01-01; attended 0 of 1 in 12 months" in out
    assert "2021-06-08 10:00  held, 0 present  Partnership Reference Group  [meeting" in out

    status, out, _ = run(database, capsys, "network", "show", "PRG", "--json")
    data = json.loads(out)
    assert data["id"] == prg and data["cadence"]["last_held"] == "2021-06-08"
    by_name = {(m["name"], m["role"]): m for m in data["members"]}
    assert by_name[("Ana López", "chair")]["to"] == "2022-06-30"
    assert by_name[("Ana López", "chair")]["represents"] == "MOPAC"
    assert by_name[("Hackney CVS", "member")]["kind"] == "organisation"
    assert all("id" in m for m in data["members"]) and data["meetings"][0]["status"] == "held"


def test_members_named_wrongly_or_twice(database, capsys, prg, people):
    status, _, err = run(database, capsys, "network", "join", "PRG", "--person", "Ana Lopes")
    assert status == 1 and 'There is no person called "Ana Lopes". Closest: Ana López' in err
    status, _, err = run(database, capsys, "network", "join", "PRG", "--organisation", "Hackney")
    assert status == 1 and "There is no organisation called" in err and "Hackney CVS" in err
    status, _, err = run(
        database,
        capsys,
        "network",
        "join",
        "PRG",
        "--person",
        "Ana",
        "--organisation",
        "Hackney CVS",
    )
    assert status == 2 and "not allowed with argument --person" in err
    status, _, err = run(database, capsys, "network", "leave", "PRG")
    assert status == 2 and "one of the arguments --person --organisation is required" in err
    status, _, err = run(database, capsys, "network", "join", "NOPE", "--person", "Ana López")
    assert status == 1 and 'There is no network called "NOPE"' in err
    status, _, err = run(
        database, capsys, "network", "join", "PRG", "--person", "Ana López", "--from", "31/02/2020"
    )
    assert status == 2 and "is not a real date" in err


def test_cadence_and_export_ics_accept_the_short_name(database, capsys, prg, tmp_path):
    meeting(database, prg, at(2019, 5, 14), "held")
    status, out, _ = run(database, capsys, "cadence", "--network", "PRG", "--as-of", "2019-06-01")
    assert status == 0 and out.startswith("Partnership Reference Group\n")
    assert "Last held:        Tue 14 May 2019" in out
    path = tmp_path / "prg.ics"
    status, out, _ = run(database, capsys, "export", "ics", "--network", "prg", "-o", str(path))
    assert (
        status == 0
        and "Wrote 1 meetings" in out
        and "SUMMARY:Partnership Reference Group" in path.read_text()
    )
    status, _, err = run(database, capsys, "cadence", "--network", "PGR")
    assert status == 1 and "Closest: Partnership Reference Group (PRG)" in err


def test_an_empty_database(database, capsys):
    assert run(database, capsys, "network", "list") == (0, "No current networks.\n", "")
    assert run(database, capsys, "network", "list", "--json")[1] == "[]\n"
    status, _, err = run(database, capsys, "network", "show", "PRG")
    assert status == 1 and "there are no networks yet" in err


def test_a_six_weekly_network_that_never_met_is_overdue(database, capsys):
    run(
        database,
        capsys,
        "network",
        "add",
        "Steering Group",
        "--cadence",
        "every six weeks on Wednesday",
    )
    status, out, _ = run(
        database,
        capsys,
        "cadence",
        "--network",
        "steering group",
        "--as-of",
        today_in_london().isoformat(),
        "--json",
    )
    row = json.loads(out)["networks"][0]
    assert status == 0 and row["expected"] in (8, 9) and row["held"] == 0 and row["overdue"]
