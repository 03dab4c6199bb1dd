"""Undo of a person edit puts back their fields and affiliations together, or nothing."""

from vru_crm.services import organisations as orgs
from vru_crm.services import people
from vru_crm.services.affiliations import affiliation_rows, save_person
from vru_crm.services.form_inputs import person_input


def test_an_undo_that_cannot_restore_the_affiliations_changes_nothing(database, partnership):
    from ui import undo

    failures: list[str] = []
    undo.undo_notices().failed.connect(failures.append)
    old = people.get_person(database, partnership.amina)
    before = (person_input(old), affiliation_rows(old))  # Director at Hackney CVS
    edited = people.PersonInput(full_name="Amina Y.", borough_id=partnership.hackney)
    record = save_person(database, old.id, edited, old.version, [])
    undo.push_edited(
        database, "person", old.id, before, (edited, []), record.version, record.full_name
    )
    orgs.delete_organisation(database, partnership.hackney_cvs)  # by a colleague, meanwhile

    undo.undo_stack().undo()

    assert failures and "no longer exists" in failures[0]
    now = people.get_person(database, old.id)
    assert (now.full_name, now.version, now.affiliations) == ("Amina Y.", record.version, ())


def test_an_undo_of_a_person_edit_restores_fields_and_affiliations(database, partnership):
    from ui import undo

    old = people.get_person(database, partnership.amina)
    before = (person_input(old), affiliation_rows(old))
    edited = people.PersonInput(full_name="Amina Y.")
    record = save_person(database, old.id, edited, old.version, [])
    undo.push_edited(
        database, "person", old.id, before, (edited, []), record.version, record.full_name
    )

    undo.undo_stack().undo()

    now = people.get_person(database, old.id)
    assert now.full_name == "Amina Yusuf"
    assert [a.organisation_name for a in now.affiliations] == ["Hackney CVS"]
