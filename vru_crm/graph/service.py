"""What the graph view needs, in one call and as plain values: the snapshot.

The view gets arrays and lists, never a NetworkX graph or a session, so it can
draw thousands of nodes without asking anything further. ``load_snapshot`` is
meant to run off the UI thread: it reports progress and honours a cancel flag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.session import Database
from vru_crm.graph.build import GraphFilters, build_graph
from vru_crm.graph.layout import LayoutCancelled, LayoutOptions
from vru_crm.graph.measures import MeasureReport, measure_all, quick_report
from vru_crm.graph.positions import place_graph

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

MEASURES = ("degree", "weighted_degree", "betweenness")

__all__ = [
    "FilterChoices",
    "GraphFilters",
    "GraphSnapshot",
    "LayoutCancelled",
    "apply_report",
    "filter_choices",
    "load_snapshot",
    "measure_snapshot",
    "snapshot_from_graph",
    "stored_snapshot",
]


@dataclass
class GraphSnapshot:
    """One drawn graph: node i has ``keys[i]``, ``labels[i]``, ``positions[i]``, ...."""

    keys: list[str]
    kinds: list[str]
    entity_ids: list[int]
    labels: list[str]
    sectors: list[str]
    networks: list[str]  # the network each node is most tied to ("" for none)
    communities: list[int]
    measures: dict[str, list[float]]
    positions: np.ndarray  # (n, 2)
    edges: np.ndarray  # (m, 2) node indexes
    weights: np.ndarray  # (m,)
    report: MeasureReport
    moved: int = 0
    full_layout: bool = False
    filters: GraphFilters = field(default_factory=GraphFilters)
    graph: nx.Graph[str] | None = None  # kept for the second, slower phase (``measure_snapshot``)
    measured: bool = False  # the report holds every measure, not only the degrees

    def index_of(self, key: str) -> int | None:
        try:
            return self.keys.index(key)
        except ValueError:
            return None


Progress = Callable[[int, int], None]


def load_snapshot(
    database: Database,
    filters: GraphFilters | None = None,
    *,
    relayout: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    options: LayoutOptions | None = None,
    measure: bool = True,
) -> GraphSnapshot:
    """Build, place and (unless ``measure`` is False) measure the graph.

    Stored positions are reused and only changes laid out. With ``measure=False``
    only degrees are computed, so a view can draw at once and call
    ``measure_snapshot`` afterwards for betweenness, communities and the lists.
    """
    filters = filters or GraphFilters()
    step = progress or (lambda done, total: None)
    step(0, 100)
    graph = build_graph(database, filters)
    step(10, 100)
    if cancelled and cancelled():
        raise LayoutCancelled()
    report = measure_all(graph) if measure else quick_report(graph)
    start = 30 if measure else 15
    step(start, 100)

    def layout_progress(done: int, total: int) -> None:
        step(start + int((100 - start) * done / max(total, 1)), 100)

    placement = place_graph(
        database,
        graph,
        filters.scope(),
        relayout=relayout,
        options=options,
        progress=layout_progress,
        cancelled=cancelled,
    )
    step(100, 100)
    snapshot = snapshot_from_graph(graph, report, placement.positions)
    snapshot.moved, snapshot.full_layout, snapshot.filters = (
        placement.moved,
        placement.full,
        filters,
    )
    snapshot.graph, snapshot.measured = graph, measure
    return snapshot


def stored_snapshot(
    database: Database,
    filters: GraphFilters | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> GraphSnapshot | None:
    """The view as it was last drawn, from its stored positions alone (None if never drawn).

    One read of the positions table: the map is on screen in a fraction of a
    second, in the shape the user knows, while the graph is built and measured
    behind it. Nodes only, coloured by kind, no names or ties yet.
    """
    import numpy as np

    from vru_crm.graph.build import KIND_NAMES
    from vru_crm.graph.positions import load_positions

    stored = load_positions(database, (filters or GraphFilters()).scope())
    if cancelled and cancelled():
        raise LayoutCancelled()
    if not stored:
        return None
    keys = sorted(stored)
    prefixes = [key.partition(":") for key in keys]
    kinds = [KIND_NAMES.get(kind, "organisation") for kind, _, _ in prefixes]
    n = len(keys)
    snapshot = GraphSnapshot(
        keys=keys,
        kinds=kinds,
        entity_ids=[int(number) for _, _, number in prefixes],
        labels=[""] * n,
        sectors=[_PREVIEW_SECTOR.get(kind, "other") for kind in kinds],
        networks=[""] * n,
        communities=[-1] * n,
        measures={m: [0.0] * n for m in MEASURES},
        positions=np.array([stored[k][:2] for k in keys], dtype=float).reshape(-1, 2),
        edges=np.zeros((0, 2), np.int64),
        weights=np.zeros(0),
        report=MeasureReport(nodes=n, edges=0, components=0, prg=None),
        filters=filters or GraphFilters(),
    )
    if progress:
        progress(1, 1)
    return snapshot


_PREVIEW_SECTOR = {"network": "network", "person": "person", "borough": "borough"}


def measure_snapshot(
    snapshot: GraphSnapshot,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MeasureReport:
    """The full measures of a snapshot's graph (the slow phase; run it off the UI thread)."""
    if snapshot.graph is None:
        return snapshot.report
    if progress:
        progress(0, 1)
    report = measure_all(snapshot.graph)
    if progress:
        progress(1, 1)
    return report


def apply_report(snapshot: GraphSnapshot, report: MeasureReport) -> None:
    """Put a full report into the snapshot (on the thread that owns the snapshot)."""
    snapshot.report = report
    snapshot.communities = [int(report.community.get(k, -1)) for k in snapshot.keys]
    snapshot.measures = {
        m: [float(getattr(report, m).get(k, 0.0)) for k in snapshot.keys] for m in MEASURES
    }
    snapshot.measured = True


def snapshot_from_graph(
    graph: nx.Graph[str], report: MeasureReport, positions: Mapping[str, tuple[float, float]]
) -> GraphSnapshot:
    """The arrays and lists the view draws from, nodes in key order (one pass over the ties)."""
    from itertools import chain
    from operator import itemgetter

    import numpy as np

    keys = sorted(graph)
    index = {k: i for i, k in enumerate(keys)}
    nodes = [graph.nodes[k] for k in keys]
    triples = list(graph.edges(data="weight", default=1.0))
    m = len(triples)
    ends = map(index.__getitem__, chain(map(itemgetter(0), triples), map(itemgetter(1), triples)))
    edges = np.fromiter(ends, np.int64, 2 * m).reshape(2, m).T.copy()
    return GraphSnapshot(
        keys=keys,
        kinds=[d["kind"] for d in nodes],
        entity_ids=[int(d["entity_id"]) for d in nodes],
        labels=[_label(d) for d in nodes],
        sectors=[str(d.get("sector", "")) for d in nodes],
        networks=_main_networks(graph, keys),
        communities=[int(report.community.get(k, -1)) for k in keys],
        measures={m: [float(getattr(report, m).get(k, 0.0)) for k in keys] for m in MEASURES},
        positions=np.array([positions[k] for k in keys], dtype=float).reshape(-1, 2),
        edges=edges,
        weights=np.fromiter(map(float, map(itemgetter(2), triples)), np.float64, m),
        report=report,
    )


def _main_networks(graph: nx.Graph[str], keys: list[str]) -> list[str]:
    """``_main_network`` of every node, visiting only the nodes that touch a network."""
    networks = {n for n, d in graph.nodes(data=True) if d["kind"] == "network"}
    near = {m for n in networks for m in graph.adj[n]} | networks
    return [_main_network(graph, k) if k in near else "" for k in keys]


def _label(data: dict[str, Any]) -> str:
    return str(data["label"])


def _main_network(graph: nx.Graph[str], key: str) -> str:
    """The network a node belongs to most strongly; a network is its own."""
    if graph.nodes[key]["kind"] == "network":
        return str(graph.nodes[key]["label"])
    best, weight = "", 0.0
    for other in graph.neighbors(key):
        if graph.nodes[other]["kind"] == "network":
            w = float(graph.edges[key, other].get("weight", 1.0))
            if w > weight:
                best, weight = str(graph.nodes[other]["label"]), w
    return best


@dataclass
class FilterChoices:
    sectors: list[tuple[str, str]]  # (code, label)
    networks: list[tuple[int, str]]  # (id, name)
    boroughs: list[tuple[str, str]]  # (code, name)


def filter_choices(database: Database) -> FilterChoices:
    """What the graph page's filter boxes offer."""
    from sqlmodel import select

    from db.enums import SECTOR_LABELS
    from db.models import Borough, Network

    with database.session() as s:
        networks = [(n.id, n.name) for n in s.exec(select(Network).order_by(Network.name))]
        boroughs = [(b.code, b.name) for b in s.exec(select(Borough).order_by(Borough.name))]
    return FilterChoices(list(SECTOR_LABELS.items()), networks, boroughs)  # type: ignore[arg-type]
