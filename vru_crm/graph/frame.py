"""The partnership graph as columns: what the builder makes, and what the page and exports use.

A NetworkX graph keeps a dict per node and per tie: at 2,000,000 engagements
(250,000 nodes, 420,000 ties) that is about a gigabyte. ``GraphFrame`` keeps
the same graph as numpy columns and a few lists of strings (a tenth of the
size), so the Graph page and the exports work at the real size within the
memory budget; ``to_networkx`` gives the very graph ``build_graph`` always
gave (node for node, attribute for attribute, in the same order) for the code
and the tests that want NetworkX.

Node ``i`` is the ``i``-th node in the graph's order; ``rank[i]`` is its place
in key order. Ties are stored as NetworkX walks them (``graph.edges()``): by
their first end in node order, then the other end in key order, ``a < b``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

KINDS = ("organisation", "person", "network", "borough")
PREFIXES = ("org", "person", "network", "borough")
ORGANISATION, PERSON, NETWORK, BOROUGH = range(4)
TIE_KINDS = (
    "affiliation", "attendance", "based_in", "co_engagement",
    "engaged_in", "engaged_through", "membership", "met_with",
)  # fmt: skip
ENGAGEMENT_BITS = (1 << 3) | (1 << 5) | (1 << 7)  # co_engagement, engaged_through, met_with
MEMBERSHIP_BIT = 1 << 6


@dataclass
class GraphFrame:
    """One built graph, as columns (see the module's docstring for the orders)."""

    name: str
    as_of: str
    boroughs: dict[str, dict[str, Any]]  # the catalogue: code -> id, name, is_priority
    kinds: NDArray[np.int8]  # index into KINDS
    entity_ids: NDArray[np.int64]
    labels: list[str]
    sectors: list[str]  # "network" and "person" for those; "" for boroughs (they have none)
    places: list[tuple[str, ...]]  # an organisation's borough codes, a person's borough
    flags: NDArray[np.bool_]  # is_priority (organisations, boroughs), young_person (people)
    extra: dict[int, Any]  # a network's kind, a borough's code
    last_engaged: NDArray[np.int32]  # a day's ordinal, 0 for never
    engagements: NDArray[np.int32]
    rank: NDArray[np.int64]  # node i's place in key order
    a: NDArray[np.int32]  # ties: first end (node order)
    b: NDArray[np.int32]  # the other end
    weights: NDArray[np.float64]  # rounded to 6 places, as the graph holds them
    counts: NDArray[np.int32]
    masks: NDArray[np.int16]  # bit i: TIE_KINDS[i]
    lasts: NDArray[np.int32]  # the latest tie's day ordinal, 0 for none
    role_codes: NDArray[np.int16]  # index into ``roles``
    roles: list[str] = field(default_factory=lambda: [""])
    _csr: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]] | None = None

    # ---- nodes -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.labels)

    @property
    def edge_count(self) -> int:
        return len(self.a)

    def key(self, i: int) -> str:
        return f"{PREFIXES[int(self.kinds[i])]}:{int(self.entity_ids[i])}"

    def keys(self) -> list[str]:
        prefixes = [PREFIXES[k] for k in self.kinds.tolist()]
        return [f"{p}:{e}" for p, e in zip(prefixes, self.entity_ids.tolist(), strict=True)]

    def kind(self, i: int) -> str:
        return KINDS[int(self.kinds[i])]

    def node_data(self, i: int, days: dict[int, str] | None = None) -> dict[str, Any]:
        """Node ``i``'s attributes, as the NetworkX graph holds them (same names, order, types)."""
        kind = int(self.kinds[i])
        data: dict[str, Any] = {
            "kind": KINDS[kind],
            "entity_id": int(self.entity_ids[i]),
            "label": self.labels[i],
        }
        if kind == BOROUGH:
            data["code"] = self.extra.get(i, "")
            data["is_priority"] = bool(self.flags[i])
        elif kind == NETWORK:
            data["network_kind"] = self.extra.get(i)
            data["sector"] = "network"
        else:
            data["sector"] = self.sectors[i]
            data["boroughs"] = list(self.places[i])
            data["young_person" if kind == PERSON else "is_priority"] = bool(self.flags[i])
        data["last_engaged"] = _day(int(self.last_engaged[i]), days)
        data["engagements"] = int(self.engagements[i])
        return data

    # ---- ties --------------------------------------------------------------
    def tie_kinds(self, mask: int) -> list[str]:
        return [kind for bit, kind in enumerate(TIE_KINDS) if mask & (1 << bit)]

    def edges(self, order: Any = None) -> Iterator[tuple[int, int, dict[str, Any]]]:
        """Every tie with its attributes, as NetworkX's ``edges(data=True)`` gives them
        (or in ``order``, an array of tie indexes), read a block at a time."""
        import numpy as np

        names: dict[int, list[str]] = {}
        days: dict[int, str] = {0: ""}
        roles = self.roles
        every = np.arange(len(self.a)) if order is None else np.asarray(order)
        for start in range(0, len(every), 50_000):
            yield from self._edge_block(every[start : start + 50_000], names, days, roles)

    def _edge_block(
        self, chosen: Any, names: dict[int, list[str]], days: dict[int, str], roles: list[str]
    ) -> Iterator[tuple[int, int, dict[str, Any]]]:
        for a, b, weight, count, mask, last, role in zip(
            self.a[chosen].tolist(),
            self.b[chosen].tolist(),
            self.weights[chosen].tolist(),
            self.counts[chosen].tolist(),
            self.masks[chosen].tolist(),
            self.lasts[chosen].tolist(),
            self.role_codes[chosen].tolist(),
            strict=True,
        ):
            kinds = names.get(mask)
            if kinds is None:
                kinds = names[mask] = self.tie_kinds(mask)
            yield (
                a,
                b,
                {
                    "kinds": list(kinds),
                    "weight": weight,
                    "count": count,
                    "role": roles[role],
                    "last": _day(last, days),
                },
            )

    def degrees(self) -> NDArray[np.int64]:
        import numpy as np

        n = len(self)
        return np.bincount(self.a, minlength=n) + np.bincount(self.b, minlength=n)

    def weighted_degrees(self) -> NDArray[np.float64]:
        import numpy as np

        n = len(self)
        return np.asarray(np.bincount(self.a, self.weights, minlength=n), np.float64) + np.bincount(
            self.b, self.weights, minlength=n
        )

    def csr(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """(starts, neighbours, tie index): node i's neighbours are ``neighbours[starts[i]:
        starts[i + 1]]``, in key order (as NetworkX's adjacency holds them)."""
        import numpy as np

        if self._csr is None:
            n = len(self)
            ends = np.concatenate([self.a, self.b]).astype(np.int64)
            others = np.concatenate([self.b, self.a]).astype(np.int64)
            ties = np.concatenate([np.arange(len(self.a))] * 2)
            order = np.lexsort((self.rank[others], ends))
            starts = np.zeros(n + 1, np.int64)
            np.cumsum(np.bincount(ends, minlength=n), out=starts[1:])
            self._csr = starts, others[order], ties[order]
        return self._csr

    def neighbours(self, i: int) -> NDArray[np.int64]:
        starts, others, _ = self.csr()
        return others[starts[i] : starts[i + 1]]

    def key_order_ties(self) -> NDArray[np.int64]:
        """The ties in the order the builder adds them: by (lower, higher) end in key order."""
        import numpy as np

        ra, rb = self.rank[self.a], self.rank[self.b]
        return np.lexsort((np.maximum(ra, rb), np.minimum(ra, rb)))

    # ---- NetworkX ----------------------------------------------------------
    def to_networkx(self) -> nx.Graph[str]:
        """The graph ``build_graph`` gives: same nodes, ties, attributes and orders."""
        import networkx as nx

        from vru_crm.graph import engine

        graph: nx.Graph[str] = nx.Graph(name=self.name, as_of=self.as_of)
        graph.graph["boroughs"] = self.boroughs
        keys = self.keys()
        days: dict[int, str] = {0: ""}
        graph.add_nodes_from((keys[i], self.node_data(i, days)) for i in range(len(self)))
        adjacency = graph._adj  # type: ignore[attr-defined]  # the documented adjacency store
        edges = list(self.edges())
        for t in self.key_order_ties().tolist():
            a, b, data = edges[t]
            x, y = (a, b) if self.rank[a] < self.rank[b] else (b, a)
            adjacency[keys[x]][keys[y]] = data
            adjacency[keys[y]][keys[x]] = data
        nx._clear_cache(graph)
        engine.remember(graph, keys, self.ends(), self.weights)
        return graph

    def ends(self) -> NDArray[np.int64]:
        import numpy as np

        return np.stack([self.a, self.b], axis=1).astype(np.int64).reshape(-1, 2)


def _day(ordinal: int, cache: dict[int, str] | None) -> str:
    if not ordinal:
        return ""
    if cache is None:
        return date.fromordinal(ordinal).isoformat()
    text = cache.get(ordinal)
    if text is None:
        text = cache[ordinal] = date.fromordinal(ordinal).isoformat()
    return text
