"""The benchmark suite still runs end to end (``bench/run.py --smoke``) and writes every row.

Figures are printed, never asserted: these machines are shared and a timing
assert would be flaky. The smoke sizes are tiny and each figure runs once, so this
checks that every figure still runs, in seconds; ``--small`` and the full sizes are
for reading figures. With a PostgreSQL server the query figures run there
too, on a database of their own.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from postgres_admin import admin_engine, drop_database
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = [
    "cold start to an interactive main window",
    "search as you type, one keystroke",
    "engagement list, first page",
    "engagement list, jump to the last row",
    "engagement list model, reload to first page shown",
    "engagement list model, jump to the last row shown",
    "-row engagements CSV",  # "import of a 300-row ...": the count follows the sizes
    "iCalendar export of",
    "dashboard, all charts, last four quarters",
    "dashboard, all charts, the whole decade",
    "graph layout,",
    "graph view, one pan step",
    "graph view, one zoom step",
    "peak resident memory, engagement list",
    "p95 keystroke of",  # the search list of one letter, typos and no match
    "engagement list, text 'youth', count + first page",  # the filter-by-sort matrix
    "engagement list, busiest borough, a later page",
    "engagement list, follow-up overdue, count + first page",
    "`vru-crm export csv engagements`, peak memory",
    "CPU until its first query",
]
ON_POSTGRES = [
    "search as you type",
    "engagement list, first page",
    "dashboard, all charts, the whole decade",
    "engagement list, text 'hackney', count + first page",
]


@pytest.fixture
def postgres_url():
    base = os.environ.get("VRU_CRM_TEST_POSTGRES_URL")
    if not base:
        yield None
        return
    name = f"vru_bench_{uuid.uuid4().hex[:8]}"
    admin = admin_engine(base)
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    drop_database(admin, name)
    admin.dispose()


def test_the_small_suite_runs_and_writes_every_row(tmp_path, postgres_url):
    out = tmp_path / "latest.md"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "-o", str(out)]
    if postgres_url:
        command += ["--postgres", postgres_url]
    env = {
        **os.environ,
        "VRU_CRM_BENCH_CACHE": str(tmp_path / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    print(done.stdout)  # the figures, for whoever reads the CI log
    assert done.returncode == 0, done.stderr[-3000:]
    table = out.read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    for figure in EXPECTED:
        assert any(figure in row for row in rows), f"no row for {figure!r} in\n{table}"
    assert not [row for row in rows if "not measured" in row], table
    if postgres_url:
        for figure in ON_POSTGRES:
            assert any(figure in row and "(PostgreSQL)" in row for row in rows), figure
