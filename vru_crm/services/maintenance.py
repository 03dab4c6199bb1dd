"""Backups and integrity checks."""

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SADatabaseError

from db import search_index
from db.backup import backup_database
from db.migrate import current_revision, head_revision
from db.session import Database


def backup(database: Database, destination: Path) -> Path:
    """A consistent copy, safe to take while others are writing."""
    return backup_database(database.url, destination)


@dataclass
class CheckReport:
    ok: bool = True
    lines: list[str] = field(default_factory=list)

    def problem(self, line: str) -> None:
        self.ok = False
        self.lines.append(f"PROBLEM: {line}")


def check(database: Database) -> CheckReport:
    """Integrity, foreign keys and schema revision, each reported in words."""
    report = CheckReport()
    revision = current_revision(database)
    if revision != head_revision():
        report.problem(f"schema is at {revision}, expected {head_revision()}")
    else:
        report.lines.append(f"schema: up to date ({revision})")
    if database.is_sqlite:
        try:
            with database.engine.connect() as conn:
                integrity = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
                broken_keys = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
        except SADatabaseError as error:
            report.problem(f"the file is damaged: {error.orig}. Restore it from a backup.")
            return report
        if integrity != ["ok"]:
            report.problem("integrity check failed: " + "; ".join(integrity[:10]))
        else:
            report.lines.append("integrity: ok")
        if broken_keys:
            report.problem(f"{len(broken_keys)} rows point at records that no longer exist")
        else:
            report.lines.append("foreign keys: ok")
    else:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            indexed = search_index.trigram_indexed(conn)
        report.lines.append("server: reachable")
        report.lines.append(_search_line(indexed))
    return report


def _search_line(indexed: bool) -> str:
    """Whether search on PostgreSQL has its trigram indexes (migration 0008); it works either way."""
    if indexed:
        return "search: indexed (pg_trgm)"
    return (
        "search: unindexed, so each keystroke reads every name (slower on a large database): "
        "the pg_trgm extension is not in this database. A database administrator can run "
        "CREATE EXTENSION pg_trgm; the app adds the indexes the next time it opens the database."
    )
