"""People and affiliations through the services, on SQLite and PostgreSQL."""

from datetime import date

import pytest

from db.errors import ConcurrentEditError
from vru_crm.errors import NotFound, ValidationError
from vru_crm.services import organisations as orgs
from vru_crm.services import people
from vru_crm.services.reference import find_borough


def test_person_with_affiliations_over_time(database):
    org = orgs.create_organisation(
        database, orgs.OrganisationInput(name="Redthread", sector="charity")
    )
    made = people.create_person(
        database,
        people.PersonInput(
            full_name=" Amira Khan ",
            email="Amira@redthread.org.uk",
            borough_id=find_borough(database, "Lambeth").id,
            job_title="Youth worker",
        ),
    )
    first = people.add_affiliation(
        database, people.AffiliationInput(made.id, org.id, "Youth worker", date(2019, 1, 1))
    )
    ended = people.end_affiliation(database, first.id, date(2020, 6, 30))
    people.add_affiliation(
        database, people.AffiliationInput(made.id, org.id, "Manager", date(2020, 7, 1))
    )
    got = people.get_person(database, made.id)
    assert (
        got.full_name == "Amira Khan"
        and got.email == "amira@redthread.org.uk"
        and got.borough_name == "Lambeth"
    )
    assert [(a.role, a.end_date) for a in got.affiliations] == [
        ("Manager", None),
        ("Youth worker", date(2020, 6, 30)),
    ]
    assert not ended.is_current and got.affiliations[0].is_current
    assert got.affiliations[0].organisation_name == "Redthread"


def test_young_person_needs_an_age_band_not_a_birth_date(database):
    with pytest.raises(ValidationError) as error:
        people.create_person(database, people.PersonInput(full_name="YP", is_young_person=True))
    assert "age band" in error.value.fields["age_band"]
    with pytest.raises(ValidationError, match="is not an age band"):
        people.create_person(
            database,
            people.PersonInput(full_name="YP", is_young_person=True, age_band="2005-01-01"),
        )
    made = people.create_person(
        database, people.PersonInput(full_name="YP", is_young_person=True, age_band="16-17")
    )
    assert made.age_band == "16_17"


def test_bad_fields_and_missing_records(database):
    with pytest.raises(ValidationError) as error:
        people.create_person(
            database, people.PersonInput(full_name="", email="x@", phone="123", borough_id=999)
        )
    assert set(error.value.fields) == {"full_name", "email", "phone", "borough"}
    with pytest.raises(NotFound):
        people.add_affiliation(database, people.AffiliationInput(12345, 1))
    made = people.create_person(database, people.PersonInput(full_name="A"))
    with pytest.raises(ValidationError, match="before the start"):
        people.add_affiliation(
            database,
            people.AffiliationInput(
                made.id, 1, start_date=date(2020, 1, 2), end_date=date(2020, 1, 1)
            ),
        )


def test_concurrent_edit_and_delete(database):
    made = people.create_person(database, people.PersonInput(full_name="A"))
    people.update_person(database, made.id, people.PersonInput(full_name="B"), version=made.version)
    with pytest.raises(ConcurrentEditError):
        people.update_person(
            database, made.id, people.PersonInput(full_name="C"), version=made.version
        )
    with pytest.raises(ConcurrentEditError):
        people.delete_person(database, made.id, version=made.version)
    people.delete_person(database, made.id)
    with pytest.raises(NotFound):
        people.get_person(database, made.id)


def test_duplicate_people(database):
    hackney = find_borough(database, "Hackney").id
    made = people.create_person(
        database,
        people.PersonInput(full_name="José Álvarez", email="jose@x.org", borough_id=hackney),
    )
    [match] = people.find_duplicate_people(
        database, people.PersonInput(full_name="Jose Alvarez", borough_id=hackney)
    )
    assert match.id == made.id
    assert (
        people.find_duplicate_people(
            database, people.PersonInput(full_name="Jose Alvarez", borough_id=hackney + 1)
        )
        == []
    )
    [by_email] = people.find_duplicate_people(
        database, people.PersonInput(full_name="J A", email="JOSE@x.org")
    )
    assert by_email.reason.startswith("same e-mail")
