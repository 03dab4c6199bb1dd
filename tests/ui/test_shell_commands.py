"""Commands from the menus: the agreed dialogs open, a delete asks first and undoes, keyboard order."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ui import launch
from ui.undo import undo_stack


def _names(page) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def _open_dialogs(window) -> list[QDialog]:
    return [w for w in window.findChildren(QDialog) if w.isVisible()]


def test_ctrl_l_opens_the_engagement_dialog_from_anywhere(qtbot, window):
    window.show_page("people")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: any(type(d).__name__ == "EngagementDialog" for d in _open_dialogs(window))
    )
    dialog = next(d for d in _open_dialogs(window) if type(d).__name__ == "EngagementDialog")
    dialog.reject()


def test_edit_on_a_detail_page_opens_the_record_in_its_dialog(qtbot, window, qt_database):
    window.open_record("organisation", qt_database.sample.org["Hackney CVS"])
    page = window.details["organisation"]
    qtbot.waitUntil(lambda: page.detail is not None)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: any(type(d).__name__ == "OrganisationDialog" for d in _open_dialogs(window))
    )
    dialog = next(d for d in _open_dialogs(window) if type(d).__name__ == "OrganisationDialog")
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # the record is read on the pool
    assert dialog.name.text() == "Hackney CVS"  # the form opens on the record shown
    dialog.reject()


def test_a_dialog_not_in_this_version_says_so(qtbot, window, monkeypatch):
    monkeypatch.setitem(launch.DIALOGS, "backup", ("ui.dialogs.no_such_dialog", "Nope", "Backup"))
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(30, answer)

    QTimer.singleShot(0, answer)
    assert launch.open_dialog(window, "backup", window.database) is None
    assert seen == ["Backup is not available in this version yet."]


def test_delete_asks_first_then_undo_brings_it_back(qtbot, window, qt_database, monkeypatch):
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(
        launch, "confirm", lambda parent, title, text: asked.append(text) or next(answers)
    )
    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(_names(page).index("St Mary's Church"), 0))

    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # answered No
    assert "St Mary's Church" in asked[0]
    assert page.model.rowCount() == 5

    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # answered Yes
    qtbot.waitUntil(lambda: "St Mary's Church" not in _names(page))
    assert "Ctrl+Z" in window.statusBar().currentMessage()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "St Mary's Church" in _names(page))
    assert undo_stack().canRedo()


def test_tab_moves_from_the_filters_into_the_table(qtbot, window):
    window.show_page("meetings")
    page = window.page("meetings")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    controls = page.filter_bar.focus_order()
    controls[0].setFocus()
    qtbot.waitUntil(controls[0].hasFocus)
    for expected in [*controls[1:], page.table]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected or expected.isAncestorOf(
            QApplication.focusWidget()
        )


def test_controls_have_accessible_names(window):
    window.show_page("engagements")
    page = window.page("engagements")
    for control in [*page.filter_bar.focus_order(), page.table, window.search, window.navigation]:
        assert control.accessibleName(), control


def test_an_organisation_page_opens_a_new_assessment(qtbot, window, qt_database):
    window.open_record("organisation", qt_database.sample.org["Hackney CVS"])
    page = window.details["organisation"]
    qtbot.waitUntil(lambda: page.detail is not None)
    qtbot.mouseClick(page.assess_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(type(d).__name__ == "AssessmentDialog" for d in _open_dialogs(window))
    )
    dialog = next(d for d in _open_dialogs(window) if type(d).__name__ == "AssessmentDialog")
    assert "Hackney CVS" in dialog.windowTitle()
    dialog.reject()
