"""Benchmark: all dashboard figures on a generated database (budget: about 300 ms at 500k).

Fills a database with ``vru-crm generate`` data (ten years of engagements),
then times ``vru_crm.reports.figures.dashboard`` (every chart's figures, one
refresh of the Reports page) for two periods: the page's default (the last
four quarters) and the whole decade. Each figure is also timed alone, and a
raw baseline (one COUNT/SUM over the same rows) shows the engine's own floor.
Medians of several runs; figures are printed and written, never asserted.

Run: ``python bench/dashboard.py`` (SQLite file in /tmp, kept between runs),
``python bench/dashboard.py --db postgresql+psycopg://vru:vru@127.0.0.1:5432/vru_bench``.
Writes ``bench/results/dashboard.md`` (``--out`` to change).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from db.migrate import open_database  # noqa: E402
from vru_crm.generate import Counts, generate  # noqa: E402
from vru_crm.reports import figures as f  # noqa: E402
from vru_crm.reports import sql as q  # noqa: E402
from vru_crm.reports.governance_figures import governance_health  # noqa: E402
from vru_crm.reports.period import PeriodFilter  # noqa: E402


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the caches once, as a second look at the page would
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def ensure_data(database, engagements: int, seed: int, today: date) -> int:
    have = int(database.execute_scalar("SELECT count(*) FROM engagement"))
    if have >= engagements:
        return have
    print(f"Generating {engagements:,} engagements (once; the database is kept)...", flush=True)
    counts = Counts(
        organisations=10_000, people=50_000, engagements=engagements - have, meetings=5_000
    )
    generate(database, counts, seed=seed, today=today, force=True)
    return int(database.execute_scalar("SELECT count(*) FROM engagement"))


def _parts(database, period: PeriodFilter, today: date) -> dict[str, Callable[[], object]]:
    def on_conn(fn):
        def run():
            with database.engine.connect() as conn:
                return fn(conn)

        return run

    return {
        "totals": on_conn(lambda c: f.totals(c, period)),
        "over time by kind": on_conn(lambda c: f.over_time(c, period, "kind")),
        "over time by sector": on_conn(lambda c: f.over_time(c, period, "sector")),
        "over time by network": on_conn(lambda c: f.over_time(c, period, "network")),
        "boroughs (33)": on_conn(lambda c: f.borough_figures(c, period)),
        "objectives (8)": on_conn(lambda c: f.objective_figures(c, period)),
        "stakeholder map": on_conn(lambda c: f.stakeholder_map(c, period)),
        "partners gone quiet": on_conn(lambda c: f.partners_gone_quiet(c, period, today)),
        "follow-ups overdue": on_conn(lambda c: f.follow_ups_overdue(c, period, today)),
        "governance health": on_conn(lambda c: governance_health(c, period, today)),
    }


def raw_floor(database, period: PeriodFilter) -> Callable[[], object]:
    """The engine's own floor: one COUNT and SUM over the period's engagements, nothing else."""
    e = q.engagement
    statement = sa.select(sa.func.count(), sa.func.sum(e.c.people_reached)).where(
        q.engagements_in(period)
    )

    def run():
        with database.engine.connect() as conn:
            return conn.execute(statement).one()

    return run


def measure(database, today: date, runs: int) -> list[tuple[str, str, float]]:
    periods = {
        "last 4 quarters (default)": PeriodFilter.recent("quarter", 4, today),
        "whole decade": PeriodFilter.recent("year", 11, today),
    }
    rows = []
    for name, period in periods.items():
        rows.append(
            (
                name,
                "ALL dashboard figures",
                median_ms(lambda p=period: f.dashboard(database, p, today=today), runs),
            )
        )
        rows.append((name, "raw COUNT+SUM floor", median_ms(raw_floor(database, period), runs)))
        for part, fn in _parts(database, period, today).items():
            rows.append((name, part, median_ms(fn, runs)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/vru_bench_dashboard.sqlite3", help="file or URL")
    parser.add_argument("--engagements", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "dashboard.md")
    args = parser.parse_args()
    today = date(2026, 6, 30)
    database = open_database(args.db, username="bench")
    try:
        count = ensure_data(database, args.engagements, args.seed, today)
        backend = "SQLite" if database.is_sqlite else "PostgreSQL"
        rows = measure(database, today, args.runs)
    finally:
        database.dispose()
    lines = [
        f"# Dashboard figures: {count:,} engagements on {backend}",
        "",
        f"Median of {args.runs} runs after one warm-up; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; `python bench/dashboard.py --db {'<url>' if not database.is_sqlite else args.db}`.",
        "Budget: all charts for 500k engagements in about 300 ms.",
        "",
        "| period | what | median ms |",
        "| --- | --- | ---: |",
        *[f"| {period} | {what} | {ms:.1f} |" for period, what, ms in rows],
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
