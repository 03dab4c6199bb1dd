"""What every figure of ``bench/run.py`` shares: sizes, timing, cached data, one table row.

Timing: each figure is the median of several runs after one warm-up, wall
clock and CPU time both. This machine is shared (2 cores, other people's
tests running), so wall time is inflated by waiting for a core; CPU time is
not, and the table shows both. Every figure has a baseline measured in the
same run, so a slow moment slows both and the ratio stays honest.

Data: generating half a million engagements takes minutes, so databases are
generated once and kept under ``/tmp/vru_crm_bench`` (never in the repository),
keyed by size; the benchmarks only read them, except the import, which works
on a copy.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CACHE = Path(os.environ.get("VRU_CRM_BENCH_CACHE", "/tmp/vru_crm_bench"))
TODAY = date(2026, 6, 30)  # the generated decade ends here, whatever day the suite runs
SEED = 1
# Off for ``--smoke`` (set by run.py): there every figure runs once only to show it still runs,
# and a warm-up would double the suite's time for no figure anyone reads.
WARM_UPS = True


@dataclass(frozen=True)
class Size:
    name: str
    organisations: int
    people: int
    engagements: int
    meetings: int
    import_rows: int
    graph: tuple[int, int, int]  # groups, group size, edges
    runs: int
    app_runs: int  # runs of a subprocess figure (start-up, memory)
    import_runs: int
    list_runs: int = 3  # runs of each filter and sort of the list matrix (``fig_lists``)


LARGE = Size("2m", 50_000, 200_000, 2_000_000, 5_000, 100_000, (50, 100, 20_000), 7, 3, 1, 2)
FULL = Size("500k", 10_000, 50_000, 500_000, 5_000, 100_000, (50, 100, 20_000), 7, 5, 3)
SMALL = Size("small", 300, 1_500, 20_000, 300, 2_000, (10, 50, 2_000), 3, 2, 1)
# The test suite's smoke run (tests/test_bench_smoke.py): every figure runs once; none means much.
SMOKE = Size("smoke", 60, 300, 3_000, 60, 300, (5, 20, 300), 1, 1, 1, 1)


@dataclass
class Timing:
    wall_ms: float
    cpu_ms: float
    runs: int


@dataclass
class Row:
    """One line of the table: our figure, its baseline, and the budget it is held to."""

    figure: str
    ours: Timing | None
    baseline: Timing | None = None
    baseline_name: str = ""
    budget: str = ""
    limit: float | None = None  # at most this many ms (or MB)
    limit_ratio: float | None = None  # at most this many times the baseline
    note: str = ""
    unit: str = "ms"

    def ratio(self, cpu: bool = False) -> float | None:
        if self.ours is None or self.baseline is None:
            return None
        ours, base = (
            (self.ours.cpu_ms, self.baseline.cpu_ms)
            if cpu
            else (self.ours.wall_ms, self.baseline.wall_ms)
        )
        return ours / base if base else None

    def within(self, cpu: bool = False) -> bool | None:
        """Whether the budget holds on wall-clock time (or on CPU time); None if not measured."""
        if self.ours is None or (cpu and (self.unit != "ms" or not self.ours.cpu_ms)):
            return None
        value = self.ours.cpu_ms if cpu else self.ours.wall_ms
        if self.limit is not None and value > self.limit:
            return False
        if self.limit_ratio is not None:
            ratio = self.ratio(cpu)
            return ratio is not None and ratio <= self.limit_ratio
        return True


def measure(
    work: Callable[[], object],
    runs: int,
    warm: bool = True,
    server: Callable[[], float] | None = None,
) -> Timing:
    """Median wall and CPU time of ``runs`` calls, after one call to warm caches (as a second look would).

    ``server`` (see ``server_cpu``) adds the database server's CPU time, averaged over the runs: a
    PostgreSQL query's work is done in another process, which ``process_time`` does not see.
    """
    if warm and WARM_UPS:
        work()
    walls, cpus = [], []
    before = server() if server else 0.0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    extra = ((server() - before) * 1000 / runs) if server else 0.0
    return Timing(statistics.median(walls), statistics.median(cpus) + extra, runs)


def server_cpu(database) -> Callable[[], float] | None:
    """CPU seconds used so far by the PostgreSQL backends serving ``database`` (a server on this machine).

    Read from /proc, in clock ticks (10 ms), which is why ``measure`` averages it over its runs.
    None for SQLite, which works inside this process.
    """
    if database.is_sqlite:
        return None
    from sqlalchemy import create_engine, text

    url = database.engine.url
    admin = create_engine(url.set(database="postgres"), pool_size=1)
    tick = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        with admin.connect() as conn:
            pids = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                {"name": url.database},
            ).scalars()
            total = 0.0
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:  # another machine's process, or gone
                    continue
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    return used


def sqlite_path(size: Size, kind: str = "full") -> Path:
    return CACHE / f"{kind}_{size.name}.sqlite3"


def ensure_database(url: str, size: Size, partners_only: bool = False, log=print):
    """Open ``url`` (migrated); generate the size's data into it first if it is short of it."""
    from db.migrate import open_database
    from vru_crm.generate import Counts, generate

    database = open_database(url, username="bench")
    want = 0 if partners_only else size.engagements
    have_orgs = int(database.execute_scalar("SELECT count(*) FROM organisation"))
    have = int(database.execute_scalar("SELECT count(*) FROM engagement"))
    if have_orgs >= size.organisations and have >= want:
        return database
    if have_orgs or have:
        raise SystemExit(f"{database.display_name} holds other data: give an empty database")
    counts = Counts(
        organisations=size.organisations,
        people=size.people,
        engagements=want,
        meetings=0 if partners_only else size.meetings,
    )
    log(f"  generating {counts} into {database.display_name} (once; it is kept)...")
    started = time.perf_counter()
    generate(database, counts, seed=SEED, today=TODAY, force=True)
    log(f"  generated in {time.perf_counter() - started:.0f} s")
    if database.engine.dialect.name == "postgresql":
        # The CI's test server runs without autovacuum: without statistics the planner
        # ignores the new partial and covering indexes, and the figures measure a bad plan.
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return database


def ensure_sqlite(size: Size, partners_only: bool = False, log=print):
    path = sqlite_path(size, "partners" if partners_only else "full")
    path.parent.mkdir(parents=True, exist_ok=True)
    return ensure_database(str(path), size, partners_only, log)


def copy_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite file (its write-ahead log folded in first)."""
    import sqlite3

    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def machine() -> dict[str, str]:
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        import PySide6

        info["pyside6"] = PySide6.__version__
    except ImportError:
        pass
    return info


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"
