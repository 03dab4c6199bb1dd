"""Cold start and peak memory, each in fresh processes (``bench/app_child.py``).

Cold start is the wall time from launching ``python`` to the first turn of
the event loop after the main window is shown, seen from outside the process
so the interpreter's own start counts for both; the baseline is a bare
PySide6 window with a 200-row table started the same way. CPU time up to that
moment is reported by the child itself. Memory is the child's peak resident
set (VmHWM; ``getrusage`` where there is no /proc) after opening the engagement list and fetching three more
pages, as a scroll would.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from common import ROOT, Row, Timing

CHILD = str(ROOT / "bench" / "app_child.py")


def _launch(args: list[str], until: str, **env_extra: str) -> tuple[float, dict]:
    """Wall seconds until the child says ``until``, and what it said."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env_extra}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    said: dict = {}
    assert child.stdout is not None
    for line in child.stdout:
        said = json.loads(line)
        if said.get("event") == until:
            break
    seconds = time.perf_counter() - started
    try:
        child.wait(timeout=120)  # the app finishes its background work before it exits
    except subprocess.TimeoutExpired:
        child.kill()
    if said.get("event") != until:
        raise RuntimeError(f"{' '.join(args)}: the child never said {until!r}")
    return seconds, said


def _timing(samples: list[tuple[float, dict]]) -> Timing:
    walls = [s * 1000 for s, _ in samples]
    cpus = [said.get("cpu", 0) * 1000 for _, said in samples]
    return Timing(statistics.median(walls), statistics.median(cpus), len(samples))


def cold_start(url: str, runs: int, engagements: int) -> Row:
    _launch(["bare"], "ready")  # warm the file cache for both, as a second start would
    _launch(["app", url], "ready", VRU_CRM_NO_AUTO_BACKUP="0")
    bare, app = [], []
    for _ in range(runs):  # alternate, so a busy moment hits both
        bare.append(_launch(["bare"], "ready"))
        app.append(_launch(["app", url], "ready", VRU_CRM_NO_AUTO_BACKUP="0"))  # as users start it
    parts = {
        k: statistics.median(s[k] for _, s in app) * 1000
        for k in ("cpu_imports", "cpu_database", "cpu_window")
    }
    unsaved = _timing(
        [_launch(["app", url], "ready", VRU_CRM_NO_AUTO_BACKUP="1") for _ in range(runs)]
    )
    row = Row(
        f"cold start to an interactive main window, {engagements:,} engagements",
        _timing(app), _timing(bare), "bare PySide6 window + 200-row table", "≤ 2× baseline", limit_ratio=2,
        note=(
            f"app CPU to ready: imports {parts['cpu_imports']:.0f} ms, opening the database "
            f"{parts['cpu_database']:.0f} ms (with the start-up backup of the file), building the window "
            f"{parts['cpu_window']:.0f} ms; without the start-up backup ($VRU_CRM_NO_AUTO_BACKUP) "
            f"{unsaved.wall_ms:,.0f} ms ({unsaved.cpu_ms:,.0f} CPU)"
        ),
    )  # fmt: skip
    return row


def peak_memory(url: str, runs: int, engagements: int) -> Row:
    bare = [_launch(["bare"], "ready")[1]["rss_mb"] for _ in range(runs)]
    shown = [_launch(["app", url, "--list"], "list")[1] for _ in range(runs)]
    ours = statistics.median(s["rss_mb"] for s in shown)
    loaded = statistics.median(s["rows"] for s in shown)
    row = Row(
        f"peak resident memory, engagement list of {engagements:,} open",
        Timing(ours, 0, runs), Timing(statistics.median(bare), 0, runs), "bare PySide6 window",
        "≤ 300 MB", limit=300, unit="MB",
        note=f"{loaded:,.0f} rows held after the first page and three scrolls; the rest stay in the database",
    )  # fmt: skip
    return row
