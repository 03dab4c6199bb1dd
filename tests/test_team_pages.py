"""Buttons inside pages on a team database: greyed out, with the reason, where the role may not.

Real PostgreSQL server, real login roles, the real main window and dialogs
(offscreen). A viewer sees every change button disabled and why; governance may
change networks and actions but not use the data protection tools; a SQLite file
(one user) has every button as before. The viewer's person page is saved as a
picture (``VRU_TEAM_SCREENSHOT``'s folder, else the test's own folder).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication, QDialog

from db.session import Database
from ui.team.rights import REFUSED
from ui.workers import wait_for_jobs
from vru_crm.governance.meetings import create_meeting
from vru_crm.governance.networks import NetworkInput, create_network
from vru_crm.services.organisations import OrganisationInput, create_organisation
from vru_crm.services.people import PersonInput, create_person


@pytest.fixture
def records(owner) -> dict[str, int]:
    """One of each record the pages show, made by the owner."""
    return _records(owner)


def _records(database: Database) -> dict[str, int]:
    organisation = create_organisation(
        database, OrganisationInput(name="Hackney Youth Hub", sector="charity")
    )
    person = create_person(
        database,
        PersonInput(full_name="Ayo Bello", email="ayo@example.org", job_title="Youth worker"),
    )
    network = create_network(database, NetworkInput(name="Youth Violence Partnership"))
    start = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)
    meeting = create_meeting(
        database,
        title="Partnership board",
        network_id=network.id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    return {
        "organisation": organisation.id,
        "person": person.id,
        "network": network.id,
        "meeting": meeting.id,
    }


def _page(window, qtbot, kind: str, record_id: int):
    window.open_record(kind, record_id)
    page = window.stack.currentWidget()
    qtbot.waitUntil(lambda: page.detail is not None, timeout=10_000)
    return page


def _refused(button, words: str) -> None:
    assert not button.isEnabled(), button.text()
    assert button.toolTip() == words, button.toolTip()
    assert button.property(REFUSED) == words


def _allowed(qtbot, button) -> None:
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    assert button.property(REFUSED) is None


def _protection_dialogs(database: Database, person_id: int):
    from ui.protection.consent_panel import ConsentPanel
    from ui.protection.erase_dialog import CONFIRM_WORD, ErasePersonDialog
    from ui.protection.retention_dialog import RetentionReviewDialog
    from ui.protection.subject_access_dialog import SubjectAccessDialog

    erase = ErasePersonDialog(database, person_id)
    erase.confirm.setText(CONFIRM_WORD)  # what enables Erase for a role that may erase
    access = SubjectAccessDialog(database, person_id)
    review = RetentionReviewDialog(database)
    consent = ConsentPanel(database, person_id)
    buttons = {
        "erase people": [erase.erase_button],
        "handle subject access requests": [access.log_button, access.answered_button],
        "apply retention": [review.apply_button, review.save_policies],
        "change consent": [consent.add_button, consent.save_button],
    }
    return (erase, access, review, consent), buttons


def _close(dialogs) -> None:
    wait_for_jobs(10_000)
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()


@pytest.mark.postgres
def test_viewer_pages_grey_out_every_change_with_the_reason(open_window, records, qtbot, tmp_path):
    window = open_window("viewer")
    viewer = "Your role (viewer) cannot "
    organisation = _page(window, qtbot, "organisation", records["organisation"])
    for button in (
        organisation.edit_button,
        organisation.delete_button,
        organisation.assess_button,
    ):
        _refused(button, viewer + "change organisations")
    person = _page(window, qtbot, "person", records["person"])
    _refused(person.edit_button, viewer + "change people")
    _refused(person.delete_button, viewer + "change people")
    _refused(person.consent_button, viewer + "change consent (the data protection role does that)")
    picture = Path(os.environ.get("VRU_TEAM_SCREENSHOT") or tmp_path / "viewer.png")
    shot = picture.with_name(picture.stem + "_person.png")
    assert person.grab().save(str(shot)) and shot.stat().st_size > 5_000
    network = _page(window, qtbot, "network", records["network"])
    for button in (network.edit_button, network.add_members_button, network.archive_button):
        _refused(button, viewer + "change networks")
    _refused(network.new_meeting_button, viewer + "change meetings")
    meeting = _page(window, qtbot, "meeting", records["meeting"])
    for button in (meeting.held_button, meeting.agenda_button, meeting.reschedule_button):
        _refused(button, viewer + "change meetings")
    _refused(meeting.action_button, viewer + "change actions")

    from ui.governance.actions_view import ActionsView
    from ui.governance.recommendations_view import RecommendationsView

    actions, letters = ActionsView(window.database), RecommendationsView(window.database)
    _refused(actions.new_button, viewer + "change actions")
    _refused(letters.new_button, viewer + "change letters and recommendations")
    for shortcut in actions.findChildren(QShortcut) + letters.findChildren(QShortcut):
        shortcut.activated.emit()  # Ctrl+N, Ctrl+E: a greyed button's keys open nothing either
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
    ]
    dialogs, buttons = _protection_dialogs(window.database, records["person"])
    for what, group in buttons.items():
        for button in group:
            assert not button.isEnabled() and button.toolTip().startswith(viewer + what), what
    _close((*dialogs, actions, letters))


@pytest.mark.postgres
def test_governance_may_change_networks_but_not_use_protection_tools(open_window, records, qtbot):
    window = open_window("governance")
    network = _page(window, qtbot, "network", records["network"])
    for button in (network.edit_button, network.add_members_button, network.new_meeting_button):
        _allowed(qtbot, button)
    meeting = _page(window, qtbot, "meeting", records["meeting"])
    _allowed(qtbot, meeting.agenda_button)
    _allowed(qtbot, meeting.action_button)
    person = _page(window, qtbot, "person", records["person"])
    _allowed(qtbot, person.edit_button)
    _refused(
        person.consent_button,
        "Your role (governance) cannot change consent (the data protection role does that)",
    )

    from ui.governance.actions_view import ActionsView

    actions = ActionsView(window.database)
    _allowed(qtbot, actions.new_button)
    dialogs, buttons = _protection_dialogs(window.database, records["person"])
    for what, group in buttons.items():
        for button in group:
            assert not button.isEnabled(), what
            assert button.toolTip().startswith(f"Your role (governance) cannot {what}"), what
    _close((*dialogs, actions))


def test_sqlite_pages_keep_every_button(windows, sqlite_database, qtbot):
    made = _records(sqlite_database)
    window = windows.open(sqlite_database, "solo")
    organisation = _page(window, qtbot, "organisation", made["organisation"])
    for button in (
        organisation.edit_button,
        organisation.delete_button,
        organisation.assess_button,
    ):
        _allowed(qtbot, button)
    person = _page(window, qtbot, "person", made["person"])
    for button in (person.edit_button, person.consent_button):
        _allowed(qtbot, button)
    network = _page(window, qtbot, "network", made["network"])
    _allowed(qtbot, network.add_members_button)
    dialogs, buttons = _protection_dialogs(sqlite_database, made["person"])
    for button in (buttons["erase people"][0], buttons["handle subject access requests"][0]):
        _allowed(qtbot, button)
    _close(dialogs)
