"""``backup`` and ``check`` from the command line, and the CLI's exit statuses."""

import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from db.models import Organisation
from main import main

ROOT = Path(__file__).resolve().parents[1]


def test_backup_of_a_live_database_is_a_complete_copy(sqlite_database, tmp_path, capsys):
    with sqlite_database.session() as s:
        s.add(Organisation(name="London Funders", sector="funder"))
    # Keep a writer open on the live file while the backup runs.
    writer = sqlite3.connect(sqlite_database.path)
    writer.execute("BEGIN")
    writer.execute("UPDATE organisation SET notes = 'uncommitted'")
    try:
        code = main(
            ["--db", str(sqlite_database.path), "backup", "-o", str(tmp_path / "copy.sqlite3")]
        )
    finally:
        writer.rollback()
        writer.close()
    assert code == 0
    assert "Backed up" in capsys.readouterr().out
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT name, notes FROM organisation").fetchall() == [
        ("London Funders", "")
    ]
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()


def test_backup_on_each_backend(database, tmp_path):
    with database.session() as s:
        s.add(Organisation(name="MOPAC", sector="government"))
    code = main(["--db", database.url, "backup", "-o", str(tmp_path / "copy.dump")])
    assert code == 0
    assert (tmp_path / "copy.dump").stat().st_size > 0
    with database.session() as s:
        assert s.exec(select(Organisation.name)).all() == ["MOPAC"]


def test_check_passes_on_a_healthy_database(database, capsys):
    assert main(["--db", database.url, "check"]) == 0
    assert "up to date" in capsys.readouterr().out


def _corrupt_a_middle_page(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(400)])
    conn.execute("CREATE INDEX filler_x ON filler (x)")
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page - 20) * page
    data[middle + 8 : middle + page] = b"\xff" * (page - 8)
    path.write_bytes(bytes(data))


def test_check_exits_1_on_a_damaged_file(sqlite_database, capsys):
    path = sqlite_database.path
    sqlite_database.dispose()
    _corrupt_a_middle_page(path)
    code = main(["--db", str(path), "check"])
    out = capsys.readouterr()
    assert code == 1
    assert "PROBLEM" in out.out or "damaged" in out.err


def test_not_a_database_exits_1_with_words_and_no_traceback(tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database\n" * 200)
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(bogus), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "not a VRU CRM database" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(capsys):
    for argv in (["no-such-command"], ["backup"], ["export"]):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
        assert code == 2, argv
    assert "usage:" in capsys.readouterr().err
