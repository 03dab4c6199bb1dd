"""The graph at the real size: build, measures and the commands, against raw reads and other libraries.

Run on a generated database (``vru-crm generate --organisations 10000 --people 50000
--engagements 500000 --meetings 5000``)::

    python bench/graph_measures.py --db /tmp/vru_crm_graph/crm.db [--networkx] [--rustworkx]

Figures are CPU seconds (``time.process_time``: the machines are shared), the
median of ``--runs``. ``--networkx`` adds NetworkX's own betweenness and Louvain
(minutes); ``--rustworkx`` adds rustworkx where it has the algorithm. It prints a
Markdown table and writes it to ``bench/results/graph_measures.md``.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

RAW_READS = (
    "SELECT id, code, name, is_priority FROM borough ORDER BY id",
    "SELECT organisation_id, borough_id FROM organisation_borough ORDER BY 1, 2",
    "SELECT id, name, sector, is_priority FROM organisation ORDER BY id",
    "SELECT id, name, kind FROM network ORDER BY id",
    "SELECT person_id, organisation_id, role, start_date, end_date FROM affiliation ORDER BY id",
    "SELECT id, full_name, borough_id, is_young_person FROM person ORDER BY id",
    "SELECT network_id, organisation_id, person_id, role, start_date, end_date FROM membership",
    "SELECT a.person_id, m.network_id, m.starts_at FROM attendance a "
    "JOIN meeting m ON m.id = a.meeting_id WHERE a.status = 'present' "
    "ORDER BY a.meeting_id, a.person_id",
    "SELECT id, occurred_on FROM engagement ORDER BY id",
    "SELECT engagement_id, organisation_id FROM engagement_organisation ORDER BY 1, 2",
    "SELECT engagement_id, network_id FROM engagement_network ORDER BY 1, 2",
    "SELECT engagement_id, person_id FROM engagement_person ORDER BY 1, 2",
)


def cpu(run: Callable[[], Any], runs: int) -> float:
    """Median CPU seconds of ``runs`` calls."""
    found = []
    for _ in range(runs):
        start = time.process_time()
        run()
        found.append(time.process_time() - start)
    return statistics.median(found)


def raw_reads(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        for statement in RAW_READS:
            connection.execute(statement).fetchall()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a generated SQLite file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--networkx", action="store_true", help="time NetworkX's own (minutes)")
    parser.add_argument("--rustworkx", action="store_true", help="time rustworkx too")
    parser.add_argument(
        "--out", type=Path, help="where to write the table (default: bench/results)"
    )
    args = parser.parse_args()

    import igraph  # noqa: F401  (imports are not what is measured)
    import networkx as nx

    from db.migrate import open_database
    from vru_crm.graph import engine, measures
    from vru_crm.graph.build import GraphFilters, build_frame, build_graph
    from vru_crm.graph.frame_measures import measure_frame

    database = open_database(f"sqlite:///{args.db}", username="bench")
    filters = GraphFilters(as_of=args.as_of)
    graph = build_graph(database, filters)
    rows: list[tuple[str, str, float]] = []

    def row(what: str, how: str, run: Callable[[], Any], runs: int = args.runs) -> None:
        seconds = cpu(run, runs)
        rows.append((what, how, seconds))
        print(f"{what:32s} {how:40s} {seconds:8.3f} s", flush=True)

    row("raw reads of the graph's tables", "sqlite3 fetchall", lambda: raw_reads(args.db))
    row("build the graph", "build_graph", lambda: build_graph(database, filters))
    row("build the graph as columns", "build_frame", lambda: build_frame(database, filters))
    row("convert to arrays + igraph", "engine.index_graph (from the builder)",
        lambda: engine.index_graph(graph))  # fmt: skip
    plain = graph.copy()  # a graph the builder did not make: read edge by edge
    row("convert to arrays + igraph", "engine.index_graph (edge by edge)",
        lambda: engine.index_graph(plain))  # fmt: skip
    indexed = engine.index_graph(graph)
    samples = measures.BETWEENNESS_SAMPLES
    row(
        f"betweenness ({samples} samples)",
        "igraph",
        lambda: engine.betweenness(indexed, samples, 42),
    )
    row("Louvain communities", "igraph multilevel", lambda: engine.communities(indexed, 42))
    row("bridges + articulation points", "igraph",
        lambda: (engine.bridges(indexed), engine.articulation_points(indexed)))  # fmt: skip
    row("components", "igraph", lambda: engine.components(indexed))
    row("all the measures", "measure_all", lambda: measures.measure_all(graph))
    frame = build_frame(database, filters)
    row("all the measures, on the columns", "measure_frame", lambda: measure_frame(frame))
    if args.rustworkx:
        import rustworkx as rx

        def to_rx() -> Any:
            converted = rx.PyGraph(multigraph=False)
            converted.add_nodes_from(range(len(indexed.keys)))
            converted.add_edges_from_no_data(list(map(tuple, indexed.edges.tolist())))
            return converted

        row("convert", "rustworkx", to_rx)
        converted = to_rx()
        row("bridges + articulation points", "rustworkx",
            lambda: (rx.bridges(converted), rx.articulation_points(converted)))  # fmt: skip
        row("components", "rustworkx", lambda: rx.connected_components(converted))
    if args.networkx:
        row(f"betweenness ({samples} samples)", "NetworkX",
            lambda: nx.betweenness_centrality(graph, k=samples, seed=42), 1)  # fmt: skip
        row("Louvain communities", "NetworkX",
            lambda: nx.community.louvain_communities(graph, weight="weight", seed=42), 1)  # fmt: skip
        row("bridges + articulation points", "NetworkX",
            lambda: (list(nx.bridges(graph)), list(nx.articulation_points(graph))), 1)  # fmt: skip
    text = [
        f"# The graph at {graph.number_of_nodes():,} nodes and {graph.number_of_edges():,} ties",
        "",
        "| what | how | CPU s |",
        "| --- | --- | --- |",
        *(f"| {what} | {how} | {seconds:.3f} |" for what, how, seconds in rows),
        "",
    ]
    out = args.out or Path(__file__).parent / "results" / "graph_measures.md"
    out.write_text("\n".join(text), encoding="utf-8")
    print(f"written to {out}")
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
