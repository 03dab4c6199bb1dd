"""Who holds a lock on a SQLite file, in words, so "the file is locked" can say by whom.

Why: a restore or backup that waits on a lock must give up after a few
seconds (SQLite's backup would retry for ever), and the user then needs to
know which program to close. On Linux the kernel lists every file lock in
``/proc/locks`` with the holder's process id; elsewhere, or when the holder
is on another computer (a network drive), the answer is "another program".
"""

from __future__ import annotations

import os
from pathlib import Path

SIDECARS = ("", "-journal", "-wal", "-shm")


def lock_holders(path: Path) -> list[str]:
    """The programs holding a lock on ``path`` or its journal, e.g. ``"python3 (process 812)"``."""
    try:
        inodes = {
            (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)
            for st in (_stat(path.with_name(path.name + s)) for s in SIDECARS)
            if st is not None
        }
        text = Path("/proc/locks").read_text()
    except (OSError, AttributeError):
        return []
    pids: list[int] = []
    for line in text.splitlines():
        pid, where = _parse(line)
        if pid is None or pid == os.getpid() or where not in inodes or pid in pids:
            continue
        pids.append(pid)
    return [_describe(pid) for pid in pids]


def holders_text(path: Path) -> str:
    """' (held by python3, process 812)' or '' when nobody can be named."""
    found = lock_holders(path)
    return f" (held by {'; '.join(found)})" if found else ""


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _parse(line: str) -> tuple[int | None, tuple[int, int, int] | None]:
    """``1: POSIX  ADVISORY  WRITE 812 08:01:1234 0 EOF`` -> (812, (8, 1, 1234))."""
    fields = line.replace("->", " ").split()
    for index, field in enumerate(fields):
        if field.count(":") == 2 and index > 0 and fields[index - 1].isdigit():
            major, minor, inode = field.split(":")
            try:
                return int(fields[index - 1]), (int(major, 16), int(minor, 16), int(inode))
            except ValueError:
                return None, None
    return None, None


def _describe(pid: int) -> str:
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        name = "a program"
    return f"{name}, process {pid}"
