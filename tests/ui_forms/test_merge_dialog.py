"""Merging two records keeps every link of both, takes the chosen values, and can be undone."""

from datetime import date

import pytest

from tests.ui_forms.conftest import forget_changes
from ui.dialogs.merge_dialog import OTHER, MergeDialog
from ui.undo import undo_stack
from vru_crm.errors import NotFound
from vru_crm.services import engagements, organisations, people


def _open(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    dialog.show()
    return dialog


def test_merge_of_two_people_keeps_the_links_of_both_and_undo_separates_them(
    qtbot, database, partnership
):
    twin = people.create_person(
        database,
        people.PersonInput(
            full_name="Amina Yusuf-Bello", phone="07700 900123", borough_id=partnership.hackney
        ),
    )
    people.add_affiliation(
        database,
        people.AffiliationInput(twin.id, partnership.lambeth_youth, "Trustee", date(2021, 2, 1)),
    )
    met_twin = engagements.create_engagement(
        database, engagements.EngagementInput(kind="call", summary="Call", person_ids=[twin.id])
    )
    met_amina = engagements.create_engagement(
        database,
        engagements.EngagementInput(kind="visit", summary="Visit", person_ids=[partnership.amina]),
    )

    dialog = _open(qtbot, MergeDialog(database, "person", partnership.amina, twin.id))
    assert "1 affiliation, 1 engagement" in dialog.moves.text()  # what moves, counted
    dialog.choices["full_name"].button(OTHER).click()  # the other's name wins
    assert (
        dialog.choices["phone"].checkedId() == OTHER
    )  # a blank is filled from the other by default
    dialog.merge_button.click()
    assert not dialog.isVisible()

    kept = people.get_person(database, partnership.amina)
    assert kept.full_name == "Amina Yusuf-Bello"
    assert kept.email == "amina@hcvs.org.uk" and kept.phone == "07700 900123"
    assert sorted((a.organisation_id, a.role, a.start_date) for a in kept.affiliations) == sorted(
        [
            (partnership.hackney_cvs, "Director", date(2019, 4, 1)),
            (partnership.lambeth_youth, "Trustee", date(2021, 2, 1)),
        ]
    )
    assert engagements.get_engagement(database, met_twin.id).person_ids == (partnership.amina,)
    assert engagements.get_engagement(database, met_amina.id).person_ids == (partnership.amina,)
    with pytest.raises(NotFound):
        people.get_person(database, twin.id)

    undo_stack().undo()
    assert people.get_person(database, partnership.amina).full_name == "Amina Yusuf"
    assert [a.role for a in people.get_person(database, partnership.amina).affiliations] == [
        "Director"
    ]
    assert [a.role for a in people.get_person(database, twin.id).affiliations] == ["Trustee"]
    assert engagements.get_engagement(database, met_twin.id).person_ids == (twin.id,)


def test_merge_of_two_organisations_keeps_assessments_and_boroughs(qtbot, database, partnership):
    other = organisations.create_organisation(
        database,
        organisations.OrganisationInput(
            "Hackney C.V.S.", "charity", [partnership.lambeth], tags=["funder links"]
        ),
    )
    organisations.add_assessment(database, organisations.AssessmentInput(other.id, 3, 4, 4))
    dialog = _open(qtbot, MergeDialog(database, "organisation", partnership.hackney_cvs, other.id))
    dialog.merge_button.click()
    kept = organisations.get_organisation(database, partnership.hackney_cvs)
    assert kept.name == "Hackney CVS"
    assert set(kept.borough_ids) == {partnership.hackney, partnership.lambeth}
    assert kept.tags == ("funder links",)
    assert len(organisations.assessment_history(database, kept.id)) == 1


def test_swap_chooses_the_other_record_to_keep(qtbot, database, partnership):
    other = organisations.create_organisation(
        database, organisations.OrganisationInput("Lambeth Youth", "grassroots")
    )
    dialog = _open(
        qtbot, MergeDialog(database, "organisation", other.id, partnership.lambeth_youth)
    )
    dialog.swap_button.click()
    assert dialog.keep_id == partnership.lambeth_youth
    assert "Lambeth Youth Club" in dialog.merge_button.text()
    dialog.merge_button.click()
    with pytest.raises(NotFound):
        organisations.get_organisation(database, other.id)
