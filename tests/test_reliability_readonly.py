"""Read-only mode: a file locked by someone else, or on a read-only medium, opens for reading."""

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db.migrate import open_database
from vru_crm.reliability.readonly import (
    LOCKED,
    READ_ONLY_MEDIUM,
    WRITABLE,
    ReadOnlyError,
    probe,
    require_writable,
)
from vru_crm.reliability.startup import open_for_app
from vru_crm.services.people import PersonInput, create_person, get_person

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "team.sqlite3"
    database = open_database(str(path), username="tester")
    create_person(database, PersonInput(full_name="Jake Ferguson"))
    database.dispose()
    return path


def test_a_free_file_is_writable(data_file):
    assert probe(data_file, wait_seconds=0).mode == WRITABLE


def test_a_locked_file_opens_read_only_and_refuses_saves_in_words(data_file):
    holder = sqlite3.connect(data_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a colleague's program in the middle of a long write
    try:
        assert probe(data_file, wait_seconds=0.3).mode == LOCKED
        opened = open_for_app(str(data_file), "tester", wait_seconds=0.3)
        database = opened.database
        try:
            assert opened.read_only and "another person or program" in opened.read_only_reason
            assert get_person(database, 1).full_name == "Jake Ferguson"
            with pytest.raises(ReadOnlyError, match="Nothing was saved: another person"):
                create_person(database, PersonInput(full_name="Amara Okafor"))
            with pytest.raises(ReadOnlyError):
                require_writable(database)
        finally:
            database.dispose()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    database = open_database(str(data_file))
    try:
        assert [get_person(database, 1).full_name] == ["Jake Ferguson"]
        with database.session() as s:
            from sqlmodel import func, select

            from db.models import Person

            assert s.exec(select(func.count()).select_from(Person)).one() == 1
    finally:
        database.dispose()


CHILD = textwrap.dedent(
    """
    import json, sys
    from vru_crm.reliability.readonly import probe
    from vru_crm.reliability.startup import open_for_app
    from vru_crm.services.people import PersonInput, create_person, get_person
    from pathlib import Path
    path = Path(sys.argv[1])
    out = {"mode": probe(path, wait_seconds=0).mode}
    opened = open_for_app(str(path), "tester", wait_seconds=0)
    out["reason"] = opened.read_only_reason
    out["name"] = get_person(opened.database, 1).full_name
    try:
        create_person(opened.database, PersonInput(full_name="Amara Okafor"))
        out["save"] = "saved"
    except Exception as error:
        out["save"] = f"{type(error).__name__}: {error}"
    opened.database.dispose()
    print(json.dumps(out))
    """
)


def test_a_file_on_a_read_only_medium_opens_read_only(data_file, tmp_path):
    """A real read-only mount, made in a private mount namespace so nothing leaks out."""
    if not shutil.which("unshare") or not shutil.which("mount"):
        pytest.skip("needs unshare and mount to make a read-only medium")
    medium = tmp_path / "usb"
    medium.mkdir()
    shutil.copy2(data_file, medium / "team.sqlite3")
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    command = (
        f"mount --bind {medium} {medium} && mount -o remount,ro,bind {medium} && "
        f"{sys.executable} {script} {medium / 'team.sqlite3'}"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "VRU_CRM_NO_AUTO_BACKUP": "1"},
    )
    if (
        result.returncode != 0
        and "mount" in result.stderr
        and "permission" in result.stderr.lower()
    ):
        pytest.skip(f"cannot make a read-only mount here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["mode"] == READ_ONLY_MEDIUM
    assert "read-only drive" in out["reason"]
    assert out["name"] == "Jake Ferguson"
    assert out["save"].startswith(
        "ReadOnlyError: Nothing was saved: the file is on a read-only drive"
    )
