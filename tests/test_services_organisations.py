"""Organisations through the services, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlmodel import select

from db.errors import ConcurrentEditError
from db.models import AuditEntry
from vru_crm.errors import NotFound, ValidationError
from vru_crm.services import organisations as orgs
from vru_crm.services.reference import find_borough


def _org(database, name="Hackney CVS", borough="Hackney", **extra) -> orgs.OrganisationRecord:
    borough_ids = [find_borough(database, borough).id] if borough else []
    return orgs.create_organisation(
        database,
        orgs.OrganisationInput(
            name=name, sector=extra.pop("sector", "charity"), borough_ids=borough_ids, **extra
        ),
    )


def test_create_and_read_back(database):
    made = _org(
        database,
        website="hackneycvs.org.uk",
        email="Info@HackneyCVS.org.uk",
        phone="020 7923 8360",
        tags=["VCS", "infrastructure", "vcs"],
        is_priority=True,
        notes=" umbrella body ",
    )
    got = orgs.get_organisation(database, made.id)
    assert got == made
    assert got.borough_names == ("Hackney",)
    assert got.website == "https://hackneycvs.org.uk"
    assert got.email == "info@hackneycvs.org.uk"
    assert (
        got.tags == ("VCS", "infrastructure") and got.is_priority and got.notes == "umbrella body"
    )


def test_bad_input_names_each_field(database):
    with pytest.raises(ValidationError) as error:
        orgs.create_organisation(
            database,
            orgs.OrganisationInput(
                name=" ", sector="pub", email="bob@", website="not a url", borough_ids=[999]
            ),
        )
    fields = error.value.fields
    assert fields["name"] == "a name is required"
    assert "bob@" in fields["email"] and "not a url" in fields["website"]
    assert set(fields) >= {"name", "email", "website"}
    assert orgs.organisation_index(database).find("x", "bob@", []) == []  # nothing was written


def test_unknown_sector_and_borough_are_refused(database):
    with pytest.raises(ValidationError) as error:
        orgs.create_organisation(
            database, orgs.OrganisationInput(name="X", sector="pub", borough_ids=[999])
        )
    assert error.value.fields == {
        "sector": "'pub' is not a sector",
        "boroughs": "no borough with id 999",
    }


def test_update_replaces_boroughs_and_tags(database):
    made = _org(database, tags=["a", "b"])
    lambeth = find_borough(database, "Lambeth").id
    data = orgs.OrganisationInput(
        name="Hackney CVS", sector="charity", borough_ids=[lambeth], tags=["b", "c"]
    )
    updated = orgs.update_organisation(database, made.id, data, version=made.version)
    assert updated.borough_names == ("Lambeth",) and updated.tags == ("b", "c")
    assert updated.version == made.version + 1


def test_update_over_a_newer_version_is_refused(database):
    made = _org(database)
    data = orgs.OrganisationInput(name="First edit", sector="charity")
    orgs.update_organisation(database, made.id, data, version=made.version)
    with pytest.raises(ConcurrentEditError, match="Someone else saved this record"):
        orgs.update_organisation(
            database, made.id, orgs.OrganisationInput(name="Second", sector="charity"), made.version
        )
    assert orgs.get_organisation(database, made.id).name == "First edit"


def test_delete_and_not_found(database):
    made = _org(database)
    orgs.delete_organisation(database, made.id, version=made.version)
    with pytest.raises(NotFound, match="no organisation with id"):
        orgs.get_organisation(database, made.id)
    with database.session() as s:
        actions = [
            e.action for e in s.exec(select(AuditEntry).where(AuditEntry.entity == "organisation"))
        ]
    assert actions == ["create", "delete"]


def test_duplicates_by_email_or_near_identical_name_in_the_borough(database):
    made = _org(database, email="info@hackneycvs.org.uk")

    def dup(name, borough="Hackney", email=None):
        data = orgs.OrganisationInput(
            name=name,
            sector="charity",
            email=email,
            borough_ids=[find_borough(database, borough).id],
        )
        return orgs.find_duplicate_organisations(database, data)

    [match] = dup("The Hackney C.V.S. Ltd")
    assert match.id == made.id and match.name == "Hackney CVS" and "same name" in match.reason
    assert dup("Hackney CVS", borough="Croydon") == []
    assert [m.reason for m in dup("Other", borough="Croydon", email="INFO@hackneycvs.org.uk")] == [
        "same e-mail address (info@hackneycvs.org.uk)"
    ]
    assert (
        orgs.find_duplicate_organisations(
            database,
            orgs.OrganisationInput(
                name="Hackney CVS",
                sector="charity",
                borough_ids=[find_borough(database, "Hackney").id],
            ),
            exclude_id=made.id,
        )
        == []
    )


def test_assessments_keep_their_history(database):
    made = _org(database)
    orgs.add_assessment(
        database, orgs.AssessmentInput(made.id, 2, 3, 4, assessed_on=date(2020, 1, 1))
    )
    orgs.add_assessment(
        database, orgs.AssessmentInput(made.id, 4, 4, 5, assessed_on=date(2021, 1, 1))
    )
    history = orgs.assessment_history(database, made.id)
    assert [(a.assessed_on.year, a.influence) for a in history] == [(2021, 4), (2020, 2)]
    assert history[0].assessed_by == "tester"
    with pytest.raises(ValidationError) as error:
        orgs.add_assessment(database, orgs.AssessmentInput(made.id, 0, 3, 6))
    assert set(error.value.fields) == {"influence", "support"}
