"""Automatic, rotated backups of a SQLite file, with a preview of each and a safe restore.

Backups are consistent copies made with SQLite's online backup API (see
``db.backup``), taken on start-up before any migration and then on a schedule
(the app calls ``backup_if_due`` from a timer). When no migration is pending
the app takes the start-up copy off the UI thread after its window is up,
and only if no automatic copy is younger than the policy's interval
(``startup_backup_if_due`` says why). They sit in ``backups/`` beside
the data file, private to the user, named ``<file>-<kind>-<YYYYMMDD-HHMMSS>.sqlite3``
so a person browsing the folder can tell them apart.

Rotation keeps the newest automatic backup of each of the last ``keep_daily``
days and of each of the last ``keep_weekly`` ISO weeks; everything older goes.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.backup import backup_sqlite, ensure_not_locked
from db.engine import sqlite_path
from db.errors import DatabaseCorrupt
from db.session import Database
from vru_crm.errors import UserError
from vru_crm.reliability.files import make_private, private_dir, remove_leftovers_beside

if TYPE_CHECKING:
    from vru_crm.protection.register import Entry

NO_AUTO_BACKUP_ENV = "VRU_CRM_NO_AUTO_BACKUP"
AUTO_KINDS = ("startup", "scheduled")
KEEP_BEFORE_RESTORE = 5
STAMP = "%Y%m%d-%H%M%S"
KIND_LABELS = {
    "startup": "on start-up",
    "scheduled": "scheduled",
    "before-restore": "before a restore",
    "manual": "made by hand",
}
# Tables worth naming in a preview, with the words shown for them.
PREVIEW_TABLES = {
    "organisation": "organisations",
    "person": "people",
    "engagement": "engagements",
    "meeting": "meetings",
    "network": "networks",
    "action": "actions",
    "audit_entry": "audit entries",
}


class RestoreNotPossible(UserError):
    """The restore was refused before anything changed; the message says why."""


@dataclass(frozen=True)
class BackupPolicy:
    keep_daily: int = 7
    keep_weekly: int = 4
    every_hours: float = 24.0


DEFAULT_POLICY = BackupPolicy()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    kind: str
    size: int

    @property
    def kind_label(self) -> str:
        if self.kind.startswith("before-") and self.kind not in KIND_LABELS:
            return f"before upgrading from schema {self.kind.removeprefix('before-')}"
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class BackupPreview:
    path: Path
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)
    newest_engagement: date | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def lines(self) -> list[str]:
        if self.problem:
            return [f"This file cannot be restored: {self.problem}"]
        lines = [
            f"{self.counts.get(t, 0):,} {label}"
            for t, label in PREVIEW_TABLES.items()
            if t in self.counts
        ]
        newest = (
            f"newest engagement {self.newest_engagement:%d/%m/%Y}"
            if self.newest_engagement
            else "no engagements"
        )
        return [*lines, newest, f"schema {self.revision}", "integrity: ok"]

    def summary_lines(self) -> list[str]:
        """The same, in three lines for a dialog."""
        lines = self.lines()
        if self.problem:
            return lines
        return [
            "Holds " + ", ".join(lines[:-3]) + ".",
            lines[-3].capitalize() + ".",
            f"Schema {self.revision}; integrity check passed.",
        ]


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_copy: Path | None
    revision: str | None
    # People erased since the backup was taken, erased again from the restored data.
    erased_again: int = 0
    register_entries: int = 0
    unfinished: str | None = None

    def lines(self) -> list[str]:
        """What the restore did, in words (the CLI prints them, the dialog shows them)."""
        lines = [f"Restored from {self.restored_from.name}."]
        if self.safety_copy:
            lines.append(f"The file it replaced was kept as {self.safety_copy.name}.")
        if self.erased_again:
            lines.append(
                f"{self.erased_again} person record(s) erased since this backup was taken were "
                "erased again (the erasure register is re-applied after every restore)."
            )
        else:
            lines.append(
                f"The erasure register ({self.register_entries} erased record(s)) was re-applied: "
                "nobody erased came back."
            )
        if self.unfinished:
            lines.append(self.unfinished)
        return lines


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _name(db_path: Path, kind: str, now: datetime) -> Path:
    folder = private_dir(backup_folder(db_path))
    base = f"{db_path.stem}-{kind}-{now.strftime(STAMP)}"
    candidate, n = folder / f"{base}.sqlite3", 2
    while candidate.exists():
        candidate, n = folder / f"{base}-{n}.sqlite3", n + 1
    return candidate


def take_backup(db_path: Path, kind: str = "manual", now: datetime | None = None) -> Path:
    """A consistent, private copy of ``db_path`` in its ``backups`` folder."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        raise UserError(f"There is nothing to back up at {db_path}.")
    destination = _name(db_path, kind, now or datetime.now())
    backup_sqlite(db_path, destination)
    make_private(destination)
    return destination


def auto_backup_disabled() -> bool:
    return os.environ.get(NO_AUTO_BACKUP_ENV, "").strip() not in ("", "0")


def startup_backup(
    db_path: Path, policy: BackupPolicy = DEFAULT_POLICY, force: bool = False
) -> Path | None:
    """Back up an existing file on start-up (before migrations), then rotate.

    Skipped for a new or empty file, and when $VRU_CRM_NO_AUTO_BACKUP is set
    (the test suite sets it) unless ``force``.
    """
    if (auto_backup_disabled() and not force) or not db_path.exists():
        return None
    if db_path.stat().st_size == 0:
        return None
    path = take_backup(db_path, "startup")
    rotate(db_path, policy)
    return path


def startup_backup_if_due(
    db_path: Path, policy: BackupPolicy = DEFAULT_POLICY, now: datetime | None = None
) -> Path | None:
    """The start-up backup the app takes after its window is up, when no migration was pending.

    Skipped when an automatic backup younger than ``policy.every_hours`` exists
    (and, like ``startup_backup``, for a new or empty file or with
    $VRU_CRM_NO_AUTO_BACKUP). Why: rotation keeps only the newest automatic
    backup of each day, so a second start-up copy on the same day mostly
    replaces the first, while copying the whole file costs about 1.4 s and a
    300 MB write at 500,000 engagements, on every start, on a machine the
    user is working on. The promise of the backups still holds: a migration gets a
    copy before it runs (``open_for_app``, synchronously), and there is an
    automatic backup at least every ``every_hours`` (this check at start-up,
    then ``backup_if_due`` on a timer). The price: after a bad session, the
    newest restore point may be from an earlier start the same day.
    """
    if auto_backup_disabled() or not db_path.exists() or db_path.stat().st_size == 0:
        return None
    now = now or datetime.now()
    if _recent_auto_backup(db_path, policy, now):
        return None
    made = take_backup(db_path, "startup", now)
    rotate(db_path, policy, now)
    return made


def _recent_auto_backup(db_path: Path, policy: BackupPolicy, now: datetime) -> bool:
    """Whether the newest automatic backup is younger than ``every_hours``."""
    newest = next((b for b in list_backups(db_path) if b.kind in AUTO_KINDS), None)
    return newest is not None and now - newest.taken_at < timedelta(hours=policy.every_hours)


def backup_if_due(
    database: Database, policy: BackupPolicy = DEFAULT_POLICY, now: datetime | None = None
) -> Path | None:
    """Take a scheduled backup if the newest automatic one is older than ``every_hours``."""
    path = database.path
    if path is None or getattr(database, "read_only", False):
        return None
    now = now or datetime.now()
    if _recent_auto_backup(path, policy, now):
        return None
    made = take_backup(path, "scheduled", now)
    rotate(path, policy, now)
    return made


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this file, newest first (automatic, manual, before migration or restore)."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(
        rf"^{re.escape(db_path.stem)}-(?P<kind>.+?)-(?P<stamp>\d{{8}}-\d{{6}})(?:-\d+)?\.sqlite3$"
    )
    found = []
    for candidate in folder.iterdir():
        match = pattern.match(candidate.name)
        if not match:
            continue
        taken = datetime.strptime(match["stamp"], STAMP)
        found.append(BackupInfo(candidate, taken, match["kind"], candidate.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def rotate(
    db_path: Path, policy: BackupPolicy = DEFAULT_POLICY, now: datetime | None = None
) -> list[Path]:
    """Delete automatic backups that no daily or weekly slot keeps; returns what went."""
    backups = list_backups(db_path)
    auto = [b for b in backups if b.kind in AUTO_KINDS]
    keep: set[Path] = {auto[0].path} if auto else set()
    days: list[date] = []
    weeks: list[tuple[int, int]] = []
    for b in auto:  # newest first, so the first of each day or week is its newest
        day, week = b.taken_at.date(), b.taken_at.isocalendar()[:2]
        if day not in days and len(days) < policy.keep_daily:
            days.append(day)
            keep.add(b.path)
        if week not in weeks and len(weeks) < policy.keep_weekly:
            weeks.append(week)
            keep.add(b.path)
    restores = [b for b in backups if b.kind == "before-restore"]
    stale = [b.path for b in auto if b.path not in keep]
    stale += [b.path for b in restores[KEEP_BEFORE_RESTORE:]]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def preview(path: Path) -> BackupPreview:
    """What a backup holds (counts per table, newest engagement), read without changing it."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as error:
        return BackupPreview(path, None, problem=f"it cannot be opened ({error})")
    try:
        return _preview(conn, path)
    except sqlite3.DatabaseError as error:
        return BackupPreview(
            path, None, problem=f"it is not a VRU CRM database or is damaged ({error})"
        )
    finally:
        conn.close()


def _preview(conn: sqlite3.Connection, path: Path) -> BackupPreview:
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        return BackupPreview(path, None, problem="its integrity check failed")
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    if "alembic_version" not in tables:
        return BackupPreview(path, None, problem="it is not a VRU CRM database")
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    counts = {
        t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for t in tables
        if t != "alembic_version"
    }
    newest = None
    if "engagement" in tables:
        value = conn.execute("SELECT max(occurred_on) FROM engagement").fetchone()[0]
        newest = date.fromisoformat(value[:10]) if value else None
    return BackupPreview(path, revision[0] if revision else None, counts, newest)


def restore(database_url: str, backup: Path) -> RestoreResult:
    """Put ``backup`` in place of the database at ``database_url``, keeping a copy of the current one.

    The caller closes its own connections first (``Database.dispose()``) and
    opens the database again afterwards, which migrates an older backup. The
    copy is written through SQLite's backup API into the live file, so a
    program that still has it open sees either the old or the restored data,
    never a mix.
    """
    target = sqlite_path(database_url)
    if target is None:
        raise RestoreNotPossible(
            "Restoring from the app works for a SQLite file only. This is a PostgreSQL "
            "database: ask whoever runs the server to restore it with pg_restore from a "
            "pg_dump backup (see docs/DATA_PROTECTION.md)."
        )
    remove_leftovers_beside(target)  # a killed restore or backup left a half copy
    _check_restorable(backup, target)
    _check_writable(target)
    safety = _safety_copy(target) if target.exists() and target.stat().st_size else None
    _copy_into(backup, target)
    make_private(target)
    return RestoreResult(backup, safety, preview(backup).revision)


def _check_restorable(backup: Path, target: Path) -> None:
    from db.migrate import known_revisions

    if not backup.exists():
        raise RestoreNotPossible(f"There is no backup file at {backup}.")
    if backup.resolve() == target.resolve():
        raise RestoreNotPossible("That is the database itself, not a backup of it.")
    found = preview(backup)
    if not found.ok:
        raise RestoreNotPossible(found.lines()[0])
    if found.revision not in known_revisions():
        raise RestoreNotPossible(
            f"This backup was made by a newer version of the VRU CRM (schema {found.revision}). "
            "Install that version to restore it."
        )


def _check_writable(target: Path) -> None:
    """A read-only file or folder is refused in words before anything is copied."""
    from vru_crm.reliability.readonly import may_write, write_problem

    problem = write_problem(target)
    folder = backup_folder(target)
    if problem is None and folder.exists() and not may_write(folder):
        problem = f"the backups folder {folder} is read-only, so the current file could not be kept"
    if problem:
        raise RestoreNotPossible(f"Nothing was restored: {problem}.")


def _safety_copy(target: Path) -> Path:
    """A copy of the current file before it is replaced; a damaged file is copied byte for byte."""
    try:
        return take_backup(target, "before-restore")
    except (sqlite3.DatabaseError, DatabaseCorrupt):
        destination = _name(target, "before-restore", datetime.now())
        shutil.copy2(target, destination)
        make_private(destination)
        return destination


class _Busy(Exception):
    """The live file stayed locked by someone else for longer than we wait."""


def _copy_into(backup: Path, target: Path, wait_seconds: float = 5.0) -> None:
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    deadline = time.monotonic() + wait_seconds

    def give_up_when_busy(status: int, _remaining: int, _total: int) -> None:
        # sqlite3's backup retries a locked destination for ever; this bounds the wait.
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Busy()

    try:
        destination = sqlite3.connect(target, timeout=wait_seconds)
        try:
            source.backup(destination, pages=256, progress=give_up_when_busy, sleep=0.1)
        finally:
            destination.close()
    except _Busy:
        from db.locks import holders_text

        raise RestoreNotPossible(
            f"Someone else is using the database{holders_text(target)}: ask them to close "
            "the app, then restore again. The data file was not changed."
        ) from None
    except sqlite3.DatabaseError:  # the current file is damaged: replace it whole instead
        _replace_file(source, target)
    finally:
        source.close()


def _replace_file(source: sqlite3.Connection, target: Path) -> None:
    tmp = target.with_name(target.name + ".restoring")
    tmp.unlink(missing_ok=True)
    fresh = sqlite3.connect(tmp)
    try:
        source.backup(fresh)
    finally:
        fresh.close()
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    tmp.replace(target)


def restore_database(database_url: str, backup: Path, username: str | None = None) -> RestoreResult:
    """Restore, reopen (migrating an older backup), re-apply the erasure register, audit it.

    Why the register: a backup taken before an erasure still holds the erased
    person. The register (read from the file beside the database and from the
    current database before it is replaced) is re-applied to the restored
    data, so no restore ever brings back someone who was erased; the audit
    entries of those erasures are carried forward too.
    """
    from dataclasses import replace

    from db.audit import write_summary
    from db.enums import AuditAction
    from db.migrate import open_database
    from vru_crm.protection.erasure import reapply_register

    target = sqlite_path(database_url)
    if target is not None:
        _check_writable(target)  # a read-only file or folder: refused before anything is touched
        ensure_not_locked(target, "restore")  # held by another program: one bounded wait
    carried, erase_entries = _read_before_restore(database_url)
    result = restore(database_url, backup)
    database = open_database(database_url, username=username)
    try:
        _carry_erase_entries(database, erase_entries)
        again = reapply_register(database, carried)
        result = replace(
            result,
            erased_again=len(again.erased_again),
            register_entries=again.entries,
            unfinished=again.unfinished,
        )
        with database.session() as s:
            write_summary(s, AuditAction.UPDATE, "database", " ".join(result.lines()))
    finally:
        database.dispose()
    return result


def _read_before_restore(database_url: str) -> tuple[list[Entry], list[dict[str, Any]]]:
    """The register and the erasure audit entries of the database about to be replaced."""
    import sqlalchemy as sa

    from db.models import AuditEntry, table_of
    from vru_crm.protection import register

    target = sqlite_path(database_url)
    if target is None or not target.exists() or target.stat().st_size == 0:
        return [], []
    database = Database(database_url)
    try:
        entries = register.all_entries(database)
        with database.session() as s:
            table = table_of(AuditEntry)
            rows = s.connection().execute(sa.select(table).where(table.c.action == "erase"))
            erase_entries = [dict(r) for r in rows.mappings()]
    except Exception:  # a damaged file: the register file beside it still holds the entries
        entries = register.file_entries(register.file_for(database_url))
        erase_entries = []
    finally:
        database.dispose()
    register.write_file(register.file_for(database_url), entries)
    return entries, erase_entries


def _carry_erase_entries(database: Database, entries: list[dict[str, Any]]) -> None:
    """Put back the audit entries of erasures that the restored data does not have."""
    if not entries:
        return
    import sqlalchemy as sa

    from db.models import AuditEntry, table_of

    table = table_of(AuditEntry)
    with database.session(audit_rows=False) as s:
        conn = s.connection()
        have = {
            (r.entity_id, r.at, r.summary)
            for r in conn.execute(
                sa.select(table.c.entity_id, table.c.at, table.c.summary).where(
                    table.c.action == "erase"
                )
            )
        }
        missing = [
            {k: v for k, v in e.items() if k != "id"}
            for e in entries
            if (e["entity_id"], e["at"], e["summary"]) not in have
        ]
        if missing:
            conn.execute(sa.insert(table), missing)


def erase_from_backups(db_path: Path, entries: list[Entry]) -> int:
    """Re-apply the erasure register to every automatic backup of ``db_path``; files changed.

    A backup that holds none of the registered ids is left untouched (read
    only, without migrating it). One that does is migrated to the current
    schema if needed, erased exactly as the live file was, compacted so the
    values leave no trace in its pages, and made private again. Its name (and
    so its date and kind) stays, so rotation and restore treat it as before.
    """
    ids = {e.person_id for e in entries}
    changed = 0
    for backup in list_backups(db_path):
        if ids and _holds_any(backup.path, ids):
            _erase_in_file(backup.path, entries)
            changed += 1
    return changed


def _holds_any(path: Path, ids: set[int]) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        marks = ",".join("?" * len(ids))
        row = conn.execute(f"SELECT 1 FROM person WHERE id IN ({marks}) LIMIT 1", sorted(ids))
        return row.fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _erase_in_file(path: Path, entries: list[Entry]) -> None:
    from db.migrate import current_revision, head_revision, upgrade
    from vru_crm.protection.erasure import reapply_register

    database = Database(f"sqlite:///{path}", username="erasure register")
    try:
        if current_revision(database) != head_revision():
            upgrade(database, backup=False)
        reapply_register(database, entries, save_file=False)
    finally:
        database.dispose()
    conn = sqlite3.connect(path)  # back to a single self-contained file, as backups are made
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    make_private(path)
