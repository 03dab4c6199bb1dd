"""The mouse wheel over a chart scrolls the page; zoom is Ctrl+wheel and can be reset.

The wheel over "Engagements over time" zoomed the chart (the y-axis went to
-10,000 and the month labels piled up) instead of scrolling the page, with no
way back.
"""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from reports_fixture import TODAY, build

from ui.reports.dashboard import DashboardPage
from vru_crm.reports.period import PeriodFilter


@pytest.fixture
def page(qtbot, sqlite_database):
    build(sqlite_database)
    widget = DashboardPage(sqlite_database, today=TODAY)
    widget.selector.set_filter(PeriodFilter.recent("month", 12, TODAY))
    widget.resize(1000, 600)  # shorter than the charts: the page scrolls
    with qtbot.waitSignal(widget.refreshed, timeout=15000):
        widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()
    widget.deleteLater()
    qtbot.wait(10)


def wheel(widget, steps: int = -3, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Turn the wheel over the middle of ``widget`` (negative: towards the user, scrolling down)."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def view_range(chart):
    return [list(r) for r in chart.plot.getPlotItem().vb.viewRange()]


def test_the_wheel_over_the_chart_scrolls_the_page_and_leaves_the_chart_alone(page, qtbot):
    chart = page.over_time
    bar = page.scroll.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    before = view_range(chart)
    wheel(chart.plot.viewport())
    qtbot.wait(50)
    assert view_range(chart) == before
    assert bar.value() > 0
    assert not chart.is_zoomed and not chart.reset_button.isVisible()


def test_every_chart_lets_the_wheel_through(page, qtbot):
    bar = page.scroll.verticalScrollBar()
    for chart in (page.objectives, page.governance, page.stakeholders):
        before = view_range(chart)
        start = bar.value()
        wheel(chart.plot.viewport(), steps=1 if start else -1)
        assert view_range(chart) == before
        assert bar.value() != start


def test_ctrl_wheel_zooms_along_time_and_reset_puts_it_back(page, qtbot):
    chart = page.over_time
    (x0, x1), (y0, y1) = view_range(chart)
    wheel(chart.plot.viewport(), steps=3, modifiers=Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    (zx0, zx1), (zy0, zy1) = view_range(chart)
    assert zx1 - zx0 < x1 - x0  # zoomed in along time
    assert (zy0, zy1) == (y0, y1)  # the counts stay from 0 up
    assert chart.is_zoomed and chart.reset_button.isVisible()
    assert chart.reset_action in chart.plot.actions()  # also on the chart's context menu
    qtbot.mouseClick(chart.reset_button, Qt.MouseButton.LeftButton)
    (rx0, rx1), (ry0, ry1) = view_range(chart)
    assert (rx0, rx1) == pytest.approx((x0, x1), abs=1e-6)
    assert (ry0, ry1) == pytest.approx((y0, y1), abs=1e-6)
    assert not chart.is_zoomed and not chart.reset_button.isVisible()


def test_new_figures_after_a_zoom_show_the_whole_chart(page, qtbot):
    chart = page.over_time
    wheel(chart.plot.viewport(), steps=3, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert chart.is_zoomed
    with qtbot.waitSignal(page.refreshed, timeout=15000):
        page.bucket.setCurrentIndex(2)  # per quarter
    assert not chart.is_zoomed
