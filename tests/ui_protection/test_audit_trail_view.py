"""The audit trail screen: filterable, paged, read-only, with old and new values."""

from PySide6.QtCore import Qt

from db.session import Database
from ui.models.paged_model import PAGE_SIZE
from ui.protection.audit_trail_view import AuditTrailView
from vru_crm.services.people import PersonInput, create_person, update_person


def _people(database, n, prefix="Person"):
    return [create_person(database, PersonInput(full_name=f"{prefix} {i}")) for i in range(n)]


def test_filters_details_and_no_editing(qtbot, sqlite_database):
    first, *_ = _people(sqlite_database, 3)
    update_person(sqlite_database, first.id, PersonInput(full_name="Renamed Person"), first.version)
    other = Database(sqlite_database.url, username="director")
    create_person(other, PersonInput(full_name="Lib Peck"))
    other.dispose()

    view = AuditTrailView(sqlite_database)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.status.text() == "5 entries")
    qtbot.waitUntil(lambda: view.user.findData("director") >= 0)  # read on the thread pool
    view.user.setCurrentIndex(view.user.findData("director"))
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 1 and view.model.index(0, 4).data() == "Person Lib Peck: added"
    view.user.setCurrentIndex(0)
    view.action.setCurrentIndex(view.action.findData("update"))
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 1
    view.table.selectRow(0)
    assert "Full name: Person 0 → Renamed Person" in view.details.toPlainText()
    index = view.model.index(0, 0)
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert view.table.editTriggers() == view.table.EditTrigger.NoEditTriggers
    assert view.details.isReadOnly()


def test_text_search_waits_for_typing_to_pause(qtbot, sqlite_database):
    _people(sqlite_database, 2)
    view = AuditTrailView(sqlite_database)
    qtbot.addWidget(view)
    view.text.setText("Person 1")
    qtbot.waitUntil(lambda: view.status.text() == "1 entries", timeout=3000)


def test_rows_are_read_a_page_at_a_time(qtbot, sqlite_database):
    _people(sqlite_database, PAGE_SIZE + 20)
    view = AuditTrailView(sqlite_database)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == PAGE_SIZE + 20  # the scroll bar is true at once
    assert view.model.loaded_rows() == PAGE_SIZE  # only the first page is read
    oldest = view.model.index(PAGE_SIZE + 19, 4)
    qtbot.waitUntil(lambda: oldest.data() == "Person Person 0: added")  # read when shown


def test_history_of_one_record(qtbot, sqlite_database):
    first, second = _people(sqlite_database, 2)
    view = AuditTrailView(sqlite_database, entity="person", entity_id=second.id)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 1 and view.model.index(0, 3).data() == "Person Person 1"
