"""``vru-crm organisation|person|engagement ...`` from an empty database: output and exit statuses.

Each test starts on an empty (migrated) database, on SQLite and PostgreSQL, and
makes its records with the commands themselves, as a script would.
"""

import io
import json
import sys

import pytest

from vru_crm.cli.main import main


def run(database, capsys, *args) -> tuple[int, str, str]:
    """Exit status, stdout, stderr (argparse exits by itself on usage errors)."""
    try:
        status = main(["--db", database.url, *args])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def ok(database, capsys, *args) -> str:
    status, out, err = run(database, capsys, *args)
    assert status == 0, err
    return out


def new_id(database, capsys, *args) -> int:
    return int(ok(database, capsys, *args).strip())


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, so a command asks its question."""

    def isatty(self) -> bool:
        return True


def answer(monkeypatch, reply: str) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or reply)
    return asked


def script(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@pytest.fixture
def cvs(database, capsys) -> int:
    return new_id(
        database, capsys, "organisation", "add", "Hackney CVS", "--sector", "charity",
        "--borough", "Hackney", "--email", "info@hackneycvs.org", "--tag", "youth",
    )  # fmt: skip


# -- organisations ---------------------------------------------------------------------------
def test_organisation_add_show_and_list(database, capsys, cvs):
    assert ok(database, capsys, "organisation", "list") == (
        f"{cvs:>5}  Hackney CVS\n       Charity / VCS; Hackney; 0 engagements\n"
    )
    record = json.loads(
        ok(
            database,
            capsys,
            "organisation",
            "add",
            "Café Nour",
            "--sector",
            "Grassroots",
            "--borough",
            "tower hamlets",
            "--borough",
            "Newham",
            "--website",
            "cafenour.org",
            "--phone",
            "020 7983 4000",
            "--tag",
            "food",
            "--tag",
            "youth",
            "--priority",
            "--notes",
            "Runs a Friday youth night",
            "--json",
        )  # fmt: skip
    )
    assert record["id"] > cvs and record["version"] == 1
    assert (record["sector"], record["sector_label"]) == ("grassroots", "Grassroots")
    assert record["borough_names"] == ["Newham", "Tower Hamlets"]
    assert record["website"] == "https://cafenour.org"
    assert (record["tags"], record["is_priority"]) == (["food", "youth"], True)

    out = ok(database, capsys, "organisation", "show", "cafe nour")  # any case, no accent
    assert out.startswith(f"Café Nour  (id {record['id']}, version 1)\n")
    assert "  Sector:           Grassroots\n" in out
    assert "  Priority partner: yes\n" in out
    assert "  Stakeholder assessments (0, newest first):\n    none\n" in out
    shown = json.loads(ok(database, capsys, "organisation", "show", str(cvs), "--json"))
    assert (shown["id"], shown["name"], shown["email"]) == (
        cvs,
        "Hackney CVS",
        "info@hackneycvs.org",
    )
    assert shown["people"] == [] and shown["assessments"] == []
    assert shown["engagements"] == {"total": 0, "last_contact": None}

    listed = json.loads(ok(database, capsys, "organisation", "list", "--json"))
    assert listed["total"] == 2
    assert [r["name"] for r in listed["organisations"]] == ["Café Nour", "Hackney CVS"]
    for flags, names in [
        (["--sector", "Charity / VCS"], ["Hackney CVS"]),
        (["--borough", "newham"], ["Café Nour"]),
        (["--search", "nour"], ["Café Nour"]),
        (["--priority"], ["Café Nour"]),
        (["--limit", "1"], ["Café Nour"]),
    ]:
        found = json.loads(ok(database, capsys, "organisation", "list", *flags, "--json"))
        assert [r["name"] for r in found["organisations"]] == names, flags
    assert "(1 of 2 shown" in ok(database, capsys, "organisation", "list", "--limit", "1")
    assert ok(database, capsys, "organisation", "list", "--search", "zzz") == (
        "No organisations match.\n"
    )


def test_organisation_lists_and_names_on_an_empty_database(database, capsys):
    assert ok(database, capsys, "organisation", "list") == "No organisations yet.\n"
    assert json.loads(ok(database, capsys, "organisation", "list", "--json")) == {
        "total": 0,
        "organisations": [],
    }
    status, out, err = run(database, capsys, "organisation", "show", "Hackney CVS")
    assert (status, out) == (1, "")
    assert 'There is no organisation called "Hackney CVS": there are no organisations yet.' in err
    status, _, err = run(database, capsys, "organisation", "list", "--limit", "0")
    assert status == 2 and "--limit must be 1 or more" in err
    assert run(database, capsys, "organisation")[0] == 2


def test_organisation_add_refuses_bad_values_in_words(database, capsys, cvs):
    status, out, err = run(
        database, capsys, "organisation", "add", "New Org", "--sector", "charty",
        "--borough", "Hackny", "--email", "bob@", "--website", "not a url",
    )  # fmt: skip
    assert (status, out) == (1, "")
    assert "E-mail: 'bob@' is not an e-mail address" in err
    assert "Website: 'not a url' is not a web address" in err
    assert (
        "Sector: 'charty' is not a sector. Use one of, closest first: charity (Charity / VCS);"
        in err
    )
    assert "Boroughs: 'Hackny' is not a London borough (closest: Hackney;" in err
    assert (
        ok(database, capsys, "organisation", "list", "--json").count('"id"') == 1
    )  # nothing saved
    status, _, err = run(database, capsys, "organisation", "add", "New Org")
    assert status == 2 and "--sector" in err
    status, _, err = run(database, capsys, "organisation", "list", "--sector", "police force")
    assert status == 1 and "Sector: 'police force' is not a sector" in err
    status, _, err = run(database, capsys, "organisation", "list", "--borough", "Gotham")
    assert status == 1 and "Borough: 'Gotham' is not a London borough" in err
    # A near-identical name in the same borough is a duplicate unless the user says otherwise.
    status, _, err = run(
        database, capsys, "organisation", "add", "Hackney C.V.S.", "--sector", "charity",
        "--borough", "Hackney",
    )  # fmt: skip
    assert status == 1
    assert f"Name: this looks like an organisation already recorded: Hackney CVS (id {cvs}" in err
    assert "--allow-duplicate" in err
    ok(database, capsys, "organisation", "add", "Hackney C.V.S.", "--sector", "charity",
       "--borough", "Hackney", "--allow-duplicate")  # fmt: skip
    status, _, err = run(database, capsys, "organisation", "show", "Hackny CVS")
    assert status == 1 and 'There is no organisation called "Hackny CVS". Closest: Hackney' in err


def test_organisation_edit_changes_only_the_flags_given(database, capsys, cvs):
    record = json.loads(
        ok(
            database,
            capsys,
            "organisation",
            "edit",
            "HACKNEY cvs",
            "--name",
            "Hackney Council for Voluntary Service",
            "--borough",
            "none",
            "--tag",
            "infrastructure",
            "--priority",
            "--json",
        )  # fmt: skip
    )
    assert (record["id"], record["version"]) == (cvs, 2)
    assert record["name"] == "Hackney Council for Voluntary Service"
    assert (record["borough_names"], record["tags"], record["is_priority"]) == (
        [],
        ["infrastructure"],
        True,
    )
    assert record["email"] == "info@hackneycvs.org"  # not given: unchanged
    out = ok(database, capsys, "organisation", "edit", str(cvs), "--no-priority", "--email", "")
    assert out.startswith("Saved.\nHackney Council for Voluntary Service  (id ")
    assert "E-mail" not in out and "Priority partner: no" in out
    assert ok(database, capsys, "organisation", "edit", str(cvs)).startswith("Nothing to change.")
    status, out, err = run(database, capsys, "organisation", "edit", str(cvs), "--email", "x@y")
    assert (status, out) == (1, "") and "E-mail: 'x@y' is not an e-mail address" in err
    status, _, err = run(database, capsys, "organisation", "edit", str(cvs), "--sector", "nope")
    assert status == 1 and "Sector: 'nope' is not a sector" in err


def test_organisation_delete_asks_first_and_merge_moves_links(database, capsys, cvs, monkeypatch):
    other = new_id(database, capsys, "organisation", "add", "CVS Hackney", "--sector", "charity")
    ana = new_id(
        database, capsys, "person", "add", "Ana López", "--organisation", "CVS Hackney:Director"
    )
    script(monkeypatch)
    status, out, err = run(database, capsys, "organisation", "delete", "CVS Hackney")
    assert (status, out) == (2, "") and "add --yes to go ahead" in err
    asked = answer(monkeypatch, "n")
    status, _, err = run(database, capsys, "organisation", "delete", "CVS Hackney")
    assert status == 1 and "Nothing was deleted." in err
    assert asked == [f'Delete "CVS Hackney" (id {other}) with 1 affiliation? [y/N] ']

    asked = answer(monkeypatch, "y")
    out = ok(database, capsys, "organisation", "merge", str(cvs), "cvs hackney")
    assert "Its 1 affiliation move over" in asked[0]
    assert out == (
        f'Merged "CVS Hackney" (id {other}) into "Hackney CVS" (id {cvs}).\n'
        "  Moved: 1 affiliations\n"
    )
    person = json.loads(ok(database, capsys, "person", "show", str(ana), "--json"))
    assert [(a["organisation_id"], a["role"]) for a in person["affiliations"]] == [
        (cvs, "Director")
    ]
    status, _, err = run(database, capsys, "organisation", "show", str(other))
    assert status == 1 and f'There is no organisation with id {other} or called "{other}"' in err
    status, _, err = run(
        database, capsys, "organisation", "merge", str(cvs), "Hackney CVS", "--yes"
    )
    assert status == 1 and "Merge: choose two different records" in err

    script(monkeypatch)
    gone = json.loads(
        ok(database, capsys, "organisation", "delete", "Hackney CVS", "--yes", "--json")
    )
    assert gone == {
        "deleted": "organisation",
        "id": cvs,
        "name": "Hackney CVS",
        "links": "1 affiliation, 1 borough, 1 tag",
    }
    assert ok(database, capsys, "organisation", "list") == "No organisations yet.\n"
    assert ok(database, capsys, "person", "show", str(ana)).count("none") >= 1


def test_organisation_assess(database, capsys, cvs):
    out = ok(
        database, capsys, "organisation", "assess", "Hackney CVS", "--influence", "4",
        "--interest", "3", "--support", "5", "--on", "2019-05-01", "--notes", "keen",
        "--by", "amina",
    )  # fmt: skip
    assert out == (
        f"Assessed Hackney CVS (id {cvs}): 2019-05-01  influence 4, interest 3, support 5 by amina: keen\n"
    )
    later = json.loads(
        ok(
            database,
            capsys,
            "organisation",
            "assess",
            str(cvs),
            "--influence",
            "5",
            "--interest",
            "5",
            "--support",
            "4",
            "--on",
            "01/06/2019",
            "--json",
        )  # fmt: skip
    )
    assert (later["assessed_on"], later["influence"], later["organisation"]) == (
        "2019-06-01",
        5,
        "Hackney CVS",
    )
    shown = ok(database, capsys, "organisation", "show", str(cvs))
    assert "Stakeholder assessments (2, newest first):\n    2019-06-01  influence 5" in shown
    status, out, err = run(
        database, capsys, "organisation", "assess", str(cvs), "--influence", "6", "--interest",
        "0", "--support", "3",
    )  # fmt: skip
    assert (status, out) == (1, "")
    assert "Influence: influence must be a whole number from 1 to 5" in err
    assert "Interest: interest must be a whole number from 1 to 5" in err
    status, _, err = run(
        database, capsys, "organisation", "assess", str(cvs), "--influence", "3", "--interest",
        "3", "--support", "3", "--on", "2019-02-30",
    )  # fmt: skip
    assert status == 2 and '"2019-02-30" is not a real date' in err
    status, _, err = run(database, capsys, "organisation", "assess", str(cvs), "--influence", "3")
    assert status == 2 and "--interest" in err


# -- people ----------------------------------------------------------------------------------
def test_person_add_show_and_list(database, capsys, cvs):
    ana = json.loads(
        ok(
            database,
            capsys,
            "person",
            "add",
            "Ana López",
            "--job-title",
            "Youth worker",
            "--email",
            "Ana@Example.org",
            "--phone",
            "020 7983 4000",
            "--borough",
            "hackney",
            "--organisation",
            "hackney cvs:Director",
            "--notes",
            "Met at the PRG",
            "--json",
        )  # fmt: skip
    )
    assert ana["version"] == 1 and ana["email"] == "ana@example.org"
    assert (ana["borough_name"], ana["is_young_person"], ana["age_band"]) == (
        "Hackney",
        False,
        None,
    )
    (affiliation,) = ana["affiliations"]
    assert (affiliation["organisation_id"], affiliation["role"], affiliation["current"]) == (
        cvs,
        "Director",
        True,
    )
    ben = new_id(database, capsys, "person", "add", "Ben Okafor")
    kid = new_id(database, capsys, "person", "add", "Kai", "--young-person", "--age-band", "16-17")

    out = ok(database, capsys, "person", "show", "ana lopez")
    assert out.startswith(f"Ana López  (id {ana['id']}, version 1)\n  Job title:    Youth worker\n")
    assert (
        f"  Organisations (1 current):\n    Hackney CVS (Director)  [organisation {cvs}]\n" in out
    )
    shown = json.loads(ok(database, capsys, "person", "show", str(kid), "--json"))
    assert (shown["age_band"], shown["age_band_label"], shown["is_young_person"]) == (
        "16_17",
        "16-17",
        True,
    )
    assert "Young person: yes, age band 16-17" in ok(database, capsys, "person", "show", "kai")

    listed = ok(database, capsys, "person", "list")
    assert listed.startswith(
        f"{ana['id']:>5}  Ana López\n       Youth worker; Hackney CVS; Hackney\n"
    )
    assert f"{kid:>5}  Kai  [young person]\n" in listed
    for flags, ids in [
        ([], [ana["id"], ben, kid]),
        (["--organisation", "Hackney CVS"], [ana["id"]]),
        (["--young-people"], [kid]),
        (["--search", "okafor"], [ben]),
        (["--borough", "Hackney"], [ana["id"]]),
        (["--limit", "2"], [ana["id"], ben]),
    ]:
        found = json.loads(ok(database, capsys, "person", "list", *flags, "--json"))
        assert [r["id"] for r in found["people"]] == ids, flags
    assert ok(database, capsys, "person", "list", "--search", "zzz") == "No people match.\n"


def test_person_refuses_bad_values_and_names(database, capsys):
    assert ok(database, capsys, "person", "list") == "No people yet.\n"
    status, out, err = run(
        database, capsys, "person", "add", "Ana López", "--email", "nope", "--borough", "Nowhere",
        "--organisation", "Hackney CVS",
    )  # fmt: skip
    assert (status, out) == (1, "")
    assert 'There is no organisation called "Hackney CVS": there are no organisations yet.' in err
    status, _, err = run(
        database, capsys, "person", "add", "Ana López", "--email", "nope", "--borough", "Nowhere"
    )
    assert status == 1
    assert "E-mail: 'nope' is not an e-mail address" in err
    assert "Borough: 'Nowhere' is not a London borough (closest:" in err
    assert ok(database, capsys, "person", "list") == "No people yet.\n"
    status, _, err = run(database, capsys, "person", "add", "")
    assert status == 1 and "Full name:" in err
    status, _, err = run(database, capsys, "person", "show", "Ana")
    assert status == 1 and 'There is no person called "Ana": there are no people yet.' in err

    first = new_id(database, capsys, "person", "add", "Ana López", "--email", "ana@example.org")
    status, _, err = run(database, capsys, "person", "add", "Ana López")
    assert (
        status == 1
        and f"Full name: this looks like someone already recorded: Ana López (id {first}" in err
    )
    second = new_id(
        database,
        capsys,
        "person",
        "add",
        "Ana López",
        "--job-title",
        "Teacher",
        "--allow-duplicate",
    )
    status, out, err = run(database, capsys, "person", "show", "ana lópez")
    assert (status, out) == (1, "")
    assert f'2 people are called "ana lópez": id {first}: Ana López (ana@example.org); ' in err
    assert f"id {second}: Ana López (Teacher). Give the id of the one you mean." in err
    assert (
        json.loads(ok(database, capsys, "person", "show", str(second), "--json"))["job_title"]
        == "Teacher"
    )
    status, _, err = run(database, capsys, "person", "show", "Anna Lopes")
    assert status == 1 and 'There is no person called "Anna Lopes". Closest: Ana López (id ' in err
    status, _, err = run(database, capsys, "person", "edit", str(first), "--email", "bad@")
    assert status == 1 and "E-mail: 'bad@' is not an e-mail address" in err


def test_person_young_people_keep_the_data_protection_rules(database, capsys):
    status, out, err = run(database, capsys, "person", "add", "Kai", "--young-person")
    assert (status, out) == (1, "")
    assert "Age band: a young person needs an age band (never a date of birth)" in err
    status, _, err = run(database, capsys, "person", "add", "Kai", "--age-band", "16-17")
    assert status == 1 and "Young person: the age band 16-17 is under 18" in err
    status, _, err = run(
        database, capsys, "person", "add", "Kai", "--young-person", "--age-band", "twelve"
    )
    assert status == 1 and "Age band: 'twelve' is not an age band" in err
    status, _, err = run(database, capsys, "person", "add", "Kai", "--date-of-birth", "2010-01-01")
    assert status == 2 and "unrecognized arguments" in err
    assert ok(database, capsys, "person", "list") == "No people yet.\n"

    status, out, err = run(
        database, capsys, "person", "add", "Sam", "--young-person", "--age-band", "Under 13"
    )
    sam = int(out)
    assert status == 0 and "Note: Sam is under 13" in err
    assert f"vru-crm person consent {sam} --purpose contact --parent NAME" in err
    status, out, err = run(database, capsys, "person", "consent", "sam", "--purpose", "contact")
    assert (status, out) == (1, "")
    assert "Given by: a young person under 13 cannot consent for themselves" in err
    status, _, err = run(
        database,
        capsys,
        "person",
        "consent",
        "sam",
        "--purpose",
        "fun",
        "--parent",
        "Jo Sam",
        "--relationship",
        "mother",
    )
    assert status == 1 and "Purpose:" in err
    consent = json.loads(
        ok(
            database,
            capsys,
            "person",
            "consent",
            "sam",
            "--purpose",
            "contact",
            "--parent",
            "Jo Sam",
            "--relationship",
            "mother",
            "--given-on",
            "2024-03-01",
            "--json",
        )  # fmt: skip
    )
    assert (consent["given_by"], consent["given_by_name"], consent["given_on"]) == (
        "parent_carer",
        "Jo Sam",
        "2024-03-01",
    )
    status, _, err = run(database, capsys, "person", "edit", "sam", "--notes", "YPAG member")
    assert status == 0 and "Note:" not in err
    # Becoming an adult: the under-18 band goes with the flag.
    record = json.loads(
        ok(database, capsys, "person", "edit", "sam", "--not-young-person", "--json")
    )
    assert (record["is_young_person"], record["age_band"]) == (False, None)


def test_person_edit_affiliations_merge_and_delete(database, capsys, cvs, monkeypatch):
    other = new_id(database, capsys, "organisation", "add", "MOPAC", "--sector", "police")
    ana = new_id(database, capsys, "person", "add", "Ana López", "--organisation", "Hackney CVS")
    record = json.loads(
        ok(
            database,
            capsys,
            "person",
            "edit",
            "ana lopez",
            "--organisation",
            "MOPAC:Analyst",
            "--organisation",
            "Hackney CVS:Chair",
            "--job-title",
            "Analyst",
            "--json",
        )  # fmt: skip
    )
    assert record["version"] == 2 and record["job_title"] == "Analyst"
    assert sorted((a["organisation_id"], a["role"]) for a in record["affiliations"]) == [
        (cvs, "Chair"),
        (other, "Analyst"),
    ]
    out = ok(
        database,
        capsys,
        "person",
        "edit",
        str(ana),
        "--leave",
        "hackney cvs",
        "--left-on",
        "2020-01-31",
    )
    assert "    formerly Hackney CVS (Chair), to 2020-01-31\n" in out
    status, _, err = run(database, capsys, "person", "edit", str(ana), "--leave", "hackney cvs")
    assert (
        status == 1 and "Affiliations: Ana López has no current affiliation with Hackney CVS" in err
    )
    status, _, err = run(database, capsys, "person", "edit", str(ana), "--left-on", "2020-01-31")
    assert status == 2 and "--left-on goes with --leave" in err
    status, _, err = run(
        database, capsys, "person", "edit", str(ana), "--organisation", "MOPAC:" + "x" * 201
    )
    assert status == 1 and "Affiliations: MOPAC: the role is too long" in err

    dup = new_id(
        database,
        capsys,
        "person",
        "add",
        "Ana Lopez",
        "--email",
        "ana@example.org",
        "--organisation",
        "MOPAC",
        "--allow-duplicate",
    )
    script(monkeypatch)
    status, _, err = run(database, capsys, "person", "merge", str(ana), str(dup))
    assert status == 2 and "add --yes" in err
    merged = json.loads(
        ok(database, capsys, "person", "merge", str(ana), str(dup), "--yes", "--json")
    )
    assert (merged["id"], merged["merged_id"], merged["email"]) == (ana, dup, "ana@example.org")
    assert merged["moved"]["affiliations"] == 1
    status, _, err = run(database, capsys, "person", "show", str(dup))
    assert status == 1 and f'There is no person with id {dup} or called "{dup}"' in err
    asked = answer(monkeypatch, "yes")
    out = ok(database, capsys, "person", "delete", "Ana López")
    assert asked == [f'Delete "Ana López" (id {ana}) with 3 affiliations? [y/N] ']
    assert out == f'Deleted "Ana López" (id {ana}) with 3 affiliations.\n'
    assert ok(database, capsys, "person", "list") == "No people yet.\n"


# -- engagements -----------------------------------------------------------------------------
def test_engagement_log_show_list_edit_and_delete(database, capsys, cvs, monkeypatch):
    ana = new_id(database, capsys, "person", "add", "Ana López", "--organisation", "Hackney CVS")
    prg = new_id(
        database, capsys, "network", "add", "Partnership Reference Group", "--short", "PRG"
    )
    ok(database, capsys, "network", "join", "PRG", "--organisation", "Hackney CVS")
    first = new_id(
        database, capsys, "engagement", "log", "--date", "2019-05-01", "--kind", "Phone call",
        "--organisation", "hackney cvs", "--person", "ana lopez", "--objective", "1",
        "--people-reached", "12", "--summary", "Talked about the summer programme",
        "--follow-up", "2019-05-15",
    )  # fmt: skip
    shown = json.loads(ok(database, capsys, "engagement", "show", str(first), "--json"))
    assert (shown["kind"], shown["kind_label"], shown["occurred_on"]) == (
        "call",
        "Call",
        "2019-05-01",
    )
    assert shown["organisations"] == [{"id": cvs, "name": "Hackney CVS"}]
    assert shown["people"] == [{"id": ana, "name": "Ana López"}]
    assert shown["boroughs"] == ["Hackney"]  # from the organisation, as in the form
    assert shown["networks"] == [{"id": prg, "name": "Partnership Reference Group"}]
    assert (shown["people_reached"], shown["follow_up_on"], shown["version"]) == (
        12,
        "2019-05-15",
        1,
    )
    out = ok(database, capsys, "engagement", "show", str(first))
    assert out.startswith(f"Engagement {first} (version 1): 2019-05-01, Call\n")
    assert f"  Organisations:  Hackney CVS [{cvs}]\n" in out
    assert "  Follow-up on:   2019-05-15 (open)\n" in out

    second = json.loads(
        ok(
            database,
            capsys,
            "engagement",
            "log",
            "--kind",
            "event",
            "--date",
            "10/06/2019",
            "--borough",
            "Newham",
            "--network",
            "none",
            "--summary",
            "Youth event",
            "--notable",
            "--json",
        )  # fmt: skip
    )
    assert (second["boroughs"], second["networks"], second["is_notable"]) == (["Newham"], [], True)
    listed = ok(database, capsys, "engagement", "list")
    assert listed.startswith(f"{second['id']:>6}  2019-06-10  Event          Youth event\n")
    assert (
        f"{first:>6}  2019-05-01  Call           Talked about the summer programme  [follow up 2019-05-15]\n"
        in listed
    )
    for flags, ids in [
        ([], [second["id"], first]),
        (["--from", "2019-06-01"], [second["id"]]),
        (["--to", "2019-05-31"], [first]),
        (["--kind", "call"], [first]),
        (["--kind", "Phone call"], [first]),
        (["--organisation", "Hackney CVS"], [first]),
        (["--borough", "newham"], [second["id"]]),
        (["--limit", "1"], [second["id"]]),
    ]:
        found = json.loads(ok(database, capsys, "engagement", "list", *flags, "--json"))
        assert [r["id"] for r in found["engagements"]] == ids, flags
    assert (
        json.loads(
            ok(database, capsys, "engagement", "list", "--organisation", "Hackney CVS", "--json")
        )["total"]
        == 1
    )

    out = ok(
        database,
        capsys,
        "engagement",
        "edit",
        str(first),
        "--summary",
        "Summer programme agreed",
        "--done",
        "--person",
        "none",
    )
    assert out.startswith(f"Saved.\nEngagement {first} (version ")  # a new version
    assert "): 2019-05-01, Call\n" in out
    assert "Follow-up on:   2019-05-15 (done)" in out and "People:" not in out
    edited = json.loads(
        ok(
            database,
            capsys,
            "engagement",
            "edit",
            str(first),
            "--no-follow-up",
            "--not-notable",
            "--json",
        )
    )
    assert (edited["follow_up_on"], edited["summary"]) == (None, "Summer programme agreed")
    assert edited["version"] > 2
    assert ok(database, capsys, "engagement", "edit", str(first)).startswith("Nothing to change.\n")

    script(monkeypatch)
    status, _, err = run(database, capsys, "engagement", "delete", str(first))
    assert status == 2 and "add --yes" in err
    asked = answer(monkeypatch, "")
    status, _, err = run(database, capsys, "engagement", "delete", str(first))
    assert status == 1 and "Nothing was deleted." in err
    assert asked == [f'Delete engagement {first} of 2019-05-01 ("Summer programme agreed")? [y/N] ']
    gone = json.loads(ok(database, capsys, "engagement", "delete", str(first), "--yes", "--json"))
    assert gone == {"deleted": "engagement", "id": first, "summary": "Summer programme agreed"}
    status, _, err = run(database, capsys, "engagement", "show", str(first))
    assert status == 1 and f"Engagement {first} no longer exists." in err


def test_engagement_refuses_bad_input_in_words(database, capsys):
    assert ok(database, capsys, "engagement", "list") == "No engagements yet.\n"
    status, out, err = run(
        database, capsys, "engagement", "log", "--kind", "chat", "--summary", " ",
        "--people-reached", "-3", "--objective", "12", "--borough", "Hackny",
    )  # fmt: skip
    assert (status, out) == (1, "")
    assert "Kind: 'chat' is not a kind of engagement. Use one of, closest first:" in err
    assert "Summary: a summary is required" in err
    assert "People reached: the number of people reached must be a whole number, 0 or more" in err
    assert "Objectives: '12' is not one of the objectives" in err
    assert "Boroughs: 'Hackny' is not a London borough (closest: Hackney;" in err
    status, _, err = run(
        database,
        capsys,
        "engagement",
        "log",
        "--kind",
        "visit",
        "--summary",
        "s",
        "--date",
        "2019-02-30",
    )
    assert status == 2 and '"2019-02-30" is not a real date' in err
    status, _, err = run(
        database, capsys, "engagement", "log", "--kind", "visit", "--summary", "s", "--date",
        "2019-05-01", "--follow-up", "2019-04-01",
    )  # fmt: skip
    assert status == 1 and "Follow-up on: the follow-up date is before the engagement" in err
    status, _, err = run(
        database,
        capsys,
        "engagement",
        "log",
        "--kind",
        "visit",
        "--summary",
        "s",
        "--person",
        "Nobody",
    )
    assert status == 1 and 'There is no person called "Nobody": there are no people yet.' in err
    status, _, err = run(
        database,
        capsys,
        "engagement",
        "log",
        "--kind",
        "visit",
        "--summary",
        "s",
        "--network",
        "PRG",
    )
    assert status == 1 and 'There is no network called "PRG": there are no networks yet.' in err
    status, _, err = run(database, capsys, "engagement", "log", "--kind", "visit")
    assert status == 2 and "--summary" in err
    status, _, err = run(
        database,
        capsys,
        "engagement",
        "log",
        "--kind",
        "visit",
        "--summary",
        "s",
        "--people-reached",
        "many",
    )
    assert status == 2 and "invalid int value" in err
    assert ok(database, capsys, "engagement", "list") == "No engagements yet.\n"
    status, _, err = run(database, capsys, "engagement", "show", "99")
    assert status == 1 and "Engagement 99 no longer exists." in err
    status, _, err = run(database, capsys, "engagement", "edit", "99", "--summary", "x")
    assert status == 1 and "There is no engagement with id 99" in err
    status, _, err = run(
        database, capsys, "engagement", "list", "--from", "2020-01-01", "--to", "2019-01-01"
    )
    assert status == 2 and "--to is before --from" in err
    status, _, err = run(database, capsys, "engagement", "list", "--kind", "telegram")
    assert status == 1 and "Kind: 'telegram' is not a kind of engagement" in err
