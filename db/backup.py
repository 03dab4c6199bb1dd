"""Consistent copies of a live database.

SQLite copies use the online backup API, so a copy taken while another program
writes is still a valid database. PostgreSQL copies use pg_dump.

Every copy holds personal data, so it is written to ``NAME.part`` created
readable by its owner only (0600) and renamed into place when complete; a
failed copy removes its ``.part``, and one left by a killed process is removed
by the next backup of the same name (or, beside a database, when it is next
opened: ``vru_crm.reliability.files.remove_leftovers``). The writer holds an
``flock`` on its ``.part`` so that sweep never removes a copy still being made.

A copy never waits for ever: SQLite's backup retries a locked file without end,
so after ``LOCK_WAIT_SECONDS`` it stops and says who holds the lock. And a
damaged file is not copied (``quick_check`` first): a backup that looks good
but is not would push the last good one out of the rotation.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import data_dir, sqlite_path
from db.errors import DatabaseCorrupt, DatabaseLocked, DatabaseUnavailable
from db.integrity import damaged_message, note_passed, quick_check, readable
from db.locks import holders_text

KEEP_MIGRATION_BACKUPS = 5
LOCK_WAIT_SECONDS = 5.0
PRIVATE_FILE = 0o600


class _Locked(Exception):
    """The source or the copy stayed locked by another program for too long."""


@contextlib.contextmanager
def private_part(destination: Path) -> Iterator[Path]:
    """``destination.part``, new, 0600 and flock-ed while the block writes it; removed on failure.

    On success the caller's block has filled it and it is renamed to ``destination``.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    tmp.unlink(missing_ok=True)  # left by a killed copy of the same name
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with contextlib.suppress(ImportError, OSError):
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            yield tmp
            if os.name == "posix":
                os.chmod(tmp, PRIVATE_FILE)  # a writer that re-created it gets the mode back
            tmp.replace(destination)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    finally:
        os.close(fd)  # after the writer closed its own handles (POSIX locks are per process)


def _open_source(source: Path) -> sqlite3.Connection:
    """The file to copy, read-only; on a read-only folder without a -shm file, as immutable."""
    uri = source.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=LOCK_WAIT_SECONDS)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError as error:
        text = readable(error).lower()
        if "unable to open" not in text and "readonly" not in text and "read-only" not in text:
            if "locked" in text or "busy" in text:
                raise _Locked() from None
            raise
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)


def backup_sqlite(source: Path, destination: Path) -> Path:
    """A consistent, private copy of ``source``; refused in words if it is damaged or held locked."""
    try:
        src = _open_source(source)
    except _Locked:
        raise _locked(source) from None
    except sqlite3.DatabaseError as error:
        raise DatabaseCorrupt(
            damaged_message(str(source), readable(error), "No backup was made.")
        ) from None
    try:
        try:
            problem = quick_check(src)
        except sqlite3.OperationalError:
            raise _Locked() from None
        if problem is not None:
            raise DatabaseCorrupt(damaged_message(str(source), problem, "No backup was made."))
        note_passed(str(source))
        with private_part(destination) as tmp:
            dst = sqlite3.connect(tmp, timeout=LOCK_WAIT_SECONDS)
            try:
                _copy(src, dst)
            finally:
                dst.close()
    except _Locked:
        raise _locked(source) from None
    finally:
        src.close()
    return destination


def ensure_not_locked(source: Path, doing: str) -> None:
    """Refuse in words, after ``LOCK_WAIT_SECONDS``, when another program holds ``source`` locked.

    Why first: a restore reads the file several times before it copies, and each
    read would wait out SQLite's busy timeout in turn (26 s in all), where one
    bounded wait tells the user the same thing.
    """
    if not source.exists():
        return
    try:
        _open_source(source).close()
    except _Locked:
        raise _locked(source, doing) from None
    except sqlite3.DatabaseError:
        return  # a damaged file: the step that reads it says so


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS

    def give_up_when_busy(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Locked()

    try:
        with dst:
            src.backup(dst, pages=1024, progress=give_up_when_busy, sleep=0.05)
    except sqlite3.OperationalError as error:
        text = readable(error).lower()
        if "locked" in text or "busy" in text:
            raise _Locked() from None
        raise


def _locked(source: Path, doing: str = "copy") -> DatabaseLocked:
    return DatabaseLocked(
        f"Could not {doing} {source}: another program has held it locked for more than "
        f"{LOCK_WAIT_SECONDS:.0f} seconds{holders_text(source)}. Close that program (or wait "
        "for it to finish) and try again; nothing was copied or changed."
    )


def backup_postgresql(url: str, destination: Path) -> Path:
    if shutil.which("pg_dump") is None:
        raise DatabaseUnavailable(
            "pg_dump is needed to back up a PostgreSQL database; install the PostgreSQL client tools."
        )
    argument, env = pg_client_arguments(url)
    with private_part(destination) as tmp:
        result = subprocess.run(
            ["pg_dump", "--format=custom", f"--file={tmp}", argument],
            capture_output=True,
            text=True,
            env=env,
        )
        if result.returncode != 0:
            raise DatabaseUnavailable(f"pg_dump failed: {result.stderr.strip()}")
    return destination


def pg_client_arguments(url: str) -> tuple[str, dict[str, str]]:
    """The connection argument and environment for a PostgreSQL client tool (pg_dump, psql).

    The password goes in the child's environment only (``PGPASSWORD``), never on
    its command line, where every local user could read it in the process list;
    the argument is the URL without it.
    """
    parsed = make_url(url).set(drivername="postgresql")
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    without = parsed._replace(password=None)  # URL.set(password=None) would keep it
    return without.render_as_string(hide_password=False), env


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
