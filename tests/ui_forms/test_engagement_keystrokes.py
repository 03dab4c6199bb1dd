"""One organisation, two objectives, a summary and a follow-up date
logged in at most 12 keystrokes beyond the text typed, counted here key by key."""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui_forms.conftest import Keyboard, forget_changes
from ui.dialogs.engagement_dialog import EngagementDialog
from ui.dialogs.widgets.date_field import format_date
from ui.events import data_events
from vru_crm.london import today_in_london
from vru_crm.services import engagements, reference

ALT = Qt.KeyboardModifier.AltModifier
KEY = Qt.Key


class CountingKeyboard(Keyboard):
    """Counts every key press that is not part of typed text: a chord (Alt+1) counts once in
    ``chords`` and once per key held in ``presses`` (Alt and 1: two)."""

    def __init__(self, qtbot, window) -> None:
        super().__init__(qtbot, window)
        self.chords = 0
        self.presses = 0

    def press(self, key, modifier=None) -> None:
        self.chords += 1
        held = modifier.value if modifier is not None else 0
        self.presses += 1 + bin(held).count("1")
        super().press(key, modifier)


def _open(qtbot, database) -> EngagementDialog:
    dialog = EngagementDialog(database)
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # the lists, read on the pool
    return dialog


def test_an_engagement_in_at_most_twelve_keystrokes(qtbot, database, partnership, capsys):
    saved: list[int] = []
    data_events().changed.connect(lambda kind, i: saved.append(i) if kind == "engagement" else None)
    dialog = _open(qtbot, database)
    keys = CountingKeyboard(qtbot, dialog)
    follow_up = today_in_london() + timedelta(days=14)
    summary = "Talked about the summer youth programme"

    assert keys.target() is dialog.organisations.edit  # typing starts here
    keys.type("hack")
    # The first suggestion is highlighted without replacing what was typed.
    popup = dialog.organisations._completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().row() == 0)
    assert popup.currentIndex().data() == "Hackney CVS"
    assert dialog.organisations.edit.text() == "hack"
    keys.press(KEY.Key_Return)  # takes it
    qtbot.waitUntil(lambda: dialog.organisations.labels() == ["Hackney CVS"])
    keys.press(KEY.Key_1, ALT)
    keys.press(KEY.Key_3, ALT)
    keys.press(KEY.Key_U, ALT)  # S&ummary
    assert keys.target() is dialog.summary
    keys.type(summary)
    keys.press(KEY.Key_F, ALT)  # &Follow-up on
    assert keys.target() is dialog.follow_up_on.edit
    keys.type(format_date(follow_up))
    keys.press(KEY.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: not dialog.isVisible())

    with capsys.disabled():
        print(f"\nengagement journey: {keys.chords} keystrokes ({keys.presses} keys pressed)")
    assert keys.chords <= 12
    assert keys.presses <= 12
    record = engagements.get_engagement(database, saved[-1])
    numbers = {o.id: o.number for o in reference.list_objectives(database)}
    assert sorted(numbers[i] for i in record.objective_ids) == [1, 3]
    assert record.organisation_ids == (partnership.hackney_cvs,)
    assert record.person_ids == ()
    assert record.borough_ids == (partnership.hackney,)  # from the organisation
    assert record.summary == summary
    assert record.follow_up_on == follow_up
    assert record.occurred_on == today_in_london()
    assert record.kind == "visit"
    assert record.outcome == ""


def test_chips_are_not_tab_stops_and_backspace_removes_the_last(qtbot, database, partnership):
    dialog = _open(qtbot, database)
    keys = Keyboard(qtbot, dialog)
    keys.type("hackney")
    keys.press(KEY.Key_Return)
    qtbot.waitUntil(lambda: dialog.organisations.labels() == ["Hackney CVS"])
    keys.press(KEY.Key_Tab)
    assert keys.target() is dialog.people.edit
    keys.press(KEY.Key_Backtab)
    assert keys.target() is dialog.organisations.edit
    keys.press(KEY.Key_Backspace)
    assert dialog.organisations.labels() == []


def test_down_picks_another_suggestion(qtbot, database, partnership):
    dialog = _open(qtbot, database)
    keys = Keyboard(qtbot, dialog)
    keys.type("c")  # Hackney CVS, Croydon Faith Forum, Lambeth Youth Club...
    popup = dialog.organisations._completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().row() == 0)
    qtbot.wait(20)  # a person takes a moment between keys: the event loop runs
    first = popup.currentIndex().data()
    keys.press(KEY.Key_Down)
    second = popup.currentIndex().data()
    assert second != first
    keys.press(KEY.Key_Return)
    qtbot.waitUntil(lambda: dialog.organisations.labels() == [second])


def test_objectives_are_one_tab_stop_toggled_by_number(qtbot, database, partnership):
    dialog = _open(qtbot, database)
    keys = Keyboard(qtbot, dialog)
    keys.press(KEY.Key_J, ALT)  # Ob&jectives
    box = QApplication.focusWidget()
    assert box in dialog.objectives.boxes.values()
    keys.press(KEY.Key_2)
    keys.press(KEY.Key_5)
    numbers = {o.id: o.number for o in reference.list_objectives(database)}
    assert sorted(numbers[i] for i in dialog.objectives.checked_ids()) == [2, 5]
    keys.press(KEY.Key_Right)
    keys.press(KEY.Key_Space)
    assert sorted(numbers[i] for i in dialog.objectives.checked_ids()) == [5]  # 2 toggled off
    keys.press(KEY.Key_Tab)
    assert keys.target() is dialog.summary  # past all eight in one Tab
