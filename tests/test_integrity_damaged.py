"""A damaged file is found before any write and before a backup, and said in words.

The file is the demo data set with the person table's leaf pages overwritten:
it still opens and most tables read, which is what made an import "succeed"
into it and ``backup`` report "Backed up" before.
"""

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from vru_crm.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def demo_file(request, prebuilt, tmp_path_factory) -> Iterator[Path]:
    """The demo data set in a SQLite file (a copy of the one tests/conftest.py builds)."""
    with prebuilt.demo(request, "sqlite", tmp_path_factory.mktemp("demo")) as url:
        path = Path(url.removeprefix("sqlite:///"))
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        yield path


def _damage(path: Path, table: str = "person") -> None:
    conn = sqlite3.connect(path)
    pages = [
        row[0]
        for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,)
        )
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert pages, f"{table} has no leaf pages to damage"
    with path.open("r+b") as handle:
        for page in pages[:3]:
            handle.seek((page - 1) * size + 8)
            handle.write(b"\xff" * (size - 100))


@pytest.fixture
def damaged(demo_file, tmp_path) -> Path:
    path = tmp_path / "damaged.sqlite3"
    shutil.copy(demo_file, path)
    _damage(path)
    return path


def _run(capsys, path: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(path), "--user", "tester", *args])  # a traceback fails the test
    out, err = capsys.readouterr()
    return status, out, err


def _organisations(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM organisation").fetchone()[0]
    finally:
        conn.close()


def test_check_says_the_file_is_damaged(damaged, capsys):
    status, out, err = _run(capsys, damaged, "check")
    assert status == 1 and "damaged" in out + err and "Traceback" not in err


def test_an_import_into_a_damaged_file_is_refused_and_writes_nothing(damaged, capsys, tmp_path):
    before = _organisations(damaged)
    source = tmp_path / "orgs.csv"
    source.write_text("name,sector,borough\nA New Youth Club,charity,Hackney\n")
    status, out, err = _run(capsys, damaged, "import", "organisations", str(source))
    assert status == 1
    assert "is damaged" in err and "Nothing was saved" in err and "vru-crm restore" in err
    assert "Traceback" not in err and "Imported" not in out
    assert _organisations(damaged) == before


def test_a_backup_of_a_damaged_file_is_refused(damaged, capsys, tmp_path):
    target = tmp_path / "copy.sqlite3"
    status, out, err = _run(capsys, damaged, "backup", "-o", str(target))
    assert status == 1
    assert "is damaged" in err and "No backup was made" in err
    assert "Backed up" not in out
    assert not target.exists() and not target.with_name("copy.sqlite3.part").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["export", "csv", "people", "-o", "{tmp}/people.csv"],
        ["export", "csv", "engagements", "-o", "{tmp}/engagements.csv"],
        ["sar", "export", "5", "-o", "{tmp}/sar"],
        ["erase", "5", "--yes"],
        ["audit"],
        ["retention"],
        ["retention", "--apply"],
        ["mailing-list", "-o", "{tmp}/list.csv"],
    ],
)
def test_every_command_answers_in_words(damaged, capsys, tmp_path, command):
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    status, _, err = _run(capsys, damaged, *args)
    assert status in (0, 1)
    assert "Traceback" not in err
    if status == 1:
        assert err.startswith("vru-crm: ") and len(err) < 2000


def test_a_file_too_damaged_to_open_is_said_so_in_words(demo_file, capsys, tmp_path):
    path = tmp_path / "wrecked.sqlite3"
    shutil.copy(demo_file, path)
    _damage(path, "sqlite_schema")
    for args in (["check"], ["export", "csv", "people", "-o", str(tmp_path / "p.csv")], ["audit"]):
        status, out, err = _run(capsys, path, *args)
        assert status == 1 and "damaged" in out + err, args


def test_a_file_that_passes_is_checked_only_once(demo_file, tmp_path, monkeypatch):
    """The check before the first write reads the whole file; later writes do not repeat it."""
    from db import integrity
    from db.migrate import open_database
    from vru_crm.services.people import PersonInput, create_person

    path = tmp_path / "fine.sqlite3"
    shutil.copy(demo_file, path)
    checks = []
    original = integrity.quick_check
    monkeypatch.setattr(integrity, "quick_check", lambda conn: checks.append(1) or original(conn))
    database = open_database(str(path), username="tester")
    try:
        create_person(database, PersonInput(full_name="Amara Okafor"))
        create_person(database, PersonInput(full_name="Jake Ferguson"))
    finally:
        database.dispose()
    assert len(checks) == 1
