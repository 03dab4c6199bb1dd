"""Node positions kept in the database, so the graph opens instantly and stays familiar.

``place_graph`` is the one call the view and the command line use: it loads the
positions stored for the view's scope, decides what must move (nodes that are
new, or whose neighbours changed, as told by a digest of their neighbour keys),
lays out only those with the rest held still, and stores the result. A view
with nothing changed is returned straight from the database, no layout at all.
A filtered view with nothing stored yet starts from the whole graph's positions,
so nodes do not jump about when a filter changes.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, delete, insert, select

from db.models import GraphNodePosition
from db.session import Database
from db.types import utcnow
from vru_crm.graph.layout import Cancelled, LayoutOptions, Progress, fr_layout

if TYPE_CHECKING:
    import networkx as nx

    from vru_crm.graph.frame import GraphFrame

FULL_LAYOUT_SHARE = 0.3  # when more than this share of nodes must move, lay out everything again
STALE_SCOPE_DAYS = 90  # positions of a filtered view not opened for this long are dropped


@dataclass
class Placement:
    positions: dict[str, tuple[float, float]]
    moved: int  # how many nodes the layout moved (0: all from the database)
    full: bool  # a full layout was run
    in_key_order: Any = None  # or, from ``place_frame`` when nothing moved: an (n, 2) array


def signature(graph: nx.Graph[str], node: str) -> str:
    """A digest of the node's neighbours: it changes when a tie is made or lost."""
    text = "|".join(sorted(graph.adj[node]))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def load_positions(database: Database, scope: str) -> dict[str, tuple[float, float, str]]:
    """``{node_key: (x, y, signature)}`` stored for ``scope``."""
    table = _table()
    statement = select(table.c.node_key, table.c.x, table.c.y, table.c.signature).where(
        table.c.scope == scope
    )
    with database.session(audit_rows=False) as session:
        rows = session.connection().execute(statement).fetchall()  # plain rows: 60,000 of them
    return {key: (float(x), float(y), sig) for key, x, y, sig in rows}


def load_position_columns(database: Database, scope: str) -> tuple[list[str], Any]:
    """The stored keys of ``scope`` in key order and their (n, 2) positions: the preview's
    one read (250,000 rows at 2M), row by row, without a dict or a tuple per node kept."""
    import numpy as np

    table = _table()
    statement = (
        select(table.c.node_key, table.c.x, table.c.y)
        .where(table.c.scope == scope)
        .order_by(table.c.node_key)
    )
    keys: list[str] = []
    xy = array("d")
    with database.session(audit_rows=False) as session:
        for key, x, y in session.connection().execute(statement):
            keys.append(key)
            xy.append(x)
            xy.append(y)
    positions = np.frombuffer(xy, dtype=float).reshape(-1, 2).copy()
    return _in_key_order(keys, positions)


def frame_positions(database: Database, frame: GraphFrame, scope: str) -> tuple[Any, Any]:
    """The stored positions of ``scope`` for the frame's nodes, in node order: an (n, 2)
    array and whether each node has one (for the exports: no dict of every stored row)."""
    import numpy as np

    stored, xy = load_position_columns(database, scope)
    found = np.zeros((len(frame), 2), np.float64)
    placed = np.zeros(len(frame), bool)
    j, count = 0, len(stored)
    for i in np.argsort(frame.rank).tolist():  # the frame's nodes in key order, as ``stored``
        key = frame.key(i)
        while j < count and stored[j] < key:
            j += 1
        if j < count and stored[j] == key:
            found[i] = xy[j]
            placed[i] = True
            j += 1
    return found, placed


def _in_key_order(keys: list[str], xy: Any) -> tuple[list[str], Any]:
    """Keys as Python orders them (PostgreSQL's collation may not), positions alongside."""
    if any(keys[i] > keys[i + 1] for i in range(len(keys) - 1)):  # a collation unlike Python's
        order = sorted(range(len(keys)), key=keys.__getitem__)
        keys, xy = [keys[i] for i in order], xy[order]
    return keys, xy


def save_positions(
    database: Database,
    scope: str,
    positions: Mapping[str, tuple[float, float]],
    signatures: Mapping[str, str],
) -> None:
    """Replace the positions of ``scope`` (one unit of work; layout, not partner data, so not audited)."""
    now = utcnow()
    rows = [
        {
            "scope": scope,
            "node_key": k,
            "x": float(x),
            "y": float(y),
            "signature": signatures.get(k, ""),
            "updated_at": now,
        }
        for k, (x, y) in positions.items()
    ]
    table = _table()
    stale = now - timedelta(days=STALE_SCOPE_DAYS)
    with database.session(audit_rows=False) as session:
        connection = session.connection()
        connection.execute(delete(table).where(table.c.scope == scope))
        connection.execute(delete(table).where(table.c.scope != "all", table.c.updated_at < stale))
        if rows:
            connection.execute(insert(table), rows)


def forget_positions(database: Database, scope: str | None = None) -> None:
    """Drop stored positions (of one scope, or all): the next view lays out afresh."""
    table = _table()
    with database.session(audit_rows=False) as session:
        statement = delete(table) if scope is None else delete(table).where(table.c.scope == scope)
        session.connection().execute(statement)


def _table() -> Table:
    """The positions' table (SQLModel declares ``__table__`` only at run time)."""
    return cast(Table, cast(Any, GraphNodePosition).__table__)


def place_graph(
    database: Database,
    graph: nx.Graph[str],
    scope: str = "all",
    *,
    relayout: bool = False,
    options: LayoutOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Placement:
    """Positions for every node of ``graph``: stored ones reused, only what changed moved."""
    signs = {n: signature(graph, n) for n in graph}
    stored = {} if relayout else load_positions(database, scope)
    if not stored and scope != "all" and not relayout:
        # A filtered view seen for the first time: its nodes stay where the whole map has them.
        stored = {
            k: (x, y, signs[k])
            for k, (x, y, _) in load_positions(database, "all").items()
            if k in signs
        }
    keep = {n for n in graph if n in stored and stored[n][2] == signs[n]}
    moving = len(graph) - len(keep)
    if moving == 0:
        positions = {n: (stored[n][0], stored[n][1]) for n in graph}
        if set(stored) != set(graph):
            save_positions(database, scope, positions, signs)
        return Placement(positions, 0, False)
    full = relayout or not keep or moving > FULL_LAYOUT_SHARE * len(graph)
    initial = {n: (stored[n][0], stored[n][1]) for n in graph if n in stored}
    nodes = sorted(graph)
    edges = [(a, b, float(d.get("weight", 1.0))) for a, b, d in graph.edges(data=True)]
    positions = fr_layout(
        nodes,
        edges,
        initial=None if relayout else initial,
        fixed=set[str]() if full else keep,
        options=options,
        progress=progress,
        cancelled=cancelled,
    )
    save_positions(database, scope, positions, signs)
    return Placement(positions, len(graph) if full else moving, full)


def frame_signatures(frame: GraphFrame, keys: list[str]) -> dict[str, str]:
    """``signature`` of every node of a frame (its neighbours come in key order already)."""
    starts, others, _ = frame.csr()
    bounds, numbers = starts.tolist(), others.tolist()
    digest = hashlib.blake2b
    return {
        key: digest(
            "|".join([keys[j] for j in numbers[bounds[i] : bounds[i + 1]]]).encode(),
            digest_size=8,
        ).hexdigest()
        for i, key in enumerate(keys)
    }


def _unchanged(database: Database, frame: GraphFrame, keys: list[str], scope: str) -> Any:
    """The stored positions in key order if they are the frame's nodes, none changed; else None."""
    import numpy as np

    table = _table()
    statement = (
        select(table.c.node_key, table.c.x, table.c.y, table.c.signature)
        .where(table.c.scope == scope)
        .order_by(table.c.node_key)
    )
    order = np.argsort(frame.rank).tolist()
    xy = array("d")
    signs: list[str] = []
    with database.session(audit_rows=False) as session:
        rows = session.connection().execute(statement)
        for (key, x, y, sign), i in zip(rows, order, strict=False):
            if key != keys[i]:
                return None
            xy.append(x)
            xy.append(y)
            signs.append(sign)
        if len(signs) != len(keys) or rows.fetchone() is not None:
            return None
    if signs != _signatures_in(frame, keys, order):
        return None
    return np.frombuffer(xy, dtype=float).reshape(-1, 2).copy()


def _signatures_in(frame: GraphFrame, keys: list[str], order: list[int]) -> list[str]:
    """``signature`` of each node, the nodes taken in ``order``."""
    starts, others, _ = frame.csr()
    bounds, numbers = starts.tolist(), others.tolist()
    digest = hashlib.blake2b
    return [
        digest(
            "|".join([keys[j] for j in numbers[bounds[i] : bounds[i + 1]]]).encode(),
            digest_size=8,
        ).hexdigest()
        for i in order
    ]


def place_frame(
    database: Database,
    frame: GraphFrame,
    keys: list[str],
    scope: str = "all",
    *,
    relayout: bool = False,
    options: LayoutOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Placement:
    """``place_graph`` for a frame whose node ``i`` is ``keys[i]``: the same placement.

    When the stored map has exactly the frame's nodes, none of them changed (the usual
    later opening), the positions come back as one array in key order: no dict of
    250,000 stored rows, signatures and positions is made.
    """
    if not relayout:
        same = _unchanged(database, frame, keys, scope)
        if same is not None:
            return Placement({}, 0, False, same)
    signs = frame_signatures(frame, keys)
    stored = {} if relayout else load_positions(database, scope)
    if not stored and scope != "all" and not relayout:
        stored = {
            k: (x, y, signs[k])
            for k, (x, y, _) in load_positions(database, "all").items()
            if k in signs
        }
    keep = {k for k in keys if k in stored and stored[k][2] == signs[k]}
    moving = len(keys) - len(keep)
    if moving == 0:
        positions = {k: (stored[k][0], stored[k][1]) for k in keys}
        if len(stored) != len(keys):
            save_positions(database, scope, positions, signs)
        return Placement(positions, 0, False)
    full = relayout or not keep or moving > FULL_LAYOUT_SHARE * len(keys)
    initial = {k: (stored[k][0], stored[k][1]) for k in keys if k in stored}
    del stored
    edges = [
        (keys[a], keys[b], w)
        for a, b, w in zip(frame.a.tolist(), frame.b.tolist(), frame.weights.tolist(), strict=True)
    ]
    positions = fr_layout(
        sorted(keys),
        edges,
        initial=None if relayout else initial,
        fixed=set[str]() if full else keep,
        options=options,
        progress=progress,
        cancelled=cancelled,
    )
    del edges
    save_positions(database, scope, positions, signs)
    return Placement(positions, len(keys) if full else moving, full)
