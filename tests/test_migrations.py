"""Schema migrations: an old database opens, is upgraded, and keeps everything."""

import sqlite3
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from db.errors import DatabaseCorrupt, DatabaseTooNew, DatabaseUnavailable
from db.migrate import current_revision, head_revision, open_database, upgrade
from db.session import Database

FIRST = "0001"


def _fill_first_schema(database: Database) -> None:
    """Rows written the way version 0001 of the app wrote them (plain SQL, no models)."""
    now = datetime(2020, 1, 1, tzinfo=UTC)
    with database.engine.begin() as conn:
        hackney = conn.execute(sa.text("SELECT id FROM borough WHERE name = 'Hackney'")).scalar()
        conn.execute(
            sa.text(
                "INSERT INTO organisation (id, name, sector, notes, is_priority, created_at, updated_at, version)"
                " VALUES (1, 'Hackney CVS', 'charity', 'grassroots lead', :p, :c, :u, :v)"
            ),
            {"p": True, "c": now, "u": now, "v": 1},
        )
        conn.execute(sa.text("INSERT INTO organisation_borough VALUES (1, :b)"), {"b": hackney})
        conn.execute(
            sa.text(
                "INSERT INTO person (id, full_name, email, is_young_person, notes, created_at, updated_at, version)"
                " VALUES (1, 'Jake Ferguson', 'jake@example.org', :f, '', :c, :u, :v)"
            ),
            {"f": False, "c": now, "u": now, "v": 1},
        )
        conn.execute(
            sa.text(
                "INSERT INTO engagement (id, occurred_on, kind, summary, outcome, people_reached,"
                " follow_up_done, is_notable, is_synthetic, created_at, updated_at, version)"
                " VALUES (1, :d, 'visit', 'Met the CVS', '', 12, :f, :f, :t, :c, :u, :v)"
            ),
            {"d": date(2020, 1, 2), "f": False, "t": True, "c": now, "u": now, "v": 1},
        )
        conn.execute(sa.text("INSERT INTO engagement_organisation VALUES (1, 1)"))


def test_database_from_first_migration_upgrades_with_nothing_lost(empty_db_url):
    old = Database(empty_db_url, username="tester")
    upgrade(old, FIRST, backup=False)
    assert current_revision(old) == FIRST
    _fill_first_schema(old)
    old.dispose()

    database = open_database(empty_db_url, username="tester")
    try:
        assert current_revision(database) == head_revision()
        with database.engine.connect() as conn:
            org = conn.execute(sa.text("SELECT name, notes FROM organisation WHERE id = 1")).one()
            links = conn.execute(sa.text("SELECT count(*) FROM engagement_organisation")).scalar()
            reached = conn.execute(sa.text("SELECT people_reached FROM engagement")).scalar()
            boroughs = conn.execute(sa.text("SELECT count(*) FROM borough")).scalar()
        assert tuple(org) == ("Hackney CVS", "grassroots lead")
        assert (links, reached, boroughs) == (1, 12, 33)
    finally:
        database.dispose()


def test_sqlite_file_is_backed_up_before_it_is_migrated(tmp_path):
    path = tmp_path / "team.sqlite3"
    old = Database(str(path))
    upgrade(old, FIRST, backup=False)
    _fill_first_schema(old)
    old.dispose()

    result = upgrade(Database(str(path)))
    assert result.from_revision == FIRST and result.backup is not None
    copy = sqlite3.connect(result.backup)
    try:
        assert copy.execute("SELECT name FROM organisation").fetchone() == ("Hackney CVS",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (FIRST,)
    finally:
        copy.close()


def test_models_match_the_migrations(db_url):
    database = Database(db_url)
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    database.dispose()

    def is_text_alias(change) -> bool:  # TEXT in the migration, sqlmodel's AutoString in the model
        return isinstance(change, list) and change[0][0] == "modify_type"

    def is_search_index(change) -> bool:  # db/search_index.py: kept by triggers, not a model
        if not isinstance(change, tuple) or change[0] not in ("remove_table", "remove_index"):
            return False
        table = change[1] if change[0] == "remove_table" else change[1].table
        if change[0] == "remove_index" and change[1].name.startswith("ix_search_"):
            return True  # the engagement list's text and summary indexes (0010)
        return table.name.startswith("search_")  # its trigram indexes too (0008, PostgreSQL)

    assert [c for c in diff if not is_text_alias(c) and not is_search_index(c)] == []


def test_database_from_a_newer_version_is_refused_in_words(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(str(path)).dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseTooNew, match="newer version"):
        open_database(str(path))


def test_a_file_that_is_not_a_database_is_refused_in_words(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my meeting notes, not a database\n" * 100)
    with pytest.raises(DatabaseCorrupt, match="not a VRU CRM database"):
        open_database(str(path))


def test_unreachable_server_is_reported_in_words():
    with pytest.raises(DatabaseUnavailable, match="Could not open the database"):
        open_database("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")


def test_the_revisions_read_from_the_file_names_are_alembics():
    # db.migrate reads the head from the version files' numbers so a start-up at the head
    # never imports Alembic; this keeps that shortcut true when a migration is added.
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config, known_revisions

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert head_revision() == script.get_current_head()
    assert known_revisions() == sorted(s.revision for s in script.walk_revisions())


def test_opening_a_database_at_the_head_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    open_database(str(tmp_path / "at_head.sqlite3")).dispose()
    code = (
        "import sys; from db.migrate import open_database; "
        f"open_database({str(tmp_path / 'at_head.sqlite3')!r}).dispose(); "
        "print('alembic' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
