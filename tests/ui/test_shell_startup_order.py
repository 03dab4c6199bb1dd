"""Start-up order: the window first, the database behind it, and every bad database still asked about.

``ui.app.start`` is what ``run_app`` does before its event loop: the window is
shown at once and the database opens on a worker thread. These tests drive it
as a user would see it: the window is there and answers while the database
opens, the commands that need the database wait, a bad database gets its
dialog over the window, and the page asked for shows its data once it is open.
"""

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from db.migrate import open_database
from ui.app import start
from ui.main_window import MainWindow


@pytest.fixture
def started(qtbot):
    """Start the app's way; closes whatever was started (window, jobs, database) at the end."""
    made = []

    def run(url: str, settings):
        startup = start(url, "tester", settings)
        made.append(startup)
        return startup

    yield run
    for startup in made:
        startup.close()


def answer_box(button: str, seen: list) -> None:
    """Press ``button`` on the next message box, noting its title, text, buttons and parent."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(
                (box.windowTitle(), box.text(), [b.text() for b in box.buttons()], box.parent())
            )
            next(b for b in box.buttons() if b.text() == button).click()
            return
        QTimer.singleShot(30, poll)

    QTimer.singleShot(0, poll)


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """A colleague's program in the middle of a long write: the app waits for it, then opens read-only."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_the_window_is_shown_and_answers_before_the_database_is_open(
    qtbot, started, qt_database, qt_settings
):
    path = qt_database.database.path
    holder = _hold_write_lock(path)  # opening now takes a couple of seconds
    try:
        startup = started(str(path), qt_settings)
        window = startup.window
        assert window.isVisible() and window.database is None
        assert window.stack.currentWidget() is window.opening
        assert "Opening the database" in window.opening.title.text()
        assert not window.actions_.log_engagement.isEnabled()
        assert not window.search.isEnabled()
        with qtbot.waitActive(window):
            window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # People
        assert window.navigation.currentItem().text() == "People"  # the keyboard works
        assert "People will show here" in window.opening.text.text()
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Log engagement
        qtbot.wait(100)
        assert QApplication.activeModalWidget() is None  # no dialog on a database not yet open
        window.resize(900, 600)
        assert window.grab().width() > 0  # it paints while the database opens
        assert window.database is None
        with qtbot.waitSignal(window.database_ready, timeout=15000):
            pass
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert window.actions_.log_engagement.isEnabled() and window.search.isEnabled()
    assert window.current_key() == "people"  # the page asked for while it was opening
    page = window.page("people")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    assert "(read-only)" in window.windowTitle()  # the lock held: opened read-only, said so


def test_the_last_view_shows_its_rows_once_the_database_is_open(
    qtbot, started, qt_database, qt_settings
):
    qt_settings.setValue("window/last_view", "organisations")
    startup = started(str(qt_database.database.path), qt_settings)
    window = startup.window
    assert window.navigation.currentItem().text() == "Organisations"
    with qtbot.waitSignal(window.database_ready, timeout=15000):
        pass
    page = window.page("organisations")
    assert window.stack.currentWidget() is page and window.opening is None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    names = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert "Hackney CVS" in names
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=5000)
    dialog = QApplication.activeModalWidget()
    assert "engagement" in dialog.windowTitle().lower()
    dialog.reject()


def test_a_database_from_a_newer_version_gets_its_dialog_over_the_window_and_quit_closes_it(
    qtbot, started, tmp_path, qt_settings
):
    path = tmp_path / "newer.sqlite3"
    open_database(str(path)).dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    seen: list = []
    answer_box("Quit", seen)
    startup = started(str(path), qt_settings)
    window = startup.window
    assert window.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15000)
    title, text, buttons, parent = seen[0]
    assert title == "Database from a newer version" and "newer version of the VRU CRM" in text
    assert sorted(buttons) == ["Open another file…", "Quit"]
    assert parent is window  # over the window, not floating on its own
    assert startup.quit_at_start and window.database is None


def test_choosing_another_file_in_the_dialog_opens_it_in_the_window(
    qtbot, started, tmp_path, qt_database, qt_settings, monkeypatch
):
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("these are my meeting notes, not a database\n" * 100)
    chosen = str(qt_database.database.path)
    monkeypatch.setattr("ui.startup.StartupUi.choose_file", lambda self: chosen)
    seen: list = []
    answer_box("Open another file…", seen)
    startup = started(str(notes), qt_settings)
    window = startup.window
    with qtbot.waitSignal(window.database_ready, timeout=15000):
        pass
    assert seen[0][0] == "Not a VRU CRM database"
    assert window.database.path == Path(chosen).resolve()
    assert str(Path(chosen).resolve()) in window.windowTitle()
    assert notes.read_text().startswith("these are my meeting notes")  # untouched


def test_closing_the_window_while_it_opens_quits_cleanly(qtbot, started, qt_database, qt_settings):
    startup = started(str(qt_database.database.path), qt_settings)
    startup.window.close()  # before the database arrives
    startup.close()  # waits for the opening, then closes what arrived
    assert startup.database is None
    assert isinstance(startup.window, MainWindow)


def test_the_start_up_backup_is_taken_behind_the_open_window(
    qtbot, started, qt_database, qt_settings, monkeypatch
):
    from vru_crm.reliability import backups

    monkeypatch.delenv(backups.NO_AUTO_BACKUP_ENV, raising=False)
    path = qt_database.database.path
    startup = started(str(path), qt_settings)
    assert backups.list_backups(path) == []  # not before the window is shown
    with qtbot.waitSignal(startup.window.database_ready, timeout=15000):
        pass
    qtbot.waitUntil(
        lambda: [b.kind for b in backups.list_backups(path)] == ["startup"], timeout=15000
    )
    copy = backups.list_backups(path)[0].path
    assert backups.preview(copy).counts["organisation"] > 0
