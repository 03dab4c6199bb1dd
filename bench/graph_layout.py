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
    """Offscreen GraphView with the whole graph: time to draw it, and per drag and wheel step."""
    t = view_frames(graph, pos, steps)
    return (
        "\nView (offscreen, 1200x800, all nodes and ties drawn): first draw "
        f"{t['first']:.0f} ms; one pan step (a drag step and its repaint) median {t['pan']:.0f} ms "
        f"(CPU {t['cpu_pan']:.0f} ms); one zoom step (a wheel step and its repaint) median "
        f"{t['zoom']:.0f} ms (CPU {t['cpu_zoom']:.0f} ms); {t['paints']:.1f} repaints a step; "
        f"labels placed once the view settles {t['settle']:.0f} ms.\n"
    )


DRAG_PX = 24  # a pan step: the mouse moves 2% of the view's width with the button down
WHEEL_ANGLE = 40  # a zoom step: a fine wheel step; pyqtgraph scales by 1.02 ** (-40 / 8) = 0.906


def view_frames(graph: nx.Graph, pos: np.ndarray, steps: int = 20) -> dict[str, float]:
    """The view's timings in milliseconds, driven as a user drives it.

    A pan step is one mouse move of a left-button drag and a zoom step one wheel
    step, delivered to the view's viewport as Qt delivers the user's; a step's
    time runs from the event to the end of every repaint it causes, and each
    step must repaint the whole view (checked). Returns the first draw, the
    medians per pan and zoom step (wall), their CPU medians (``cpu`` is over
    both kinds), repaints per step, and ``settle``: placing the labels once the
    view stops moving (the view does that on a 60 ms timer, not per step).

    Until November 2026 a step was ``setRange`` + ``update_labels`` + ``grab()``
    + the event loop: two renders and a label placement per step, where the
    user sees one render and labels only after the view settles.
    """
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
    frames = _Frames(app, view)
    frames.run_until_painted()  # the first on-screen paint, not timed
    user = _User(view)
    user.press()
    pans = [frames.step(lambda k=k: user.drag_to(k + 1), pause=0.012) for k in range(steps)]
    user.release()
    view.autoRange(padding=0.05)
    frames.run_until_painted()
    zooms = [frames.step(user.wheel) for _ in range(steps)]
    start = time.perf_counter()
    view.update_labels()
    frames.run_until_painted(required=False)
    settle = time.perf_counter() - start
    return {
        "first": first * 1000,
        "pan": statistics.median(w for w, _ in pans) * 1000,
        "zoom": statistics.median(w for w, _ in zooms) * 1000,
        "cpu_pan": statistics.median(c for _, c in pans) * 1000,
        "cpu_zoom": statistics.median(c for _, c in zooms) * 1000,
        "cpu": statistics.median(c for _, c in pans + zooms) * 1000,
        "paints": statistics.mean(frames.per_step),
        "settle": settle * 1000,
    }


class _Frames:
    """Counts the viewport's repaints and times a step until the repaints it causes are done."""

    def __init__(self, app, view) -> None:
        from PySide6.QtCore import QEvent, QObject, QRect

        self.app, self.viewport = app, view.viewport()
        self.paints, self.painted = 0, QRect()
        self.per_step: list[int] = []
        frames = self

        class Watcher(QObject):
            def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    frames.paints += 1
                    frames.painted = frames.painted.united(event.rect())
                return False

        self.watcher = Watcher()
        self.viewport.installEventFilter(self.watcher)

    def run_until_painted(self, required: bool = True) -> None:
        """Run the event loop until a repaint has happened, then let any repaint it queued run."""
        from PySide6.QtCore import QRect

        before, self.painted = self.paints, QRect()
        for _ in range(200):
            self.app.processEvents()
            if self.paints > before:
                break
        else:
            if required:
                raise RuntimeError("the graph view was not repainted after a pan or zoom step")
        for _ in range(2):
            self.app.processEvents()

    def step(self, act: Callable[[], None], pause: float = 0.0) -> tuple[float, float]:
        """Wall and CPU seconds from one user event to the end of its repaints (the whole view)."""
        time.sleep(pause)  # pyqtgraph drops mouse moves closer than 10 ms, as a user's are not
        before, wall, cpu = self.paints, time.perf_counter(), time.process_time()
        act()
        self.run_until_painted()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.per_step.append(self.paints - before)
        if not self.painted.contains(self.viewport.rect()):
            raise RuntimeError(f"a step repainted only {self.painted} of {self.viewport.rect()}")
        return wall, cpu


class _User:
    """Mouse events sent to the view's viewport as Qt sends a user's: a drag and wheel steps."""

    def __init__(self, view) -> None:
        from PySide6.QtCore import QPoint

        self.viewport = view.viewport()
        self.centre = QPoint(self.viewport.width() // 2, self.viewport.height() // 2)

    def _mouse(self, kind, at, button, buttons) -> None:
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QMouseEvent
        from PySide6.QtWidgets import QApplication

        event = QMouseEvent(
            kind, QPointF(at), QPointF(self.viewport.mapToGlobal(at)), button, buttons,
            Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        QApplication.sendEvent(self.viewport, event)

    def press(self) -> None:
        from PySide6.QtCore import QEvent, Qt

        left = Qt.MouseButton.LeftButton
        self._mouse(QEvent.Type.MouseButtonPress, self.centre, left, left)

    def drag_to(self, step: int) -> None:
        from PySide6.QtCore import QEvent, QPoint, Qt

        at = self.centre + QPoint(DRAG_PX * step, 0)
        self._mouse(QEvent.Type.MouseMove, at, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
        self.last = at

    def release(self) -> None:
        from PySide6.QtCore import QEvent, Qt

        none = Qt.MouseButton.NoButton
        self._mouse(QEvent.Type.MouseButtonRelease, self.last, Qt.MouseButton.LeftButton, none)

    def wheel(self) -> None:
        from PySide6.QtCore import QPoint, QPointF, Qt
        from PySide6.QtGui import QWheelEvent
        from PySide6.QtWidgets import QApplication

        at = QPointF(self.centre)
        event = QWheelEvent(
            at, QPointF(self.viewport.mapToGlobal(self.centre)), QPoint(0, 0),
            QPoint(0, WHEEL_ANGLE), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(self.viewport, event)


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
