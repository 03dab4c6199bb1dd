"""Every page of the app opened through its navigation, timed until its data is shown.

    python bench/fig_pages.py [--db FILE] [--runs N] [-o bench/results/pages_2m.md]

A fresh process per run (``--child``, the app started as ``ui.app.start``
starts it, offscreen, with fresh settings and no automatic backup) opens, one
after another: the pages of the navigation list (Graph excepted: it has its
own figures), the detail page of the busiest organisation, person, network and
meeting and of the newest engagement, and the governance and data-protection
windows of the menus (cadence, actions, recommendations, audit trail, consent,
subject access, mailing list, retention review). Each is timed from the click
(the navigation row chosen, the record opened, the menu's window built) until
its data is on screen: the thread pool idle, none of the page's loaders
waiting, the page's own sign of data there (Home's figures, a list's first
rows, a detail page's record, the Reports page's figures), and one more turn
of the event loop so they are painted. Wall time and the process's CPU time
(every thread: the queries run on the pool) are both kept.

Three ways in: the first open in the process (modules imported, the page
built, its queries run), an open again (another page in between: lists keep
their rows, Home its figures), and an open after a change (a record saved
elsewhere makes every page stale, so it reads again). Each figure is the 95th
percentile over the runs (nearest rank: with a handful of runs, the slowest).

The database is a copy (the app writes: migrations, the audit trail), made
once in a work folder beside the bench cache and migrated there before the
runs, so no run pays a migration or its backup.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

WAIT_S = 120  # a page that shows nothing in two minutes is reported as such, not waited for
BUDGET_MS = 200
NAVIGATION = ["home", "organisations", "people", "networks", "meetings", "engagements", "reports"]
DETAILS = ["organisation", "person", "network", "meeting", "engagement"]
PANELS = {  # name -> (how it opens, the class, the title)
    "cadence": ("panel", "ui.governance.cadence_panel.CadencePanel", "Cadence and minutes"),
    "actions": ("panel", "ui.governance.actions_view.ActionsView", "Actions"),
    "recommendations": (
        "panel",
        "ui.governance.recommendations_view.RecommendationsView",
        "Recommendations",
    ),
    "audit trail": ("panel", "ui.protection.audit_trail_view.AuditTrailView", "Audit trail"),
    "consent": ("person panel", "ui.protection.consent_panel.ConsentPanel", "Consent"),
    "subject access": (
        "person dialog",
        "ui.protection.subject_access_dialog.SubjectAccessDialog",
        "Subject access",
    ),
    "mailing list": ("dialog", "ui.protection.mailing_dialog.MailingListDialog", "Mailing list"),
    "retention review": (
        "dialog",
        "ui.protection.retention_dialog.RetentionReviewDialog",
        "Retention review",
    ),
}
MODES = ("first", "again", "changed")


# --- the parent: a migrated copy, the records to open, the runs, the rows --------------------


def work_copy(source: Path, work: Path, fresh: bool = False, log=print, keep: bool = False) -> Path:
    """A migrated copy of ``source`` in ``work`` (kept: copying two gigabytes takes a while).

    ``keep`` uses the copy there as it is, migrations and all.
    """
    from common import copy_sqlite

    from db.migrate import open_database, upgrade

    work.mkdir(parents=True, exist_ok=True)
    target = work / f"pages_{source.stem}.sqlite3"
    if keep and target.exists():
        return target
    # A migration edited since the copy was made would not run again on it (same revision).
    changed = [source, *(HERE.parent / "db").rglob("*.py")]
    newest = max(path.stat().st_mtime for path in changed)
    if fresh or not target.exists() or target.stat().st_mtime < newest:
        log(f"  copying {source} to {target}...")
        copy_sqlite(source, target)
    database = open_database(str(target), username="bench", migrate=False)
    upgrade(database, backup=False)  # migrations run here, once; the copy needs no backup
    database.dispose()
    return target


def busiest(path: Path) -> dict[str, int]:
    """The records whose pages show the most: the worst case of each detail page."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    one = lambda sql: (conn.execute(sql).fetchone() or (0,))[0]  # noqa: E731
    found = {
        "organisation": one(
            "SELECT organisation_id FROM organisation_daily GROUP BY organisation_id "
            "ORDER BY sum(engagements) DESC LIMIT 1"
        ),
        "person": one(
            "SELECT person_id FROM engagement_person GROUP BY person_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ),
        "network": one(
            "SELECT network_id FROM membership GROUP BY network_id ORDER BY count(*) DESC LIMIT 1"
        ),
        "meeting": one(
            "SELECT meeting_id FROM attendance GROUP BY meeting_id ORDER BY count(*) DESC LIMIT 1"
        )
        or one("SELECT max(id) FROM meeting"),
        "engagement": one("SELECT max(id) FROM engagement"),
    }
    conn.close()
    return {kind: int(found_id) for kind, found_id in found.items() if found_id}


def run_child(url: str, records: dict[str, int], again: int) -> list[dict]:
    """One fresh app process over every page; what it measured, one dict a page and way in."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "VRU_CRM_NO_AUTO_BACKUP": "1",
    }
    command = [sys.executable, __file__, "--child", url, json.dumps(records), str(again)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    said = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 and not said:
        raise RuntimeError(f"the app child failed: {done.stderr[-2000:]}")
    return said


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (with fewer than 20 values, the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure_pages(path: Path, runs: int, again: int = 2, log=print) -> dict[tuple[str, str], dict]:
    """p95 wall and CPU ms for each (page, way in) over ``runs`` fresh processes."""
    records = busiest(path)
    samples: dict[tuple[str, str], dict] = {}
    for run in range(runs):
        log(f"  pages: run {run + 1} of {runs}")
        for said in run_child(str(path), records, again):
            key = (said["page"], said["mode"])
            entry = samples.setdefault(key, {"wall": [], "cpu": [], "timeouts": 0})
            if said.get("timeout"):
                entry["timeouts"] += 1
            else:
                entry["wall"].append(said["wall_ms"])
                entry["cpu"].append(said["cpu_ms"])
    return samples


def rows(path: Path, runs: int, engagements: int, again: int = 2, log=print) -> list:
    """The table rows of ``bench/run.py``: one a page, its slowest way in against the 200 ms budget.

    The note gives each way in (first open, open again, after a change) on its own.
    """
    from common import Row, Timing

    samples = measure_pages(path, runs, again, log)
    found = []
    for page in [*NAVIGATION, *DETAILS, *PANELS]:
        ways = {mode: samples[(page, mode)] for mode in MODES if (page, mode) in samples}
        if not ways:
            continue
        name = f"page opens with its data: {page}, {engagements:,} engagements"
        shown = {mode: entry for mode, entry in ways.items() if entry["wall"]}
        if not shown:
            found.append(Row(name, None, note=f"nothing shown within {WAIT_S} s"))
            continue
        each = {m: (p95(e["wall"]), p95(e["cpu"]), len(e["wall"])) for m, e in shown.items()}
        worst = max(each.values(), key=lambda timing: timing[1])
        note = "p95: " + "; ".join(
            f"{WAYS[m]} {w:,.0f} ({c:,.0f}) of {n}" for m, (w, c, n) in each.items()
        )
        missing = sum(e["timeouts"] for e in ways.values())
        if missing:
            note += f"; {missing} opens showed nothing within {WAIT_S} s"
        found.append(
            Row(
                name,
                Timing(worst[0], worst[1], worst[2]),
                budget="≤ 200 ms",
                limit=BUDGET_MS,
                note=note,
            )  # fmt: skip
        )
    return found


WAYS = {"first": "first open", "again": "open again", "changed": "open after a change"}


def pages(size, log=print) -> list:
    """``bench/run.py --only pages``: the size's database copied beside the cache, then measured."""
    import common as c

    source = c.sqlite_path(size)
    c.ensure_sqlite(size, log=log).dispose()
    work = c.CACHE.parent / f"{c.CACHE.name}_pages"
    path = work_copy(source, work, log=log)
    return rows(
        path, size.app_runs, size.engagements, again=max(1, min(3, size.runs // 2)), log=log
    )


def table(samples: dict[tuple[str, str], dict], command: str, engagements: int) -> str:
    import common as c

    info = c.machine()
    lines = [
        f"# Pages opened with their data, {engagements:,} engagements (SQLite)",
        "",
        f"`{command}` — {time.strftime('%Y-%m-%d %H:%M')} — {info['cpu']}; SQLite {info['sqlite']}; "
        f"load average {c.load_average()}.",
        "",
        "From the click to the page's data on screen (see `bench/fig_pages.py`). Each cell: "
        "p95 wall ms (p95 CPU ms of the process, all threads; the median CPU ms); budget 200 ms "
        "(the mark compares the p95 CPU). The machine is "
        "shared: wall time includes waiting for a core, CPU time does not.",
        "",
        "| page | " + " | ".join(WAYS[m] for m in MODES) + " |",
        "| --- | " + " | ".join("---:" for _ in MODES) + " |",
    ]
    order = [*NAVIGATION, *DETAILS, *PANELS]
    for page in order:
        cells = []
        for mode in MODES:
            entry = samples.get((page, mode))
            if entry is None:
                cells.append("—")
            elif not entry["wall"]:
                cells.append(f"nothing in {WAIT_S} s")
            else:
                wall, cpu = p95(entry["wall"]), p95(entry["cpu"])
                mark = "" if cpu <= BUDGET_MS else " **over**"
                middle = statistics.median(entry["cpu"])
                cells.append(f"{wall:,.0f} ({cpu:,.0f}; median {middle:,.0f}){mark}")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/vru_crm_bench/full_2m.sqlite3"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/pages"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--again", type=int, default=2, help="opens again and after a change")
    parser.add_argument("--fresh", action="store_true", help="copy the database again")
    parser.add_argument("--keep", action="store_true", help="use the copy as it is")
    parser.add_argument("--only", help="comma-separated pages (default: all)")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    if args.only:
        wanted = set(args.only.split(","))
        NAVIGATION[:] = [p for p in NAVIGATION if p in wanted]
        DETAILS[:] = [p for p in DETAILS if p in wanted]
        for name in [p for p in PANELS if p not in wanted]:
            del PANELS[name]
        os.environ["VRU_CRM_PAGES_ONLY"] = args.only
    path = work_copy(args.db, args.work, args.fresh, keep=args.keep)
    import sqlite3

    engagements = sqlite3.connect(path).execute("SELECT count(*) FROM engagement").fetchone()[0]
    samples = measure_pages(path, args.runs, args.again)
    command = "python bench/fig_pages.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = table(samples, command.strip(), engagements)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


# --- the child: the app, every page, one after another ------------------------------------


def child(url: str, records: dict[str, int], again: int) -> None:
    import tempfile

    from PySide6.QtCore import QSettings, QThreadPool, QTimer

    from ui.app import make_application, start

    only = set(filter(None, os.environ.get("VRU_CRM_PAGES_ONLY", "").split(",")))
    app = make_application()
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "pages.ini"), QSettings.Format.IniFormat)
    startup = start(url, "bench", settings)
    window = startup.window
    clock: dict[str, float] = {}
    given = window.set_database

    def handed_over(database) -> None:  # Home's first open starts when the database arrives
        clock["wall"], clock["cpu"] = time.perf_counter(), time.process_time()
        given(database)

    window.set_database = handed_over  # type: ignore[method-assign]
    steps = _steps(window, records, again, only)
    QTimer.singleShot(WAIT_S * 1000 * (len(steps) + 2), lambda: os._exit(3))  # never hang a run

    def say(**values) -> None:
        print(json.dumps(values), flush=True)

    def next_step() -> None:
        if not steps:
            app.quit()
            return
        page, mode, opener, target = steps.pop(0)
        _quiet(startup)
        if opener is not None:
            opener()
        clock["wall"], clock["cpu"] = time.perf_counter(), time.process_time()
        wait(page, mode, target(), time.perf_counter() + WAIT_S, False)

    def wait(page: str, mode: str, shown, deadline: float, settled: bool) -> None:
        """Poll, letting the event loop run between looks, until the page has its data."""
        widget = shown() if callable(shown) else shown
        ready = (
            widget is not None
            and QThreadPool.globalInstance().activeThreadCount() == 0
            and _has_data(widget)
        )
        if ready and settled:
            say(page=page, mode=mode, wall_ms=(time.perf_counter() - clock["wall"]) * 1000,
                cpu_ms=(time.process_time() - clock["cpu"]) * 1000)  # fmt: skip
            _close(widget)
            QTimer.singleShot(0, next_step)
        elif time.perf_counter() > deadline:
            say(page=page, mode=mode, timeout=True)
            _close(widget)
            QTimer.singleShot(0, next_step)
        else:  # ready once: one more turn (queued answers, the paint), then look again
            QTimer.singleShot(0 if ready else 2, lambda: wait(page, mode, shown, deadline, ready))

    def begin() -> None:
        if window.database is None:
            QTimer.singleShot(2, begin)
            return
        wait("home", "first", lambda: window.page("home"), time.perf_counter() + WAIT_S, False)

    home_first = not only or "home" in only
    if home_first:
        QTimer.singleShot(0, begin)
    else:
        QTimer.singleShot(0, lambda: _when_open(window, next_step))
    app.exec()
    startup.close()


def _quiet(startup) -> None:
    """Work the window started on its own (the ORM imported behind the first page) done, not timed.

    The CPU clock is the whole process's, so a thread still busy would count
    against the next page.
    """
    from PySide6.QtCore import QCoreApplication, QThreadPool

    deadline = time.perf_counter() + WAIT_S
    while not getattr(startup, "warmed", True) and time.perf_counter() < deadline:
        QCoreApplication.processEvents()  # the preloading starts once the first page has read
        time.sleep(0.005)
    for pool in (getattr(startup, "side_pool", None), QThreadPool.globalInstance()):
        if pool is not None:
            pool.waitForDone()
    QCoreApplication.processEvents()


def _when_open(window, then) -> None:
    from PySide6.QtCore import QThreadPool, QTimer

    if window.database is None or QThreadPool.globalInstance().activeThreadCount():
        QTimer.singleShot(5, lambda: _when_open(window, then))
    else:
        then()


def _steps(window, records: dict[str, int], again: int, only: set[str]) -> list:
    """(page, way in, what to do first, how to open it) for every page and way in, in order."""
    from ui.events import data_events
    from ui.navigation import PAGE_KEYS

    def navigate(key: str):
        def go():
            window.navigation.setCurrentRow(PAGE_KEYS.index(key))
            return window.page(key)

        return go

    def detail(kind: str):
        def go():
            window.open_record(kind, records[kind])
            return window.detail(kind)

        return go

    def changed() -> None:
        data_events().changed.emit("*", 0)

    def away(key: str):
        other = "organisations" if key == "home" else "home"
        return lambda: (navigate(other)(), None)[1]

    wanted = lambda name: not only or name in only  # noqa: E731
    keys = [k for k in NAVIGATION if wanted(k)]
    kinds = [k for k in DETAILS if wanted(k) and k in records]
    steps: list = [(key, "first", None, navigate(key)) for key in keys if key != "home"]
    for key in keys:  # every page built, then opened again, before any change makes them stale
        steps += [(key, "again", away(key), navigate(key))] * again
    for key in keys:
        steps += [(key, "changed", _chain(away(key), changed), navigate(key))] * again
    steps += [(kind, "first", None, detail(kind)) for kind in kinds]
    for kind in kinds:
        steps += [(kind, "again", away("x"), detail(kind))] * again
        steps += [(kind, "changed", _chain(away("x"), changed), detail(kind))] * again
    for name in (p for p in PANELS if wanted(p)):
        opening = _panel(window, name, records.get("person", 0))
        steps += [(name, "first", None, opening)] + [(name, "again", None, opening)] * again
    return _settle_between(window, steps)


def _chain(*actions):
    def run():
        for action in actions:
            action()

    return run


def _settle_between(window, steps: list) -> list:
    """Before each step's own clock starts, whatever its preparation set off has finished."""
    settled = []
    for page, mode, opener, target in steps:
        if opener is None:
            settled.append((page, mode, None, target))
            continue
        settled.append((page, mode, _settling(opener), target))
    return settled


def _settling(opener):
    """Run ``opener``, then spin the event loop until the pool is idle (not timed)."""

    def run() -> None:
        from PySide6.QtCore import QCoreApplication, QThreadPool

        opener()
        pool = QThreadPool.globalInstance()
        for _ in range(3):  # answers arriving may start more reads
            pool.waitForDone()
            QCoreApplication.processEvents()
            QCoreApplication.sendPostedEvents()

    return run


def _panel(window, name: str, person_id: int):
    """How the menus open ``name``: a panel in its own window, or a dialog."""
    from ui import feature_menus

    how, path, title = PANELS[name]

    def go():
        if how == "panel":
            return feature_menus.show_panel(window, path, title)
        if how == "person panel":
            return feature_menus.show_panel(window, path, title, person_id=person_id)
        cls = feature_menus._load(path)
        dialog = cls(window.database, person_id, parent=window) if how == "person dialog" else (
            cls(window.database, parent=window)
        )  # fmt: skip
        dialog.open()
        return dialog

    return go


def _has_data(widget) -> bool:
    """None of the widget's loaders waiting, and the page's own sign that its data is there."""
    from ui.models.loader import Loader

    if any(loader.busy for loader in widget.findChildren(Loader)):
        return False
    for model in _models(widget):
        if getattr(model, "loading", False):
            return False
    if hasattr(widget, "figures") and hasattr(widget, "refreshed") and widget.figures is None:
        return False  # the Reports page
    if widget.__class__.__name__ == "HomePage":
        return widget.figures is not None
    if hasattr(widget, "detail") and hasattr(widget, "record_id"):
        return widget.detail is not None
    model = getattr(widget, "model", None)
    if model is not None and hasattr(model, "total") and hasattr(model, "loaded_rows"):
        return model.total == 0 or model.loaded_rows() > 0  # a list: its first page
    return True


def _models(widget) -> list:
    from PySide6.QtCore import QAbstractItemModel

    return list(widget.findChildren(QAbstractItemModel))


def _close(widget) -> None:
    """A menu's window is closed after its figure; pages stay (the navigation keeps them)."""
    from PySide6.QtWidgets import QDialog

    if isinstance(widget, QDialog):
        widget.close()
        widget.deleteLater()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        child(sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(main())
