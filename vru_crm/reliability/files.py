"""Files that hold personal data are readable by their owner only (0600, folders 0700).

Why: the SQLite file, its backups and subject access exports sit in a user's
folders, often on a shared or portable machine. The app cannot encrypt them
(SQLCipher is not shipped); what it can do is make sure other accounts on the
same machine cannot read them, and leave disk encryption to the operating
system. On Windows, files in the user's profile are already private to them,
and ``chmod`` cannot express more, so these functions do nothing there.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
# Names of half-written files: a killed backup (``.part``), restore (``.restoring``) or export.
LEFTOVER_SUFFIXES = (".part", ".restoring", ".partial")
LEFTOVER_AGE_SECONDS = 3600  # where a live writer cannot be told by its lock (not POSIX)


def _posix() -> bool:
    return os.name == "posix"


def make_private(path: Path) -> None:
    """Restrict an existing database file (and its -wal/-shm companions) to its owner.

    Only bits are removed, never added: a file its owner made read-only (0444)
    becomes 0400, not 0600, so a read-only file stays read-only.
    """
    if not _posix():
        return
    for candidate in [path, *(path.with_name(path.name + s) for s in SQLITE_SIDECARS)]:
        try:
            if candidate.exists():
                current = candidate.stat().st_mode & 0o777
                if current & ~PRIVATE_FILE:
                    os.chmod(candidate, current & PRIVATE_FILE)
        except PermissionError:  # someone else's file on a shared folder: leave it as it is
            continue


def tighten(path: Path) -> Path:
    """An output file just written (an export, a report) made readable by its owner only."""
    if _posix():
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(path, PRIVATE_FILE)
    return path


def open_private(path: Path, mode: str = "w", **options: Any) -> IO[Any]:
    """Open ``path`` for writing as a file only its owner can read (0600), new or truncated.

    Why not ``open()``: it creates files with the umask's 0644, readable by every
    account on the machine, and a file of people's names must never be, not even
    for the second it takes to write it.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        if _posix():
            os.fchmod(fd, PRIVATE_FILE)  # an existing file keeps its mode otherwise
        return os.fdopen(fd, mode, **options)
    except BaseException:
        os.close(fd)
        raise


def create_private_file(path: Path) -> Path:
    """An empty file only its owner can read, for a program (pg_dump, Qt, openpyxl) to fill."""
    open_private(path, "wb").close()
    return path


@contextlib.contextmanager
def private_files() -> Iterator[None]:
    """Inside the block, files a library creates are 0600 and folders 0700 (the umask).

    For writers that take a file name and open it themselves (networkx,
    icalendar). The umask belongs to the whole process, so callers also
    ``tighten`` what was written: that is what makes the result certain.
    """
    if not _posix():
        yield
        return
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def remove_leftovers(folder: Path, prefix: str) -> list[Path]:
    """Delete our half-written files (``prefix*.part``, ``.restoring``, ``.partial``) no program is writing.

    A backup, restore or export killed part-way leaves one behind, holding a
    copy of personal data under a name nobody looks at. A writer still at work
    holds an ``flock`` on its file (``db.backup`` does), so it is skipped; where
    locks cannot tell (not POSIX), only files older than an hour go. Only names
    starting with ``prefix`` (the database's) are touched: the folder may be
    shared with other programs' downloads.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    try:
        candidates = [
            p
            for p in folder.iterdir()
            if p.name.startswith(prefix) and p.name.endswith(LEFTOVER_SUFFIXES)
        ]
    except OSError:
        return removed
    for candidate in candidates:
        if candidate.is_file() and not _being_written(candidate):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def _being_written(path: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: judge by age
        return time.time() - path.stat().st_mtime < LEFTOVER_AGE_SECONDS
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases the lock taken
    return False


def remove_leftovers_beside(db_path: Path) -> list[Path]:
    """Half-written files beside a database and in its ``backups`` folder."""
    prefix = db_path.stem
    return remove_leftovers(db_path.parent, prefix) + remove_leftovers(
        db_path.parent / "backups", prefix
    )


def private_dir(path: Path) -> Path:
    """Create a folder (e.g. ``backups``) that only its owner can list and read."""
    path.mkdir(parents=True, exist_ok=True)
    if _posix():
        with contextlib.suppress(PermissionError):
            os.chmod(path, PRIVATE_DIR)
    return path


def create_private_database_file(path: Path) -> bool:
    """Create an empty database file with 0600 before SQLite creates it with the umask's 0644.

    An empty file is a valid, empty SQLite database. Returns True if the file
    was created here, False if it already existed (then it is only tightened).
    Call it before the first connection to a new file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        make_private(path)
        return False
    os.close(fd)
    make_private(path)  # the umask may have removed bits, never added them; this is for clarity
    return True


def write_private_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a text file (an export holding personal data) readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
    if _posix():
        os.chmod(path, PRIVATE_FILE)
    return path


def mode_of(path: Path) -> int:
    """The permission bits of ``path`` (for checks and tests)."""
    return path.stat().st_mode & 0o777
