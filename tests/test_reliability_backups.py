"""Automatic backups: on start-up and on a schedule, rotated, previewed and restored safely."""

import os
import sqlite3
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from db.migrate import open_database
from db.models import AuditEntry, Person
from vru_crm.reliability import backups
from vru_crm.reliability.backups import BackupPolicy, RestoreNotPossible
from vru_crm.reliability.files import mode_of
from vru_crm.reliability.startup import open_for_app
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.people import PersonInput, create_person


def _names(path):
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT full_name FROM person ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "vru_crm.sqlite3"
    database = open_database(str(path), username="tester")
    create_person(database, PersonInput(full_name="Jake Ferguson"))
    create_engagement(
        database, EngagementInput(kind="visit", occurred_on=date(2025, 3, 4), summary="Visit")
    )
    database.dispose()
    return path


def test_start_up_backs_up_before_opening_and_keeps_files_private(data_file, monkeypatch):
    monkeypatch.delenv(backups.NO_AUTO_BACKUP_ENV, raising=False)
    opened = open_for_app(str(data_file), "tester")
    opened.database.dispose()
    assert opened.backup is not None and _names(opened.backup) == ["Jake Ferguson"]
    assert [b.kind for b in backups.list_backups(data_file)] == ["startup"]
    assert mode_of(opened.backup) == mode_of(data_file) == 0o600
    assert mode_of(opened.backup.parent) == 0o700


def test_the_app_defers_the_start_up_backup_when_no_migration_is_pending(data_file, monkeypatch):
    monkeypatch.delenv(backups.NO_AUTO_BACKUP_ENV, raising=False)
    opened = open_for_app(str(data_file), "tester", defer_backup=True)
    opened.database.dispose()
    assert opened.backup is None and opened.backup_due  # the app takes it once the window has data
    assert backups.list_backups(data_file) == []
    now = datetime(2026, 11, 24, 9, 0)
    policy = BackupPolicy(every_hours=24)
    taken = backups.startup_backup_if_due(data_file, policy, now)  # what the app does next
    assert taken is not None and _names(taken) == ["Jake Ferguson"]
    assert backups.startup_backup_if_due(data_file, policy, now + timedelta(hours=5)) is None
    later = backups.startup_backup_if_due(data_file, policy, now + timedelta(hours=25))
    assert later is not None and [b.kind for b in backups.list_backups(data_file)] == [
        "startup",
        "startup",
    ]


def test_a_pending_migration_is_backed_up_before_it_runs_even_when_deferring(tmp_path, monkeypatch):
    from db.migrate import current_revision, head_revision, upgrade
    from db.session import Database

    monkeypatch.delenv(backups.NO_AUTO_BACKUP_ENV, raising=False)
    path = tmp_path / "old.sqlite3"
    old = Database(str(path), "tester")
    upgrade(old, revision="0007")  # as an older version of the app left it
    old.dispose()
    opened = open_for_app(str(path), "tester", defer_backup=True)
    try:
        assert current_revision(opened.database) == head_revision()
    finally:
        opened.database.dispose()
    assert opened.backup is not None and not opened.backup_due
    assert backups.preview(opened.backup).revision == "0007"  # taken before the migration ran


def test_a_new_data_file_is_created_private(tmp_path):
    path = tmp_path / "new" / "vru_crm.sqlite3"
    previous = os.umask(0o022)  # the usual default, under which SQLite would make it 0644
    try:
        opened = open_for_app(str(path), "tester")
        opened.database.dispose()
    finally:
        os.umask(previous)
    assert opened.backup is None and mode_of(path) == 0o600


def test_scheduled_backup_only_when_the_last_one_is_old_enough(data_file, monkeypatch):
    database = open_database(str(data_file))
    now = datetime(2026, 11, 24, 9, 0)
    policy = BackupPolicy(every_hours=24)
    try:
        first = backups.backup_if_due(database, policy, now)
        assert first is not None
        assert backups.backup_if_due(database, policy, now + timedelta(hours=23)) is None
        assert backups.backup_if_due(database, policy, now + timedelta(hours=25)) is not None
    finally:
        database.dispose()


def test_rotation_keeps_one_per_day_and_per_week(data_file):
    start = datetime(2026, 9, 1, 12, 0)
    for day in range(60):  # two backups a day for sixty days
        for hour in (9, 17):
            backups.take_backup(
                data_file, "scheduled", start + timedelta(days=day, hours=hour - 12)
            )
    backups.take_backup(data_file, "manual", start)
    removed = backups.rotate(data_file, BackupPolicy(keep_daily=7, keep_weekly=4))
    kept = backups.list_backups(data_file)
    auto = [b for b in kept if b.kind == "scheduled"]
    days = {b.taken_at.date() for b in auto}
    assert len(auto) == len(days) <= 7 + 4 and len(removed) == 120 - len(auto)
    newest = max(days)
    assert {newest - timedelta(days=n) for n in range(7)} <= days
    assert len({b.taken_at.isocalendar()[:2] for b in auto}) >= 4
    assert all(b.taken_at.hour == 17 for b in auto)  # the newest of each day stays
    assert [b.kind for b in kept if b.kind == "manual"] == ["manual"]  # never rotated away


def test_preview_says_what_a_backup_holds(data_file):
    copy = backups.take_backup(data_file)
    found = backups.preview(copy)
    assert found.ok and found.counts["person"] == 1 and found.counts["engagement"] == 1
    assert found.newest_engagement == date(2025, 3, 4)
    assert "1 people" in found.lines() and "newest engagement 04/03/2025" in found.lines()
    junk = copy.with_name("junk.sqlite3")
    junk.write_bytes(b"not a database at all" * 100)
    assert not backups.preview(junk).ok
    assert "cannot be restored" in backups.preview(junk).lines()[0]


def test_restore_keeps_a_copy_of_the_current_file_then_replaces_it(data_file):
    copy = backups.take_backup(data_file)
    database = open_database(str(data_file), username="tester")
    create_person(database, PersonInput(full_name="Added After The Backup"))
    database.dispose()

    result = backups.restore_database(f"sqlite:///{data_file}", copy, username="tester")

    assert _names(data_file) == ["Jake Ferguson"]
    assert result.safety_copy and _names(result.safety_copy) == [
        "Jake Ferguson",
        "Added After The Backup",
    ]
    database = open_database(str(data_file), username="tester")
    with database.session() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.entity == "database")).one()
        assert len(s.exec(select(Person)).all()) == 1
    database.dispose()
    assert copy.name in entry.summary and result.safety_copy.name in entry.summary
    ok = sqlite3.connect(data_file).execute("PRAGMA integrity_check").fetchone()
    assert ok == ("ok",)


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(data_file, tmp_path):
    junk = tmp_path / "holiday.sqlite3"
    junk.write_text("photos " * 500)
    with pytest.raises(RestoreNotPossible, match="cannot be restored"):
        backups.restore(f"sqlite:///{data_file}", junk)
    with pytest.raises(RestoreNotPossible, match="database itself"):
        backups.restore(f"sqlite:///{data_file}", data_file)
    assert _names(data_file) == ["Jake Ferguson"]
    assert [b.kind for b in backups.list_backups(data_file)] == []


def test_restore_refuses_a_backup_from_a_newer_version(data_file):
    copy = backups.take_backup(data_file)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    with pytest.raises(RestoreNotPossible, match="newer version"):
        backups.restore(f"sqlite:///{data_file}", copy)


def test_restore_over_a_damaged_file_still_works(data_file):
    copy = backups.take_backup(data_file)
    for suffix in ("-wal", "-shm"):
        data_file.with_name(data_file.name + suffix).unlink(missing_ok=True)
    data_file.write_bytes(b"\0garbage" * 4096)
    result = backups.restore(f"sqlite:///{data_file}", copy)
    assert _names(data_file) == ["Jake Ferguson"]
    assert result.safety_copy.read_bytes().startswith(b"\0garbage")


def test_restore_on_postgresql_is_refused_in_words(tmp_path):
    with pytest.raises(RestoreNotPossible, match="SQLite file only.*pg_restore"):
        backups.restore("postgresql+psycopg://vru@127.0.0.1/vru", tmp_path / "x.sqlite3")


def test_restore_while_someone_writes_is_refused_and_changes_nothing(data_file):
    copy = backups.take_backup(data_file)
    holder = sqlite3.connect(data_file, isolation_level=None, timeout=0.1)
    holder.execute("BEGIN EXCLUSIVE")  # a colleague's app in the middle of a save
    try:
        start = datetime.now()
        with pytest.raises(RestoreNotPossible, match="Someone else is using the database"):
            backups.restore(f"sqlite:///{data_file}", copy)
        assert datetime.now() - start < timedelta(seconds=30)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _names(data_file) == ["Jake Ferguson"]
