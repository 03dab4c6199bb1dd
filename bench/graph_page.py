"""The Graph page at the real size: how soon the stored map is on screen, and the memory it takes.

Run on a writable copy of a generated database (the first run stores the map's
positions: a full layout)::

    python bench/graph_page.py --db /tmp/graph/crm.sqlite3 [--prepare-only]

With no stored positions it first lays the graph out as the page's first ever
opening would (``load_snapshot``, in this process) and prints that one's CPU
and peak memory. Then it starts a fresh process that opens the Graph page as a
user does (offscreen) and prints, as JSON, for each moment the page announces
(``previewed``: the stored map on screen; ``drawn``: the built graph with its
ties and names; ``loaded``: measured, the side panel filled): seconds since the
page was shown, the process's CPU seconds in that time (every thread), its
resident memory then and its peak. Figures are CPU because the machine is shared.

``--warm`` first imports what the app's start-up preloads on its side thread
once the window is up (``ui.app.WARM_MODULES``: pyqtgraph among them), as a
user who opens the Graph page after the first page finds it; ``--stop-at
previewed`` ends the run at that moment (the full build and measures take a
further 20 s of CPU at 2M).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def memory_mb() -> tuple[float, float]:
    """(resident now, peak resident) of this process in MB, from /proc."""
    found = {"VmRSS": 0.0, "VmHWM": 0.0}
    with open("/proc/self/status") as status:
        for line in status:
            name = line.split(":", 1)[0]
            if name in found:
                found[name] = int(line.split()[1]) / 1024
    return found["VmRSS"], found["VmHWM"]


def prepare(url: str) -> dict[str, float] | None:
    """Lay out and store the whole map once, as the first ever opening does (None if stored)."""
    from db.migrate import open_database
    from vru_crm.graph.positions import load_positions
    from vru_crm.graph.service import load_snapshot

    database = open_database(url, username="bench")
    try:
        if load_positions(database, "all"):
            return None
        start = time.process_time()
        snapshot = load_snapshot(database, measure=False)
        rss, peak = memory_mb()
        return {"nodes": len(snapshot.keys), "edges": len(snapshot.edges),
                "cpu": time.process_time() - start, "rss_mb": rss, "peak_mb": peak}  # fmt: skip
    finally:
        database.dispose()


def child(url: str, warm: bool = False, stop_at: str = "loaded") -> None:
    """Open the Graph page offscreen and report each moment it announces."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from db.migrate import open_database
    from ui.graph import GraphPage

    app = QApplication(sys.argv[:1])
    database = open_database(url, username="bench")
    if warm:
        import importlib

        from ui.app import WARM_MODULES

        for name in WARM_MODULES:
            importlib.import_module(name)
    page = GraphPage(database)
    page.resize(1400, 900)
    rss, peak = memory_mb()
    print(json.dumps({"event": "before", "rss_mb": rss, "peak_mb": peak}), flush=True)
    started, cpu = time.perf_counter(), time.process_time()

    def say(event: str) -> None:
        rss, peak = memory_mb()
        print(json.dumps({"event": event, "seconds": round(time.perf_counter() - started, 3),
                          "cpu": round(time.process_time() - cpu, 3),
                          "rss_mb": round(rss), "peak_mb": round(peak),
                          "nodes": len(page.view.snapshot.keys) if page.view and page.view.snapshot else 0}),
              flush=True)  # fmt: skip

    def settled() -> None:
        say("settled")
        page.close()
        page.deleteLater()
        database.dispose()
        os._exit(0)  # no teardown of pyqtgraph's items after the application

    def seen(event: str) -> None:
        say(event)
        if event == stop_at:
            os._exit(0)

    page.previewed.connect(lambda: seen("previewed"))
    page.drawn.connect(lambda: seen("drawn"))
    page.loaded.connect(lambda: (say("loaded"), QTimer.singleShot(2000, settled)))
    QTimer.singleShot(1_200_000, lambda: (say("gave up"), os._exit(3)))
    page.show()
    app.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a writable generated SQLite file")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--warm", action="store_true", help="preload as the app's start-up does")
    parser.add_argument("--stop-at", choices=("previewed", "drawn", "loaded"), default="loaded")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    if args.child:
        child(url, args.warm, args.stop_at)
        return 0
    sys.path.insert(0, str(ROOT))
    first = prepare(url)
    if first is not None:
        print(json.dumps({"event": "first ever opening (full layout)", **first}), flush=True)
    if args.prepare_only:
        return 0
    options = ["--stop-at", args.stop_at] + (["--warm"] if args.warm else [])
    return subprocess.call([sys.executable, __file__, "--db", str(args.db), "--child", *options])


if __name__ == "__main__":
    raise SystemExit(main())
