"""The cadence panel: one row per network, overdue and late minutes in words and in red."""

from datetime import date

from governance_data import at, make_network, meeting

from ui.events import data_events
from ui.governance.cadence_panel import CadencePanel
from ui.governance.common import OVERDUE, qdate


def _row(panel, network):
    """The network's cells and row number, once the panel's report has come from the pool."""
    from PySide6.QtTest import QTest

    for _ in range(500):  # up to 5 s
        if not panel.model.loading:
            break
        QTest.qWait(10)
    model = panel.model
    for r in range(model.rowCount()):
        if model.index(r, 0).data() == network:
            return [model.index(r, c).data() for c in range(model.columnCount())], r
    raise AssertionError(f"{network} not shown")


def test_panel_shows_overdue_and_late_minutes(qtbot, sqlite_database, tmp_path):
    prg = make_network(sqlite_database, rule="FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU", window=28)
    make_network(sqlite_database, name="Youth Practitioners Forum", rule=None)
    meeting(sqlite_database, prg, at(2019, 1, 29), "held")
    meeting(sqlite_database, prg, at(2019, 4, 30), "cancelled")
    panel = CadencePanel(sqlite_database)
    qtbot.addWidget(panel)
    panel.as_of.setDate(qdate(date(2019, 5, 20)))
    cells, r = _row(panel, "Partnership Reference Group")
    assert cells[2:6] == [
        "29 Jan 2019",
        "30 Apr 2019",
        "2 / 1 (1 cancelled)",
        "Overdue by 20 days",
    ]
    assert cells[6] == "1"
    assert panel.model.index(r, 5).data(9) == OVERDUE or panel.model.rows[r].overdue
    assert "late" in panel.model.index(r, 6).data(3)  # tooltip names the late minutes
    assert _row(panel, "Youth Practitioners Forum")[0][5] == "No cadence set"
    assert "1 network(s) overdue" in panel.summary.text()

    panel.tolerance.setValue(30)  # the user allows a month's slack
    assert _row(panel, "Partnership Reference Group")[0][5] == "Overdue by 20 days"
    meeting(sqlite_database, prg, at(2019, 5, 28))  # a meeting is scheduled within 30 days
    data_events().changed.emit("meeting", 0)
    assert _row(panel, "Partnership Reference Group")[0][5] == "Next scheduled 28 May 2019"
    panel.tolerance.setValue(14)
    assert _row(panel, "Partnership Reference Group")[0][5] == "Overdue by 20 days"
    panel.resize(1000, 300)
    panel.grab().save(str(tmp_path / "cadence_panel.png"))


def test_panel_exports_the_selected_networks_calendar(qtbot, sqlite_database, tmp_path):
    from ical.calendar_stream import IcsCalendarStream

    prg = make_network(sqlite_database, rule="FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU")
    other = make_network(sqlite_database, name="Charities network", rule=None)
    meeting(sqlite_database, prg, at(2019, 1, 29), "held")
    meeting(sqlite_database, other, at(2019, 2, 5), "held", title="Charities network")
    panel = CadencePanel(sqlite_database)
    qtbot.addWidget(panel)
    row = _row(panel, "Partnership Reference Group")[1]
    panel.table.selectRow(row)
    with qtbot.waitSignal(panel.exported, timeout=5000):
        panel.export_calendar_to(tmp_path / "prg.ics")
    events = IcsCalendarStream.calendar_from_ics((tmp_path / "prg.ics").read_text()).events
    assert sorted(e.summary for e in events) == [
        "Partnership Reference Group",
        "Partnership Reference Group: expected meeting",
    ]
    assert "Wrote 1 meetings" in panel.summary.text()


def test_every_column_is_in_view_and_the_window_keeps_its_size(qtbot, sqlite_database, tmp_path):
    """No column hidden past the edge; the size the user gave comes back."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    make_network(
        sqlite_database,
        name="A network with a long cadence",
        rule="FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU",
        window=28,
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def open_panel():
        host = QDialog()
        qtbot.addWidget(host)
        panel = CadencePanel(sqlite_database, parent=host, settings=settings)
        QVBoxLayout(host).addWidget(panel)
        host.resize(1000, 620)
        host.show()
        qtbot.waitExposed(host)
        return host, panel

    host, panel = open_panel()
    header = panel.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() > 0)
    assert header.length() <= panel.table.viewport().width()
    assert not panel.table.horizontalScrollBar().isVisible()
    last = header.count() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= (
        panel.table.viewport().width()
    )
    host.resize(700, 480)  # within the test screen (800 x 600 offscreen)
    qtbot.waitUntil(lambda: host.width() == 700)
    host.close()
    assert settings.value("windows/cadence/geometry")
    host, panel = open_panel()
    qtbot.waitUntil(lambda: host.width() == 700 and host.height() == 480)
