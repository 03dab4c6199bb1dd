"""A borough's partner list is not a dead end: a double-click (or Enter) opens the partner.

Dates on the page are written the one way the rest of the app writes them: "5 Oct 2020".
"""

import pytest
from PySide6.QtCore import Qt
from reports_fixture import TODAY, build

from ui.reports.dashboard import DashboardPage
from vru_crm.reports.period import PeriodFilter


@pytest.fixture
def page(qtbot, sqlite_database):
    ids = build(sqlite_database)
    widget = DashboardPage(sqlite_database, today=TODAY)
    qtbot.addWidget(widget)
    widget.selector.set_filter(PeriodFilter.parse("2020Q4"))
    widget.resize(1400, 1300)
    with qtbot.waitSignal(widget.refreshed, timeout=15000):
        widget.show()
    with qtbot.waitSignal(widget.borough_selected, timeout=5000):
        qtbot.mouseClick(
            widget.tile_map,
            Qt.MouseButton.LeftButton,
            pos=widget.tile_map.tile_centre(ids["borough_HAC"]),
        )
    return widget, ids


def _row_centre(tree, row):
    return tree.visualItemRect(tree.topLevelItem(row)).center()


def test_double_clicking_a_partner_opens_the_organisation(page, qtbot):
    widget, ids = page
    tree = widget.borough_list.tree
    assert tree.topLevelItem(0).text(0) == "Partner: Hackney Youth Trust"
    with qtbot.waitSignal(widget.open_record, timeout=2000) as blocker:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(tree, 0))
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(tree, 0))
    assert blocker.args == ["organisation", ids["A"]]


def test_enter_on_an_engagement_opens_it(page, qtbot):
    widget, _ = page
    tree = widget.borough_list.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(1))
    with qtbot.waitSignal(widget.open_record, timeout=2000) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert blocker.args[0] == "engagement"


def test_quiet_partners_and_overdue_follow_ups_open_too(page):
    widget, _ = page
    assert widget.quiet.link(0)[0] == "organisation"
    assert all(
        widget.follow_ups.link(i)[0] == "engagement"
        for i in range(widget.follow_ups.tree.topLevelItemCount())
    )


def test_dates_are_not_zero_padded(page):
    widget, _ = page
    rows = [r[0] for r in widget.borough_list.texts()[1:]]
    assert rows == ["20 Oct 2020 Call", "5 Oct 2020 Visit"]
    assert widget.status.text().endswith("figures as at 31 Dec 2020")


def test_the_main_window_opens_the_partner_from_the_reports_page(qtbot, sqlite_database, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow
    from ui.workers import wait_for_jobs

    ids = build(sqlite_database)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(sqlite_database, settings)
    qtbot.addWidget(window)
    window.show()
    window.show_page("reports")
    reports = window.page("reports")
    reports.open_record.emit("organisation", ids["A"])
    assert window.current_key() == "organisation"
    window.close()
    wait_for_jobs(5000)
