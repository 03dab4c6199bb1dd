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


# --- read-only files and folders are respected by every command ------------------------------

NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
ORGS = "name,sector,borough\nHackney Youth Hub,charity,Hackney\n"


def _cli(*args: str, no_override: bool = False) -> subprocess.CompletedProcess:
    """The command as a user runs it; ``no_override`` drops root's right to ignore file modes."""
    prefix = NO_OVERRIDE if no_override else []
    return subprocess.run(
        [*prefix, sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "VRU_CRM_NO_AUTO_BACKUP": "1"},
        timeout=120,
    )


def _ways() -> list:
    ways = [pytest.param(False, id="as-is")]
    if shutil.which("setpriv"):
        ways.append(pytest.param(True, id="no-root-override"))
    return ways


@pytest.fixture
def read_only_file(data_file):
    import os

    os.chmod(data_file, 0o444)
    yield data_file
    os.chmod(data_file, 0o600)


@pytest.fixture
def read_only_folder(data_file, tmp_path):
    import os

    from vru_crm.reliability.backups import take_backup

    shared = tmp_path / "shared"
    shared.mkdir()
    copy = shared / data_file.name
    shutil.copy(data_file, copy)
    backup = take_backup(copy)
    os.chmod(shared, 0o555)
    yield copy, backup
    os.chmod(shared, 0o755)


@pytest.mark.parametrize("no_override", _ways())
def test_a_read_only_file_stays_read_only_and_unchanged(read_only_file, tmp_path, no_override):
    import os

    before = read_only_file.read_bytes()
    source = tmp_path / "orgs.csv"
    source.write_text(ORGS)
    result = _cli(
        "--db", str(read_only_file), "import", "organisations", str(source), no_override=no_override
    )
    assert result.returncode == 1, result.stderr
    assert "is open for reading only" in result.stderr and "Nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr and "Imported" not in result.stdout
    assert os.stat(read_only_file).st_mode & 0o777 == 0o444  # never chmodded to 0600
    assert read_only_file.read_bytes() == before
    result = _cli("--db", str(read_only_file), "check", no_override=no_override)
    assert result.returncode == 0 and "integrity: ok" in result.stdout, result.stderr
    out = tmp_path / "people.csv"
    result = _cli(
        "--db",
        str(read_only_file),
        "export",
        "csv",
        "people",
        "-o",
        str(out),
        no_override=no_override,
    )
    assert result.returncode == 0 and "Jake Ferguson" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("no_override", _ways())
def test_a_read_only_folder_reads_refuses_writes_and_restore_in_words(
    read_only_folder, tmp_path, no_override
):
    data_file, backup = read_only_folder
    for args in (["check"], ["audit"], ["export", "csv", "people", "-o", str(tmp_path / "p.csv")]):
        result = _cli("--db", str(data_file), *args, no_override=no_override)
        assert result.returncode == 0, (args, result.stderr)
        assert "read-only folder" in result.stderr
    source = tmp_path / "orgs.csv"
    source.write_text(ORGS)
    result = _cli(
        "--db", str(data_file), "import", "organisations", str(source), no_override=no_override
    )
    assert result.returncode == 1 and "Nothing was saved" in result.stderr
    result = _cli("--db", str(data_file), "restore", str(backup), "--yes", no_override=no_override)
    assert result.returncode == 1, result.stderr
    assert "Nothing was restored" in result.stderr and "read-only folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_database_cannot_be_made_in_a_read_only_folder(tmp_path, capsys):
    import os

    from vru_crm.cli.main import main

    folder = tmp_path / "locked"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        status = main(["--db", str(folder / "new.sqlite3"), "check"])
    finally:
        os.chmod(folder, 0o755)
    assert status == 1 and "Cannot create a database" in capsys.readouterr().err
