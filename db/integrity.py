"""A damaged SQLite file is found before anything is written to it or copied from it.

Why: SQLite reads a damaged page only when a query reaches it, so a file whose
person table is torn still opens, lists organisations and takes an import,
writing new rows beside the damage; a backup copies the damage faithfully and
rotation may then drop the last good copy. So ``PRAGMA quick_check`` runs
before the first write of each connection pool (``guard_writes``) and before
every backup (``db.backup``), and the low-level "database disk image is
malformed" of a read becomes a ``DatabaseCorrupt`` that says what to do.

``quick_check`` reads every page but skips matching indexes to rows, so it
costs about as much as reading the file once; it runs once per process, not
per save.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time

from sqlalchemy import Connection, Engine, event

from db.errors import DatabaseCorrupt

_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# What SQLite says, in some words, when a file is not a database or is damaged.
_DAMAGE_WORDS = (
    "malformed",
    "file is not a database",
    "file is encrypted or is not a database",
    "database corrupt",
    "disk image",
)
WHAT_TO_DO = (
    "Run `vru-crm check` to see the damage, then put back a backup: `vru-crm backups list` "
    "shows them and `vru-crm restore FILE` restores one (the damaged file is kept)."
)


# Files whose quick_check passed in this process, with their size and modification time
# then: a start-up backup's check also serves the first save after it (the file unchanged
# since), so that save does not read the whole file again.
_PASSED: dict[str, tuple[int, int, float]] = {}
PASS_VALID_SECONDS = 600.0


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def note_passed(path: str) -> None:
    stamp = _stamp(path)
    if stamp is not None:
        _PASSED[os.path.realpath(path)] = (*stamp, time.monotonic())


def passed_recently(path: str) -> bool:
    """The file passed in this process less than ten minutes ago and has not changed since."""
    found = _PASSED.get(os.path.realpath(path))
    if found is None:
        return False
    size, mtime, when = found
    return _stamp(path) == (size, mtime) and time.monotonic() - when < PASS_VALID_SECONDS


def damaged_message(where: str, detail: str = "", outcome: str = "") -> str:
    """The words for a damaged file: what is wrong, what was (not) done, what to do."""
    found = f" ({detail})" if detail else ""
    done = f" {outcome}" if outcome else ""
    return f"The database {where} is damaged{found}.{done} {WHAT_TO_DO}"


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None if SQLite's quick_check passes, else its first findings in words."""
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.OperationalError as error:
        if is_lock(error):
            raise  # busy, not damaged: the caller says who holds it
        return readable(error)
    except sqlite3.DatabaseError as error:
        return readable(error)
    except UnicodeDecodeError:  # SQLite's own message quoted damaged bytes
        return "SQLite could not read its own schema"
    if rows == ["ok"]:
        return None
    lines = [line.strip() for row in rows for line in row.splitlines()]
    found = [line for line in lines if line and not line.startswith("***")]
    more = f"; and {len(found) - 2} more findings" if len(found) > 2 else ""
    return "its integrity check found: " + "; ".join(found[:2]) + more


def readable(error: BaseException) -> str:
    """An error's text, even when SQLite's message is not valid UTF-8."""
    try:
        return str(error)
    except UnicodeDecodeError:
        return "SQLite could not read its own schema"


def is_lock(error: BaseException) -> bool:
    text = readable(error).lower()
    return "locked" in text or "busy" in text


def is_damage(error: BaseException) -> bool:
    """Whether an exception (SQLAlchemy's or sqlite3's) says the file is damaged."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DatabaseCorrupt):
            return True
        if isinstance(current, UnicodeDecodeError):
            return True
        orig = getattr(current, "orig", None)
        text = readable(orig if orig is not None else current).lower()
        if isinstance(orig or current, sqlite3.DatabaseError) and any(
            word in text for word in _DAMAGE_WORDS
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def guard_writes(engine: Engine, where: str) -> None:
    """Refuse the first write through ``engine`` (and every one after) if the file is damaged.

    Hooks ``before_cursor_execute`` for INSERT/UPDATE/DELETE only, so reads,
    PRAGMAs and ``vru-crm check`` are never held up; once the check has passed
    it is one flag test per statement (an ``executemany`` of a whole batch is
    one statement).
    """
    state = {"checked": False}
    lock = threading.Lock()

    def before_write(
        _conn: Connection,
        cursor: sqlite3.Cursor,
        statement: str,
        _parameters: object,
        _context: object,
        _executemany: bool,
    ) -> None:
        if state["checked"] or not _WRITE.match(statement):
            return
        with lock:
            if state["checked"]:
                return
            problem = None if passed_recently(where) else quick_check(cursor.connection)
            if problem is None:
                state["checked"] = True
                note_passed(where)
                return
        raise DatabaseCorrupt(damaged_message(where, problem, "Nothing was saved."))

    event.listen(engine, "before_cursor_execute", before_write)
