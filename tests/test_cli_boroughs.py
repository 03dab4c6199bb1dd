"""``vru-crm boroughs``: list the boroughs, and change which are priority boroughs, all or nothing."""

import json

from main import main
from vru_crm.services.reference import list_boroughs


def _priority(database) -> set[str]:
    return {b.name for b in list_boroughs(database) if b.is_priority}


def test_boroughs_are_listed_with_the_priority_ones_marked(database, db_url, capsys):
    assert main(["--db", db_url, "boroughs", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 33
    assert {r["name"] for r in rows if r["priority"]} == _priority(database)


def test_marking_and_unmarking_priority_boroughs(database, db_url, capsys):
    before = _priority(database)
    assert "Southwark" in before and "City of London" not in before
    assert (
        main(["--db", db_url, "boroughs", "--priority", "city of london", "--not-priority", "SWK"])
        == 0
    )
    out = capsys.readouterr().out
    assert "* City of London" in out and "Changed 2 borough(s)" in out
    assert _priority(database) == (before - {"Southwark"}) | {"City of London"}


def test_a_misspelt_borough_changes_nothing_and_suggests_the_name(database, db_url, capsys):
    before = _priority(database)
    assert main(["--db", db_url, "boroughs", "--priority", "City of London", "Southwrk"]) == 1
    err = capsys.readouterr().err
    assert "'Southwrk' is not a London borough. Did you mean 'Southwark'?" in err
    assert "Traceback" not in err
    assert _priority(database) == before
