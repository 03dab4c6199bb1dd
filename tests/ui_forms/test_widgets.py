"""The form widgets on their own: dates typed as people type them, pickers driven by keys."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QVBoxLayout

from tests.ui_forms.conftest import Keyboard
from ui.dialogs.widgets.date_field import DateField, parse_date
from ui.dialogs.widgets.picker import MultiPicker
from vru_crm.london import today_in_london

ITEMS = [
    (1, "Hackney CVS"),
    (2, "Hackney Council"),
    (3, "Lambeth Youth Club"),
    (4, "Croydon BME Forum"),
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/12/2024", date(2024, 12, 31)),
        ("5/3/24", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        ("t", today_in_london()),
        ("yesterday", today_in_london() - timedelta(days=1)),
        ("", None),
    ],
)
def test_dates_as_people_type_them(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31/02/2024", "not a real date"),
        ("next week", "type it as day/month/year"),
        ("1/1/1900", "out of range"),
    ],
)
def test_bad_dates_say_what_is_wrong(qtbot, typed, words):
    field = DateField()
    qtbot.addWidget(field)
    field.edit.setText(typed)
    assert words in field.problem()
    assert field.value() is None


def test_date_field_shows_a_typed_shortcut_as_a_date_when_left(qtbot):
    field = DateField(default_today=True)
    qtbot.addWidget(field)
    assert field.value() == today_in_london()
    field.edit.setText("2024-1-5")
    field.edit.editingFinished.emit()
    assert field.text() == "05/01/2024"


def _picker(qtbot) -> tuple[MultiPicker, Keyboard]:
    dialog = QDialog()
    picker = MultiPicker(dialog)
    picker.set_items(ITEMS)
    QVBoxLayout(dialog).addWidget(picker)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    picker.setFocus()
    return picker, Keyboard(qtbot, dialog)


def test_enter_takes_the_best_match_and_only_that(qtbot):
    picker, keys = _picker(qtbot)
    keys.type("lamb")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.selected() == [(3, "Lambeth Youth Club")])
    assert picker.edit.text() == ""


def test_a_highlighted_suggestion_is_added_once(qtbot):
    picker, keys = _picker(qtbot)
    keys.type("hackney")
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Return)
    qtbot.wait(50)
    assert picker.selected() == [(1, "Hackney CVS")]


def test_delete_removes_a_chosen_one(qtbot):
    picker, keys = _picker(qtbot)
    picker.add(1, "Hackney CVS")
    picker.add(4, "Croydon BME Forum")
    picker.chips.setFocus()
    picker.chips.setCurrentRow(0)
    keys.press(Qt.Key.Key_Delete)
    assert picker.selected() == [(4, "Croydon BME Forum")]


def test_new_values_are_allowed_only_where_asked(qtbot):
    tags = MultiPicker(allow_new=True)
    qtbot.addWidget(tags)
    tags.set_items([(1, "faith")])
    tags.edit.setText("knife crime")
    assert tags.take_typed()
    qtbot.waitUntil(lambda: tags.selected() == [(None, "knife crime")])
    closed = MultiPicker()
    qtbot.addWidget(closed)
    closed.set_items(ITEMS)
    closed.edit.setText("Nowhere Trust")
    assert not closed.take_typed()
