"""The consent panel as a user sees it: the safeguarding notice, parental consent, preferences."""

from datetime import date

from ui.protection.consent_dialog import ConsentDialog
from ui.protection.consent_panel import ConsentPanel
from ui.workers import wait_for_jobs
from vru_crm.protection.consent import get_protection
from vru_crm.reliability.readonly import open_read_only
from vru_crm.services.people import PersonInput, create_person


def _opened(qtbot, panel):
    """The panel reads its record on the thread pool: wait until it is shown."""
    qtbot.waitUntil(lambda: panel._record is not None and not panel.loading, timeout=5000)
    return panel


def _young(database):
    return create_person(
        database, PersonInput(full_name="Tayo Young", is_young_person=True, age_band="under_13")
    ).id


def test_young_person_shows_the_safeguarding_notice(qtbot, sqlite_database):
    panel = ConsentPanel(sqlite_database, _young(sqlite_database))
    qtbot.addWidget(panel)
    panel.show()
    _opened(qtbot, panel)
    assert panel.notice.isVisible() and "safeguarding lead" in panel.notice.text()
    assert "no parent or carer's consent" in panel.warnings.text()
    adult = create_person(sqlite_database, PersonInput(full_name="Jake Ferguson")).id
    other = ConsentPanel(sqlite_database, adult)
    qtbot.addWidget(other)
    other.show()
    _opened(qtbot, other)
    assert not other.notice.isVisible()


def test_under_13_consent_can_only_come_from_a_named_parent(qtbot, sqlite_database):
    pid = _young(sqlite_database)
    panel = ConsentPanel(sqlite_database, pid)
    qtbot.addWidget(panel)
    _opened(qtbot, panel)
    dialog = ConsentDialog(sqlite_database, pid, panel._record)
    qtbot.addWidget(dialog)
    assert dialog.given_by.currentData() == "parent_carer" and not dialog.given_by.isEnabled()
    dialog._save()
    assert "Parent or carer's name: a parent or carer's name is required" in dialog.errors.text()
    assert get_protection(sqlite_database, pid).consents == ()
    dialog.parent_name.setText("Ngozi Young")
    dialog.relationship.setText("mother")
    dialog._save()  # saved on the pool: held until it is
    assert dialog.saving and not dialog.parent_name.isEnabled()
    qtbot.waitUntil(lambda: dialog.result() == ConsentDialog.DialogCode.Accepted, timeout=5000)
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.reload()
    assert panel.table.model().rowCount() == 1
    assert panel.table.model().index(0, 2).data() == "Ngozi Young (mother), parent or carer"
    assert "no parent or carer's consent" not in panel.warnings.text()


def test_preferences_and_review_date_are_saved(qtbot, sqlite_database):
    pid = create_person(sqlite_database, PersonInput(full_name="Jake Ferguson")).id
    panel = ConsentPanel(sqlite_database, pid)
    qtbot.addWidget(panel)
    _opened(qtbot, panel)
    panel.basis.setCurrentIndex(panel.basis.findData("legitimate_interests"))
    panel.no_email.setChecked(True)
    panel.review_on.set_value(date(2030, 1, 31))
    with qtbot.waitSignal(panel.saved, timeout=5000):  # saved and read back on the pool
        panel.save_button.click()
        assert panel.working and not panel.no_email.isEnabled()
    record = get_protection(sqlite_database, pid)
    assert (record.lawful_basis, record.no_email, record.review_on) == (
        "legitimate_interests",
        True,
        date(2030, 1, 31),
    )
    assert panel.message.text() == "Saved."
    _opened(qtbot, panel)
    panel.review_on.edit.setText("31/02/2030")
    panel.save_button.click()
    assert "Review date" in panel.message.text()
    assert get_protection(sqlite_database, pid).review_on == date(2030, 1, 31)


def test_read_only_database_disables_every_change(qtbot, sqlite_database):
    pid = create_person(sqlite_database, PersonInput(full_name="Jake Ferguson")).id
    read_only = open_read_only(sqlite_database.path)
    try:
        panel = ConsentPanel(read_only, pid)
        qtbot.addWidget(panel)
        assert not panel.save_button.isEnabled() and not panel.add_button.isEnabled()
        assert "Nothing was saved" in panel.save_button.toolTip()
    finally:
        # The panel reads on the pool: closing the database under a running read crashed.
        wait_for_jobs(5000)
        read_only.dispose()
