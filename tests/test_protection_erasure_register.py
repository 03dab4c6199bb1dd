"""A restore never brings back someone erased; nothing stays on disk."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.backup import backup_sqlite
from db.models import AuditEntry, Person
from db.models.protection import ErasureRecord
from vru_crm.errors import NotFound
from vru_crm.protection import register, scrub
from vru_crm.protection.erasure import erase_person, reapply_register
from vru_crm.reliability import backups
from vru_crm.services.people import PersonInput, create_person, get_person, update_person


@pytest.fixture(autouse=True)
def _register_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("VRU_CRM_REGISTER_DIR", str(tmp_path / "register"))


def _young(database, name="Łukasz Nowak", email="lukasz@example.org"):
    return create_person(
        database,
        PersonInput(full_name=name, email=email, is_young_person=True, age_band="13_15"),
    )


def test_restoring_an_older_backup_erases_again_whoever_was_erased_since(sqlite_database, tmp_path):
    database = sqlite_database
    kept = create_person(database, PersonInput(full_name="Amara Okafor")).id
    erased = _young(database).id
    copy = backup_sqlite(database.path, tmp_path / "elsewhere" / "before.sqlite3")  # backup -o
    erase_person(database, erased)
    database.dispose()

    result = backups.restore_database(database.url, copy, "tester")

    assert result.erased_again == 1
    assert any("erased again" in line for line in result.lines())
    with pytest.raises(NotFound):
        get_person(database, erased)
    assert get_person(database, kept).full_name == "Amara Okafor"
    with database.session() as s:
        erase_entries = s.exec(select(AuditEntry).where(AuditEntry.action == "erase")).all()
        registered = s.exec(select(ErasureRecord)).all()
    assert len(erase_entries) == 2  # the original (carried forward) and the re-erasure
    assert [r.person_id for r in registered] == [erased]
    raw = database.path.read_bytes() + Path(str(database.path) + "-wal").read_bytes()
    assert b"Nowak" not in raw and b"lukasz@" not in raw


def test_the_register_holds_no_personal_data_and_lives_outside_the_backups(sqlite_database):
    erased = _young(sqlite_database).id
    erase_person(sqlite_database, erased)
    path = register.file_for(sqlite_database.url)
    assert path.parent == sqlite_database.path.parent and path.exists()
    text = path.read_text()
    assert f'"person_id": {erased}' in text
    assert "Nowak" not in text and "ukasz" not in text and "example.org" not in text
    assert path.stat().st_mode & 0o077 == 0


def test_a_newer_person_given_a_freed_id_is_not_erased_by_the_register(sqlite_database):
    erased = _young(sqlite_database).id
    erase_person(sqlite_database, erased)
    newcomer = create_person(sqlite_database, PersonInput(full_name="Tayo Adeyemi"))
    assert newcomer.id == erased  # SQLite gives the freed highest id again
    report = reapply_register(sqlite_database)
    assert report.erased_again == [] and report.entries == 1
    assert get_person(sqlite_database, newcomer.id).full_name == "Tayo Adeyemi"


def test_after_a_pg_restore_the_register_file_still_erases_them_again(database):
    """A pg_restore of an older dump replaces the table too: the file outside it remembers."""
    erased = _young(database, "Émilie Laurent", "emilie@example.org").id
    with database.session() as s:
        row = s.get(Person, erased)
        saved = {c.name: getattr(row, c.name) for c in Person.__table__.columns}
    erase_person(database, erased)
    with database.session(audit_rows=False) as s:  # what restoring an older copy looks like
        s.connection().execute(sa.delete(ErasureRecord.__table__))
        s.connection().execute(sa.insert(Person.__table__).values(**saved))
    assert get_person(database, erased).full_name == "Émilie Laurent"

    report = reapply_register(database)

    assert report.erased_again == [erased]
    with pytest.raises(NotFound):
        get_person(database, erased)
    with database.session() as s:
        assert [r.person_id for r in s.exec(select(ErasureRecord))] == [erased]


def test_erasure_also_erases_the_person_from_the_automatic_backups(sqlite_database):
    erased = _young(sqlite_database).id
    create_person(sqlite_database, PersonInput(full_name="Amara Okafor"))
    first = backups.take_backup(sqlite_database.path, "startup")
    second = backups.take_backup(sqlite_database.path, "manual")
    report = erase_person(sqlite_database, erased)
    assert report.backups_scrubbed == 2
    for path in (first, second):
        assert b"Nowak" not in path.read_bytes()
        assert backups.preview(path).ok and backups.preview(path).counts["person"] == 1
        assert not Path(str(path) + "-wal").exists()


def test_earlier_values_left_in_free_space_by_ordinary_edits_are_gone_too(sqlite_database):
    for i in range(50):
        create_person(sqlite_database, PersonInput(full_name=f"Other Person {i}", notes="x" * 300))
    person = create_person(sqlite_database, PersonInput(full_name="Zebedee Quarrington"))
    update_person(
        sqlite_database, person.id, PersonInput(full_name="Zebedee Quarington"), person.version
    )
    erase_person(sqlite_database, person.id)
    raw = b"".join(f.read_bytes() for f in sqlite_database.path.parent.iterdir() if f.is_file())
    assert b"Quarrington" not in raw and b"Quarington" not in raw


def test_an_open_reader_is_waited_for_and_otherwise_named_in_the_report(
    sqlite_database, monkeypatch
):
    path = sqlite_database.path
    first = create_person(sqlite_database, PersonInput(full_name="Siobhan O'Brien")).id
    second = create_person(sqlite_database, PersonInput(full_name="Amelia Smith-Jones")).id
    reader = sqlite3.connect(path, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM person").fetchone()  # holds a read transaction

    # A reader that stays longer than we wait: the report says what remains, in words.
    monkeypatch.setattr(scrub, "FINISH_WAIT_SECONDS", 0.3)
    report = erase_person(sqlite_database, first)
    assert report.unfinished and "another program is reading" in report.unfinished
    assert report.unfinished in report.lines()

    # A reader that goes while we wait: the erasure finishes.
    monkeypatch.setattr(scrub, "FINISH_WAIT_SECONDS", 10.0)
    threading.Timer(1.0, reader.close).start()
    started = time.monotonic()
    report = erase_person(sqlite_database, second)
    assert report.unfinished is None and time.monotonic() - started >= 0.9
    raw = path.read_bytes()
    assert b"O'Brien" not in raw and b"Smith-Jones" not in raw
    assert Path(str(path) + "-wal").stat().st_size == 0
