"""Subject access screen: log a request, see overdue ones, mark answered, export in the background."""

import json
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ui.protection.subject_access_dialog import OVERDUE, SubjectAccessDialog
from vru_crm.london import today_in_london
from vru_crm.protection.subject_access import list_requests, log_request
from vru_crm.services.people import PersonInput, create_person


def test_log_a_request_for_a_person(qtbot, sqlite_database):
    pid = create_person(sqlite_database, PersonInput(full_name="Jake Ferguson")).id
    dialog = SubjectAccessDialog(sqlite_database, person_id=pid)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(
        lambda: dialog.person.selected_ids() == [pid], timeout=5000
    )  # named on the pool
    dialog.received.set_value(date(2026, 1, 31))
    dialog.log_button.click()
    assert dialog.message.text() == "Request logged: due 28 Feb 2026."
    qtbot.waitUntil(lambda: not dialog.table.model().loading)  # read on the thread pool
    assert (
        dialog.table.model().rowCount() == 1
        and dialog.table.model().index(0, 2).data() == "28 Feb 2026"
    )


def test_overdue_requests_stand_out_and_can_be_answered(qtbot, sqlite_database):
    pid = create_person(sqlite_database, PersonInput(full_name="Jake Ferguson")).id
    log_request(sqlite_database, pid, today_in_london() - timedelta(days=40))
    dialog = SubjectAccessDialog(sqlite_database)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.table.model().loading)  # read on the thread pool
    assert "1 request is overdue" in dialog.overdue.text()
    assert dialog.table.model().index(0, 3).data(Qt.ItemDataRole.ForegroundRole).color() == QColor(
        OVERDUE
    )
    dialog.table.selectRow(0)
    dialog.answered_button.click()
    qtbot.waitUntil(lambda: not dialog.table.model().loading)  # read on the thread pool
    assert dialog.table.model().rowCount() == 0 and not dialog.overdue.isVisible()
    assert list_requests(sqlite_database)[0].answered_on == today_in_london()


def test_choosing_nobody_is_explained(qtbot, sqlite_database):
    dialog = SubjectAccessDialog(sqlite_database)
    qtbot.addWidget(dialog)
    dialog.log_button.click()
    assert dialog.message.text() == "Choose the one person the request is about."


def test_export_runs_in_the_background_and_says_where(qtbot, sqlite_database, tmp_path):
    pid = create_person(sqlite_database, PersonInput(full_name="Jake Ferguson")).id
    dialog = SubjectAccessDialog(sqlite_database, person_id=pid)
    qtbot.addWidget(dialog)
    dialog.export(pid, tmp_path)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Written"), timeout=5000)
    [json_file] = tmp_path.glob("*.json")
    assert json.loads(json_file.read_text())["person"]["full_name"] == "Jake Ferguson"
    assert "Check them for other people's details" in dialog.message.text()
