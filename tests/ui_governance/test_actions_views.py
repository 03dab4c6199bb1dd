"""The action log and the recommendations list: overdue in red, closing, responding."""

import re
from datetime import date

import pytest
from governance_data import at, make_network, meeting

from ui.governance.actions_view import ActionsView
from ui.governance.common import OVERDUE
from ui.governance.recommendations_view import RecommendationsView
from vru_crm.governance.actions import create_action, list_actions
from vru_crm.governance.recommendations import create_recommendation, list_recommendations


def test_actions_view_lists_overdue_and_closes(qtbot, sqlite_database):
    prg = make_network(sqlite_database)
    may = meeting(sqlite_database, prg, at(2019, 5, 1), "held")
    create_action(
        sqlite_database,
        "Map community stakeholders",
        owner="VRU Director",
        due_date=date(2019, 6, 1),
        meeting_id=may,
    )
    view = ActionsView(sqlite_database)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 1
    assert re.search(r"^1 Jun 2019 \(\d+ years overdue\)$", view.model.index(0, 2).data())
    assert view.model.index(0, 0).data(9).color() == OVERDUE  # ForegroundRole
    assert view.model.index(0, 4).data() == "Partnership Reference Group, 1 May 2019"
    assert not view.close_selected()  # nothing chosen
    assert "Choose an action" in view.banner.text()
    create_action(
        sqlite_database,
        "Circulate the work programme",
        owner="Lib Peck",
        due_date=date(2099, 1, 1),
        meeting_id=may,
    )
    view.reload()
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 2
    view.table.selectRow(0)
    assert view.close_selected()
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert (
        view.model.rowCount() == 1
        and view.model.index(0, 0).data() == "Circulate the work programme"
    )
    assert [a.status for a in list_actions(sqlite_database) if a.text.startswith("Map")] == ["done"]
    view.filter.setCurrentText("All")
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 2


def test_recommendations_view_records_a_reply(qtbot, sqlite_database):
    create_recommendation(
        sqlite_database,
        sender="Police and Crime Committee",
        letter_date=date(2020, 4, 7),
        number=1,
        text="Publish PRG minutes promptly",
        due_date=date(2020, 4, 30),
    )
    view = RecommendationsView(sqlite_database)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 1 and "years overdue" in view.model.index(0, 3).data()
    assert view.reply() is None and "Choose a recommendation" in view.banner.text()
    view.table.selectRow(0)
    dialog = view.reply()
    qtbot.addWidget(dialog)
    assert dialog.loading and not dialog.reply.isEnabled()  # the recommendation, from the pool
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert "Publish PRG minutes promptly" in dialog.about.text()
    dialog.reply.setPlainText("Minutes now published within 28 days")
    dialog.attempt_save()
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    assert view.model.rowCount() == 0  # no longer open
    [row] = list_recommendations(sqlite_database)
    assert row.status == "responded" and row.response == "Minutes now published within 28 days"


@pytest.mark.parametrize(
    "days, words",
    [(1, "1 day overdue"), (22, "22 days overdue"), (90, "90 days overdue"), (200, "6 months overdue"),
     (800, "2 years overdue")],
)  # fmt: skip
def test_lateness_is_said_in_the_unit_a_person_would_use(days, words):
    from ui.governance.tracked_list import lateness

    assert lateness(days) == words
