"""Schema migrations with Alembic, applied on start-up after a backup.

The app refuses a database whose revision it does not know (written by a newer
version) rather than guessing at it.

Alembic is imported only when a migration has to run: on most starts the
database is already at the head, which is read from the ``alembic_version``
table and compared with the newest file in ``migrations/versions`` (files are
numbered 0001, 0002, ... and each revision id is its number; a test checks
that this agrees with Alembic's own head). That saves about 110 ms of start-up.
"""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from db import rollup, search_index
from db.backup import backup_before_migration
from db.errors import DatabaseCorrupt, DatabaseTooNew, DatabaseUnavailable
from db.session import Database

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


@dataclass
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def alembic_config(url: str) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def known_revisions() -> list[str]:
    """Every revision this version knows, oldest first (the numbers of the version files)."""
    files = (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    return sorted(path.name[:4] for path in files)


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(database: Database) -> str | None:
    """The schema revision stored in the database; None for an empty database."""
    try:
        with database.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
            return rows[0][0] if rows else None
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
    if before is not None and before not in known_revisions():
        raise DatabaseTooNew(
            f"This database was made by a newer version of the VRU CRM (schema {before}). "
            "Install the newer version, or open another database."
        )
    target = head_revision() if revision == "head" else revision
    backup_path = None
    if before != target and before is not None and backup and database.path is not None:
        backup_path = backup_before_migration(database.path, before)
    try:
        with database.engine.begin() as connection:
            if before != target:
                _run_alembic(connection, database.url, revision)
            search_index.ensure(connection)  # triggers a table rebuild dropped (db/search_index.py)
            rollup.ensure(connection)  # the same for the dashboard's rollups (db/rollup.py)
    except OperationalError as error:
        raise _unavailable(database, error) from error
    if before != target:
        log.info("database migrated from %s to %s", before, target)
    return MigrationResult(before, target, backup_path)


def _run_alembic(connection: sa.Connection, url: str, revision: str) -> None:
    from alembic import command

    config = alembic_config(url)
    config.attributes["connection"] = connection
    with rollup.safe_rebuilds(connection):  # SQLite table rebuilds vs. rollup triggers
        command.upgrade(config, revision)


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
