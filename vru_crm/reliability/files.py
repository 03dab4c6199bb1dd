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
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def _posix() -> bool:
    return os.name == "posix"


def make_private(path: Path) -> None:
    """Restrict an existing database file (and its -wal/-shm companions) to its owner."""
    if not _posix():
        return
    for candidate in [path, *(path.with_name(path.name + s) for s in SQLITE_SIDECARS)]:
        try:
            if candidate.exists():
                os.chmod(candidate, PRIVATE_FILE)
        except PermissionError:  # someone else's file on a shared folder: leave it as it is
            continue


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
