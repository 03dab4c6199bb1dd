"""Opening a database read-only when it cannot be written: locked by someone else, or on read-only media.

Why: a team sharing one SQLite file on a network drive, or a copy handed over
on a write-protected USB stick, should still be able to look things up. The
app opens such a file with SQLite's ``mode=ro`` (or ``immutable=1`` for media
that cannot change under it), and every attempt to save is refused with a
message that says why, before anything is written.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from db.engine import SQLITE_BUSY_TIMEOUT_MS
from db.session import Database, current_username
from vru_crm.errors import UserError

if TYPE_CHECKING:  # the ORM loads only when a read-only file is opened (db/session.py)
    from sqlalchemy.orm import UOWTransaction
    from sqlmodel import Session

WRITABLE, LOCKED, READ_ONLY_MEDIUM, MISSING = "writable", "locked", "read_only_medium", "missing"


class ReadOnlyError(UserError):
    """A change was refused because the database is open read-only."""


@dataclass(frozen=True)
class Access:
    """How a database file can be opened, and why, in words."""

    mode: str
    reason: str = ""

    @property
    def writable(self) -> bool:
        return self.mode in (WRITABLE, MISSING)


def probe(path: Path, wait_seconds: float = 2.0) -> Access:
    """Try to take the write lock briefly, to learn whether the file can be written now.

    A colleague's save holds the lock for milliseconds, so the probe retries
    for ``wait_seconds`` before calling the file locked.
    """
    if not path.exists():
        return Access(MISSING)
    if write_problem(path):
        return Access(READ_ONLY_MEDIUM, _READ_ONLY_REASON)
    deadline = time.monotonic() + wait_seconds
    while True:
        problem = _try_write_lock(path)
        if problem is None:
            return Access(WRITABLE)
        lowered = problem.lower()
        if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
            return Access(READ_ONLY_MEDIUM, _READ_ONLY_REASON)
        if time.monotonic() >= deadline:
            return Access(LOCKED, _LOCKED_REASON)
        time.sleep(0.2)


def may_write(path: Path) -> bool:
    """Whether ``path`` may be changed: the system allows it *and* its owner has not said no.

    Why the owner's write bit too: an administrator (root) may write any file,
    but a file or folder someone made read-only (``chmod 444``, the read-only
    attribute on Windows) is a decision to respect, not to override.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & stat.S_IWUSR)


def write_problem(path: Path) -> str | None:
    """Why the database file ``path`` cannot be changed (a read-only file or folder), or None.

    SQLite writes beside the file (its journal), so the folder must be writable too.
    """
    if path.exists() and not may_write(path):
        return f"{path} is a read-only file"
    folder = path.parent
    if folder.exists() and not may_write(folder):
        return f"{path} is in a read-only folder ({folder})"
    return None


def file_access(path: Path) -> Access:
    """How a command may open ``path``: by its permissions only (a colleague's lock is waited for)."""
    if not path.exists():
        return Access(MISSING)
    if write_problem(path):
        return Access(READ_ONLY_MEDIUM, _READ_ONLY_REASON)
    return Access(WRITABLE)


_READ_ONLY_REASON = (
    "the file is on a read-only drive or you may not change it, so it is open for reading only"
)
_LOCKED_REASON = (
    "another person or program is holding the file locked, so it is open for reading only; "
    "close it there, then open it again here to make changes"
)


def _try_write_lock(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    except sqlite3.Error as error:
        return str(error)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return None
    except sqlite3.Error as error:
        return str(error)
    finally:
        conn.close()


class ReadOnlyDatabase(Database):
    """A ``Database`` whose sessions refuse every change with a ``ReadOnlyError``."""

    read_only = True

    def __init__(
        self, path: Path, username: str | None = None, immutable: bool = False, reason: str = ""
    ) -> None:
        self.url = f"sqlite:///{path.resolve()}"
        self.username = username or current_username()
        self.reason = reason or "the database is open for reading only"
        flag = "immutable=1" if immutable else "mode=ro"
        uri = f"{path.resolve().as_uri()}?{flag}"
        self.engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(
                uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            ),
        )
        event.listen(self.engine, "connect", _configure_read_only)
        from sqlalchemy.orm import sessionmaker
        from sqlmodel import Session

        from db import audit

        self._factory = sessionmaker(self.engine, class_=Session, expire_on_commit=False)
        audit.install(self._factory)
        event.listen(self._factory, "before_flush", self._refuse)

    @property
    def message(self) -> str:
        return f"Nothing was saved: {self.reason}."

    def _refuse(self, session: Session, _context: UOWTransaction, _instances: object) -> None:
        if session.new or session.dirty or session.deleted:
            raise ReadOnlyError(self.message)

    @contextmanager
    def session(self, *, audit_rows: bool = True) -> Iterator[Session]:
        try:
            with super().session(audit_rows=audit_rows) as s:
                yield s
        except OperationalError as error:
            if "readonly" in str(error.orig).lower():
                raise ReadOnlyError(self.message) from error
            raise


def _configure_read_only(
    dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry
) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only=1")  # a second guard: SQLite itself refuses writes
    cursor.close()


def open_read_only(
    path: Path, username: str | None = None, access: Access | None = None
) -> ReadOnlyDatabase:
    """Open ``path`` for reading; ``immutable`` for read-only media (no locks, no -shm file)."""
    access = access or probe(path, wait_seconds=0)
    # Immutable only where SQLite cannot keep its -shm beside the file (a read-only folder or
    # medium): a read-only file in a writable folder is read with its WAL, changes included.
    immutable = access.mode == READ_ONLY_MEDIUM and not may_write(path.parent)
    return ReadOnlyDatabase(path, username, immutable=immutable, reason=access.reason)


def is_read_only(database: Database) -> bool:
    return bool(getattr(database, "read_only", False))


def require_writable(database: Database) -> None:
    """For services and screens: refuse up front, in words, before the user types a change."""
    if isinstance(database, ReadOnlyDatabase):  # the one kind of database that is read_only
        raise ReadOnlyError(database.message)
