"""The retention review: what is due, applied in one step in a worker, or stopped with nothing changed."""

import threading
from datetime import date

from PySide6.QtCore import QThreadPool

from ui.protection import retention_dialog
from ui.protection.retention_dialog import RetentionReviewDialog
from vru_crm.protection.counts import people_linked
from vru_crm.services.engagements import EngagementInput, create_engagement, get_engagement
from vru_crm.services.people import PersonInput, create_person


def _old(database, n=3):
    pid = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    return [
        create_engagement(
            database,
            EngagementInput(
                kind="visit",
                occurred_on=date(2015, 1, d + 1),
                person_ids=[pid],
                summary="Met Jake at the club",
            ),
        ).id
        for d in range(n)
    ]


def _settle(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog._job is not None and not dialog._job.is_running, timeout=5000)
    QThreadPool.globalInstance().waitForDone(5000)


def test_lists_what_is_due_and_applies_it_with_a_report(qtbot, sqlite_database, monkeypatch):
    ids = _old(sqlite_database)
    dialog = RetentionReviewDialog(sqlite_database)
    qtbot.addWidget(dialog)
    _settle(qtbot, dialog)
    assert dialog.due_table.model().rowCount() == 3 and dialog.summary.text() == "3 records due."
    assert dialog.apply_button.isEnabled()
    monkeypatch.setattr(retention_dialog.common, "confirm", lambda *_a: True)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: "3 engagements anonymised" in dialog.report.toPlainText(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.summary.text() == "Nothing is due.", timeout=5000)
    assert all(get_engagement(sqlite_database, e).summary == "[anonymised]" for e in ids)
    assert people_linked(sqlite_database, ids) == 3


def test_saying_no_changes_nothing(qtbot, sqlite_database, monkeypatch):
    ids = _old(sqlite_database, 1)
    dialog = RetentionReviewDialog(sqlite_database)
    qtbot.addWidget(dialog)
    _settle(qtbot, dialog)
    monkeypatch.setattr(retention_dialog.common, "confirm", lambda *_a: False)
    dialog.apply_button.click()
    assert get_engagement(sqlite_database, ids[0]).summary == "Met Jake at the club"


def test_cancel_midway_rolls_everything_back(qtbot, sqlite_database, monkeypatch):
    ids = _old(sqlite_database)
    dialog = RetentionReviewDialog(sqlite_database)
    qtbot.addWidget(dialog)
    _settle(qtbot, dialog)
    gate = threading.Event()
    real = retention_dialog._apply

    def held(context, *args):
        gate.wait(5)
        return real(context, *args)

    monkeypatch.setattr(retention_dialog, "_apply", held)
    dialog.apply()
    assert dialog.progress.isVisible() or dialog.progress.busy
    dialog.progress.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: "nothing was changed" in dialog.report.toPlainText(), timeout=5000)
    assert all(get_engagement(sqlite_database, e).summary == "Met Jake at the club" for e in ids)


def test_policies_can_be_changed_here(qtbot, sqlite_database):
    _old(sqlite_database, 1)
    dialog = RetentionReviewDialog(sqlite_database)
    qtbot.addWidget(dialog)
    _settle(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(dialog._policy_rows), timeout=5000)  # read on the pool
    row = next(i for i, p in enumerate(dialog._policy_rows) if p.record_kind == "engagement")
    dialog.policies.cellWidget(row, 2).setValue(20)
    dialog.save_policies.click()
    assert dialog.policy_message.text() == "Policies saved."
    _settle(qtbot, dialog)
    assert dialog.summary.text() == "Nothing is due."
