"""The engagement list's text filter alone: count + first page, and later pages, p95 over sorts.

    python bench/text_filter.py URL youth,zzqx,hackney [SORTS]

CPU ms, the server's backends included on PostgreSQL (read from /proc, so a server on this
machine). SORTS takes the first N of the list matrix's sorts (``fig_lists.SORTS``; all 8 when
left out). Each combination runs twice and the second run is kept (the first warms the
caches). A quicker look than the whole matrix (``run.py --only lists``) when only the text
filter changed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from common import server_cpu  # noqa: E402
from fig_lists import PAGE, SORTS, p95  # noqa: E402

from db.migrate import open_database  # noqa: E402
from db.session import Database  # noqa: E402
from vru_crm.queries.common import Filters, Sort  # noqa: E402
from vru_crm.queries.engagements import EngagementQuery  # noqa: E402


def _timed(work: Callable[[], object], server: Callable[[], float]) -> float:
    """CPU ms of ``work``, this process's and the server's."""
    server_before, cpu_before = server(), time.process_time()
    work()
    return (time.process_time() - cpu_before + server() - server_before) * 1000


def _one(database: Database, text: str, sort: Sort, server) -> tuple[int, float, list[float]]:
    """(matches, count + first page ms, later pages' ms) of one text and sort."""
    query = EngagementQuery(database, Filters(text=text), sort)
    first = _timed(lambda: (query.count(), query.page(0, PAGE)), server)
    total = query._counted or 0
    offsets = sorted({max(0, total // 2), max(0, total - PAGE)} - {0})
    return total, first, [_timed(lambda o=o: query.page(o, PAGE), server) for o in offsets]


def main(argv: list[str]) -> int:
    database = open_database(argv[0], username="bench")
    server = server_cpu(database) or (lambda: 0.0)
    sorts = SORTS if len(argv) < 3 else SORTS[: int(argv[2])]
    try:
        for text in argv[1].split(","):
            firsts: list[float] = []
            laters: list[float] = []
            total = 0
            for sort in sorts:
                _one(database, text, sort, server)  # warm the caches
                total, first, later = _one(database, text, sort, server)
                firsts.append(first)
                laters += later
            print(
                f"{text!r}: {total:,} match; count + first page p95 {p95(firsts):.0f} ms CPU, "
                f"later page p95 {p95(laters or [0.0]):.0f} ms CPU ({len(sorts)} sorts)",
                flush=True,
            )
    finally:
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
