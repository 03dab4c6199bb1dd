"""The erasure register: which erased rows must be erased again when older data comes back.

A restore puts back whatever a backup held, including people erased since it
was taken. So every erasure is written down twice, outside the data a restore
replaces as well as inside it:

- the ``erasure_register`` table, in the same transaction as the erasure (every
  colleague's copy of the app sees it, and it travels with the data);
- a file the restore never touches: beside a SQLite file
  (``<file>-erasures.jsonl``), and for PostgreSQL in this user's data folder
  (one file per server and database; ``$VRU_CRM_REGISTER_DIR`` overrides the
  folder).

After any restore (``vru_crm.reliability.backups.restore_database``, or
``vru-crm erasures reapply`` after a pg_restore) both are read, their union is
written back to both, and every listed row still present is erased again.
An entry holds a person id, when that row was created, when its id was freed
and how it was erased: nothing that says who the person was (see
docs/DATA_PROTECTION.md, "Erasure and backups", for why not even a hash).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from db.models import Person
from db.models.protection import ErasureRecord
from db.session import Database

log = logging.getLogger(__name__)

REGISTER_DIR_ENV = "VRU_CRM_REGISTER_DIR"
SUFFIX = "-erasures.jsonl"


@dataclass(frozen=True)
class Entry:
    person_id: int
    person_created_at: datetime | None
    until: datetime
    mode: str = "delete"
    kind: str = "erased"

    @property
    def key(self) -> tuple[int, str | None, str]:
        created = _iso(self.person_created_at) if self.person_created_at else None
        return (self.person_id, created, self.kind)

    def is_row(self, person: Person) -> bool:
        """Whether ``person`` (same id) is the row that was erased, not a later one."""
        if person.id != self.person_id:
            return False
        if self.person_created_at is not None:
            return _iso(person.created_at) == _iso(self.person_created_at)
        return person.created_at <= self.until

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "person_created_at": _iso(self.person_created_at) if self.person_created_at else None,
            "until": _iso(self.until),
            "mode": self.mode,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        created = data.get("person_created_at")
        return cls(
            person_id=int(data["person_id"]),
            person_created_at=_parse(created) if created else None,
            until=_parse(data["until"]),
            mode=str(data.get("mode") or "delete"),
            kind=str(data.get("kind") or "erased"),
        )


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _parse(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def file_for(url: str) -> Path | None:
    """Where this database's register file lives (outside anything a restore replaces).

    None for an in-memory SQLite database, which no restore can bring back.
    """
    from db.engine import data_dir, is_sqlite_url, sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return path.with_name(path.name + SUFFIX)
    if is_sqlite_url(url):
        return None
    parsed = make_url(url)
    folder = Path(os.environ.get(REGISTER_DIR_ENV) or data_dir())
    label = f"{parsed.host or 'localhost'}-{parsed.port or 5432}-{parsed.database or 'default'}"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in label)
    return folder / f"erasures-{safe}.jsonl"


def record(s: Session, entries: Iterable[Entry]) -> None:
    """Add ``entries`` to the table, inside the erasure's own transaction."""
    known = {e.key for e in table_entries(s)}
    for entry in entries:
        if entry.key in known:
            continue
        known.add(entry.key)
        s.add(
            ErasureRecord(
                person_id=entry.person_id,
                person_created_at=entry.person_created_at,
                until=entry.until,
                mode=entry.mode,
                kind=entry.kind,
            )
        )


def table_entries(s: Session) -> list[Entry]:
    if not sa.inspect(s.connection()).has_table(ErasureRecord.__tablename__):
        return []  # an older schema (a backup being read before its migration)
    return [
        Entry(r.person_id, r.person_created_at, r.until, r.mode, r.kind)
        for r in s.exec(select(ErasureRecord).order_by(col(ErasureRecord.id)))
    ]


def file_entries(path: Path | None) -> list[Entry]:
    """The entries in a register file; a damaged line is skipped (and logged), not fatal."""
    if path is None or not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(Entry.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            log.warning("line %s of %s is not a register entry; skipped", number, path)
    return found


def write_file(path: Path | None, entries: Iterable[Entry]) -> None:
    """Write the register file whole (private to the user), replacing it in one step."""
    from vru_crm.reliability.files import write_private_text

    if path is None:
        return
    unique = merge(entries)
    text = "".join(json.dumps(e.to_json(), sort_keys=True) + "\n" for e in unique)
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(path.name + ".new")
    write_private_text(fresh, text)
    os.replace(fresh, path)  # a crash leaves the old register or the new one, never half of one


def merge(*groups: Iterable[Entry]) -> list[Entry]:
    """The union of several lists of entries, each once, oldest first."""
    seen: dict[tuple[int, str | None, str], Entry] = {}
    for group in groups:
        for entry in group:
            seen.setdefault(entry.key, entry)
    return sorted(seen.values(), key=lambda e: (e.until, e.person_id, e.kind))


def all_entries(database: Database, extra: Iterable[Entry] = ()) -> list[Entry]:
    """Table, file and ``extra`` together (the table may be unreadable: then file and extra)."""
    try:
        with database.session() as s:
            in_table = table_entries(s)
    except Exception as error:  # a damaged or foreign file must not hide the file's entries
        log.warning("the erasure register table could not be read: %s", error)
        in_table = []
    return merge(in_table, file_entries(file_for(database.url)), extra)


def save_file(database: Database, entries: Iterable[Entry]) -> None:
    """Bring the register file up to date with ``entries`` (after the erasure committed)."""
    path = file_for(database.url)
    write_file(path, merge(file_entries(path), entries))
