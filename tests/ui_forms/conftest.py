"""Fixtures for the form tests: a small partnership on a real database, and helpers to answer
the modal questions a dialog asks (delete? discard?) as a user would."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from db.models import Membership, Network
from vru_crm.services import organisations as orgs
from vru_crm.services import people


@dataclass
class Partnership:
    hackney_cvs: int
    lambeth_youth: int
    croydon_faith: int
    amina: int
    network: int
    hackney: int
    lambeth: int


def _borough(database, name: str) -> int:
    from vru_crm.services.reference import find_borough

    return find_borough(database, name).id  # type: ignore[union-attr]


def seed(database) -> Partnership:
    """Three organisations in three boroughs, a person working at one, a network with two members."""
    hackney, lambeth, croydon = (_borough(database, n) for n in ("Hackney", "Lambeth", "Croydon"))
    cvs = orgs.create_organisation(
        database,
        orgs.OrganisationInput(
            name="Hackney CVS", sector="charity", borough_ids=[hackney], email="info@hcvs.org.uk"
        ),
    )
    youth = orgs.create_organisation(
        database,
        orgs.OrganisationInput(
            name="Lambeth Youth Club", sector="grassroots", borough_ids=[lambeth]
        ),
    )
    faith = orgs.create_organisation(
        database,
        orgs.OrganisationInput(name="Croydon Faith Forum", sector="faith", borough_ids=[croydon]),
    )
    amina = people.create_person(
        database,
        people.PersonInput(full_name="Amina Yusuf", email="amina@hcvs.org.uk", borough_id=hackney),
    )
    people.add_affiliation(
        database, people.AffiliationInput(amina.id, cvs.id, "Director", date(2019, 4, 1))
    )
    with database.session() as s:
        network = Network(name="Charities network", kind="network")
        s.add(network)
        s.flush()
        s.add(
            Membership(network_id=network.id, organisation_id=cvs.id, start_date=date(2020, 1, 1))
        )
        s.add(Membership(network_id=network.id, person_id=amina.id, role="chair"))
        network_id = network.id
    return Partnership(cvs.id, youth.id, faith.id, amina.id, network_id, hackney, lambeth)  # type: ignore[arg-type]


@pytest.fixture
def partnership(database) -> Partnership:
    return seed(database)


@pytest.fixture(autouse=True)
def _fresh_undo_stack():
    """The undo stack is app-wide: each test starts with an empty one."""
    from ui.undo import undo_stack

    undo_stack().clear()
    yield
    undo_stack().clear()


def answer_next_question(qtbot, button_text: str) -> list[str]:
    """Press ``button_text`` in the next modal message box; returns [its text] once answered."""
    seen: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, press)
    return seen


def answer_next_dialog(handler: Callable) -> None:
    """Run ``handler(dialog)`` on the next modal dialog (not a message box) once it is shown."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        handler(dialog)

    QTimer.singleShot(0, run)


def wait_saved(qtbot, dialog, timeout: int = 10000) -> None:
    """Let a save (or delete) on the thread pool end: the form closes or is given back."""

    def ended() -> bool:
        try:
            return not dialog.saving
        except RuntimeError:  # the form closed and was deleted
            return True

    qtbot.waitUntil(ended, timeout=timeout)


def forget_changes(dialog) -> None:
    """Before pytest-qt closes a form at teardown: nothing unsaved, so no question blocks."""
    if hasattr(dialog, "mark_loaded"):
        dialog._loaded_values = dialog.values()


class Keyboard:
    """Keys sent where a real keyboard sends them: an open completion popup, else the focus.

    The offscreen platform leaves a closed popup as the "active window", so
    focus moves (Tab) would be ignored; a desktop re-activates the dialog
    itself, and so does this helper.
    """

    def __init__(self, qtbot, window) -> None:
        self.qtbot, self.window = qtbot, window

    def target(self):
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup
        if QApplication.activeWindow() is not self.window:
            self.window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window)
        return QApplication.focusWidget()

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.target(), text)

    def press(self, key, modifier=None) -> None:
        from PySide6.QtCore import Qt

        self.qtbot.keyClick(self.target(), key, modifier or Qt.KeyboardModifier.NoModifier)
