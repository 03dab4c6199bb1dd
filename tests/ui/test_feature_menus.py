"""The Governance and Data protection menus reach their screens from the main window."""

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ui import feature_menus
from ui.workers import wait_for_jobs


def _menu(window, title: str):
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            return action.menu()
    raise AssertionError(f"no {title} menu")


def _trigger(window, menu_title: str, item: str) -> None:
    for action in _menu(window, menu_title).actions():
        if action.text().replace("&", "").rstrip("…") == item:
            action.trigger()
            return
    raise AssertionError(f"no {item} in {menu_title}")


def _open_windows(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_menus_list_the_governance_and_protection_screens(window):
    governance = [a.text().replace("&", "") for a in _menu(window, "Governance").actions()]
    protection = [a.text().replace("&", "") for a in _menu(window, "Data protection").actions()]
    assert "Cadence and minutes…" in governance and "Recommendations…" in governance
    assert "Audit trail…" in protection and "Retention review…" in protection


def test_cadence_panel_opens_in_its_own_window(window, qtbot):
    _trigger(window, "Governance", "Cadence and minutes")
    qtbot.waitUntil(
        lambda: any(w.windowTitle() == "Cadence and minutes" for w in _open_windows(QDialog))
    )
    for host in _open_windows(QDialog):
        host.close()
    wait_for_jobs(5000)


def test_agenda_builder_needs_a_meeting_and_says_so(window, qtbot, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: said.append(args[2]))
    window.show_page("home")
    _trigger(window, "Governance", "Build agenda for this meeting")
    assert said and "Open a meeting first" in said[0]


def test_agenda_builder_opens_on_the_meeting_shown(window, qt_database, qtbot):
    meeting_id = next(iter(qt_database.sample.meeting.values()))
    window.open_record("meeting", meeting_id)
    page = window.stack.currentWidget()
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    dialog = feature_menus.open_for_current(
        window, "meeting", "ui.governance.agenda_builder.AgendaBuilderDialog", "Build agenda"
    )
    assert dialog is not None and dialog.isVisible()
    dialog.close()
    wait_for_jobs(5000)


def test_audit_trail_opens_read_only_in_its_own_window(window, qtbot):
    host = feature_menus.show_panel(
        window, "ui.protection.audit_trail_view.AuditTrailView", "Audit trail"
    )
    assert host.isVisible()
    host.close()
    wait_for_jobs(5000)
