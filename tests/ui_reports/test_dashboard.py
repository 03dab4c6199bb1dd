"""The Reports page: figures arrive, a click on a borough tile lists its engagements, hover tells exact values."""

import pytest
from PySide6.QtCore import Qt
from reports_fixture import TODAY, build

from ui.reports.dashboard import DashboardPage
from vru_crm.reports.period import PeriodFilter

Q4 = PeriodFilter.parse("2020Q4")


@pytest.fixture
def page(qtbot, sqlite_database):
    ids = build(sqlite_database)
    widget = DashboardPage(sqlite_database, today=TODAY)
    widget.selector.set_filter(Q4)
    widget.resize(1400, 1300)
    with qtbot.waitSignal(widget.refreshed, timeout=15000):
        widget.show()
    yield widget, ids
    widget.close()
    widget.deleteLater()
    qtbot.wait(10)


def test_figures_arrive_and_agree_with_the_query_layer(page):
    widget, _ = page
    assert widget.totals.values["engagements"].text() == "5"
    assert widget.totals.values["people_reached"].text() == "138"
    assert widget.quiet.texts() == [["Quiet Partners Ltd", "30 Sep 2020", "92"]]


def test_clicking_a_borough_tile_selects_it_and_lists_its_engagements(page, qtbot):
    widget, ids = page
    hackney = ids["borough_HAC"]
    with qtbot.waitSignal(widget.borough_selected, timeout=5000) as blocker:
        qtbot.mouseClick(
            widget.tile_map, Qt.MouseButton.LeftButton, pos=widget.tile_map.tile_centre(hackney)
        )
    assert blocker.args == [hackney]
    assert widget.tile_map.selected_id == hackney
    assert widget.borough_list.label.text() == "<b>Hackney, priority borough: 2 engagements</b>"
    rows = widget.borough_list.texts()
    assert rows[0][0] == "Partner: Hackney Youth Trust"
    assert [r[0] for r in rows[1:]] == ["20 Oct 2020 Call", "5 Oct 2020 Visit"]


def test_a_borough_with_no_engagement_says_so(page, qtbot):
    widget, ids = page
    with qtbot.waitSignal(widget.borough_selected, timeout=5000):
        qtbot.mouseClick(
            widget.tile_map,
            Qt.MouseButton.LeftButton,
            pos=widget.tile_map.tile_centre(ids["borough_BEX"]),
        )
    assert widget.borough_list.texts() == [["No partners or engagements in this period", ""]]


def test_hover_on_a_tile_and_on_a_bar_shows_the_exact_value(page, qtbot):
    widget, ids = page
    qtbot.mouseMove(widget.tile_map, widget.tile_map.tile_centre(ids["borough_LAM"]))
    qtbot.waitUntil(lambda: "Lambeth" in widget.tile_map.hover_text, timeout=3000)
    assert (
        widget.tile_map.hover_text
        == "Lambeth (priority borough): 2 engagements, 120 people reached"
    )
    # November's stack: e3 (event) above e8 (online meeting); point at the event's block.
    chart = widget.over_time
    with qtbot.waitSignal(chart.hovered, timeout=3000) as blocker:
        qtbot.mouseMove(chart.plot.viewport(), chart.view_point_to_widget(1.0, 1.5))
    assert blocker.args == ["Nov 2020: Event 1 of 2 engagements"]
    assert chart.readout.text() == "Nov 2020: Event 1 of 2 engagements"
    assert widget.objectives.hover_text(2.0, 2.0) == (
        "3. Young people leading change: 2 engagements, 10 people reached"
    )


def test_a_period_change_refreshes_every_chart(page, qtbot):
    widget, _ = page
    with qtbot.waitSignal(widget.refreshed, timeout=15000) as blocker:
        widget.set_period(PeriodFilter.parse("2012Q1"))
    assert blocker.args[0].totals.engagements == 0
    assert widget.totals.values["engagements"].text() == "0"
    assert widget.over_time.hover_text(0, 0.5) == "Jan 2012: 0 engagements"


def test_save_png_writes_the_chart_as_shown(page, tmp_path):
    widget, _ = page
    from PySide6.QtGui import QImage

    from ui.reports.cards import ChartCard

    cards = widget.findChildren(ChartCard)
    assert {c.title for c in cards} >= {
        "Engagements over time",
        "Borough coverage (click a tile)",
        "Stakeholder map",
    }
    for card in cards:
        out = tmp_path / f"{card.title[:8]}.png"
        assert card.save_png(out)
        image = QImage(str(out))
        assert image.width() > 100 and image.height() > 100


def test_quarterly_report_button_writes_a_file_in_the_background(page, qtbot, tmp_path):
    widget, _ = page
    out = tmp_path / "q4.csv"
    with qtbot.waitSignal(widget.exporter.written, timeout=30000) as blocker:
        widget.exporter.export("2020Q4", out)
    assert blocker.args[0].engagements == 5
    assert "this_quarter,engagements,5" in out.read_text()
    assert widget.exporter.button.isEnabled() and widget.exporter.progress.isHidden()
    assert widget.exporter.message.text() == "Wrote q4.csv (CSV)"


def test_pdf_from_the_app(page, qtbot, tmp_path):
    widget, _ = page
    out = tmp_path / "q4.pdf"
    with qtbot.waitSignal(widget.exporter.written, timeout=60000) as blocker:
        widget.exporter.export("2020Q4", out)
    assert blocker.args[0].pages >= 2 and out.read_bytes().startswith(b"%PDF")


def test_pyqtgraph_is_not_loaded_until_the_page_is_shown():
    import subprocess
    import sys

    code = (
        "import sys; from ui.reports.dashboard import DashboardPage; "
        "print('pyqtgraph' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
