"""Actions owned by a person or a team, raised from a meeting or a recommendation, closed with a note."""

from datetime import date

import pytest
from governance_data import at, make_network, meeting, person

from db.errors import ConcurrentEditError
from vru_crm.errors import NotFound, ValidationError
from vru_crm.governance.actions import (
    Owner,
    close_action,
    create_action,
    delete_action,
    get_action,
    list_actions,
    overdue_actions,
    owner_choices,
    reopen_action,
    resolve_owner,
    update_action,
)
from vru_crm.governance.agenda import assemble_draft
from vru_crm.governance.letters import LetterInput, create_letter
from vru_crm.governance.recommendations import create_recommendation
from vru_crm.services.organisations import OrganisationInput, create_organisation


def team(database, name: str) -> int:
    return create_organisation(database, OrganisationInput(name=name, sector="police")).id


@pytest.fixture
def people(database):
    return {
        "lib": person(database, "Lib Peck"),
        "sadiq": person(database, "Sadiq Khan"),
        "sophie": person(database, "Sophie Linden"),
        "mopac": team(database, "MOPAC Evidence and Insight"),
        "vru": team(database, "Violence Reduction Unit"),
    }


@pytest.fixture
def prg(database):
    network = make_network(database)
    return {
        "network": network,
        "may": meeting(database, network, at(2019, 5, 1), "held"),
        "july": meeting(database, network, at(2019, 7, 30)),
        "october": meeting(database, network, at(2019, 10, 29)),
    }


def test_owners_are_found_by_name_any_case(database, people):
    assert resolve_owner(database, "  lib   PECK ") == Owner("person", people["lib"], "Lib Peck")
    assert resolve_owner(database, "violence reduction unit") == Owner(
        "organisation", people["vru"], "Violence Reduction Unit"
    )
    assert resolve_owner(database, f"person:{people['sadiq']}").name == "Sadiq Khan"
    assert resolve_owner(database, f"team:{people['mopac']}").kind == "organisation"
    with pytest.raises(NotFound, match="There is no person with id 999"):
        resolve_owner(database, "person:999")


def test_an_unknown_owner_lists_the_closest_first(database, people):
    with pytest.raises(NotFound) as error:
        resolve_owner(database, "Lib Pek")
    message = str(error.value)
    assert message.startswith('There is no person or team called "Lib Pek". Closest: Lib Peck')
    with pytest.raises(ValidationError, match="Owner: say who owns the action"):
        resolve_owner(database, "  ")


def test_two_records_with_one_name_must_be_told_apart(database, people):
    other = person(database, "Lib Peck")
    with pytest.raises(ValidationError) as error:
        resolve_owner(database, "Lib Peck")
    assert f"person:{people['lib']}" in str(error.value)
    assert f"person:{other}" in str(error.value)


def test_owner_choices_for_a_picker(database, people):
    assert [o.name for o in owner_choices(database, "lib")] == ["Lib Peck"]
    assert owner_choices(database, "so")[0].name == "Sophie Linden"
    assert [o.name for o in owner_choices(database, "violence")][0] == "Violence Reduction Unit"
    everyone = owner_choices(database, "")
    assert [o.name for o in everyone] == sorted(o.name for o in everyone)
    assert len(everyone) == 5 and len(owner_choices(database, "", limit=2)) == 2
    assert owner_choices(database, "zzzz") == []
    assert owner_choices(database, "lib")[0].label == "Lib Peck (person)"
    assert owner_choices(database, "mopac")[0].label == "MOPAC Evidence and Insight (team)"


def test_an_action_needs_a_meeting_or_a_recommendation(database, people):
    with pytest.raises(ValidationError) as error:
        create_action(database, "Map the stakeholders", owner_person_id=people["lib"])
    assert str(error.value) == (
        "Meeting: raise the action from a meeting or from a recommendation: say which"
    )
    with pytest.raises(ValidationError, match="Meeting: there is no meeting with id 77"):
        create_action(database, "Lost", meeting_id=77)
    with pytest.raises(ValidationError, match="Text: say what is to be done"):
        create_action(database, " ", meeting_id=77)
    assert list_actions(database) == []


def test_an_action_from_a_meeting_owned_by_a_person(database, people, prg):
    row = create_action(
        database,
        "  Map community stakeholders ",
        meeting_id=prg["may"],
        owner_person_id=people["lib"],
        due_date=date(2019, 6, 1),
    )
    assert (row.text, row.owner, row.owner_kind, row.owner_id) == (
        "Map community stakeholders",
        "Lib Peck",
        "person",
        people["lib"],
    )
    assert (row.meeting_date, row.network, row.status, row.closing_note) == (
        date(2019, 5, 1),
        "Partnership Reference Group",
        "open",
        None,
    )
    assert get_action(database, row.id) == row
    assert row.to_dict()["owner_kind"] == "person"


def test_an_action_from_a_recommendation_owned_by_a_team(database, people):
    letter = create_letter(database, LetterInput("Police and Crime Committee", date(2020, 4, 7)))
    rec = create_recommendation(database, letter_id=letter.id, text="Update the website")
    row = create_action(
        database,
        "Refresh the VRU pages",
        recommendation_id=rec.id,
        owner_organisation_id=people["vru"],
    )
    assert (row.owner, row.owner_kind, row.recommendation_id, row.meeting_id) == (
        "Violence Reduction Unit",
        "organisation",
        rec.id,
        None,
    )
    assert [a.id for a in list_actions(database, recommendation_id=rec.id)] == [row.id]


def test_one_owner_at_a_time(database, people, prg):
    with pytest.raises(ValidationError, match="Owner: an action has one owner"):
        create_action(
            database,
            "Both",
            meeting_id=prg["may"],
            owner_person_id=people["lib"],
            owner_organisation_id=people["vru"],
        )
    with pytest.raises(ValidationError, match="Owner: there is no person with id 999"):
        create_action(database, "Nobody", meeting_id=prg["may"], owner_person_id=999)
    row = create_action(database, "Switch", meeting_id=prg["may"], owner_person_id=people["lib"])
    to_team = update_action(database, row.id, row.version, owner_organisation_id=people["mopac"])
    assert (to_team.owner_kind, to_team.owner, to_team.owner_id) == (
        "organisation",
        "MOPAC Evidence and Insight",
        people["mopac"],
    )
    typed = update_action(database, row.id, owner="The VRU Director")
    assert (typed.owner, typed.owner_kind, typed.owner_id) == ("The VRU Director", None, None)
    back = update_action(database, row.id, owner_person_id=people["sadiq"])
    assert (back.owner, back.owner_kind) == ("Sadiq Khan", "person")
    cleared = update_action(database, row.id, owner_person_id=None, owner_organisation_id=None)
    assert (cleared.owner, cleared.owner_kind) == (None, None)
    with pytest.raises(ConcurrentEditError):
        update_action(database, row.id, row.version, text="Stale")
    with pytest.raises(ValidationError, match="Meeting: raise the action"):
        update_action(database, row.id, meeting_id=None)


def test_an_older_free_text_owner_is_still_accepted(database, prg):
    row = create_action(database, "Circulate", meeting_id=prg["may"], owner="VRU Director")
    assert (row.owner, row.owner_kind) == ("VRU Director", None)


def test_close_with_a_note_reopen_and_delete(database, people, prg):
    row = create_action(
        database,
        "Share the principles",
        meeting_id=prg["may"],
        owner_person_id=people["lib"],
        due_date=date(2019, 6, 1),
    )
    assert [a.id for a in overdue_actions(database, as_of=date(2019, 6, 2))] == [row.id]
    closed = close_action(database, row.id, on=date(2019, 7, 1), note=" Circulated on 1 July ")
    assert (closed.status, closed.closed_on, closed.closing_note) == (
        "done",
        date(2019, 7, 1),
        "Circulated on 1 July",
    )
    assert overdue_actions(database, as_of=date(2019, 7, 2)) == []
    dropped = close_action(database, row.id, dropped=True, note="Overtaken")
    assert (dropped.status, dropped.closing_note) == ("dropped", "Overtaken")
    with pytest.raises(ConcurrentEditError):
        close_action(database, row.id, expected_version=closed.version)
    opened = reopen_action(database, row.id)
    assert (opened.status, opened.closed_on, opened.closing_note) == ("open", None, None)
    delete_action(database, row.id, version=opened.version)
    assert list_actions(database) == []


def test_actions_raised_at_a_held_meeting_are_on_the_next_agendas(database, people, prg):
    """Done when: raise two actions and see them carried onto the next meeting's agenda."""
    first = create_action(
        database,
        "Map community stakeholders",
        meeting_id=prg["may"],
        owner_person_id=people["lib"],
        due_date=date(2019, 6, 30),
    )
    create_action(
        database,
        "Publish the commissioning principles",
        meeting_id=prg["may"],
        owner_organisation_id=people["vru"],
        due_date=date(2019, 9, 1),
    )

    def matters_arising(meeting_id):
        agenda = assemble_draft(database, meeting_id, replace=True)
        return next(i for i in agenda.items if i.kind == "matters_arising").notes

    july = matters_arising(prg["july"])
    assert "- Map community stakeholders (Lib Peck; due 30/06/2019, overdue by 30 days" in july
    assert "- Publish the commissioning principles (Violence Reduction Unit; due 01/09/2019" in july
    close_action(database, first.id, on=date(2019, 8, 1), note="Mapping shared with the PRG")
    october = matters_arising(prg["october"])
    assert "Map community stakeholders" not in october
    assert "Publish the commissioning principles" in october
    assert [a.text for a in list_actions(database, open_only=True, network_id=prg["network"])] == [
        "Publish the commissioning principles"
    ]
    assert [a.text for a in list_actions(database, meeting_id=prg["july"])] == []


def test_an_empty_database_has_no_owners_and_no_actions(database):
    assert owner_choices(database, "lib") == []
    assert list_actions(database) == []
    with pytest.raises(NotFound, match="there are no people or organisations yet"):
        resolve_owner(database, "Lib Peck")
