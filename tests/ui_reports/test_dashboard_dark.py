"""Reports in a dark appearance: numbers that read, dark charts, a legend that shows.

The six headline numbers were navy on dark grey; the chart canvases stayed
white; the black swatches of the legends vanished on the dark page.
"""

import pytest
from PySide6.QtGui import QImage
from reports_fixture import TODAY, build

from ui.reports.dashboard import DashboardPage
from ui.style import apply_appearance, contrast_ratio
from vru_crm.reports.period import PeriodFilter

Q4 = PeriodFilter.parse("2020Q4")


@pytest.fixture
def page(qtbot, sqlite_database):
    build(sqlite_database)
    widget = DashboardPage(sqlite_database, today=TODAY)
    widget.selector.set_filter(Q4)
    widget.resize(1000, 640)
    with qtbot.waitSignal(widget.refreshed, timeout=15000):
        widget.show()
    yield widget
    widget.close()
    widget.deleteLater()
    qtbot.wait(10)
    apply_appearance("system")


def _strongest_contrast(image: QImage) -> float:
    """The contrast of the ink most unlike the background (the top-left pixel) with it."""
    background = image.pixelColor(0, 0)
    return max(
        contrast_ratio(image.pixelColor(x, y), background)
        for y in range(image.height())
        for x in range(image.width())
    )


def _mean_lightness(image: QImage) -> float:
    step = 4
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    return sum(values) / len(values)


def test_headline_numbers_read_on_the_dark_background(page, qtbot):
    apply_appearance("dark")
    qtbot.wait(20)
    for key, label in page.totals.values.items():
        image = label.grab().toImage()
        assert image.pixelColor(0, 0).lightness() < 80, key  # the background is the dark one
        assert _strongest_contrast(image) >= 4.5, key


def test_headline_numbers_read_on_the_light_background_too(page):
    apply_appearance("light")
    for key, label in page.totals.values.items():
        assert _strongest_contrast(label.grab().toImage()) >= 4.5, key


def test_the_charts_and_the_tile_map_are_dark_in_a_dark_appearance(page, qtbot):
    light = _mean_lightness(page.over_time.plot.grab().toImage())
    apply_appearance("dark")
    qtbot.wait(20)
    for chart in (page.over_time, page.objectives, page.stakeholders, page.governance):
        assert chart.plot.backgroundBrush().color().lightness() < 80
        assert _mean_lightness(chart.plot.grab().toImage()) < 90
    assert _mean_lightness(page.tile_map.grab().toImage()) < light
    corner = page.tile_map.grab().toImage().pixelColor(1, 1)
    assert corner.lightness() < 80


def test_chart_text_is_light_on_dark(page, qtbot):
    apply_appearance("dark")
    qtbot.wait(20)
    axis = page.over_time.plot.getPlotItem().getAxis("left")
    paper = page.over_time.plot.backgroundBrush().color()
    assert contrast_ratio(axis.textPen().color(), paper) >= 4.5


def test_the_priority_swatch_of_the_tile_map_legend_shows_on_dark(page, qtbot):
    """The legend's "priority borough" square was a black outline on nothing."""
    apply_appearance("dark")
    qtbot.wait(20)
    image = page.tile_map.grab().toImage()
    paper = image.pixelColor(1, 1)
    legend_band = [
        image.pixelColor(x, y)
        for y in range(image.height() - 40, image.height() - 4)
        for x in range(image.width())
    ]
    # Something in the legend band stands out from the dark page with a tile's light fill.
    assert max(contrast_ratio(c, paper) for c in legend_band) >= 4.5
    from ui.reports.painting import LOW

    assert any(c.name() == LOW.name() for c in legend_band)
