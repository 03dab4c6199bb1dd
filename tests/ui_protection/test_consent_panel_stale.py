"""A panel opened before any record existed refuses a stale save, in words."""

from PySide6.QtCore import Qt

from ui.protection.consent_panel import ConsentPanel
from vru_crm.protection.consent import ProtectionInput, get_protection, save_protection
from vru_crm.services.people import PersonInput, create_person


def test_a_colleagues_no_email_is_not_overwritten_by_a_panel_opened_earlier(qtbot, sqlite_database):
    pid = create_person(sqlite_database, PersonInput(full_name="Jake Ferguson")).id
    panel = ConsentPanel(sqlite_database, pid)  # nothing recorded yet
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel._record is not None and not panel.loading, timeout=5000)
    save_protection(sqlite_database, pid, ProtectionInput("consent", no_email=True), None)

    qtbot.mouseClick(panel.no_phone, Qt.MouseButton.LeftButton)  # my change
    with qtbot.waitSignal(panel.failed, timeout=5000):  # refused on the pool
        panel.save()

    assert "Someone else changed this person's data protection record" in panel.message.text()
    assert panel.no_phone.isChecked()  # what I chose is still on screen
    record = get_protection(sqlite_database, pid)
    assert record.no_email and not record.no_phone  # the colleague's choice stands
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.reload()
    with qtbot.waitSignal(panel.saved, timeout=5000):
        panel.save()
    assert panel.message.text() == "Saved." and get_protection(sqlite_database, pid).no_email
