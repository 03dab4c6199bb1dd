"""What the graph view needs, in one call and as plain values: the snapshot.

The view gets arrays and lists, never a NetworkX graph or a session, so it can
draw thousands of nodes without asking anything further. ``load_snapshot`` is
meant to run off the UI thread: it reports progress and honours a cancel flag.
It builds a ``GraphFrame`` (columns), not a NetworkX graph, and measures it with
``frame_measures``: at 250,000 nodes a NetworkX graph alone took a gigabyte.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.session import Database
from vru_crm.graph.build import GraphFilters, build_frame
from vru_crm.graph.layout import LayoutCancelled, LayoutOptions
from vru_crm.graph.measures import MeasureReport

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

    from vru_crm.graph.frame import GraphFrame
    from vru_crm.graph.frame_measures import FrameReport

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
    entity_ids: Any  # a list of ints, or an int64 array at the real size (8 bytes a node)
    labels: list[str]
    sectors: list[str]
    networks: list[str]  # the network each node is most tied to ("" for none)
    communities: Any  # a list of ints, or an array of them at the real size
    measures: dict[str, Any]  # each a list of floats, or an array of them
    positions: np.ndarray  # (n, 2)
    edges: np.ndarray  # (m, 2) node indexes
    weights: np.ndarray  # (m,)
    report: MeasureReport
    moved: int = 0
    full_layout: bool = False
    filters: GraphFilters = field(default_factory=GraphFilters)
    order: Any = None  # with a frame: place in key order -> the frame's node number
    frame: GraphFrame | None = None  # kept for the second, slower phase (``measure_snapshot``)
    measured: bool = False  # the report holds every measure, not only the degrees

    def index_of(self, key: str) -> int | None:
        """Node ``key``'s index: a binary search, the keys being in key order (a dict of
        250,000 keys would cost 20 MB); a plain search for keys given in another order."""
        from bisect import bisect_left

        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            return i
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
    from vru_crm.graph.engine import return_freed_memory
    from vru_crm.graph.frame_measures import measure_frame, quick_frame_report
    from vru_crm.graph.positions import place_frame

    filters = filters or GraphFilters()
    step = progress or (lambda done, total: None)
    step(0, 100)
    frame = build_frame(database, filters)
    step(10, 100)
    if cancelled and cancelled():
        raise LayoutCancelled()
    report = measure_frame(frame) if measure else quick_frame_report(frame)
    start = 30 if measure else 15
    step(start, 100)

    def layout_progress(done: int, total: int) -> None:
        step(start + int((100 - start) * done / max(total, 1)), 100)

    keys = frame.keys()
    placement = place_frame(
        database,
        frame,
        keys,
        filters.scope(),
        relayout=relayout,
        options=options,
        progress=layout_progress,
        cancelled=cancelled,
    )
    step(100, 100)
    snapshot = snapshot_from_frame(frame, keys, report, placement.positions, placement.in_key_order)
    snapshot.moved, snapshot.full_layout = placement.moved, placement.full
    snapshot.filters, snapshot.frame, snapshot.measured = filters, frame, measure
    del placement, keys
    return_freed_memory()
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
    from vru_crm.graph.positions import load_position_columns

    keys, positions = load_position_columns(database, (filters or GraphFilters()).scope())
    if cancelled and cancelled():
        raise LayoutCancelled()
    if not keys:
        return None
    prefixes = [key.partition(":") for key in keys]
    names = {prefix: KIND_NAMES.get(prefix, "organisation") for prefix, _, _ in prefixes}
    kinds = [names[prefix] for prefix, _, _ in prefixes]
    sectors = {kind: _PREVIEW_SECTOR.get(kind, "other") for kind in names.values()}
    n = len(keys)
    snapshot = GraphSnapshot(
        keys=keys,
        kinds=kinds,
        entity_ids=np.array([int(number) for _, _, number in prefixes], np.int64),
        labels=[""] * n,
        sectors=[sectors[kind] for kind in kinds],
        networks=[""] * n,
        communities=np.full(n, -1, np.int64),
        measures={m: np.zeros(n) for m in MEASURES},
        positions=positions,
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
) -> MeasureReport | FrameReport:
    """The full measures of a snapshot's graph (the slow phase; run it off the UI thread)."""
    from vru_crm.graph.frame_measures import measure_frame

    if snapshot.frame is None:
        return snapshot.report
    if progress:
        progress(0, 1)
    from vru_crm.graph.engine import return_freed_memory

    report = measure_frame(snapshot.frame)
    return_freed_memory()
    if progress:
        progress(1, 1)
    return report


def apply_report(snapshot: GraphSnapshot, report: MeasureReport | FrameReport) -> None:
    """Put a full report into the snapshot (on the thread that owns the snapshot).

    The frame is let go once measured: the snapshot's arrays are all the view needs.
    """
    if isinstance(report, MeasureReport):
        snapshot.report = report
        snapshot.communities = [int(report.community.get(k, -1)) for k in snapshot.keys]
        snapshot.measures = {
            m: [float(getattr(report, m).get(k, 0.0)) for k in snapshot.keys] for m in MEASURES
        }
    else:
        order = snapshot.order if snapshot.order is not None else slice(None)
        snapshot.report = report.report
        snapshot.communities = report.nodes.community[order]
        snapshot.measures = {m: getattr(report.nodes, m)[order] for m in MEASURES}
    snapshot.frame = None
    snapshot.measured = True


def snapshot_from_frame(
    frame: GraphFrame,
    keys: list[str],
    report: FrameReport,
    positions: Mapping[str, tuple[float, float]],
    in_key_order: Any = None,
) -> GraphSnapshot:
    """``snapshot_from_graph`` for a frame whose node ``i`` is ``keys[i]``: nodes in key order
    (``in_key_order``, an (n, 2) array, stands for ``positions`` when given)."""
    import numpy as np

    from vru_crm.graph.frame import KINDS

    order = np.argsort(frame.rank)  # place in key order -> node number
    where = np.empty(len(frame), np.int64)  # node number -> place in key order
    where[order] = np.arange(len(frame))
    chosen = order.tolist()
    kinds = [KINDS[k] for k in frame.kinds[order].tolist()]
    edges = np.stack([where[frame.a], where[frame.b]], axis=1).reshape(-1, 2)
    sorted_keys = [keys[i] for i in chosen]
    nodes = report.nodes
    return GraphSnapshot(
        keys=sorted_keys,
        kinds=kinds,
        entity_ids=frame.entity_ids[order],
        labels=[frame.labels[i] for i in chosen],
        sectors=[frame.sectors[i] for i in chosen],
        networks=_frame_networks(frame, order),
        communities=nodes.community[order],
        measures={m: getattr(nodes, m)[order] for m in MEASURES},
        positions=in_key_order
        if in_key_order is not None
        else np.array([positions[k] for k in sorted_keys], dtype=float).reshape(-1, 2),
        edges=edges,
        weights=np.asarray(frame.weights, np.float64),
        report=report.report,
        order=order,
    )


def _frame_networks(frame: GraphFrame, order: Any) -> list[str]:
    """``_main_network`` of every node (in key order): a network is its own; anyone else
    belongs to the network of their heaviest tie to one (the first in key order on a tie)."""
    import numpy as np

    from vru_crm.graph.frame import NETWORK

    n = len(frame)
    found = [""] * n
    is_net = frame.kinds == NETWORK
    for i in is_net.nonzero()[0].tolist():
        found[i] = frame.labels[i]
    starts, others, ties = frame.csr()
    owner = np.repeat(np.arange(n), np.diff(starts))
    touching = is_net[others] & ~is_net[owner]
    best_weight = np.zeros(n)
    for i, other, tie in zip(
        owner[touching].tolist(), others[touching].tolist(), ties[touching].tolist(), strict=True
    ):
        w = float(frame.weights[tie])
        if w > best_weight[i]:
            best_weight[i] = w
            found[i] = frame.labels[other]
    return [found[i] for i in order.tolist()]


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
