"""Restoring a backup with its preview, erasing a person, and the backup timer."""

from datetime import datetime

import pytest
from PySide6.QtCore import QThreadPool

from db.session import Database
from ui.protection import restore_dialog
from ui.protection.backup_timer import AutoBackup
from ui.protection.erase_dialog import ErasePersonDialog
from ui.protection.restore_dialog import RestoreBackupDialog
from vru_crm.errors import NotFound
from vru_crm.reliability import backups
from vru_crm.services.people import PersonInput, create_person, get_person


def _wait(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog._job is not None and not dialog._job.is_running, timeout=5000)
    QThreadPool.globalInstance().waitForDone(5000)


def test_restore_shows_a_preview_then_puts_the_backup_back(qtbot, sqlite_database, monkeypatch):
    create_person(sqlite_database, PersonInput(full_name="Jake Ferguson"))
    copy = backups.take_backup(sqlite_database.path, "scheduled", datetime(2026, 11, 20, 9))
    create_person(sqlite_database, PersonInput(full_name="Added Later"))
    dialog = RestoreBackupDialog(sqlite_database)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.listing, timeout=5000)  # the list is read on the pool
    assert (
        dialog.table.model().rowCount() == 1
        and dialog.table.model().index(0, 1).data() == "scheduled"
    )
    dialog.table.selectRow(0)
    _wait(qtbot, dialog)
    assert "Holds 0 organisations, 1 people" in dialog.details.toPlainText()
    assert dialog.restore_button.isEnabled()
    monkeypatch.setattr(restore_dialog.common, "confirm", lambda *_a: True)
    with qtbot.waitSignal(dialog.restored, timeout=5000):
        dialog.restore_button.click()
    assert "The file it replaced was kept as" in dialog.message.text()
    assert get_person(sqlite_database, 1).full_name == "Jake Ferguson"  # same handle, restored data
    with pytest.raises(NotFound):
        get_person(sqlite_database, 2)
    assert copy.exists()


def test_postgresql_cannot_be_restored_here(qtbot):
    database = Database("postgresql+psycopg://vru@127.0.0.1:1/none")
    try:
        dialog = RestoreBackupDialog(database)
        qtbot.addWidget(dialog)
        assert "pg_restore" in dialog.notice.text() and not dialog.restore_button.isEnabled()
    finally:
        database.dispose()


def test_erasing_needs_the_typed_word_then_reports(qtbot, sqlite_database):
    pid = create_person(
        sqlite_database, PersonInput(full_name="Tayo Young", is_young_person=True, age_band="16_17")
    ).id
    dialog = ErasePersonDialog(sqlite_database, pid)
    qtbot.addWidget(dialog)
    assert "safeguarding lead" in dialog.young.text()
    assert not dialog.erase_button.isEnabled()
    dialog.confirm.setText("erase")
    assert not dialog.erase_button.isEnabled()
    dialog.confirm.setText("ERASE")
    dialog.erase_button.click()
    qtbot.waitUntil(lambda: "erased." in dialog.message.text(), timeout=5000)
    with pytest.raises(NotFound):
        get_person(sqlite_database, pid)


def test_backup_timer_makes_a_backup_when_due(qtbot, sqlite_database):
    timer = AutoBackup(sqlite_database, interval_ms=50)
    with qtbot.waitSignal(timer.made, timeout=5000) as made:
        timer.start()
    timer.stop()
    QThreadPool.globalInstance().waitForDone(5000)
    assert made.args[0].exists()
    assert [b.kind for b in backups.list_backups(sqlite_database.path)] == ["scheduled"]
