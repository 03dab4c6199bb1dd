"""The drawing itself as a user works it: wheel to zoom, drag to pan, names that follow.

A crowded graph (3,000 partners on a grid, ties at random) stands in for a large
borough partnership; the mouse events are sent to the view as Qt sends a user's.
"""

import time

import networkx as nx
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

COLUMNS, ROWS = 60, 50  # 3,000 partners, one grid unit apart


@pytest.fixture
def crowded(qtbot):
    from ui.graph.view import GraphView
    from vru_crm.graph.measures import quick_report
    from vru_crm.graph.service import snapshot_from_graph

    rng = np.random.default_rng(7)
    graph = nx.Graph()
    n = COLUMNS * ROWS
    for i in range(n):
        graph.add_node(
            f"org:{i}", kind="organisation", entity_id=i, label=f"Partner {i}", sector="charity"
        )
    for a, b in rng.integers(0, n, size=(6000, 2)):
        if a != b:
            graph.add_edge(f"org:{a}", f"org:{b}")
    positions = {f"org:{i}": (float(i % COLUMNS), float(i // COLUMNS)) for i in range(n)}
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.set_snapshot(snapshot_from_graph(graph, quick_report(graph), positions))
    return view


def wheel(view, at: QPoint, notches: int) -> None:
    """Turn the wheel away from the user ``notches`` times over ``at``, without a pause."""
    for _ in range(notches):
        event = QWheelEvent(
            QPointF(at), QPointF(view.viewport().mapToGlobal(at)), QPoint(0, 0), QPoint(0, 120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(view.viewport(), event)


def mouse(view, kind, at: QPoint, button, buttons) -> None:
    event = QMouseEvent(
        kind, QPointF(at), QPointF(view.viewport().mapToGlobal(at)), button, buttons,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), event)


def at_grid(view, column: int, row: int) -> int:
    """The node drawn at that grid point (the snapshot orders nodes by key, not by number)."""
    return view.snapshot.labels.index(f"Partner {row * COLUMNS + column}")


def in_view(view) -> np.ndarray:
    (x0, x1), (y0, y1) = view.getPlotItem().getViewBox().viewRange()
    p = view.snapshot.positions
    return np.flatnonzero((p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1))


def test_a_crowded_graph_has_dots_small_enough_to_see_the_ties(crowded):
    dot_area = float(np.sum(np.pi * (crowded.sizes / 2) ** 2))
    view_area = crowded.viewport().width() * crowded.viewport().height()
    assert dot_area < 0.5 * view_area


def test_zooming_in_names_the_largest_nodes_in_view_once_it_settles(crowded, qtbot):
    from ui.graph.view import LABELS_ALWAYS

    assert 0 < len(crowded.label_texts()) <= LABELS_ALWAYS
    target = at_grid(crowded, COLUMNS // 3, ROWS // 3)  # away from the middle the view opens on
    labels = crowded.snapshot.labels
    wheel(crowded, crowded.scene_point_of(target), 4)
    visible = in_view(crowded)
    largest = visible[np.argmax(crowded.sizes[visible])]
    named = {labels[i] for i in visible}
    qtbot.waitUntil(lambda: set(crowded.label_texts()) <= named, timeout=2000)
    assert labels[largest] in crowded.label_texts()
    assert len(crowded.label_texts()) <= LABELS_ALWAYS

    wheel(crowded, crowded.scene_point_of(target), 8)  # so close that every node in view is named
    qtbot.waitUntil(lambda: labels[target] in crowded.label_texts(), timeout=2000)
    assert set(crowded.label_texts()) == {labels[i] for i in in_view(crowded)}


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_each_drag_step_pans_with_one_repaint(crowded, qtbot):
    """A repaint is most of a frame's work at this size: two per step would halve the frame rate."""
    counter = PaintCounter()
    crowded.viewport().installEventFilter(counter)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    start = QPoint(600, 400)
    mouse(crowded, QEvent.Type.MouseButtonPress, start, left, left)
    qtbot.wait(20)
    for step in range(1, 5):
        before_range = crowded.view_centre()
        time.sleep(0.02)  # the drawing takes a mouse move at most every 10 ms, as a user makes them
        before = counter.count
        mouse(crowded, QEvent.Type.MouseMove, start + QPoint(30 * step, 0), none, left)
        qtbot.waitUntil(lambda before=before: counter.count > before, timeout=2000)
        for _ in range(3):
            QApplication.processEvents()
        assert counter.count - before == 1
        assert crowded.view_centre()[0] < before_range[0]  # the map moved right under the mouse
    mouse(crowded, QEvent.Type.MouseButtonRelease, start + QPoint(120, 0), left, none)


def test_no_name_pops_up_while_dragging(crowded, qtbot):
    node = at_grid(crowded, COLUMNS // 2, ROWS // 2)
    name = crowded.snapshot.labels[node]
    at = crowded.scene_point_of(node)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    mouse(crowded, QEvent.Type.MouseMove, at, none, none)
    qtbot.waitUntil(crowded.hover_text.isVisible, timeout=2000)
    assert crowded.hover_text.toPlainText() == name
    mouse(crowded, QEvent.Type.MouseButtonPress, at, left, left)
    for step in range(1, 4):
        time.sleep(0.02)
        mouse(crowded, QEvent.Type.MouseMove, at + QPoint(0, 40 * step), none, left)
        QApplication.processEvents()
        assert not crowded.hover_text.isVisible()
    mouse(crowded, QEvent.Type.MouseButtonRelease, at + QPoint(0, 120), left, none)
    time.sleep(0.02)
    mouse(crowded, QEvent.Type.MouseMove, crowded.scene_point_of(node), none, none)
    qtbot.waitUntil(crowded.hover_text.isVisible, timeout=2000)
    assert crowded.hover_text.toPlainText() == name
