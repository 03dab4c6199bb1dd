"""The graph page at scale: a later opening draws the stored map first, and ties have a level of detail."""

import numpy as np
import pytest

from ui.graph import view as view_module


def test_a_later_opening_draws_the_stored_map_before_the_graph_is_built(page, partnership, qtbot):
    from ui.graph import GraphPage

    database, _ = partnership
    first = dict(zip(page.snapshot.keys, page.snapshot.positions.tolist(), strict=True))
    later = GraphPage(database)
    qtbot.addWidget(later)
    later.resize(1200, 800)
    with qtbot.waitSignal(later.previewed, timeout=30_000):
        later.show()
    preview = later.view.snapshot
    assert preview.keys == sorted(first) and len(preview.edges) == 0
    assert {
        k: list(p) for k, p in zip(preview.keys, preview.positions.tolist(), strict=True)
    } == first
    with qtbot.waitSignal(later.loaded, timeout=30_000):
        pass
    assert later.snapshot.positions.tolist() == page.snapshot.positions.tolist()
    assert later.view.drawn_ties() == len(later.snapshot.edges) > 0


@pytest.fixture
def crowded(qtbot, monkeypatch):
    """A view of 400 nodes on a grid and 2,000 ties of known weights, with a budget of 100 ties."""
    from ui.graph.view import GraphView
    from vru_crm.graph.measures import MeasureReport
    from vru_crm.graph.service import GraphSnapshot

    monkeypatch.setattr(view_module, "TIE_BUDGET", 100)
    rng = np.random.default_rng(3)
    n, m = 400, 2000
    edges = rng.integers(0, n, size=(m, 2))
    grid = np.array([(i % 20, i // 20) for i in range(n)], dtype=float)
    snapshot = GraphSnapshot(
        keys=[f"org:{i}" for i in range(n)],
        kinds=["organisation"] * n,
        entity_ids=list(range(n)),
        labels=[f"Partner {i}" for i in range(n)],
        sectors=["charity"] * n,
        networks=[""] * n,
        communities=[0] * n,
        measures={k: [1.0] * n for k in ("degree", "weighted_degree", "betweenness")},
        positions=grid,
        edges=edges,
        weights=np.arange(m, dtype=float),  # tie i weighs i: the heaviest are the last
        report=MeasureReport(nodes=n, edges=m, components=1, prg=None),
    )
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.set_snapshot(snapshot)
    return view


def test_the_whole_map_draws_only_the_heaviest_ties(crowded):
    assert crowded.drawn_ties() == 100
    assert crowded._drawn_ties.tolist() == list(range(1900, 2000))


def test_zoomed_in_the_ties_in_view_are_drawn(crowded, qtbot):
    crowded.setRange(xRange=(0, 2), yRange=(0, 2), padding=0)
    crowded.update_labels()
    edges = crowded.snapshot.edges[crowded._drawn_ties]
    p = crowded.snapshot.positions
    near = lambda i: (p[i] <= 2).all()  # noqa: E731
    assert crowded.drawn_ties() > 0
    assert all(near(a) or near(b) for a, b in edges.tolist())
    in_view = [i for i, (a, b) in enumerate(crowded.snapshot.edges.tolist()) if near(a) or near(b)]
    assert crowded.drawn_ties() == min(100, len(in_view))


def test_from_afar_people_are_left_to_their_organisations(crowded, qtbot, monkeypatch):
    """With more nodes in view than the budget, people are not drawn (nor pointed at) until zoomed in."""
    from PySide6.QtCore import QPointF

    monkeypatch.setattr(view_module, "NODE_BUDGET", 50)
    snap = crowded.snapshot
    snap.kinds = ["person" if i % 2 else "organisation" for i in range(len(snap.keys))]
    crowded.set_snapshot(snap)
    assert len(crowded.nodes_item.data) == 200  # the organisations only
    drawn = crowded.snapshot.edges[crowded._drawn_ties]
    assert (drawn % 2 == 0).all(), "no tie to a person who is not drawn"
    person = 1
    x, y = snap.positions[person]
    assert crowded.node_at(QPointF(x, y)) != person
    crowded.setRange(xRange=(0, 2), yRange=(0, 2), padding=0)
    crowded.update_labels()
    assert len(crowded.nodes_item.data) == 400
    assert crowded.node_at(QPointF(x, y)) == person
