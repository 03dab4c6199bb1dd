"""The window on a team database: who is signed in, what the role may not do, refusals in words.

Real PostgreSQL server, real login roles, the real main window (offscreen). The
viewer's window is saved as a picture (``VRU_TEAM_SCREENSHOT``, else the test's own
folder) so a person can look at it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from ui.team.status import BADGE
from vru_crm.services.organisations import OrganisationInput, create_organisation
from vru_crm.services.people import PersonInput, create_person

pytestmark = pytest.mark.postgres


def _badge(window) -> str:
    badge = window.findChild(QLabel, BADGE)
    assert badge is not None and badge.isVisible()
    return badge.text()


def test_viewer_window_shows_login_and_role_and_greys_out_changes(
    owner, open_window, qtbot, tmp_path
):
    create_organisation(owner, OrganisationInput(name="Hackney Youth Hub", sector="charity"))
    window = open_window("viewer")
    text = _badge(window)
    assert text.startswith("Signed in as t_view_") and "(viewer)" in text
    assert "Contact details hidden for your role" in text
    a = window.actions_
    for action in (a.new_organisation, a.new_person, a.log_engagement, a.edit, a.delete):
        assert not action.isEnabled()
        assert "Your role (viewer) cannot change" in action.toolTip()
    menus = {a.text().replace("&", "").rstrip("…"): a for a in window.findChildren(QAction)}
    for text in ("Erase this person", "Audit trail", "New network", "Mailing list"):
        assert not menus[text].isEnabled(), text
    assert menus["Actions"].isEnabled()  # reading the governance lists is allowed
    window.show_page("organisations")
    page = window.page("organisations")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)  # a viewer reads
    picture = Path(os.environ.get("VRU_TEAM_SCREENSHOT") or tmp_path / "viewer.png")
    assert window.grab().save(str(picture))
    assert picture.stat().st_size > 10_000


def test_engagement_window_may_log_but_not_erase(open_window):
    window = open_window("engagement")
    assert "(engagement)" in _badge(window)
    assert "Contact details hidden" in _badge(window)
    assert window.actions_.log_engagement.isEnabled()
    assert window.actions_.new_person.isEnabled()
    menus = {a.text().replace("&", "").rstrip("…"): a for a in window.findChildren(QAction)}
    assert not menus["New network"].isEnabled() and not menus["Erase this person"].isEnabled()


def test_protection_window_may_erase_but_not_log(open_window):
    window = open_window("protection")
    assert "(protection)" in _badge(window) and "hidden" not in _badge(window)
    menus = {a.text().replace("&", "").rstrip("…"): a for a in window.findChildren(QAction)}
    assert menus["Erase this person"].isEnabled() and menus["Audit trail"].isEnabled()
    assert not window.actions_.log_engagement.isEnabled()


def test_refused_save_shows_the_reason_in_the_form(owner, open_window, qtbot):
    from ui import launch

    window = open_window("viewer")
    dialog = launch.edit_record(window, window.database, "organisation")
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)  # the sectors, from the pool
    dialog.name.setText("Nope")
    index = dialog.sector.findData("charity")
    dialog.sector.setCurrentIndex(max(index, 1))
    dialog.attempt_save()
    qtbot.waitUntil(lambda: "Your role (viewer) cannot change organisations" in _banner(dialog))
    if os.environ.get("VRU_TEAM_SCREENSHOT"):
        dialog.grab().save(os.environ["VRU_TEAM_SCREENSHOT"].replace(".png", "_refused.png"))
    assert dialog.isVisible() and dialog.name.text() == "Nope"  # kept open with what was typed
    dialog.mark_loaded()  # close without the "discard what you typed?" question
    dialog.reject()


def test_people_page_says_contact_details_are_hidden(owner, open_window, qtbot):
    person = create_person(
        owner,
        PersonInput(
            full_name="Ayo Bello", email="ayo@example.org", is_young_person=True, age_band="16_17"
        ),
    )
    window = open_window("viewer")
    window.open_record("person", person.id)
    page = window.stack.currentWidget()
    qtbot.waitUntil(lambda: page.detail is not None, timeout=10_000)
    shown = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "Ayo Bello" in shown and "Contact details hidden for your role" in shown
    assert "ayo@example.org" not in shown
    if os.environ.get("VRU_TEAM_SCREENSHOT"):
        window.grab().save(os.environ["VRU_TEAM_SCREENSHOT"].replace(".png", "_person.png"))


def _banner(dialog) -> str:
    return " ".join(label.text() for label in dialog.banner.findChildren(QLabel))
