"""Benchmark of the read side on 100,000 engagements: ``python tests/perf/bench_lists.py [URL]``.

Fills a fresh database (SQLite file by default, or the database URL given;
one that already holds engagements is reused as it is) with ``bulk.fill`` and
prints the median of five runs for each query the screens make, beside the raw
floor measured in the same run. Figures for the report, not a test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.migrate import open_database  # noqa: E402
from perf.bulk import BulkSizes, fill  # noqa: E402
from vru_crm.queries.common import Filters, Sort  # noqa: E402
from vru_crm.queries.engagements import EngagementQuery  # noqa: E402
from vru_crm.queries.home import home_figures  # noqa: E402
from vru_crm.queries.meetings import MeetingQuery  # noqa: E402
from vru_crm.queries.organisation_detail import organisation_detail  # noqa: E402
from vru_crm.queries.organisations import OrganisationQuery  # noqa: E402
from vru_crm.queries.people import PersonQuery  # noqa: E402
from vru_crm.queries.search import search  # noqa: E402

RUNS = 5
PAGE = 200


def median_ms(work: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def first_and_last(query) -> tuple[float, float, int]:
    total = query.count()
    first = median_ms(lambda: (query.count(), query.page(0, PAGE)))
    last = median_ms(lambda: query.page(max(0, total - PAGE), PAGE))
    return first, last, total


def print_baseline(database) -> None:
    """The raw floor in the same run: the cheapest statements that could show the same page."""
    with database.engine.connect() as conn:
        count = median_ms(lambda: conn.exec_driver_sql("SELECT count(*) FROM engagement").scalar())
        first = median_ms(
            lambda: conn.exec_driver_sql(
                "SELECT id, occurred_on, kind, summary FROM engagement ORDER BY occurred_on DESC, id DESC LIMIT 200"
            ).all()
        )
    print(f"# raw floor: count(*) {count:.1f} ms, first 200 rows by date {first:.1f} ms")


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    database = open_database(url, username="bulk0")
    existing = database.execute_scalar("SELECT count(*) FROM engagement")
    if existing:
        print(f"# {database.display_name}: reusing {existing:,} engagements already there")
    else:
        start = time.perf_counter()
        sizes = fill(database, BulkSizes())
        print(f"# {database.display_name}: filled {sizes} in {time.perf_counter() - start:.1f} s")
    if not database.is_sqlite:
        with database.engine.connect() as conn:  # as autovacuum would after a bulk load
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    print_baseline(database)
    print("| query | rows | first page (count + 200 rows) ms | last page ms |")
    print("| --- | ---: | ---: | ---: |")
    cases = [
        ("engagements, by date", EngagementQuery(database)),
        ("engagements, by follow-up", EngagementQuery(database, sort=Sort("follow_up"))),
        ("engagements, one borough", EngagementQuery(database, Filters(borough_id=12))),
        ("engagements, text 'youth'", EngagementQuery(database, Filters(text="youth"))),
        (
            "engagements, sector + objective",
            EngagementQuery(database, Filters(sector="faith", objective_id=3)),
        ),
        ("organisations, by name", OrganisationQuery(database)),
        (
            "organisations, by last contact",
            OrganisationQuery(database, sort=Sort("last_contact", True)),
        ),
        ("people, by name", PersonQuery(database)),
        ("people, by last contact", PersonQuery(database, sort=Sort("last_contact", True))),
        ("meetings, by date", MeetingQuery(database)),
    ]
    for name, query in cases:
        first, last, total = first_and_last(query)
        print(f"| {name} | {total:,} | {first:.1f} | {last:.1f} |")
    print()
    print("| figure | ms |")
    print("| --- | ---: |")
    print(f"| home figures | {median_ms(lambda: home_figures(database, username='bulk0')):.1f} |")
    print(
        f"| organisation detail (busiest partner) | {median_ms(lambda: organisation_detail(database, 1)):.1f} |"
    )
    for typed in ("y", "yo", "you", "youth cl", "hackny"):
        print(f"| search '{typed}' | {median_ms(lambda t=typed: search(database, t, 12)):.1f} |")
    database.dispose()


if __name__ == "__main__":
    main()
