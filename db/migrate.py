"""Schema migrations with Alembic, applied on start-up after a backup.

The app refuses a database whose revision it does not know (written by a newer
version) rather than guessing at it.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from db import rollup, search_index
from db.backup import backup_before_migration
from db.errors import DatabaseCorrupt, DatabaseTooNew, DatabaseUnavailable
from db.session import Database

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


@dataclass
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    try:
        with database.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as error:
        raise _unavailable(database, error) from error
    except SADatabaseError as error:
        raise DatabaseCorrupt(
            f"{database.display_name} is not a VRU CRM database, or it is damaged ({error.orig})."
        ) from error


def _unavailable(database: Database, error: Exception) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"Could not open the database {database.display_name}: {getattr(error, 'orig', error)}"
    )


def upgrade(database: Database, revision: str = "head", backup: bool = True) -> MigrationResult:
    """Bring the schema up to ``revision``; back up an existing SQLite file first."""
    before = current_revision(database)
    known = {
        script.revision
        for script in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()
    }
    if before is not None and before not in known:
        raise DatabaseTooNew(
            f"This database was made by a newer version of the VRU CRM (schema {before}). "
            "Install the newer version, or open another database."
        )
    target = head_revision() if revision == "head" else revision
    backup_path = None
    if before != target and before is not None and backup and database.path is not None:
        backup_path = backup_before_migration(database.path, before)
    config = alembic_config(database.url)
    try:
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            with rollup.safe_rebuilds(connection):  # SQLite table rebuilds vs. rollup triggers
                command.upgrade(config, revision)
            search_index.ensure(connection)  # triggers a table rebuild dropped (db/search_index.py)
            rollup.ensure(connection)  # the same for the dashboard's rollups (db/rollup.py)
    except OperationalError as error:
        raise _unavailable(database, error) from error
    if before != target:
        log.info("database migrated from %s to %s", before, target)
    return MigrationResult(before, target, backup_path)


def open_database(
    url: str | None = None, username: str | None = None, migrate: bool = True
) -> Database:
    """Open (and by default upgrade) a database, turning low-level failures into plain messages."""
    database = Database(url, username)
    try:
        if migrate:
            upgrade(database)
        else:
            current_revision(database)
    except Exception:
        database.dispose()
        raise
    return database
