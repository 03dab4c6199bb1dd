"""The engagement log through the services, on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.errors import ConcurrentEditError
from db.models import Network, StaffUser
from vru_crm.errors import NotFound, ValidationError
from vru_crm.london import today_in_london
from vru_crm.services import engagements as eng
from vru_crm.services import organisations as orgs
from vru_crm.services import people
from vru_crm.services.reference import find_borough, list_objectives


@pytest.fixture
def partners(database):
    hackney, lambeth = find_borough(database, "Hackney").id, find_borough(database, "Lambeth").id
    a = orgs.create_organisation(
        database, orgs.OrganisationInput(name="A", sector="charity", borough_ids=[hackney])
    )
    b = orgs.create_organisation(
        database, orgs.OrganisationInput(name="B", sector="faith", borough_ids=[lambeth, hackney])
    )
    person = people.create_person(database, people.PersonInput(full_name="P"))
    with database.session() as s:
        network = Network(name="Grassroots network", kind="network")
        s.add(network)
        s.flush()
        network_id = network.id
    return {
        "orgs": [a.id, b.id],
        "boroughs": [hackney, lambeth],
        "person": person.id,
        "network": network_id,
    }


def test_log_in_seconds_with_defaults(database, partners):
    made = eng.create_engagement(
        database,
        eng.EngagementInput(
            kind="visit", organisation_ids=partners["orgs"], summary="Met the youth team"
        ),
    )
    assert made.occurred_on == today_in_london()
    assert made.borough_ids == tuple(
        sorted(partners["boroughs"])
    )  # inferred from the organisations
    assert made.logged_by == "tester"
    assert eng.get_engagement(database, made.id) == made


def test_every_field_is_kept(database, partners):
    objectives = [o.id for o in list_objectives(database)[:2]]
    made = eng.create_engagement(
        database,
        eng.EngagementInput(
            kind="event",
            occurred_on=date(2019, 1, 14),
            organisation_ids=[partners["orgs"][0]],
            person_ids=[partners["person"]],
            borough_ids=[partners["boroughs"][1]],
            network_ids=[partners["network"]],
            objective_ids=objectives,
            summary="Community event",
            outcome="200+ signed up",
            people_reached=200,
            follow_up_on=date(2019, 2, 1),
            is_notable=True,
            logged_by="amina.khan",
        ),
    )
    got = eng.get_engagement(database, made.id)
    assert got.borough_ids == (partners["boroughs"][1],)  # given boroughs win over inferred ones
    assert got.person_ids == (partners["person"],) and got.network_ids == (partners["network"],)
    assert got.objective_ids == tuple(sorted(objectives)) and got.people_reached == 200
    assert got.is_notable and got.logged_by == "amina.khan" and got.follow_up_on == date(2019, 2, 1)
    with database.session() as s:
        assert (
            s.exec(select(StaffUser).where(StaffUser.username == "amina.khan")).one().display_name
            == "amina.khan"
        )


def test_staff_user_is_created_once(database, partners):
    for _ in range(2):
        eng.create_engagement(
            database, eng.EngagementInput(kind="call", summary="x", logged_by="sam")
        )
    with database.session() as s:
        assert len(s.exec(select(StaffUser).where(StaffUser.username == "sam")).all()) == 1


def test_bad_input(database, partners):
    with pytest.raises(ValidationError) as error:
        eng.create_engagement(
            database,
            eng.EngagementInput(
                kind="lunch",
                summary="",
                people_reached=-1,
                occurred_on=date(2020, 5, 1),
                follow_up_on=date(2020, 4, 1),
            ),
        )
    fields = error.value.fields
    assert "'lunch' is not a kind of engagement" in fields["kind"]
    assert fields["summary"].startswith("a summary is required")
    assert (
        "0 or more" in fields["people_reached"]
        and "before the engagement" in fields["follow_up_on"]
    )
    with pytest.raises(ValidationError) as error:
        eng.create_engagement(
            database, eng.EngagementInput(kind="call", summary="x", organisation_ids=[9999])
        )
    assert error.value.fields == {
        "organisation_ids": "no organisation with id 9999 (it may have been deleted)"
    }


def test_update_mark_follow_up_done_and_conflicts(database, partners):
    made = eng.create_engagement(
        database,
        eng.EngagementInput(
            kind="call",
            summary="x",
            organisation_ids=partners["orgs"],
            follow_up_on=today_in_london() + timedelta(days=7),
        ),
    )
    data = eng.EngagementInput(
        kind="call",
        summary="x",
        organisation_ids=[partners["orgs"][0]],
        follow_up_done=True,
        follow_up_on=made.follow_up_on,
    )
    updated = eng.update_engagement(database, made.id, data, version=made.version)
    assert updated.follow_up_done and updated.organisation_ids == (partners["orgs"][0],)
    assert updated.borough_ids == (partners["boroughs"][0],)
    with pytest.raises(ConcurrentEditError):
        eng.update_engagement(database, made.id, data, version=made.version)
    eng.delete_engagement(database, made.id, version=updated.version)
    with pytest.raises(NotFound):
        eng.get_engagement(database, made.id)
