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
    import igraph  # type: ignore[import-untyped]  # igraph ships no type hints
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
    converted = igraph.Graph(n=len(keys), edges=ends, directed=False)
    return Indexed(keys, ends, weights, converted)


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


def betweenness(indexed: Indexed, samples: int | None, seed: int) -> dict[str, float]:
    """NetworkX's ``betweenness_centrality(normalized=True, k=samples, seed=seed)``, in C.

    The sources are the ones NetworkX would sample (``random.Random(seed).sample``
    of the nodes in graph order), and the sums are scaled as NetworkX scales
    them, so the two agree to rounding. igraph counts each undirected path once
    where NetworkX counts it from both ends: hence the factor 2.
    """
    n = len(indexed.keys)
    if n < 3:
        return dict.fromkeys(indexed.keys, 0.0)
    if samples is None or samples >= n:
        raw = indexed.igraph.betweenness(directed=False)
        scale = 2.0 / ((n - 1) * (n - 2))
        return {k: float(v) * scale for k, v in zip(indexed.keys, raw, strict=True)}
    sources = random.Random(seed).sample(range(n), samples)
    raw = indexed.igraph.betweenness(directed=False, sources=sources)
    others = n - 2  # the N - 1 of NetworkX's rescaling, with N = n - 1 (endpoints excluded)
    plain = 2.0 / (samples * others)
    for_sources = 2.0 / ((samples - 1) * others) if samples > 1 else 0.0
    chosen = set(sources)
    return {
        key: float(value) * (for_sources if i in chosen else plain)
        for i, (key, value) in enumerate(zip(indexed.keys, raw, strict=True))
    }


def communities(indexed: Indexed, seed: int) -> list[list[str]]:
    """Multilevel modularity optimisation (Louvain) on the weights; groups of node keys."""
    with seeded(seed):
        membership = indexed.igraph.community_multilevel(
            weights=indexed.weights.tolist() if len(indexed.weights) else None
        ).membership
    groups: dict[int, list[str]] = {}
    for key, group in zip(indexed.keys, membership, strict=True):
        groups.setdefault(int(group), []).append(key)
    return list(groups.values())


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
