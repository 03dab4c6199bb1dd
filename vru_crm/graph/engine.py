"""The heavy graph algorithms in C (igraph), on a NetworkX graph converted once.

NetworkX stays the model (the builder, the exports and the view all use it),
but its pure-Python betweenness and Louvain took 78 s and 8 s on the 60,000
nodes of a real decade of engagements. igraph runs the same algorithms in C:
Brandes' betweenness from the same sampled sources as NetworkX picks (so the
figures are NetworkX's own, to rounding), multilevel modularity optimisation
(Louvain) with a seeded random generator, bridges, articulation points and
components. ``bench/graph_measures.py`` has the measured choice against
rustworkx and NetworkX.

The conversion walks the graph once into integer arrays in the graph's node
order; the builder adds nodes and ties in a fixed order, so the same data gives
the same arrays, and the same answers, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

    from vru_crm.graph.frame import GraphFrame

_RNG_LOCK = threading.Lock()  # igraph's random generator is global to the process
_REMEMBERED: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


@dataclass
class Indexed:
    """A graph as igraph sees it: node ``i`` is ``keys[i]``, edge ``j`` joins ``edges[j]``."""

    keys: list[str]
    edges: NDArray[np.int64]  # (m, 2) node indexes
    weights: NDArray[np.float64]  # (m,)
    igraph: Any  # igraph.Graph (igraph ships no type hints)

    def named(self, values: Any) -> dict[str, float]:
        """``{key: value}`` for a per-node sequence in index order."""
        return dict(zip(self.keys, (float(v) for v in values), strict=True))


def index_graph(graph: nx.Graph[str]) -> Indexed:
    """Convert once: node order as in ``graph``, edges as two integer columns.

    A graph just made by the builder comes with its arrays (``remember``), so
    nothing is walked; any other graph is read edge by edge once.
    """
    import numpy as np

    known = _REMEMBERED.get(graph)
    if known is not None and known[0] == (len(graph), graph.number_of_edges()):
        keys, ends, weights = known[1], known[2], known[3]
    else:
        keys = list(graph)
        position = {key: i for i, key in enumerate(keys)}
        triples = list(graph.edges(data="weight", default=1.0))
        m = len(triples)
        firsts = map(itemgetter(0), triples)
        seconds = map(itemgetter(1), triples)
        ends = (
            np.fromiter(map(position.__getitem__, chain(firsts, seconds)), np.int64, 2 * m)
            .reshape(2, m)
            .T.copy()
        )
        weights = np.fromiter(map(itemgetter(2), triples), np.float64, m)
    ends, weights = _canonical(ends, weights)
    converted = _igraph(len(keys), ends)
    return Indexed(keys, ends, weights, converted)


def index_frame(frame: GraphFrame) -> Indexed:
    """``index_graph`` for the builder's columns: node ``i`` is the frame's node ``i``.

    ``keys`` stays empty (250,000 strings the measures do not need): use the
    functions that answer in node numbers (``betweenness_values``, ``membership``).
    """
    import numpy as np

    ends, weights = _canonical(frame.ends(), np.asarray(frame.weights, np.float64))
    converted = _igraph(len(frame), ends)
    return Indexed([], ends, weights, converted)  # no keys: the frame's measures use numbers


def _igraph(n: int, ends: NDArray[np.int64]) -> Any:
    """An undirected igraph graph of ``n`` nodes and these edges, in their order
    (``add_edges`` reads the array in a third of the time the constructor takes)."""
    import igraph  # type: ignore[import-untyped]  # igraph ships no type hints

    converted = igraph.Graph(n=n, directed=False)
    if len(ends):
        converted.add_edges(ends)
    return converted


def _canonical(
    ends: NDArray[np.int64], weights: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Edges as (lower, higher) node index, in that order: Louvain's result depends on the
    edge order, so a graph gives the same arrays whichever way they were made."""
    import numpy as np

    if not len(ends):
        return ends.reshape(0, 2), weights
    lo, hi = ends.min(axis=1), ends.max(axis=1)
    order = np.lexsort((hi, lo))
    return np.ascontiguousarray(np.stack([lo, hi], axis=1)[order]), weights[order]


def remember(
    graph: nx.Graph[str], keys: list[str], ends: NDArray[np.int64], weights: NDArray[np.float64]
) -> None:
    """Keep the arrays a graph was built from, for ``index_graph`` (dropped with the graph).

    ``keys`` must be the graph's node order and ``ends`` index into it. A graph
    changed afterwards no longer matches its node and edge counts and is read afresh.
    """
    _REMEMBERED[graph] = ((len(graph), graph.number_of_edges()), keys, ends, weights)


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph's random choices drawn from ``random.Random(seed)``, then the default put back."""
    import igraph

    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a graph is made or measured: a build allocates
    a few hundred thousand dicts and lists, none in a cycle, and the collector would walk
    them all again and again (a third of the build's time at 60,000 nodes)."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_HEAP_SET = False


def return_freed_memory() -> None:
    """Give the C heap's free pages back to the system (glibc; elsewhere nothing happens).

    A build at 2,000,000 engagements makes and drops arrays of tens of MB. glibc
    raises its mmap threshold each time such a block is freed, so the next ones
    come from the heap and stay resident once freed: the build left 70 MB more
    resident than it held. The threshold is fixed once (256 KB: large blocks are
    mapped and unmapped) and the heap is trimmed after each build.
    """
    global _HEAP_SET
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        if not _HEAP_SET:
            libc.mallopt(-3, 256 * 1024)  # M_MMAP_THRESHOLD: also stops the dynamic threshold
            _HEAP_SET = True
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has neither call)
        return


def betweenness(indexed: Indexed, samples: int | None, seed: int) -> dict[str, float]:
    """NetworkX's ``betweenness_centrality(normalized=True, k=samples, seed=seed)``, in C."""
    values = betweenness_values(indexed, samples, seed)
    return dict(zip(indexed.keys, values.tolist(), strict=True))


def betweenness_values(indexed: Indexed, samples: int | None, seed: int) -> NDArray[np.float64]:
    """``betweenness`` as an array in node order.

    The sources are the ones NetworkX would sample (``random.Random(seed).sample``
    of the nodes in graph order), and the sums are scaled as NetworkX scales
    them, so the two agree to rounding. igraph counts each undirected path once
    where NetworkX counts it from both ends: hence the factor 2.
    """
    import numpy as np

    n = indexed.igraph.vcount()
    if n < 3:
        return np.zeros(n)
    if samples is None or samples >= n:
        raw = np.array(indexed.igraph.betweenness(directed=False), np.float64)
        return np.asarray(raw * (2.0 / ((n - 1) * (n - 2))), np.float64)
    sources = random.Random(seed).sample(range(n), samples)
    raw = np.array(indexed.igraph.betweenness(directed=False, sources=sources), np.float64)
    others = n - 2  # the N - 1 of NetworkX's rescaling, with N = n - 1 (endpoints excluded)
    scale = np.full(n, 2.0 / (samples * others))
    scale[sources] = 2.0 / ((samples - 1) * others) if samples > 1 else 0.0
    return raw * scale


def communities(indexed: Indexed, seed: int) -> list[list[str]]:
    """Multilevel modularity optimisation (Louvain) on the weights; groups of node keys."""
    groups: dict[int, list[str]] = {}
    for key, group in zip(indexed.keys, membership(indexed, seed).tolist(), strict=True):
        groups.setdefault(int(group), []).append(key)
    return list(groups.values())


def membership(indexed: Indexed, seed: int) -> NDArray[np.int64]:
    """Each node's community number (igraph's numbering), in node order."""
    import numpy as np

    with seeded(seed):
        found = indexed.igraph.community_multilevel(
            weights=indexed.weights if len(indexed.weights) else None
        ).membership
    return np.array(found, np.int64)


def components(indexed: Indexed) -> int:
    if not indexed.keys:
        return 0
    return len(indexed.igraph.connected_components())


def bridges(indexed: Indexed) -> list[tuple[str, str]]:
    keys, ends = indexed.keys, indexed.edges
    found = []
    for edge in indexed.igraph.bridges():
        a, b = keys[int(ends[edge, 0])], keys[int(ends[edge, 1])]
        found.append((a, b) if a < b else (b, a))
    return sorted(found)


def articulation_points(indexed: Indexed) -> list[str]:
    return sorted(indexed.keys[i] for i in indexed.igraph.articulation_points())
