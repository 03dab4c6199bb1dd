"""Every form's Tab chain follows its visual order, top to bottom and left
to right, through every field (none skipped, none visited out of turn) and then the buttons."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui_forms.conftest import forget_changes
from tests.ui_forms.tab_walk import describe, reading_order, tab_chain
from vru_crm.governance.networks import NetworkInput, create_network
from vru_crm.services import engagements


def _show(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: not getattr(dialog, "loading", False), timeout=10000)
    return dialog


def _assert_follows_reading_order(qtbot, dialog) -> None:
    visual = reading_order(dialog)
    assert len(visual) >= 4, describe(visual)
    chain = tab_chain(qtbot, dialog)
    assert describe(chain) == describe(visual)
    # Shift+Tab goes back the same way.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() in (visual[-1], visual[-1].focusProxy())


def _forms(database, seeded):
    from ui.dialogs.action_dialog import ActionDialog
    from ui.dialogs.assessment_dialog import AssessmentDialog
    from ui.dialogs.engagement_dialog import EngagementDialog
    from ui.dialogs.letter_dialog import LetterDialog
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.dialogs.network_dialog import NetworkDialog
    from ui.dialogs.organisation_dialog import OrganisationDialog
    from ui.dialogs.person_dialog import PersonDialog

    engagement = engagements.create_engagement(
        database,
        engagements.EngagementInput(
            kind="visit", occurred_on=date(2024, 5, 2), summary="A visit",
            organisation_ids=[seeded.hackney_cvs],
        ),
    )  # fmt: skip
    network = create_network(
        database, NetworkInput(name="Partnership Reference Group", short_name="PRG", kind="board")
    )
    return {
        "new organisation": lambda: OrganisationDialog(database),
        "organisation": lambda: OrganisationDialog(database, organisation_id=seeded.hackney_cvs),
        "new person": lambda: PersonDialog(database),
        "person": lambda: PersonDialog(database, person_id=seeded.amina),
        "new engagement": lambda: EngagementDialog(database),
        "engagement": lambda: EngagementDialog(database, engagement_id=engagement.id),
        "assessment": lambda: AssessmentDialog(database, seeded.hackney_cvs),
        "new network": lambda: NetworkDialog(database),
        "network": lambda: NetworkDialog(database, network.id),
        "new meeting": lambda: MeetingDialog(database),
        "new letter": lambda: LetterDialog(database),
        "new action": lambda: ActionDialog(database),
    }


FORMS = [
    "new organisation", "organisation", "new person", "person", "new engagement", "engagement",
    "assessment", "new network", "network", "new meeting", "new letter", "new action",
]  # fmt: skip


@pytest.mark.parametrize("form", FORMS)
def test_tab_follows_the_visual_order(qtbot, sqlite_database, form):
    from tests.ui_forms.conftest import seed

    make = _forms(sqlite_database, seed(sqlite_database))[form]
    _assert_follows_reading_order(qtbot, _show(qtbot, make()))


def test_a_young_persons_age_band_is_next_after_the_tick(qtbot, sqlite_database):
    from tests.ui_forms.conftest import seed
    from ui.dialogs.person_dialog import PersonDialog

    seed(sqlite_database)
    dialog = _show(qtbot, PersonDialog(sqlite_database))
    dialog.full_name.setText("Grace Reid")
    dialog.is_young_person.setChecked(True)
    _assert_follows_reading_order(qtbot, dialog)
    assert dialog.age_band in reading_order(dialog)
