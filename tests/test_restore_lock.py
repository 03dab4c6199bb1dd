"""``restore`` (and ``backup``) give up on a held lock within seconds and say who holds it.

The holder is another program that switched the file to a rollback journal and
holds an exclusive lock: SQLite's online backup then retried for ever, and
``restore`` hung.
"""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from db.migrate import open_database
from vru_crm.reliability.backups import take_backup
from vru_crm.services.people import PersonInput, create_person

ROOT = Path(__file__).resolve().parents[1]

HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE person SET full_name = full_name")
    print("holding", flush=True)
    time.sleep(120)
    """
)


@pytest.fixture
def held(tmp_path):
    path = tmp_path / "team.sqlite3"
    database = open_database(str(path), username="tester")
    create_person(database, PersonInput(full_name="Jake Ferguson"))
    database.dispose()
    backup = take_backup(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    yield path, backup, holder
    holder.kill()
    holder.wait()


def _cli(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "VRU_CRM_NO_AUTO_BACKUP": "1"},
        timeout=90,  # the bug: no answer at all
    )
    return result, time.monotonic() - started


def test_restore_gives_up_on_a_held_lock_and_names_the_holder(held):
    path, backup, holder = held
    before = path.read_bytes()
    result, took = _cli("--db", str(path), "restore", str(backup), "--yes")
    assert result.returncode == 1, result.stderr
    assert took < 15  # one bounded wait (5 s), not one per read of the file (26 s)
    assert "Traceback" not in result.stderr
    assert "locked" in result.stderr or "using the database" in result.stderr
    if Path("/proc/locks").exists():
        assert f"process {holder.pid}" in result.stderr
    assert "nothing was" in result.stderr.lower() or "not changed" in result.stderr
    assert path.read_bytes() == before


def test_a_copy_names_who_holds_the_lock(held, tmp_path):
    from db.backup import LOCK_WAIT_SECONDS, backup_sqlite
    from db.errors import DatabaseLocked

    path, _backup, holder = held
    started = time.monotonic()
    with pytest.raises(DatabaseLocked) as raised:
        backup_sqlite(path, tmp_path / "copy.sqlite3")
    assert time.monotonic() - started < 3 * LOCK_WAIT_SECONDS
    assert "held it locked for more than 5 seconds" in str(raised.value)
    if Path("/proc/locks").exists():
        assert f"process {holder.pid}" in str(raised.value)


def test_backup_gives_up_on_a_held_lock_too(held, tmp_path):
    path, _backup, _holder = held
    out = tmp_path / "copy.sqlite3"
    result, took = _cli("--db", str(path), "backup", "-o", str(out))
    assert result.returncode == 1 and took < 15, result.stderr
    assert "locked" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and not out.with_name("copy.sqlite3.part").exists()
