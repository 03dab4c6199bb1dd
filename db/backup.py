"""Consistent copies of a live database.

SQLite copies use the online backup API, so a copy taken while another program
writes is still a valid database. PostgreSQL copies use pg_dump.
"""

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import data_dir, sqlite_path
from db.errors import DatabaseUnavailable

KEEP_MIGRATION_BACKUPS = 5


def backup_sqlite(source: Path, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    tmp.replace(destination)
    return destination


def backup_postgresql(url: str, destination: Path) -> Path:
    if shutil.which("pg_dump") is None:
        raise DatabaseUnavailable(
            "pg_dump is needed to back up a PostgreSQL database; install the PostgreSQL client tools."
        )
    parsed = make_url(url).set(drivername="postgresql")
    destination.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            f"--file={destination}",
            parsed.render_as_string(hide_password=False),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise DatabaseUnavailable(f"pg_dump failed: {result.stderr.strip()}")
    return destination


def backup_database(url: str, destination: Path) -> Path:
    """Write a consistent copy of the database at ``url`` to ``destination``."""
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise DatabaseUnavailable(f"There is no database file at {path}.")
        return backup_sqlite(path, destination)
    return backup_postgresql(url, destination)


def backup_folder() -> Path:
    return data_dir() / "backups"


def backup_before_migration(path: Path, revision: str) -> Path:
    """Copy the file before its schema changes; keep the last few such copies."""
    folder = path.parent / "backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    destination = folder / f"{path.stem}-before-{revision}-{stamp}.sqlite3"
    backup_sqlite(path, destination)
    old = sorted(folder.glob(f"{path.stem}-before-*.sqlite3"))
    for stale in old[:-KEEP_MIGRATION_BACKUPS]:
        stale.unlink(missing_ok=True)
    return destination
