"""The commands whose work grows with the log, each a fresh process as a user runs it.

``vru-crm cadence``, ``report quarterly`` (.html), ``mailing-list --newsletter``,
``retention``, ``sar export`` and ``export csv engagements``: CPU time (user +
system) and peak resident memory of the whole process, read from the kernel
when it ends (``os.wait4``). The start of a process is timed too: ``python -c
"import sys"`` as the floor, and the CPU until the first query (``vru-crm
check`` stopped at its first statement, ``first_query_cpu``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, TODAY, Row, Size, Timing

MAIN = ROOT / "main.py"


def _run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(CPU ms, peak MB, exit status) of one process."""
    process = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024, process.returncode


def _best(
    argv: list[str], runs: int, env: dict[str, str] | None = None
) -> tuple[Timing, float, int]:
    """Fewest CPU ms of ``runs`` (the machine is shared: the least disturbed run), its peak MB."""
    found = [_run(argv, env) for _ in range(runs)]
    cpu, peak, status = min(found)
    return Timing(cpu, cpu, runs), max(p for _, p, _ in found), status


FIRST_QUERY = """
import os, sys, time
import sqlalchemy.event
sys.argv = ["vru-crm", "--db", os.environ["BENCH_DB"], "check"]
def stop(*_args, **_kw):
    print(f"{time.process_time() * 1000:.1f}", file=sys.stderr)
    os._exit(0)
sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", stop)
from vru_crm.cli.main import main
main()
"""


def first_query_cpu(db: str) -> float:
    """CPU ms from the start of ``vru-crm check`` until its first SQL statement."""
    env = {**os.environ, "BENCH_DB": db}
    done = subprocess.run(
        [sys.executable, "-c", FIRST_QUERY], cwd=ROOT, env=env, capture_output=True, text=True
    )
    lines = [x for x in done.stderr.strip().splitlines() if x.replace(".", "").isdigit()]
    return float(lines[-1]) if lines else float("nan")


def commands(size: Size, db: str, log) -> list[Row]:
    runs = max(1, min(3, size.app_runs))
    out = Path(tempfile.mkdtemp(prefix="vru_bench_commands_"))
    quarter = f"{TODAY.year}Q{(TODAY.month - 1) // 3 + 1}"
    person = _a_person(db)
    base = [sys.executable, str(MAIN), "--db", db]
    plan = [
        ("cadence", ["cadence", "--as-of", TODAY.isoformat()]),
        (f"report quarterly {quarter} (.html)", ["report", "quarterly", "--quarter", quarter, "-o", str(out / "q.html")]),
        ("mailing-list --newsletter", ["mailing-list", "--newsletter", "-o", str(out / "list.csv")]),
        ("retention", ["retention", "--today", TODAY.isoformat()]),
        (f"sar export (person {person})", ["sar", "export", str(person), "-o", str(out / "sar")]),
        ("export csv engagements", ["export", "csv", "engagements", "-o", str(out / "e.csv")]),
    ]  # fmt: skip
    floor, _, _ = _best([sys.executable, "-c", "import sys"], runs)
    rows = []
    for name, args in plan:
        log(f"  {name}")
        timing, peak, status = _best([*base, *args], runs)
        note = f"peak {peak:,.0f} MB resident" + (f"; exit status {status}" if status else "")
        rows.append(Row(
            f"`vru-crm {name}`, whole process, {size.engagements:,} engagements", timing, floor,
            "python -c 'import sys'", "≤ 1 s CPU", limit=1000, note=note,
        ))  # fmt: skip
        if name.startswith("export csv"):
            rows.append(Row(
                f"`vru-crm {name}`, peak memory, {size.engagements:,} engagements",
                Timing(peak, 0, runs), None, "", "≤ 150 MB", limit=150, unit="MB",
            ))  # fmt: skip
    first = first_query_cpu(db)
    rows.append(Row(
        "a command that opens the database (`vru-crm check`), CPU until its first query",
        Timing(first, first, 1), floor, "python -c 'import sys'", "≤ 300 ms CPU", limit=300,
        note="the interpreter's own start included",
    ))  # fmt: skip
    return rows


def _a_person(db: str) -> int:
    import sqlite3

    if "://" in db:
        return 1
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT person_id FROM engagement_person GROUP BY person_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]) if row else 1
