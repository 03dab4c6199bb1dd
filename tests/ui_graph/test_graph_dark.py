"""The graph in a dark appearance: a dark canvas, and the networks' swatch still shows.

Networks are drawn near-black; on a dark background their dots and their
legend swatch vanished.
"""

import re

import pytest
from PySide6.QtGui import QColor

from ui.style import apply_appearance, chart_colours, contrast_ratio


@pytest.fixture
def dark(qtbot, page):
    apply_appearance("dark")
    qtbot.waitUntil(lambda: page.view.backgroundBrush().color().lightness() < 80, timeout=3000)
    yield page
    apply_appearance("system")


def test_the_canvas_is_dark(dark):
    assert dark.view.backgroundBrush().color().lightness() < 80


def test_every_legend_colour_shows_on_the_canvas_and_on_the_panel(dark, qtbot):
    dark.colour_box.setCurrentIndex(0)  # by sector: networks are one of the groups
    canvas = dark.view.backgroundBrush().color()
    entries = dark.view.legend(limit=50)
    assert any(name == "Network" or "etwork" in name for name, _ in entries), entries
    for name, rgb in entries:
        assert contrast_ratio(QColor(*rgb), canvas) >= 1.6, name
    panel = dark.panel.palette().color(dark.panel.backgroundRole())
    for rgb in re.findall(r"rgb\((\d+), (\d+), (\d+)\)", dark.panel.legend.text()):
        colour = QColor(*(int(v) for v in rgb))
        assert contrast_ratio(colour, panel) >= 1.6, rgb


def test_network_dots_are_drawn_in_the_colour_the_legend_gives(dark):
    view = dark.view
    snap = view.snapshot
    networks = [i for i, kind in enumerate(snap.kinds) if kind == "network"]
    assert networks
    colour = QColor(*view.colour_of(networks[0]))
    assert contrast_ratio(colour, chart_colours()[0]) >= 1.6


def test_names_on_the_canvas_are_light(dark):
    ink = chart_colours()[1]
    assert ink.lightness() > 180
    visible = [label for label in dark.view.labels if label.isVisible()]
    assert visible and all(label.color.lightness() > 180 for label in visible)
