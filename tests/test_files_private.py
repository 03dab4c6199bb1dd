"""Every file holding personal data is created 0600, and half copies are cleaned up.

The umask is set to the usual 022 for each test, so a file created the plain
way would come out 0644 and the tests would see it.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.backup import backup_sqlite, private_part
from vru_crm.cli.main import main
from vru_crm.reliability.files import make_private, mode_of, remove_leftovers_beside

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _run(capsys, db_url: str, *args: str) -> tuple[int, str, str]:
    status = main(["--db", db_url, "--user", "tester", *args])
    out, err = capsys.readouterr()
    return status, out, err


def _filled(capsys, db_url: str) -> None:
    for kind in ("organisations", "people", "engagements"):
        status, out, err = _run(capsys, db_url, "import", kind, str(FIXTURES / f"{kind}.csv"))
        assert status == 0, out + err


def test_backup_output_is_private_on_both_backends(db_url, capsys, tmp_path):
    if "postgresql" in db_url and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    _filled(capsys, db_url)
    out = tmp_path / "copy.backup"
    status, text, err = _run(capsys, db_url, "backup", "-o", str(out))
    assert status == 0, err
    assert mode_of(out) == 0o600
    assert not out.with_name(out.name + ".part").exists()
    out.write_bytes(b"old")  # an existing, world-readable file of that name is replaced privately
    os.chmod(out, 0o644)
    assert _run(capsys, db_url, "backup", "-o", str(out))[0] == 0
    assert mode_of(out) == 0o600


def test_csv_exports_and_rejected_rows_are_private(db_url, capsys, tmp_path):
    _filled(capsys, db_url)
    for kind in ("organisations", "people", "engagements", "meetings"):
        target = tmp_path / f"{kind}.csv"
        status, _, err = _run(capsys, db_url, "export", "csv", kind, "-o", str(target))
        assert status == 0, err
        assert mode_of(target) == 0o600, kind
    source = tmp_path / "orgs.csv"
    shutil.copy(FIXTURES / "organisations_bad.csv", source)
    _run(capsys, db_url, "import", "organisations", str(source), "--skip-invalid")
    assert mode_of(tmp_path / "orgs.rejected.csv") == 0o600


def test_graph_ics_and_quarterly_report_are_private(db_url, capsys, tmp_path):
    _filled(capsys, db_url)
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("csv", "g.csv")):
        status, _, err = _run(
            capsys, db_url, "export", "graph", "--format", fmt, "-o", str(tmp_path / name)
        )
        assert status == 0, err
    written = sorted(p.name for p in tmp_path.glob("g*"))
    assert written == ["g.gexf", "g.graphml", "g_edges.csv", "g_nodes.csv"]
    assert all(mode_of(tmp_path / n) == 0o600 for n in written)
    status, _, err = _run(capsys, db_url, "export", "ics", "-o", str(tmp_path / "m.ics"))
    assert status == 0, err
    assert mode_of(tmp_path / "m.ics") == 0o600
    for suffix in (".csv", ".html"):
        report = tmp_path / f"q{suffix}"
        status, _, err = _run(
            capsys, db_url, "report", "quarterly", "--quarter", "2024Q4", "-o", str(report)
        )
        assert status == 0, err
        assert mode_of(report) == 0o600


def test_a_half_copy_left_by_a_killed_backup_is_removed_when_the_file_is_next_opened(
    tmp_path, capsys
):
    data = tmp_path / "team.sqlite3"
    assert _run(capsys, str(data), "check")[0] == 0
    backups = tmp_path / "backups"
    backups.mkdir()
    stale = backups / "team-manual-20260101-120000.sqlite3.part"
    backup_sqlite(data, backups / "copy.sqlite3")
    shutil.copy(backups / "copy.sqlite3", stale)
    restoring = tmp_path / "team.sqlite3.restoring"
    shutil.copy(data, restoring)
    others = tmp_path / "holiday.zip.part"  # another program's download is not ours to touch
    others.write_bytes(b"x")
    assert _run(capsys, str(data), "check")[0] == 0
    assert not stale.exists() and not restoring.exists()
    assert others.exists()


def test_a_half_copy_still_being_written_is_kept(tmp_path):
    data = tmp_path / "team.sqlite3"
    sqlite3.connect(data).close()
    with private_part(tmp_path / "backups" / "team-manual-20260101-120000.sqlite3") as part:
        assert mode_of(part) == 0o600
        assert remove_leftovers_beside(data) == []
        assert part.exists()


KILLED_BACKUP = """
import sys, time
from pathlib import Path
import db.backup as b
real = b._copy
def slow(src, dst):
    real(src, dst)
    print("copied", flush=True)
    time.sleep(60)  # killed here, with the .part complete but not yet renamed
b._copy = slow
b.backup_sqlite(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_backup_killed_half_way_leaves_a_private_part_that_the_next_backup_removes(
    tmp_path, capsys
):
    data = tmp_path / "team.sqlite3"
    assert _run(capsys, str(data), "check")[0] == 0
    out = tmp_path / "out" / "copy.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_BACKUP, str(data), str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout.readline().strip() == "copied"
        part = out.with_name(out.name + ".part")
        assert mode_of(part) == 0o600  # never readable by others, even half-written
    finally:
        child.kill()
        child.wait()
    assert _run(capsys, str(data), "backup", "-o", str(out))[0] == 0
    assert not part.exists() and mode_of(out) == 0o600


def test_tightening_a_database_never_makes_a_read_only_file_writable(tmp_path):
    path = tmp_path / "team.sqlite3"
    path.write_bytes(b"")
    os.chmod(path, 0o444)
    make_private(path)
    assert mode_of(path) == 0o400
    os.chmod(path, 0o664)
    make_private(path)
    assert mode_of(path) == 0o600
