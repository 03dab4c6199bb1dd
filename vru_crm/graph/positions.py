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

FULL_LAYOUT_SHARE = 0.3  # when more than this share of nodes must move, lay out everything again
STALE_SCOPE_DAYS = 90  # positions of a filtered view not opened for this long are dropped


@dataclass
class Placement:
    positions: dict[str, tuple[float, float]]
    moved: int  # how many nodes the layout moved (0: all from the database)
    full: bool  # a full layout was run


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
