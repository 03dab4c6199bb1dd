"""A searched picker asks the search index on the thread pool, never on the GUI thread."""

import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QVBoxLayout

from tests.ui_forms.conftest import Keyboard
from ui.dialogs.widgets.picker import MultiPicker
from vru_crm.services.pickers import suggest


def _picker(qtbot, database, delay: float = 0.0):
    """A picker over the organisations; ``threads`` says, per search, whether it ran off the GUI."""
    threads: list[bool] = []

    def search(text: str):
        threads.append(threading.current_thread() is not threading.main_thread())
        time.sleep(delay)  # a slow database: the answer comes after the keys
        return suggest(database, "organisation", text)

    dialog = QDialog()
    picker = MultiPicker(dialog)
    picker.set_search(search)
    QVBoxLayout(dialog).addWidget(picker)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    picker.setFocus()
    return picker, Keyboard(qtbot, dialog), threads


def test_suggestions_come_from_the_pool_word_by_word(qtbot, database, partnership):
    picker, keys, threads = _picker(qtbot, database)
    keys.type("hack cv")
    popup = picker._completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().row() == 0)
    assert popup.currentIndex().data() == "Hackney CVS"
    assert picker.edit.text() == "hack cv"  # what was typed is never replaced
    assert threads and all(threads)


def test_enter_before_the_answer_takes_the_best_match_when_it_comes(qtbot, database, partnership):
    picker, keys, threads = _picker(qtbot, database, delay=0.3)
    keys.type("lamb")
    keys.press(Qt.Key.Key_Return)  # the answer is still on its way
    assert picker.selected() == []
    qtbot.waitUntil(
        lambda: picker.selected() == [(partnership.lambeth_youth, "Lambeth Youth Club")]
    )
    assert picker.edit.text() == "" and all(threads)


def test_only_the_answer_to_the_latest_text_is_shown(qtbot, database, partnership):
    picker, keys, _threads = _picker(qtbot, database, delay=0.1)
    keys.type("c")  # Hackney CVS, Croydon Faith Forum, Lambeth Youth Club...
    keys.type("roy")
    popup = picker._completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.model().rowCount() > 0)
    qtbot.wait(300)  # any older answer would have arrived by now
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["Croydon Faith Forum"]
    assert QApplication.activePopupWidget() is popup
