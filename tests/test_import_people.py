"""Importing people and their jobs on both backends."""

from datetime import date
from pathlib import Path

import pytest

from vru_crm.io.importer import import_file
from vru_crm.services import people

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def with_organisations(database):
    assert import_file(database, "organisations", FIXTURES / "organisations.csv").ok
    return database


def _person(database, name: str) -> people.PersonRecord:
    [match] = people.person_index(database).find(name, None, [])
    return people.get_person(database, match.id)


def test_people_with_their_jobs(with_organisations):
    database = with_organisations
    report = import_file(database, "people", FIXTURES / "people.csv")
    assert report.ok and report.imported == 3
    amira = _person(database, "Amira Khan")
    assert amira.email == "amira@hackneycvs.org.uk" and amira.borough_name == "Hackney"
    assert [(a.organisation_name, a.role, a.start_date) for a in amira.affiliations] == [
        ("Hackney CVS", "Director", date(2019, 1, 1))
    ]
    sam = _person(database, "Sam Lee")
    assert sam.is_young_person and sam.age_band == "16_17" and sam.notes == "YPAG member"
    assert sorted((a.organisation_name, a.role, a.start_date) for a in sam.affiliations) == [
        ("Hackney CVS", "Trustee", date(2020, 9, 1)),
        ("Redthread", "Volunteer", date(2020, 10, 1)),
    ]
    jo = _person(database, "Jo Adams")
    assert [(a.start_date, a.end_date) for a in jo.affiliations] == [
        (date(2015, 1, 1), date(2019, 12, 31))
    ]


def test_organisation_must_exist_and_the_closest_is_suggested(with_organisations, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "name,organisation,role,email\n"
        "A,Hackney CSV,Chair,\n"
        "B,Nowhere Trust,Chair,b@x.org\n"
        "C,Hackney CVS;Redthread,Chair;Trustee;Extra,\n"
        "D,Redthread,,d@x.org\n"
        "E,,,D@X.ORG\n"
    )
    report = import_file(with_organisations, "people", path)
    assert [str(p) for p in report.problems] == [
        "row 2, column 'organisation': there is no organisation called 'Hackney CSV'. Did you mean 'Hackney CVS'?",
        "row 3, column 'organisation': there is no organisation called 'Nowhere Trust'.",
        "row 4, column 'role': give one role for all the organisations, or one each (2 organisations, 3 values)",
        "row 6, column 'email': repeats row 5 (same e-mail address (d@x.org))",
    ]
    assert people.person_index(with_organisations).find("D", "d@x.org", []) == []  # nothing written


def test_young_person_without_age_band_and_bad_values(with_organisations, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "name,organisation,role,email,young_person,age_band,phone,since\n"
        "YP,,,,yes,,,\n"
        "Z,,,,perhaps,born 2005,12,31/31/2020\n"
    )
    report = import_file(with_organisations, "people", path)
    by_cell = {(p.row, p.column): p.message for p in report.problems}
    assert "needs an age band" in by_cell[(2, "age_band")]
    assert by_cell[(3, "young_person")] == "'perhaps' is not yes or no (for young_person)"
    assert "is not an age band" in by_cell[(3, "age_band")]
    assert "does not look like a phone number" in by_cell[(3, "phone")]
    assert by_cell[(3, "since")] == "'31/31/2020' is not a date: use YYYY-MM-DD or DD/MM/YYYY"


def test_existing_person_is_a_duplicate(with_organisations):
    people.create_person(
        with_organisations,
        people.PersonInput(full_name="Someone Else", email="AMIRA@hackneycvs.org.uk"),
    )
    report = import_file(with_organisations, "people", FIXTURES / "people.csv")
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "email")
    assert (
        problem.message
        == "already in the database as 'Someone Else' (same e-mail address (amira@hackneycvs.org.uk))"
    )
