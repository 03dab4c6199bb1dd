"""Letters, replies and actions entered from the keyboard, on an empty database.

A Committee letter is pasted, its recommendations found and corrected in the
table by keys, saved, seen in the register with what is overdue, replied to in
full and in part, closed, and turned into actions with owners picked by typing;
bad input is explained next to its field and nothing typed is lost; every step
is undone and redone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.letter_dialog import LetterDialog
from ui.dialogs.widgets.recommendation_table import DUE, TEXT
from ui.governance.actions_view import ActionsView
from ui.governance.recommendations_view import RecommendationsView
from ui.undo import undo_stack
from vru_crm.governance import letters
from vru_crm.governance.actions import list_actions
from vru_crm.governance.meetings import create_meeting
from vru_crm.governance.recommendations import get_recommendation, list_recommendations
from vru_crm.services import organisations, people

LETTERS = Path(__file__).parents[1] / "fixtures" / "letters"
COMMITTEE = LETTERS / "committee_2020_04_07.md"
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def _fresh_undo_stack():
    """The undo stack is app-wide: each test starts with an empty one."""
    undo_stack().clear()
    yield
    undo_stack().clear()


def _forget(dialog) -> None:
    """Before pytest-qt closes a form: nothing unsaved, so no question blocks."""
    from shiboken6 import isValid

    if isValid(dialog) and hasattr(dialog, "mark_loaded") and not dialog.isHidden():
        dialog._loaded_values = dialog.values()


def _show(qtbot, widget):
    qtbot.addWidget(widget, before_close_func=_forget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    qtbot.waitUntil(lambda: not getattr(widget, "loading", False), timeout=10000)  # the pool
    return widget


def _opened(qtbot, dialog):
    """A dialog a view opened: active, as a desktop makes it (offscreen does not by itself)."""
    qtbot.addWidget(dialog, before_close_func=_forget)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: not getattr(dialog, "loading", False), timeout=10000)  # the pool
    return dialog


def _activate(qtbot, widget) -> None:
    """Back to a window once a dialog over it has closed (a desktop does this itself)."""
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def _focus() -> object:
    popup = QApplication.activePopupWidget()
    focused = popup if popup is not None else QApplication.focusWidget()
    assert focused is not None, "no widget has the keyboard focus"
    return focused


def _type(qtbot, text: str) -> None:
    """Each key to whatever has the focus then, as a keyboard does (a cell editor opens)."""
    for char in text:
        qtbot.keyClicks(_focus(), char)


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press, then (if it started a save on the pool) the save's end."""
    qtbot.keyClick(_focus(), key, modifier)
    _saves_ended(qtbot)


def _saves_ended(qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    def ended() -> bool:
        return not any(getattr(w, "saving", False) for w in QApplication.topLevelWidgets())

    qtbot.waitUntil(ended, timeout=10000)


def _problem(dialog, field: str) -> str:
    label = dialog.errors[field]
    return "" if label.isHidden() else label.text()


def _paste_committee_letter(qtbot, dialog) -> None:
    QApplication.clipboard().setText(COMMITTEE.read_text(encoding="utf-8"))
    dialog.text.setFocus()
    _key(qtbot, Qt.Key.Key_V, CTRL)


def _enter_committee_letter(qtbot, database) -> int:
    """The whole letter, pasted, with recommendation 1's due date corrected by keys."""
    dialog = _show(qtbot, LetterDialog(database))
    _paste_committee_letter(qtbot, dialog)
    assert dialog.table.rowCount() == 10  # found at once after the paste
    _key(qtbot, Qt.Key.Key_R, ALT)  # the table, on recommendation 1's text
    assert QApplication.focusWidget() is dialog.table
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (0, TEXT)
    _key(qtbot, Qt.Key.Key_Right)
    _type(qtbot, "30/06/2020")
    _key(qtbot, Qt.Key.Key_Return)  # keeps the cell; does not save yet
    qtbot.waitUntil(lambda: dialog.table.item(0, DUE).text() == "30/06/2020")
    assert dialog.isVisible()
    _key(qtbot, Qt.Key.Key_Return)  # now Enter saves
    assert not dialog.isVisible()
    return dialog.letter_id


def test_a_pasted_committee_letter_is_entered_corrected_and_seen_in_the_register(qtbot, database):
    dialog = _show(qtbot, LetterDialog(database))
    assert dialog.save_button.isEnabled() is False
    _paste_committee_letter(qtbot, dialog)
    # Sender, date and reply due come from the letter; the note says what was found.
    assert dialog.sender.text() == "Police and Crime Committee"
    assert dialog.letter_date.value() == date(2020, 4, 7)
    assert dialog.reply_due.value() == date(2020, 4, 30)
    assert dialog.found_note.text() == "Found 10 recommendations: check them below."
    assert dialog.table.item(2, DUE).text() == "31/05/2020"  # "by May 2020"
    # Add a row and take it away again, by keys.
    dialog.table.setFocus()
    _key(qtbot, Qt.Key.Key_Insert)
    assert dialog.table.rowCount() == 11 and dialog.table.item(10, 0).text() == "11"
    _key(qtbot, Qt.Key.Key_Delete, CTRL)
    assert dialog.table.rowCount() == 10
    _forget(dialog)
    dialog.close()

    letter_id = _enter_committee_letter(qtbot, database)
    record = letters.get_letter(database, letter_id)
    assert (record.sender, record.letter_date, record.reply_due) == (
        "Police and Crime Committee",
        date(2020, 4, 7),
        date(2020, 4, 30),
    )
    assert "Recommendation 10" in record.text
    dues = {r.number: r.due_date for r in record.recommendations}
    assert len(dues) == 10 and dues[1] == date(2020, 6, 30) and dues[3] == date(2020, 5, 31)

    # The next letter offers the sender already entered (read on the pool), spelt the same way.
    again = _show(qtbot, LetterDialog(database))
    qtbot.waitUntil(lambda: again.senders.stringList() == ["Police and Crime Committee"])
    assert again.sender.completer().model() is again.senders
    _forget(again)
    again.close()

    view = _show(qtbot, RecommendationsView(database))
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 10
    assert view.model.index(0, 0).data() == "7 Apr 2020, Police and Crime Committee"
    assert "years overdue" in view.model.index(0, 3).data()
    assert view.model.index(1, 3).data() == "—"  # recommendation 2 has no deadline
    assert view.count.text().startswith("10 recommendation(s) shown: 4 overdue")
    view.filter.setCurrentText("Overdue")
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 4


def test_reply_partial_reply_and_close_from_the_register(qtbot, database):
    _enter_committee_letter(qtbot, database)
    view = _show(qtbot, RecommendationsView(database))
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    view.table.setFocus()
    view.table.selectRow(0)
    _key(qtbot, Qt.Key.Key_Return)  # Enter on a row: Reply…
    reply = _opened(qtbot, QApplication.activeModalWidget())
    assert reply.windowTitle() == "Reply to a recommendation: recommendation 1"
    assert QApplication.focusWidget() is reply.reply
    _type(qtbot, "Evaluation framework sent on 28 May 2020")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    assert not reply.isVisible()
    first = get_recommendation(database, reply.recommendation_id)
    assert (first.status, first.response) == (
        "responded",
        "Evaluation framework sent on 28 May 2020",
    )
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 9  # no longer open

    view.table.selectRow(0)  # now recommendation 2
    partial = _opened(qtbot, view.reply(partial=True))
    assert partial.partial.isChecked()
    _type(qtbot, "Updates at each PRG")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    assert get_recommendation(database, partial.recommendation_id).status == "partially_accepted"
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool

    view.table.selectRow(0)  # recommendation 3
    third = view.model.rows[0]
    _activate(qtbot, view)
    view.table.setFocus()
    _key(qtbot, Qt.Key.Key_C, ALT)  # Close (a mnemonic clicks after a short animation)
    qtbot.waitUntil(lambda: get_recommendation(database, third.id).status == "closed")
    qtbot.waitUntil(lambda: view.model.rowCount() == 7)
    undo_stack().undo()
    assert get_recommendation(database, third.id).status == "open"
    qtbot.waitUntil(lambda: view.model.rowCount() == 8)
    undo_stack().undo()  # the partial reply
    assert get_recommendation(database, partial.recommendation_id).status == "open"
    undo_stack().redo()
    assert get_recommendation(database, partial.recommendation_id).response == "Updates at each PRG"


def test_a_reply_without_text_is_refused_in_words(qtbot, database):
    letter_id = _enter_committee_letter(qtbot, database)
    rec = letters.get_letter(database, letter_id).recommendations[0]
    from ui.dialogs.reply_dialog import ReplyDialog

    dialog = _show(qtbot, ReplyDialog(database, rec.id))
    dialog.date.clear()
    _type(qtbot, "  ")
    dialog.attempt_save()
    _saves_ended(qtbot)
    assert _problem(dialog, "response") == "write what was replied"
    assert _problem(dialog, "response_date") == "say when the reply was sent"
    assert dialog.isVisible() and dialog.reply.toPlainText() == "  "


@pytest.fixture
def owners(database):
    lib = people.create_person(database, people.PersonInput(full_name="Lib Peck"))
    team = organisations.create_organisation(
        database,
        organisations.OrganisationInput(name="MOPAC Evidence and Insight", sector="police"),
    )
    return lib.id, team.id


def _pick_owner(qtbot, typed: str) -> None:
    _type(qtbot, typed)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    _key(qtbot, Qt.Key.Key_Down)
    _key(qtbot, Qt.Key.Key_Return)


def test_raise_an_action_from_a_recommendation_with_an_owner_picked_by_typing(
    qtbot, database, owners
):
    lib, _team = owners
    _enter_committee_letter(qtbot, database)
    view = _show(qtbot, RecommendationsView(database))
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    view.table.selectRow(2)
    dialog = _opened(qtbot, view.raise_action())
    assert "Recommendation 3, Police and Crime Committee" in dialog.source_label.text()
    assert QApplication.focusWidget() is dialog.text
    _type(qtbot, "Send the exclusions briefing to the Committee")
    _key(qtbot, Qt.Key.Key_Tab)
    _pick_owner(qtbot, "lib p")
    assert dialog.owner.text() == "Lib Peck" and _problem(dialog, "owner") == ""
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "31/05/2020")
    _key(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [action] = list_actions(database)
    assert (action.recommendation_id, action.owner_kind, action.owner_id, action.owner) == (
        view.model.rows[2].id,
        "person",
        lib,
        "Lib Peck",
    )
    assert action.due_date == date(2020, 5, 31)
    undo_stack().undo()
    assert list_actions(database) == []
    undo_stack().redo()
    assert [a.text for a in list_actions(database)] == [
        "Send the exclusions briefing to the Committee"
    ]


def test_an_action_for_a_meeting_is_carried_forward_and_closed_with_a_note(qtbot, database, owners):
    _lib, team = owners
    london = ZoneInfo("Europe/London")
    start = datetime(2019, 7, 30, 10, tzinfo=london)
    meeting = create_meeting(
        database,
        title="PRG meeting, July 2019",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    view = _show(qtbot, ActionsView(database))
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    view.table.setFocus()
    _key(qtbot, Qt.Key.Key_N, CTRL)  # New action…: the form asks where it comes from
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ActionDialog)
    _opened(qtbot, dialog)
    _type(qtbot, "Circulate the work programme")
    _key(qtbot, Qt.Key.Key_Tab)
    _pick_owner(qtbot, "mopac")
    assert dialog.owner.text() == "MOPAC Evidence and Insight (team)"
    _key(qtbot, Qt.Key.Key_Tab)
    _key(qtbot, Qt.Key.Key_Tab)  # no due date
    dialog.attempt_save()
    _saves_ended(qtbot)
    assert "say which meeting or recommendation" in _problem(dialog, "source")
    qtbot.waitUntil(lambda: not dialog.source.loading, timeout=10000)  # read on the pool
    dialog.source.setFocus()
    _pick_owner(qtbot, "July 2019")  # the same keys pick a meeting from its list
    assert dialog.source.choice() == ("meeting", meeting.id)
    _key(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [action] = list_actions(database)
    assert (action.meeting_id, action.owner_kind, action.owner) == (
        meeting.id,
        "organisation",
        "MOPAC Evidence and Insight",
    )
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 1
    assert view.model.index(0, 4).data() == "PRG meeting, July 2019, 30 Jul 2019"

    view.table.selectRow(0)
    note = _opened(qtbot, view.close_with_note())
    assert QApplication.focusWidget() is note.box
    _type(qtbot, "Circulated on 2 August")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    [closed] = list_actions(database)
    assert (closed.status, closed.closing_note) == ("done", "Circulated on 2 August")
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 0
    undo_stack().undo()
    assert list_actions(database)[0].status == "open"
    undo_stack().redo()
    assert list_actions(database)[0].closing_note == "Circulated on 2 August"


def test_bad_input_is_explained_next_to_the_field_and_the_typing_is_kept(qtbot, database, owners):
    dialog = _show(qtbot, LetterDialog(database))
    dialog.text.setFocus()
    _type(qtbot, "Recommendation 1: Publish the minutes by June 2020.")
    dialog.find_recommendations()
    assert dialog.table.rowCount() == 1
    dialog.letter_date.setFocus()
    _type(qtbot, "31/02/2020")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible()
    assert _problem(dialog, "sender") == "say who sent the letter"
    assert "not a real date" in _problem(dialog, "letter_date")
    assert dialog.letter_date.text() == "31/02/2020"
    assert dialog.text.toPlainText().startswith("Recommendation 1:")
    dialog.table.item(0, TEXT).setText("")
    assert _problem(dialog, "recommendations") == "row 1: the recommendation's text is empty"
    assert letters.list_letters(database) == []

    action = _show(qtbot, ActionDialog(database))
    _type(qtbot, "Map community stakeholders")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Nobody Atall")
    _key(qtbot, Qt.Key.Key_Return)
    assert action.isVisible()
    assert _problem(action, "owner").startswith("nobody called “Nobody Atall” is in the database")
    assert action.text.text() == "Map community stakeholders"
    assert action.owner.text() == "Nobody Atall"
    assert not action.save_button.isEnabled()


def test_a_letter_is_edited_with_its_rows_and_undone_in_one_step(qtbot, database):
    letter_id = _enter_committee_letter(qtbot, database)
    # Undo of the letter's creation takes its recommendations with it; redo brings both back.
    undo_stack().undo()
    assert letters.list_letters(database) == [] and list_recommendations(database) == []
    undo_stack().redo()
    assert len(letters.get_letter(database, letter_id).recommendations) == 10

    dialog = _show(qtbot, LetterDialog(database, letter_id))
    assert dialog.windowTitle() == "Letter: Police and Crime Committee, 07/04/2020"
    assert dialog.table.rowCount() == 10
    dialog.subject.setText("Violence Reduction Unit")
    dialog.table.setCurrentCell(9, TEXT)
    dialog.table.setFocus()
    _key(qtbot, Qt.Key.Key_Delete, CTRL)  # recommendation 10 goes
    _key(qtbot, Qt.Key.Key_Insert)  # a new one, numbered 10, cursor on its text
    _type(qtbot, "Report on the review")
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.item(9, TEXT).text() == "Report on the review")
    dialog.table.item(1, DUE).setText("31/12/2020")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    assert not dialog.isVisible()
    record = letters.get_letter(database, letter_id)
    by_number = {r.number: r for r in record.recommendations}
    assert record.subject == "Violence Reduction Unit"
    assert by_number[10].text == "Report on the review" and by_number[2].due_date == date(
        2020, 12, 31
    )
    assert len(record.recommendations) == 10
    undo_stack().undo()
    record = letters.get_letter(database, letter_id)
    by_number = {r.number: r for r in record.recommendations}
    assert record.subject is None and by_number[2].due_date is None
    assert by_number[10].text.startswith("We ask that the VRU reports back")
    undo_stack().redo()
    assert letters.get_letter(database, letter_id).subject == "Violence Reduction Unit"


def test_a_reply_letter_opened_from_a_file_records_its_answers(qtbot, database, monkeypatch):
    dialog = _show(qtbot, LetterDialog(database))
    reply = LETTERS / "mayor_reply_2019_03_08.md"  # quotes each recommendation, answers it
    monkeypatch.setattr(
        "ui.dialogs.letter_dialog.QFileDialog.getOpenFileName", lambda *a, **k: (str(reply), "")
    )
    _key(qtbot, Qt.Key.Key_O, ALT)  # Open file…
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0)
    found = dialog.table.rowCount()
    assert found > 0 and dialog.table.item(0, 3).text()  # the answers, as replies
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    assert not dialog.isVisible(), dialog.banner.label.text()
    rows = list_recommendations(database)
    assert len(rows) == found and all(r.status == "responded" for r in rows if r.response)
    assert rows[0].sender == "Sadiq Khan" and rows[0].response


def test_a_letter_without_recommendations_says_so(qtbot, database):
    dialog = _show(qtbot, LetterDialog(database))
    dialog.load_file(LETTERS / "director_reply_2019_06_13.txt")
    assert dialog.table.rowCount() == 0
    assert dialog.found_note.text().startswith("No recommendations found in the text")
    assert dialog.sender.text() == "Lib Peck" and dialog.letter_date.value() == date(2019, 6, 13)


def test_a_new_action_opens_at_once_and_offers_its_meetings_when_they_arrive(qtbot, database):
    """The meetings and recommendations are read on the pool; until then the picker says so."""
    start = datetime(2019, 7, 30, 10, tzinfo=ZoneInfo("Europe/London"))
    create_meeting(
        database,
        title="PRG meeting, July 2019",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    dialog = ActionDialog(database)
    qtbot.addWidget(dialog, before_close_func=_forget)
    assert dialog.source.loading and not dialog.source.isEnabled()
    assert dialog.source.lineEdit().placeholderText() == "Loading…"
    assert dialog.text.isEnabled()  # the action's words can be typed meanwhile
    with qtbot.waitSignal(dialog.source.ready, timeout=10000):
        pass
    assert dialog.source.isEnabled() and dialog.source.currentText() == ""
    assert dialog.source.itemText(0) == "Meeting 30 Jul 2019: PRG meeting, July 2019"
    assert not dialog.is_dirty()
