"""`vru-crm history` and `vru-crm undo`: a change made by a command can be taken back by one.

On both backends: an edit's old values and links come back, a delete brings its row and the
rows that went with it, an import goes whole, a later change by someone else stops the undo
with words and touches nothing, and an erasure is never undone.
"""

import json

from db.migrate import open_database
from main import main
from vru_crm.services import organisations as orgs


def run(capsys, db_url: str, *args: str, user: str = "asha") -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["--db", db_url, "--user", user, *args])
    out, err = capsys.readouterr()
    return status, out, err


def history(capsys, db_url: str) -> list[dict]:
    status, out, _ = run(capsys, db_url, "history", "--json")
    assert status == 0
    return json.loads(out)


def organisation(db_url: str, org_id: int):
    database = open_database(db_url, username="reader")
    try:
        return orgs.get_organisation(database, org_id)
    finally:
        database.dispose()


def add_hackney_cvs(capsys, db_url: str) -> int:
    status, out, err = run(
        capsys,
        db_url,
        "organisation",
        "add",
        "Hackney CVS",
        "--sector",
        "charity",
        "--borough",
        "Hackney",
        "--phone",
        "020 7946 0018",
    )
    assert status == 0, err
    return int(out.strip())


def test_an_edit_is_undone_with_its_links_and_undo_again_goes_further_back(capsys, db_url):
    org_id = add_hackney_cvs(capsys, db_url)
    status, _, err = run(
        capsys, db_url, "organisation", "edit", str(org_id), "--phone", "020 7946 0999",
        "--borough", "Camden",
    )  # fmt: skip
    assert status == 0, err

    status, out, err = run(capsys, db_url, "undo")
    assert status == 0, err
    assert 'updated organisation "Hackney CVS"' in out
    back = organisation(db_url, org_id)
    assert back.phone == "020 7946 0018"
    assert list(back.borough_names) == ["Hackney"]
    assert history(capsys, db_url)[0]["what"].startswith("undid change")

    status, out, err = run(capsys, db_url, "undo")  # the creation, as Ctrl+Z would go on
    assert status == 0, err
    assert "created organisation" in out
    status, out, err = run(capsys, db_url, "organisation", "list", "--json")
    assert json.loads(out)["total"] == 0

    status, _, err = run(capsys, db_url, "undo")
    assert status == 1
    assert "no change that is left to undo" in err


def test_undoing_the_undo_puts_the_change_back(capsys, db_url):
    org_id = add_hackney_cvs(capsys, db_url)
    run(capsys, db_url, "organisation", "edit", str(org_id), "--phone", "020 7946 0999")
    run(capsys, db_url, "undo")
    the_undo = history(capsys, db_url)[0]["change"]

    status, out, err = run(capsys, db_url, "undo", str(the_undo))
    assert status == 0, err
    assert organisation(db_url, org_id).phone == "020 7946 0999"

    status, _, err = run(capsys, db_url, "undo", str(the_undo))
    assert status == 1
    assert "undone already" in err


def test_a_later_change_by_someone_else_stops_the_undo_and_nothing_moves(capsys, db_url):
    org_id = add_hackney_cvs(capsys, db_url)
    run(capsys, db_url, "organisation", "edit", str(org_id), "--phone", "020 7946 0999")
    asha_edit = history(capsys, db_url)[0]["change"]
    status, _, err = run(
        capsys, db_url, "organisation", "edit", str(org_id), "--phone", "0800 111 2222", user="bob"
    )
    assert status == 0, err

    status, out, err = run(capsys, db_url, "undo", str(asha_edit))
    assert status == 1
    assert "changed again since (phone)" in err and "Nothing was changed" in err
    assert "Traceback" not in err
    assert organisation(db_url, org_id).phone == "0800 111 2222"


def test_a_delete_is_undone_with_the_rows_that_went_with_it(capsys, db_url):
    org_id = add_hackney_cvs(capsys, db_url)
    status, _, err = run(
        capsys, db_url, "person", "add", "Amina Yusuf", "--organisation", "Hackney CVS:Director"
    )
    assert status == 0, err
    status, _, err = run(capsys, db_url, "organisation", "delete", str(org_id), "--yes")
    assert status == 0, err

    status, out, err = run(capsys, db_url, "undo")
    assert status == 0, err
    assert 'deleted organisation "Hackney CVS"' in out
    back = organisation(db_url, org_id)
    assert back.name == "Hackney CVS" and back.phone == "020 7946 0018"
    assert list(back.borough_names) == ["Hackney"]
    status, out, _ = run(capsys, db_url, "person", "list", "--json")
    assert [p["full_name"] for p in json.loads(out)["people"]] == ["Amina Yusuf"]
    status, out, _ = run(capsys, db_url, "organisation", "show", str(org_id))
    assert "Amina Yusuf" in out


def test_an_import_is_undone_whole(capsys, db_url, tmp_path):
    sheet = tmp_path / "partners.csv"
    sheet.write_text(
        "name,sector,borough\nSafer Lambeth,charity,Lambeth\nCamden Youth,grassroots,Camden\n",
        encoding="utf-8",
    )
    status, _, err = run(capsys, db_url, "import", "organisations", str(sheet))
    assert status == 0, err
    status, out, err = run(capsys, db_url, "undo")
    assert status == 0, err
    status, out, _ = run(capsys, db_url, "organisation", "list", "--json")
    assert json.loads(out)["total"] == 0


def test_an_erasure_is_never_undone(capsys, db_url):
    status, out, err = run(
        capsys, db_url, "person", "add", "Kofi Mensah", "--young-person", "--age-band", "16-17"
    )
    assert status == 0, err
    person_id = out.strip().split()[0]
    status, _, err = run(capsys, db_url, "erase", person_id, "--yes")
    assert status == 0, err

    erasure = history(capsys, db_url)[0]["change"]
    status, _, err = run(capsys, db_url, "undo", str(erasure))
    assert status == 1
    assert "erasure cannot be undone" in err
    status, _, err = run(capsys, db_url, "undo")  # the person's creation: its values are gone
    assert status == 1
    assert "erased" in err
    status, out, _ = run(capsys, db_url, "person", "list", "--json")
    assert "Kofi" not in out


def test_bad_change_numbers_are_refused_in_words(capsys, db_url):
    status, _, err = run(capsys, db_url, "undo", "424242")
    assert status == 1
    assert "no change number 424242" in err
    status, out, _ = run(capsys, db_url, "history")
    assert status == 0
    assert "No changes recorded yet." in out
    status, _, err = run(capsys, db_url, "history", "--limit", "0")
    assert status == 2
