"""Organisation, person and assessment forms: checks as you type, duplicates, saves that keep text."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from tests.ui_forms.conftest import (
    answer_next_dialog,
    answer_next_question,
    forget_changes,
    wait_saved,
)
from ui.dialogs.assessment_dialog import AssessmentDialog
from ui.dialogs.duplicate_dialog import DuplicateDialog
from ui.dialogs.organisation_dialog import OrganisationDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.undo import undo_stack
from vru_crm.errors import NotFound
from vru_crm.services import engagements, organisations, people


def _open(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    dialog.show()
    qtbot.waitUntil(lambda: not getattr(dialog, "loading", False), timeout=10000)
    return dialog


def _problem(dialog, field: str) -> str:
    label = dialog.errors[field]
    return "" if label.isHidden() else label.text()


def test_organisation_bad_input_is_explained_next_to_each_field(qtbot, database):
    dialog = _open(qtbot, OrganisationDialog(database))
    qtbot.keyClicks(dialog.name, "Peckham Parents")
    dialog.sector.setCurrentIndex(dialog.sector.findData("grassroots"))
    assert dialog.save_button.isEnabled()
    for field, widget, text, words in [
        ("email", dialog.email, "hello@peckham", "is not an e-mail address"),
        ("website", dialog.website, "peckham parents dot org", "is not a web address"),
        ("phone", dialog.phone, "call me", "does not look like a phone number"),
    ]:
        qtbot.keyClicks(widget, text)
        assert words in _problem(dialog, field)
        assert not dialog.save_button.isEnabled()
        widget.clear()
        assert _problem(dialog, field) == ""
    dialog.name.clear()
    assert _problem(dialog, "name") == "a name is required"
    assert not dialog.save_button.isEnabled()


def test_person_bad_input_is_explained_next_to_each_field(qtbot, database, partnership):
    dialog = _open(qtbot, PersonDialog(database))
    qtbot.keyClicks(dialog.full_name, "Dele Adeyemi")
    qtbot.keyClicks(dialog.email, "dele@")
    assert "is not an e-mail address" in _problem(dialog, "email")
    dialog.email.clear()
    dialog.is_young_person.setChecked(True)
    assert "age band" in _problem(dialog, "age_band")
    assert not dialog.save_button.isEnabled()
    dialog.age_band.setCurrentIndex(dialog.age_band.findData("16_17"))
    assert dialog.save_button.isEnabled()
    # An affiliation that ends before it starts.
    dialog.affiliations.add_row(partnership.hackney_cvs, "Hackney CVS")
    dialog.affiliations.table.item(0, 2).setText("01/09/2023")
    dialog.affiliations.table.item(0, 3).setText("01/06/2023")
    assert "end date is before the start date" in _problem(dialog, "affiliations")
    assert not dialog.save_button.isEnabled()
    dialog.affiliations.table.item(0, 3).setText("31/02/2024")
    assert "not a real date" in _problem(dialog, "affiliations")
    dialog.affiliations.table.item(0, 3).setText("")
    assert dialog.save_button.isEnabled()
    dialog.attempt_save()
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()
    saved = people.find_duplicate_people(database, people.PersonInput("Dele Adeyemi"))
    record = people.get_person(database, saved[0].id)
    assert (record.is_young_person, record.age_band) == (True, "16_17")
    assert [(a.organisation_id, a.start_date) for a in record.affiliations] == [
        (partnership.hackney_cvs, date(2023, 9, 1))
    ]


def test_same_email_person_warns_and_offers_the_existing_record(qtbot, database, partnership):
    dialog = _open(qtbot, PersonDialog(database))
    qtbot.keyClicks(dialog.full_name, "A. Yusuf")
    qtbot.keyClicks(dialog.email, "Amina@HCVS.org.uk")
    seen: list[DuplicateDialog] = []

    def open_existing(duplicates: DuplicateDialog) -> None:
        seen.append(duplicates)
        assert duplicates.list.count() == 1
        assert "same e-mail address" in duplicates.list.item(0).text()
        assert duplicates.chosen_id == partnership.amina
        duplicates.open_button.click()

    answer_next_dialog(open_existing)
    dialog.attempt_save()  # the duplicate check runs on the pool, then the question
    assert dialog.hint.text() == "Checking for possible duplicates…"
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()  # replaced by the existing record's form
    existing = dialog.opened_instead
    qtbot.addWidget(existing, before_close_func=forget_changes)
    assert isinstance(existing, PersonDialog) and existing.record_id == partnership.amina
    qtbot.waitUntil(lambda: not existing.loading, timeout=10000)
    assert existing.full_name.text() == "Amina Yusuf"
    assert len(people.find_duplicate_people(database, people.PersonInput("A. Yusuf"))) == 0


def test_create_anyway_saves_the_second_record(qtbot, database, partnership):
    dialog = _open(qtbot, OrganisationDialog(database))
    qtbot.keyClicks(dialog.name, "Hackney C.V.S")
    dialog.sector.setCurrentIndex(dialog.sector.findData("charity"))
    dialog.boroughs.add(partnership.hackney, "Hackney")
    answer_next_dialog(lambda duplicates: duplicates.save_button.click())
    dialog.attempt_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    names = sorted(m.name for m in organisations.find_duplicate_organisations(
        database, organisations.OrganisationInput("Hackney CVS", "charity", [partnership.hackney])
    ))  # fmt: skip
    assert names == ["Hackney C.V.S", "Hackney CVS"]


def test_a_failed_save_keeps_the_typed_text_and_reload_keeps_it_too(qtbot, database, partnership):
    dialog = _open(qtbot, OrganisationDialog(database, organisation_id=partnership.lambeth_youth))
    record = organisations.get_organisation(database, partnership.lambeth_youth)
    theirs = organisations.OrganisationInput(
        record.name, record.sector, list(record.borough_ids), phone="020 7926 1000"
    )
    organisations.update_organisation(database, record.id, theirs, record.version)
    dialog.notes.setPlainText("Runs boxing on Tuesdays; asked about funding.")
    dialog.attempt_save()  # on the pool: the form held, "Saving…", nothing can be typed
    assert dialog.saving and dialog.hint.text() == "Saving…"
    assert not dialog.notes.isEnabled() and not dialog.save_button.isEnabled()
    dialog.reject()  # Esc while saving does nothing
    assert dialog.isVisible()
    wait_saved(qtbot, dialog)
    assert dialog.isVisible() and dialog.notes.isEnabled()
    assert "Someone else saved this record" in dialog.banner.label.text()
    assert dialog.notes.toPlainText() == "Runs boxing on Tuesdays; asked about funding."
    dialog.reload_keeping_text()  # read on the pool: held meanwhile, nothing typed can be lost
    assert dialog.loading and not dialog.notes.isEnabled() and dialog.hint.text() == "Loading…"
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert dialog.notes.isEnabled() and "Reloaded" in dialog.banner.label.text()
    assert dialog.phone.text() == "020 7926 1000"  # their change comes in
    assert (
        dialog.notes.toPlainText() == "Runs boxing on Tuesdays; asked about funding."
    )  # mine stays
    dialog.attempt_save()
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()
    saved = organisations.get_organisation(database, record.id)
    assert (saved.phone, saved.notes) == (
        "020 7926 1000",
        "Runs boxing on Tuesdays; asked about funding.",
    )


def test_undo_of_a_person_delete_brings_back_their_links(qtbot, database, partnership):
    engagement = engagements.create_engagement(
        database,
        engagements.EngagementInput(
            kind="visit", summary="Met Amina", person_ids=[partnership.amina]
        ),
    )
    dialog = _open(qtbot, PersonDialog(database, person_id=partnership.amina))
    answer_next_question(qtbot, "Delete")
    dialog.delete()
    assert dialog.hint.text() == "Deleting…"
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()
    with pytest.raises(NotFound):
        people.get_person(database, partnership.amina)
    assert engagements.get_engagement(database, engagement.id).person_ids == ()

    undo_stack().undo()
    back = people.get_person(database, partnership.amina)
    assert back.full_name == "Amina Yusuf"
    assert [(a.organisation_id, a.role) for a in back.affiliations] == [
        (partnership.hackney_cvs, "Director")
    ]
    assert engagements.get_engagement(database, engagement.id).person_ids == (partnership.amina,)
    undo_stack().redo()
    with pytest.raises(NotFound):
        people.get_person(database, partnership.amina)


def test_undo_of_an_edit_puts_the_old_values_back(qtbot, database, partnership):
    dialog = _open(qtbot, OrganisationDialog(database, organisation_id=partnership.croydon_faith))
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Croydon Faith Leaders Forum")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    wait_saved(qtbot, dialog)
    assert (
        organisations.get_organisation(database, partnership.croydon_faith).name
        == "Croydon Faith Leaders Forum"
    )
    assert undo_stack().undoText() == "Edit organisation Croydon Faith Leaders Forum"
    undo_stack().undo()
    assert (
        organisations.get_organisation(database, partnership.croydon_faith).name
        == "Croydon Faith Forum"
    )
    undo_stack().redo()
    assert (
        organisations.get_organisation(database, partnership.croydon_faith).name
        == "Croydon Faith Leaders Forum"
    )


def test_assessment_adds_a_dated_row_and_keeps_the_history(qtbot, database, partnership):
    organisations.add_assessment(
        database,
        organisations.AssessmentInput(
            partnership.hackney_cvs, 2, 3, 2, assessed_on=date(2023, 1, 5)
        ),
    )
    dialog = _open(qtbot, AssessmentDialog(database, partnership.hackney_cvs))
    qtbot.waitUntil(lambda: dialog.history.model().rowCount() == 1)  # read on the pool
    assert not dialog.save_button.isEnabled()
    dialog.assessed_on.edit.setText("01/03/2024")
    for key, value in (("influence", 4), ("interest", 3), ("support", 5)):
        dialog.scales[key].group.button(value).click()
    assert dialog.save_button.isEnabled()
    dialog.attempt_save()
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()
    history = organisations.assessment_history(database, partnership.hackney_cvs)
    assert [(h.assessed_on, h.influence, h.support) for h in history] == [
        (date(2024, 3, 1), 4, 5),
        (date(2023, 1, 5), 2, 2),
    ]
    again = _open(qtbot, AssessmentDialog(database, partnership.hackney_cvs))
    history = again.history.model()
    qtbot.waitUntil(lambda: history.rowCount() == 2)
    assert history.index(0, 1).data() == "4 ↑"  # the change over time shows


def test_a_record_deleted_meanwhile_opens_with_words_not_a_traceback(qtbot, database, partnership):
    organisations.delete_organisation(database, partnership.croydon_faith)
    dialog = _open(qtbot, OrganisationDialog(database, organisation_id=partnership.croydon_faith))
    assert "cannot be opened" in dialog.banner.label.text()
    assert "no organisation with id" in dialog.banner.label.text()
    assert not dialog.save_button.isEnabled()
    assessment = _open(qtbot, AssessmentDialog(database, partnership.croydon_faith))
    assert "cannot be assessed" in assessment.banner.label.text()
    assert not assessment.save_button.isEnabled()


def test_an_edit_form_opens_at_once_and_fills_when_its_record_arrives(qtbot, database, partnership):
    """The record is read on the pool: until it comes, nothing can be typed that it would replace."""
    dialog = OrganisationDialog(database, organisation_id=partnership.lambeth_youth)
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    dialog.show()
    assert dialog.loading and dialog.hint.text() == "Loading…"
    assert not dialog.name.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.cancel_button.isEnabled()  # the user can still walk away
    with qtbot.waitSignal(dialog.record_ready, timeout=10000):
        pass
    assert dialog.name.isEnabled() and dialog.name.text() == "Lambeth Youth Club"
    assert dialog.windowTitle() == "Organisation: Lambeth Youth Club"
    assert dialog.save_button.isEnabled() and not dialog.is_dirty()
