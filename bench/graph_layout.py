"""Benchmark: our mesh layout against NetworkX's spring_layout and igraph's Fruchterman-Reingold.

All three lay out the same generated graph: 5,000 nodes and about 20,000 edges
in 50 communities of 100 (a planted partition, like networks and boroughs),
plus a few isolates. Each layout runs several times (spring_layout once: it is
slow) and the medians are compared. Two quality figures, both lower-is-better,
keep the speed honest:

- edge/pair: mean edge length over mean distance between random pairs;
- group/pair: mean distance within a community over mean distance between random pairs.

Run: ``pip install -e '.[bench]' && python bench/graph_layout.py`` (prints the
table and writes ``bench/results/graph_layout.md``).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vru_crm.graph.layout import fr_layout  # noqa: E402

GROUPS, GROUP_SIZE, EDGES = 50, 100, 20_000
RESULTS = ROOT / "bench" / "results" / "graph_layout.md"


def make_graph(
    seed: int = 1, groups: int = GROUPS, group_size: int = GROUP_SIZE, edge_count: int = EDGES
) -> nx.Graph:
    """5,000 nodes in 50 groups; 80% of the 20,000 edges inside a group, 20% between groups.

    Smaller sizes are for ``bench/run.py --small`` (the quality figures assume the defaults).
    """
    rng = np.random.default_rng(seed)
    n = groups * group_size
    edges: set[tuple[int, int]] = set()
    while len(edges) < edge_count:
        a = int(rng.integers(n))
        if rng.random() < 0.8:
            b = (a // group_size) * group_size + int(rng.integers(group_size))
        else:
            b = int(rng.integers(n))
        if a != b:
            edges.add((min(a, b), max(a, b)))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    return graph


def quality(pos: np.ndarray, edges: np.ndarray) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, len(pos), 50_000), rng.integers(0, len(pos), 50_000)
    pair = np.linalg.norm(pos[i] - pos[j], axis=1).mean()
    group = rng.integers(0, GROUPS, 50_000) * GROUP_SIZE
    a, b = group + rng.integers(0, GROUP_SIZE, 50_000), group + rng.integers(0, GROUP_SIZE, 50_000)
    inside = np.linalg.norm(pos[a] - pos[b], axis=1).mean()
    edge = np.linalg.norm(pos[edges[:, 0]] - pos[edges[:, 1]], axis=1).mean()
    return float(edge / pair), float(inside / pair)


def ours(graph: nx.Graph) -> np.ndarray:
    nodes = list(graph)
    pos = fr_layout(nodes, [(u, v, 1.0) for u, v in graph.edges()])
    return np.array([pos[n] for n in nodes])


def ours_incremental(graph: nx.Graph) -> np.ndarray:
    """20 new partners, each tied to 3 existing nodes, placed into a stored 5,000-node layout."""
    nodes = list(graph)
    edges = [(u, v, 1.0) for u, v in graph.edges()]
    if "pos" not in _BASE:
        _BASE["pos"] = fr_layout(nodes, edges)
    base = _BASE["pos"]
    new = [f"new{i}" for i in range(20)]
    extra = [
        (f"new{i}", (i * 97 + k * 1013) % len(nodes), 1.0) for i in range(20) for k in range(3)
    ]
    touched = {v for _, v, _ in extra}
    fixed = {n for n in nodes if n not in touched}
    pos = fr_layout(nodes + new, edges + extra, initial=base, fixed=fixed)
    return np.array([pos[n] for n in nodes])


_BASE: dict[str, dict] = {}


def networkx_spring(graph: nx.Graph) -> np.ndarray:
    pos = nx.spring_layout(graph, seed=1)
    return np.array([pos[n] for n in graph])


def igraph_fr(graph: nx.Graph) -> np.ndarray:
    import igraph

    g = igraph.Graph(n=graph.number_of_nodes(), edges=list(graph.edges()))
    return np.array(g.layout_fruchterman_reingold().coords)


def measure(
    name: str, layout: Callable[[nx.Graph], np.ndarray], graph: nx.Graph, runs: int
) -> dict:
    times, cpu, pos = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        pos = layout(graph)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    edge_q, group_q = quality(pos, np.array(list(graph.edges())))
    row = {
        "name": name,
        "runs": runs,
        "median": statistics.median(times),
        "cpu": statistics.median(cpu),
        "edge": edge_q,
        "group": group_q,
    }
    print(f"  {name}: median {row['median']:.2f} s over {runs} run(s)", file=sys.stderr)
    return row


def table(rows: list[dict], graph: nx.Graph) -> str:
    base = rows[0]["median"]
    lines = [
        f"Graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges "
        f"({GROUPS} groups of {GROUP_SIZE}). Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"networkx {nx.__version__}, numpy {np.__version__}.",
        "",
        f"Load average when run: {_load()} (2 cores; other work on the machine slows wall-clock times, "
        "CPU time less so).",
        "",
        "| layout | runs | median wall (s) | median CPU (s) | wall / ours | edge/pair | group/pair |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['runs']} | {r['median']:.2f} | {r['cpu']:.2f} | "
            f"{r['median'] / base:.2f} | {r['edge']:.3f} | {r['group']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def view_timings(graph: nx.Graph, pos: np.ndarray, steps: int = 20) -> str:
    """Offscreen GraphView with the whole graph: time to draw it, and per pan and zoom step."""
    t = view_frames(graph, pos, steps)
    return (
        "\nView (offscreen, 1200x800, all nodes and ties drawn): first draw "
        f"{t['first']:.0f} ms; one pan step (repaint) median {t['pan']:.0f} ms; "
        f"one zoom step median {t['zoom']:.0f} ms "
        f"(CPU per step, pan or zoom: median {t['cpu']:.0f} ms).\n"
    )


def view_frames(graph: nx.Graph, pos: np.ndarray, steps: int = 20) -> dict[str, float]:
    """The view's timings in milliseconds: first draw, and medians per pan step, zoom step and CPU per step."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.graph.view import GraphView
    from vru_crm.graph.measures import quick_report
    from vru_crm.graph.service import snapshot_from_graph

    app = QApplication.instance() or QApplication([])
    for n in graph:
        graph.nodes[n].update(
            kind="organisation", entity_id=n, label=f"Partner {n}", sector="charity"
        )
    keys = {n: f"org:{n}" for n in graph}
    g = nx.relabel_nodes(graph, keys)
    snap = snapshot_from_graph(
        g, quick_report(g), {keys[n]: tuple(pos[i]) for i, n in enumerate(graph)}
    )
    view = GraphView()
    view.resize(1200, 800)
    view.show()
    start = time.perf_counter()
    view.set_snapshot(snap)
    view.grab()
    first = time.perf_counter() - start
    (x0, x1), (y0, y1) = view.getPlotItem().getViewBox().viewRange()
    pans, zooms, cpu = [], [], []
    for k in range(steps):
        t, c = time.perf_counter(), time.process_time()
        dx = (x1 - x0) * 0.02 * (k + 1)
        view.setRange(xRange=(x0 + dx, x1 + dx), yRange=(y0, y1), padding=0)
        view.update_labels()
        view.grab()
        app.processEvents()
        pans.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    for k in range(steps):
        t, c = time.perf_counter(), time.process_time()
        f = 0.9 ** (k + 1)
        cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * f, (y1 - y0) * f
        view.setRange(xRange=(cx - w / 2, cx + w / 2), yRange=(cy - h / 2, cy + h / 2), padding=0)
        view.update_labels()
        view.grab()
        app.processEvents()
        zooms.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {
        "first": first * 1000,
        "pan": statistics.median(pans) * 1000,
        "zoom": statistics.median(zooms) * 1000,
        "cpu": statistics.median(cpu) * 1000,
    }


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the fast layouts (default 5)")
    parser.add_argument(
        "--skip-spring", action="store_true", help="leave out NetworkX (about a minute)"
    )
    parser.add_argument(
        "--skip-view", action="store_true", help="leave out the drawing's pan and zoom timings"
    )
    args = parser.parse_args(argv)
    graph = make_graph()
    _BASE["pos"] = dict(
        zip(graph, ours(graph), strict=True)
    )  # the stored layout the increment starts from
    rows = [
        measure("ours (numpy mesh FR)", ours, graph, args.runs),
        measure("ours, incremental (+20 nodes)", ours_incremental, graph, args.runs),
    ]
    try:
        import igraph  # noqa: F401

        rows.append(measure("igraph layout_fruchterman_reingold", igraph_fr, graph, args.runs))
    except ImportError:
        print("  igraph not installed (pip install -e '.[bench]'): skipped", file=sys.stderr)
    if not args.skip_spring:
        rows.append(measure("networkx spring_layout", networkx_spring, graph, 1))
    text = table(rows, graph)
    if not args.skip_view:
        text += view_timings(graph, ours(graph))
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        "# Graph layout benchmark\n\n`python bench/graph_layout.py`\n\n" + text, encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
