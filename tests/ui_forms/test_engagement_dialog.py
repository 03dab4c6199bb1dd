"""Logging engagements as an engagement lead would: keyboard only, fast, nothing lost."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from tests.ui_forms.conftest import Keyboard, answer_next_question, forget_changes, wait_saved
from ui.dialogs.engagement_dialog import EngagementDialog
from ui.events import data_events
from ui.undo import undo_stack
from vru_crm.errors import NotFound
from vru_crm.london import today_in_london
from vru_crm.services import engagements
from vru_crm.services.form_inputs import engagement_input


def _open(qtbot, database, **kwargs) -> EngagementDialog:
    dialog = EngagementDialog(database, **kwargs)
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # the lists, read on the pool
    return dialog


def _saved_ids(qtbot) -> list[int]:
    ids: list[int] = []
    data_events().changed.connect(lambda kind, i: ids.append(i) if kind == "engagement" else None)
    return ids


def test_log_an_engagement_with_the_keyboard_only(qtbot, database, partnership):
    saved = _saved_ids(qtbot)
    dialog = _open(qtbot, database)
    keys = Keyboard(qtbot, dialog)
    assert keys.target() is dialog.organisations.edit  # ready to type at once
    keys.press(Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # &Kind
    keys.press(Qt.Key.Key_Down)  # Visit -> Online meeting
    keys.press(Qt.Key.Key_Tab)
    keys.type("hackney")
    keys.press(Qt.Key.Key_Return)  # takes "Hackney CVS", does not save the form
    qtbot.waitUntil(lambda: dialog.organisations.labels() == ["Hackney CVS"])
    assert dialog.isVisible()
    keys.press(Qt.Key.Key_Tab)  # to people (the chips are not Tab stops)
    keys.type("amina")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.people.labels() == ["Amina Yusuf"])
    # Borough and network came from the organisation, without asking.
    assert dialog.boroughs.labels() == ["Hackney"]
    assert dialog.networks.labels() == ["Charities network"]
    keys.press(Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # S&ummary
    assert keys.target() is dialog.summary
    keys.type("Talked about the summer youth programme")
    keys.press(Qt.Key.Key_Tab)  # outcome
    keys.press(Qt.Key.Key_Tab)  # people reached
    keys.type("12")
    keys.press(Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: not dialog.isVisible())

    record = engagements.get_engagement(database, saved[-1])
    assert record.kind == "online_meeting"
    assert record.occurred_on == today_in_london()
    assert record.organisation_ids == (partnership.hackney_cvs,)
    assert record.person_ids == (partnership.amina,)
    assert record.borough_ids == (partnership.hackney,)
    assert record.network_ids == (partnership.network,)
    assert record.summary == "Talked about the summer youth programme"
    assert record.people_reached == 12


def test_save_and_log_another_keeps_the_date_and_clears_the_rest(qtbot, database, partnership):
    saved = _saved_ids(qtbot)
    dialog = _open(qtbot, database)
    keys = Keyboard(qtbot, dialog)
    dialog.occurred_on.edit.setText("02/05/2024")
    for n in range(5):
        dialog.organisations.setFocus()
        keys.type("lambeth")
        keys.press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.organisations.labels() == ["Lambeth Youth Club"])
        dialog.summary.setFocus()
        keys.type(f"Visit number {n + 1}")
        keys.press(
            Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )  # saved as soon as the organisation's borough, read on the pool, is in
        qtbot.waitUntil(lambda: dialog.summary.toPlainText() == "", timeout=10000)
        assert dialog.organisations.labels() == []
        assert dialog.occurred_on.text() == "02/05/2024"
    assert dialog.isVisible()
    summaries = sorted(engagements.get_engagement(database, i).summary for i in set(saved))
    assert summaries == [f"Visit number {n}" for n in range(1, 6)]
    assert {engagements.get_engagement(database, i).occurred_on for i in saved} == {
        date(2024, 5, 2)
    }
    assert {tuple(engagements.get_engagement(database, i).borough_ids) for i in saved} == {
        (partnership.lambeth,)
    }
    assert "5 engagements logged" in dialog.banner.label.text()


def test_bad_dates_are_explained_next_to_the_field_and_block_save(qtbot, database, partnership):
    dialog = _open(qtbot, database)
    keys = Keyboard(qtbot, dialog)
    dialog.summary.setPlainText("A call")
    dialog.occurred_on.edit.setFocus()
    dialog.occurred_on.edit.selectAll()
    keys.type("31/02/2024")
    qtbot.waitUntil(lambda: not dialog.errors["occurred_on"].isHidden())
    assert "not a real date" in dialog.errors["occurred_on"].text()
    assert not dialog.save_button.isEnabled()
    dialog.occurred_on.edit.setText("10/05/2024")
    dialog.follow_up_on.edit.setText("01/05/2024")
    qtbot.waitUntil(lambda: not dialog.errors["follow_up_on"].isHidden())
    assert "before the engagement" in dialog.errors["follow_up_on"].text()
    assert not dialog.save_button.isEnabled()
    dialog.follow_up_on.edit.setText("t")
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())


def test_a_failed_save_keeps_everything_typed(qtbot, database, partnership):
    record = engagements.create_engagement(
        database,
        engagements.EngagementInput(
            kind="call", summary="First", organisation_ids=[partnership.hackney_cvs]
        ),
    )
    dialog = _open(qtbot, database, engagement_id=record.id)
    # Someone else saves the same engagement meanwhile.
    theirs = engagement_input(engagements.get_engagement(database, record.id))
    theirs.outcome = "Their outcome"
    engagements.update_engagement(database, record.id, theirs, record.version)
    dialog.summary.setPlainText("My careful summary of a long meeting")
    dialog.attempt_save()
    assert dialog.saving and not dialog.summary.isEnabled()  # held while it saves on the pool
    wait_saved(qtbot, dialog)
    assert dialog.isVisible() and dialog.summary.isEnabled()
    assert "Someone else saved" in dialog.banner.label.text()
    assert dialog.summary.toPlainText() == "My careful summary of a long meeting"
    # Reload takes in their change and keeps mine; the next save goes through.
    dialog.reload_keeping_text()  # read on the pool
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert dialog.summary.toPlainText() == "My careful summary of a long meeting"
    assert dialog.outcome.toPlainText() == "Their outcome"
    dialog.attempt_save()
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()
    saved = engagements.get_engagement(database, record.id)
    assert (saved.summary, saved.outcome) == (
        "My careful summary of a long meeting",
        "Their outcome",
    )


def test_delete_asks_first_and_can_be_undone(qtbot, database, partnership):
    record = engagements.create_engagement(
        database,
        engagements.EngagementInput(
            kind="visit",
            summary="To delete",
            organisation_ids=[partnership.hackney_cvs],
            person_ids=[partnership.amina],
        ),
    )
    dialog = _open(qtbot, database, engagement_id=record.id)
    asked = answer_next_question(qtbot, "Cancel")
    dialog.delete()
    assert asked and dialog.isVisible()
    assert engagements.get_engagement(database, record.id).summary == "To delete"
    answer_next_question(qtbot, "Delete")
    dialog.delete()
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()
    with pytest.raises(NotFound):
        engagements.get_engagement(database, record.id)
    undo_stack().undo()
    back = engagements.get_engagement(database, record.id)
    assert back.person_ids == (partnership.amina,)
    assert back.organisation_ids == (partnership.hackney_cvs,)


def test_escape_with_unsaved_text_asks_before_closing(qtbot, database, partnership):
    dialog = _open(qtbot, database)
    keys = Keyboard(qtbot, dialog)
    dialog.summary.setFocus()
    keys.type("Half-written note")
    answer_next_question(qtbot, "Keep editing")
    keys.press(Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.summary.toPlainText() == "Half-written note"
    answer_next_question(qtbot, "Discard changes")
    keys.press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()
