"""The graph page on a real SQLite file with the hand-built partnership of the graph tests."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # graph_data beside the other tests

from graph_data import add_partnership  # noqa: E402


@pytest.fixture
def partnership(sqlite_database):
    return sqlite_database, add_partnership(sqlite_database)


@pytest.fixture
def page(qtbot, partnership):
    from ui.graph import GraphPage

    database, _ = partnership
    widget = GraphPage(database)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    with qtbot.waitSignal(widget.loaded, timeout=30_000):
        widget.show()
    return widget
