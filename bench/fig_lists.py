"""Every click on the engagement list, at the 95th percentile: each filter with each sort.

For every filter the filter bar offers (text, a word that matches nothing,
borough, kind, network, objective, sector, dates, each follow-up status), with
more than one value where the values differ in size (the busiest borough and a
middling one, a common word and a rarer one), and every sort the headers offer
(both directions), the list is timed as the table model calls it: count and
first page, then later pages (the second, a quarter in, the middle, three
quarters in, the last). Each combination runs ``runs`` times after a warm-up;
the table gives, per filter, the 95th percentile over all its sorts, runs and
page positions, and the whole matrix is written beside the table
(``lists_<size>.md``).

At 2,000,000 engagements one run follows the warm-up, and a combination whose
warm-up alone took more than ``SLOW_MS`` is not run again (its warm-up is the
figure): the matrix has 17 filters by 8 sorts by 6 positions, and repeating
seconds-long clicks is what made it run for over an hour without telling more.

The baseline is the same filter's id statement for the first page, sent raw.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import common
from common import TODAY, Row, Timing, server_cpu

from db.session import Database
from vru_crm.queries.common import Filters, Sort
from vru_crm.queries.engagements import EngagementQuery

PAGE = 200
SLOW_MS = 1_500  # a warm-up slower than this (CPU) is the combination's one run
LARGE = 1_000_000  # from this many engagements, one run after the warm-up
SORTS = [Sort("date", True), Sort("date"), Sort("kind"), Sort("summary"), Sort("logged_by"),
         Sort("follow_up"), Sort("summary", True), Sort("logged_by", True)]  # fmt: skip


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _filters(database: Database) -> list[tuple[str, Filters]]:
    """One of each filter, with values the generated data holds (the busiest borough, etc.)."""

    def top(sql: str) -> object:
        return database.execute_scalar(sql)

    rollup = "SELECT item FROM engagement_rollup WHERE dim = '{}' AND item <> '*' GROUP BY item ORDER BY sum(engagements) DESC LIMIT 1"
    middling = rollup.replace("DESC LIMIT 1", "DESC LIMIT 1 OFFSET 15")
    return [
        ("no filter", Filters()),
        ("text 'youth'", Filters(text="youth")),
        ("text 'hackney'", Filters(text="hackney")),
        ("text 'youth club' (two words)", Filters(text="youth club")),
        ("text 'zzqx' (no match)", Filters(text="zzqx")),
        ("busiest borough", Filters(borough_id=int(top(rollup.format("borough")) or 1))),
        ("a middling borough", Filters(borough_id=int(top(middling.format("borough")) or 1))),
        ("kind: phone call", Filters(kind="call")),
        ("kind: visit", Filters(kind="visit")),
        ("busiest network", Filters(network_id=int(top(rollup.format("network")) or 1))),
        ("objective", Filters(objective_id=int(top(rollup.format("objective")) or 1))),
        ("busiest sector", Filters(sector=str(top(rollup.format("sector")) or "other"))),
        ("dates: the last twelve months", Filters(date_from=TODAY - timedelta(days=365), date_to=TODAY)),
        ("dates: one month", Filters(date_from=TODAY.replace(day=1) - timedelta(days=40), date_to=TODAY.replace(day=1) - timedelta(days=10))),
        ("follow-up open", Filters(status="follow_up_open")),
        ("follow-up overdue", Filters(status="follow_up_overdue")),
        ("flagged for the PRG", Filters(status="notable")),
    ]  # fmt: skip


def _timed(work: Callable[[], object], server: Callable[[], float] | None) -> tuple[float, float]:
    before = server() if server else 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall_ms = (time.perf_counter() - wall) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    return wall_ms, cpu_ms + (((server() - before) * 1000) if server else 0.0)


def _combination(
    database: Database, filters: Filters, sort: Sort, runs: int, server
) -> tuple[list[tuple[float, float]], list[tuple[float, float]], int]:
    """(first-page timings, later-page timings, rows) of one filter and sort; fresh query each run.

    The first run warms the caches, as a second look would, and is not kept,
    unless it took more than ``SLOW_MS``: then it is the one run kept.
    """
    first, later, total = [], [], 0
    warm_ups = 1 if common.WARM_UPS else 0
    for run in range(runs + warm_ups):
        query = EngagementQuery(database, filters, sort)
        timing = _timed(lambda q=query: (q.count(), q.page(0, PAGE)), server)
        total = query._counted or 0
        spots = {PAGE, total // 4, total // 2, (3 * total) // 4, total - PAGE}
        offsets = sorted({max(0, o) for o in spots} - {0})
        pages = [_timed(lambda q=query, o=o: q.page(o, PAGE), server) for o in offsets]
        slow = run < warm_ups and timing[1] + sum(c for _, c in pages) > SLOW_MS
        if run >= warm_ups or slow:
            first.append(timing)
            later += pages
        if slow:
            break
    return first, later, total


def engagement_lists(database: Database, runs: int, label: str, out: Path | None) -> list[Row]:
    server = server_cpu(database)
    count = database.execute_scalar("SELECT count(*) FROM engagement")
    if count >= LARGE:
        runs = min(runs, 1)
    rows, matrix = [], []
    for name, filters in _filters(database):
        firsts, laters, worst = [], [], ("", 0.0)
        for sort in SORTS:
            first, later, total = _combination(database, filters, sort, runs, server)
            firsts += first
            laters += later
            sort_name = sort.column + (" desc" if sort.descending else "")
            f95, l95 = p95([c for _, c in first]), p95([c for _, c in later] or [0.0])
            matrix.append((name, sort_name, total, f95, l95))
            worst = max(worst, (sort_name, max(f95, l95)), key=lambda x: x[1])
        ours = Timing(p95([w for w, _ in firsts]), p95([c for _, c in firsts]), len(firsts))
        pages = Timing(
            p95([w for w, _ in laters] or [0.0]), p95([c for _, c in laters] or [0.0]), len(laters)
        )
        for what, timing in (("count + first page", ours), ("a later page", pages)):
            rows.append(Row(
                f"engagement list, {name}, {what}, p95 over {len(SORTS)} sorts, {count:,} rows{label}",
                timing, None, "", "≤ 50 ms (p95)", limit=50,
                note=f"{total:,} match; slowest sort: {worst[0]} {worst[1]:.0f} ms CPU (p95)",
            ))  # fmt: skip
    if out is not None:
        _write_matrix(out, matrix, count, label)
    return rows


def _write_matrix(
    out: Path, matrix: list[tuple[str, str, int, float, float]], count: int, label: str
) -> None:
    lines = [
        f"# Engagement list, every filter by every sort, {count:,} engagements{label}",
        "",
        "CPU ms at the 95th percentile (PostgreSQL: this process and its server backends).",
        "",
        "| filter | sort | rows | count + first page | later pages (2nd, ¼, ½, ¾, last) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {f} | {s} | {n:,} | {a:,.1f} | {b:,.1f} |" for f, s, n, a, b in matrix]
    mode = "a" if out.exists() and label else "w"
    with out.open(mode, encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n\n")
