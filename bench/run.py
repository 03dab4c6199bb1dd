"""Every speed figure the app promises, each against its baseline in the same run, written as one table.

    python bench/run.py [--small] [--postgres URL] [-o bench/results/latest.md]

Generates the data once (500,000 engagements; ``--small`` a few thousand, for
CI) and keeps it under /tmp/vru_crm_bench, then measures: cold start, search as
you type, the engagement list, an import, the iCalendar export, the dashboard,
the graph layout and view, and peak memory. ``--postgres URL`` also runs the
query figures (search, list, dashboard) on that database, generating into it
if it is empty (created if it does not exist). Figures are printed and
written, never asserted: the table says for each budget whether it holds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common as c  # noqa: E402
import fig_queries as fq  # noqa: E402
from common import Row  # noqa: E402

FIGURES = ("startup", "search", "list", "lists", "commands", "import", "ics", "dashboard",
           "graph", "memory", "pages")  # fmt: skip


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def attempt(name: str, work: Callable[[], Row | list[Row]]) -> list[Row]:
    """Run one figure; a failure becomes a row that says so, so the table always has every line."""
    log(f"- {name}")
    started = time.perf_counter()
    try:
        found = work()
    except Exception as error:  # noqa: BLE001 - reported in the table, not hidden
        log(traceback.format_exc())
        return [Row(name, None, note=f"could not be measured: {error.__class__.__name__}: {error}")]
    log(f"  done in {time.perf_counter() - started:.0f} s")
    return found if isinstance(found, list) else [found]


def sqlite_rows(size: c.Size, only: set[str], matrix: Path | None) -> list[Row]:
    from fig_commands import commands
    from fig_lists import engagement_lists
    from fig_other import graph, ics_export
    from fig_pages import pages
    from fig_startup import cold_start, peak_memory

    database = c.ensure_sqlite(size, log=log)
    url = str(c.sqlite_path(size))
    runs, n = size.runs, size.engagements
    plan: list[tuple[str, Callable[[], Row | list[Row]]]] = [
        ("startup", lambda: cold_start(url, size.app_runs, n)),
        (
            "search",
            lambda: [fq.search_keystroke(database, runs, ""), fq.search_p95(database, runs, "")],
        ),
        (
            "list",
            lambda: [*fq.engagement_list(database, runs, ""), *fq.list_model(database, runs, "")],
        ),
        ("lists", lambda: engagement_lists(database, size.list_runs, "", matrix)),
        ("commands", lambda: commands(size, url, log)),
        ("import", lambda: _import(size)),
        ("ics", lambda: ics_export(database, max(3, runs // 2))),
        ("dashboard", lambda: fq.dashboard(database, runs, "")),
        ("graph", lambda: graph(size, max(3, runs // 2), log)),
        ("memory", lambda: peak_memory(url, size.app_runs, n)),
        ("pages", lambda: pages(size, log)),
    ]
    rows = [row for name, work in plan if name in only for row in attempt(name, work)]
    database.dispose()
    return rows


def _import(size: c.Size) -> Row:
    from fig_import import import_csv

    c.ensure_sqlite(size, partners_only=True, log=log).dispose()
    return import_csv(size, c.sqlite_path(size, "partners"), log)


def postgres_rows(url: str, size: c.Size, only: set[str], matrix: Path | None) -> list[Row]:
    from fig_lists import engagement_lists

    _create_database(url)
    database = c.ensure_database(url, size, log=log)
    label = " (PostgreSQL)"
    plan = [
        (
            "search",
            lambda: [
                fq.search_keystroke(database, size.runs, label),
                fq.search_p95(database, size.runs, label),
            ],
        ),
        (
            "list",
            lambda: [
                *fq.engagement_list(database, size.runs, label),
                *fq.list_model(database, size.runs, label),
            ],
        ),
        ("lists", lambda: engagement_lists(database, size.list_runs, label, matrix)),
        ("dashboard", lambda: fq.dashboard(database, size.runs, label)),
    ]
    rows = [
        row for name, work in plan if name in only for row in attempt(f"{name} on PostgreSQL", work)
    ]
    database.dispose()
    return rows


def _create_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        ).first():
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


# --- the table ----------------------------------------------------------------------------


def _value(t: c.Timing | None, unit: str) -> str:
    if t is None:
        return "—"
    if unit == "MB":
        return f"{t.wall_ms:,.0f} MB"
    wall = f"{t.wall_ms:,.1f}" if t.wall_ms < 100 else f"{t.wall_ms:,.0f}"
    cpu = f"{t.cpu_ms:,.1f}" if t.cpu_ms < 100 else f"{t.cpu_ms:,.0f}"
    return f"{wall} ({cpu})" if t.cpu_ms else wall


def _ratio(row: Row) -> str:
    wall, cpu = row.ratio(), row.ratio(cpu=True)
    if wall is None:
        return "—"
    return f"{wall:.1f}×" + (f" ({cpu:.1f}×)" if cpu is not None and row.unit == "ms" else "")


def result(row: Row) -> str:
    wall, cpu = row.within(), row.within(cpu=True)
    if row.ours is None:
        return "not measured"
    if row.limit is None and row.limit_ratio is None:
        return "— (no budget)"
    if wall is None:
        return "not measured"
    if row.limit_ratio is not None and row.baseline is None:
        return "no baseline"
    if wall:
        return "pass"
    return "over on wall clock; within on CPU" if cpu else "**FAIL**"


def _sizes_title(args: argparse.Namespace) -> str:
    if args.smoke:
        return "smoke-test sizes, one run each: not figures to read"
    if args.large:
        return "2,000,000 engagements, 50,000 organisations, 200,000 people"
    return "small sizes, for CI" if args.small else "full sizes (the budgets' own)"


def table(
    rows: list[Row], args: argparse.Namespace, started: datetime, loads: tuple[str, str]
) -> str:
    info = c.machine()
    command = (
        "python bench/run.py"
        + (" --small" if args.small else "")
        + (" --large" if args.large else "")
        + (" --smoke" if args.smoke else "")
        + (" --postgres URL" if args.postgres else "")
    )
    lines = [
        f"# Speed figures ({_sizes_title(args)})",
        "",
        f"`{command}` — {started:%Y-%m-%d %H:%M} — {info['cpu']}; {info['system']}; Python {info['python']}; "
        f"SQLite {info['sqlite']}; PySide6 {info.get('pyside6', '?')}.",
        f"Load average at the start {loads[0]}, at the end {loads[1]} (the machine has {os.cpu_count()} cores and is "
        "shared: wall times include waiting for a core, CPU times do not).",
        "",
        "Each figure is the median of several runs after a warm-up: wall-clock milliseconds, CPU milliseconds "
        "in brackets (on PostgreSQL, this process's CPU plus the server backends' share, read from /proc). "
        "Ratios are ours over the baseline measured in the same run. A budget that holds on CPU "
        "time but not on the wall clock is marked so: on an idle machine the two are close.",
        "",
        "| # | figure | ours | baseline | ratio | budget | result |",
        "| ---: | --- | ---: | ---: | ---: | --- | --- |",
    ]
    notes = []
    for n, row in enumerate(rows, start=1):
        base = f"{_value(row.baseline, row.unit)}" if row.baseline else "—"
        lines.append(
            f"| {n} | {row.figure} | {_value(row.ours, row.unit)} | {base} | {_ratio(row)} | {row.budget or '—'} "
            f"| {result(row)} |"
        )
        details = "; ".join(
            x
            for x in (f"baseline: {row.baseline_name}" if row.baseline_name else "", row.note)
            if x
        )
        if details:
            notes.append(f"{n}. {details}.")
    return "\n".join([*lines, "", "Notes:", "", *notes]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="small sizes, about a minute (for CI)")
    parser.add_argument(
        "--large",
        action="store_true",
        help="2,000,000 engagements, 50,000 organisations, 200,000 people (generated once, minutes)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes, one run each: that every figure runs"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="also run the query figures on this database"
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=c.ROOT / "bench" / "results" / "latest.md"
    )
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(FIGURES)}")
    parser.add_argument(
        "--no-sqlite",
        action="store_true",
        help="with --postgres: run the figures there only (the SQLite table measured elsewhere)",
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(FIGURES)
    size = c.SMOKE if args.smoke else c.SMALL if args.small else c.LARGE if args.large else c.FULL
    c.WARM_UPS = not args.smoke
    started, load_before = datetime.now(), c.load_average()
    log(f"bench: {size.name} sizes, data in {c.CACHE}")
    matrix = args.output.parent / f"lists_{size.name}.md"
    matrix.unlink(missing_ok=True)
    rows = [] if args.no_sqlite and args.postgres else sqlite_rows(size, only, matrix)
    if args.postgres:
        rows += postgres_rows(args.postgres, size, only, matrix)
    text = table(rows, args, started, (load_before, c.load_average()))
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    log(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
