"""Opening the database when the app starts: private file, backup first, read-only if need be.

The order matters. A new file is created 0600 before SQLite creates it with
the default 0644; an existing file is backed up before any migration touches
it; a file that cannot be written is opened read-only instead of failing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from db.engine import resolve_url, sqlite_path
from db.errors import DatabaseUnavailable
from db.migrate import current_revision, head_revision, open_database
from db.session import Database
from vru_crm.reliability.backups import DEFAULT_POLICY, BackupPolicy, startup_backup
from vru_crm.reliability.files import create_private_database_file, make_private
from vru_crm.reliability.readonly import open_read_only, probe

log = logging.getLogger(__name__)


@dataclass
class Opened:
    database: Database
    read_only_reason: str | None = None
    backup: Path | None = None

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None


def open_for_app(
    url: str | None = None,
    username: str | None = None,
    policy: BackupPolicy = DEFAULT_POLICY,
    wait_seconds: float = 2.0,
) -> Opened:
    """The database the app should use, opened the safe way (see the module docstring)."""
    url = resolve_url(url)
    path = sqlite_path(url)
    if path is None:
        return Opened(open_database(url, username))
    access = probe(path, wait_seconds)
    if not access.writable:
        return Opened(_read_only(path, username, access), access.reason)
    create_private_database_file(path)
    backup = startup_backup(path, policy)
    database = open_database(url, username)
    make_private(path)
    if backup:
        log.info("start-up backup written to %s", backup.name)
    return Opened(database, None, backup)


def _read_only(path: Path, username: str | None, access) -> Database:
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
