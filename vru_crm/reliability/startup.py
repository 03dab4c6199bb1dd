"""Opening the database when the app starts: private file, backup first, read-only if need be.

The order matters. A new file is created 0600 before SQLite creates it with
the default 0644; an existing file is backed up before any migration touches
it; a file that cannot be written is opened read-only instead of failing.

The app asks for the start-up backup to be deferred (``defer_backup``) when
no migration is pending: copying a 300 MB file takes more than a second, and
the user should not wait for it to see their data. ``ui.app`` then calls
``startup_backup_if_due`` on a worker thread once the database is open (it
skips the copy when an automatic one is recent; its docstring says why). When a
migration is pending the copy is still taken here, before the migration runs.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db.engine import resolve_url, sqlite_path
from db.errors import DatabaseUnavailable
from db.migrate import current_revision, head_revision, open_database
from db.session import Database
from vru_crm.reliability.backups import DEFAULT_POLICY, BackupPolicy, startup_backup
from vru_crm.reliability.files import (
    create_private_database_file,
    make_private,
    remove_leftovers_beside,
)
from vru_crm.reliability.readonly import Access, open_read_only, probe

log = logging.getLogger(__name__)


@dataclass
class Opened:
    database: Database
    read_only_reason: str | None = None
    backup: Path | None = None
    backup_due: bool = False  # the start-up backup was deferred: the caller takes it later

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None


def open_for_app(
    url: str | None = None,
    username: str | None = None,
    policy: BackupPolicy = DEFAULT_POLICY,
    wait_seconds: float = 2.0,
    defer_backup: bool = False,
) -> Opened:
    """The database the app should use, opened the safe way (see the module docstring).

    With ``defer_backup`` the start-up backup of a file already at the newest
    schema is not taken here; ``Opened.backup_due`` tells the caller to take it.
    """
    url = resolve_url(url)
    path = sqlite_path(url)
    if path is None:
        return Opened(open_database(url, username))
    access = probe(path, wait_seconds)
    if not access.writable:
        return Opened(open_read_only_checked(path, username, access), access.reason)
    remove_leftovers_beside(path)  # half copies a killed backup or restore left behind
    create_private_database_file(path)
    deferred = defer_backup and not migration_pending(path)
    backup = None if deferred else startup_backup(path, policy)
    database = open_database(url, username)
    make_private(path)
    if backup:
        log.info("start-up backup written to %s", backup.name)
    return Opened(database, None, backup, backup_due=deferred)


def migration_pending(path: Path) -> bool:
    """Whether opening the file will migrate it (or cannot tell): true unless it is at the newest schema.

    Read with plain ``sqlite3``, read-only, so a damaged file is not touched;
    ``open_database`` then reports the damage in words.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:  # new, empty, not ours or damaged: the safe answer
        return True
    finally:
        conn.close()
    return row is None or row[0] != head_revision()


def open_read_only_checked(path: Path, username: str | None, access: Access) -> Database:
    """The file opened read-only, refused in words if it would need a migration first."""
    database = open_read_only(path, username, access)
    try:
        revision = current_revision(database)
    except Exception:
        database.dispose()
        raise
    if revision != head_revision():
        database.dispose()
        raise DatabaseUnavailable(
            f"This database (schema {revision}) needs upgrading to schema {head_revision()}, "
            f"but it cannot be changed: {access.reason}. Open it where it can be written once."
        )
    return database
