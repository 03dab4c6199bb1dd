"""Snapshots that make undo of a delete or a merge possible.

Undo of a delete must bring a record back *with its links*; undo of a merge must
put both records back as they were. Rather than one inverse per operation, a
``Snapshot`` copies a record's row and every row that points at it (found from
the foreign keys in the schema, so a new link table is covered without a code
change). ``restore`` writes them back with their original ids, through the ORM
so the audit trail records the restore like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table
from sqlmodel import Session, SQLModel, select

import db.models as models
from db.errors import ConcurrentEditError
from db.session import Database
from vru_crm.services.records import KINDS, not_found, plain, version_of

# What a user calls the rows of each link table (for "what moves" in a merge preview).
LINK_LABELS: dict[str, tuple[str, str]] = {
    "affiliation": ("affiliation", "affiliations"),
    "membership": ("network membership", "network memberships"),
    "engagement_organisation": ("engagement", "engagements"),
    "engagement_person": ("engagement", "engagements"),
    "attendance": ("meeting attended", "meetings attended"),
    "stakeholder_assessment": ("stakeholder assessment", "stakeholder assessments"),
    "organisation_borough": ("borough", "boroughs"),
    "organisation_tag": ("tag", "tags"),
    "action": ("action owned", "actions owned"),
}
# Set by the database when a row is written again, never copied from a snapshot.
_SKIP_COLUMNS = frozenset({"version", "created_at", "updated_at"})


@dataclass
class Snapshot:
    """A record's row and every row pointing at it, as plain column values."""

    kind: str
    id: int
    row: dict[str, Any]
    links: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Rows whose nullable reference (ON DELETE SET NULL) points at the record:
    # (table, primary key values, column).
    references: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many linked rows of each kind, keyed by table: {"affiliation": 2, ...}."""
        totals = {table: len(rows) for table, rows in self.links.items() if rows}
        owned = sum(1 for table, _, _ in self.references if table == "action")
        if owned:
            totals["action"] = owned
        return totals

    def describe(self) -> str:
        """The counts in words: "2 affiliations, 1 engagement" ("no links" when none)."""
        parts = []
        for table, n in self.counts().items():
            words = table.replace("_", " ")
            one, many = LINK_LABELS.get(table, (words, words))
            parts.append(f"{n} {one if n == 1 else many}")
        return ", ".join(parts) or "no links"


def snapshot(database: Database, kind: str, record_id: int) -> Snapshot:
    """Copy the record and all its links, before a delete or a merge."""
    model = KINDS[kind]
    with database.session(audit_rows=False) as s:
        obj = s.get(model, record_id)
        if obj is None:
            raise not_found(kind, record_id)
        shot = Snapshot(kind, record_id, plain(obj))
        for table, column, ondelete in _incoming(_table(model)):
            link_model = _model_for(table)
            rows = s.exec(select(link_model).where(getattr(link_model, column) == record_id)).all()
            if ondelete == "CASCADE":
                shot.links.setdefault(table.name, []).extend(plain(r) for r in rows)
                continue
            for r in rows:
                keys = {c.name: getattr(r, c.name) for c in table.primary_key.columns}
                shot.references.append((table.name, keys, column))
        return shot


def restore(database: Database, shot: Snapshot) -> int:
    """Re-create a deleted record with its id and links; returns its new version.

    Links to records that have since gone (an engagement deleted meanwhile) are
    skipped rather than failing the whole undo.
    """
    with database.session() as s:
        model = KINDS[shot.kind]
        if s.get(model, shot.id) is not None:
            raise ConcurrentEditError(
                f"This {shot.kind} exists again already; there is nothing to bring back."
            )
        obj = model(**{k: v for k, v in shot.row.items() if k not in _SKIP_COLUMNS})
        s.add(obj)
        s.flush()
        _restore_links(s, shot)
        s.flush()
        return version_of(obj)


def unmerge(
    database: Database, kept: Snapshot, merged_away: Snapshot, version_after_merge: int
) -> int:
    """Undo a merge: the kept record goes back to its own values and links, the other returns.

    Refuses (ConcurrentEditError) when the kept record was edited after the
    merge, since that edit would be lost. Returns the kept record's new version.
    """
    model = KINDS[kept.kind]
    with database.session() as s:
        obj = s.get(model, kept.id)
        if obj is None or version_of(obj) != version_after_merge:
            raise ConcurrentEditError(
                f"The {kept.kind} was changed after the merge, so the merge can no longer be undone."
            )
        for key, value in kept.row.items():
            if key not in _SKIP_COLUMNS and key != "id":
                setattr(obj, key, value)
        s.add(obj)
        _drop_links(s, kept)
        s.flush()
        _restore_links(s, kept)
        other = model(**{k: v for k, v in merged_away.row.items() if k not in _SKIP_COLUMNS})
        s.add(other)
        s.flush()
        _restore_links(s, merged_away)
        s.flush()
        return version_of(obj)


def _table(model: type[SQLModel]) -> Table:
    return cast(Table, cast(Any, model).__table__)


def _model_for(table: Table) -> type[SQLModel]:
    for name in models.__all__:
        candidate = getattr(models, name)
        if getattr(candidate, "__table__", None) is table:
            return cast(type[SQLModel], candidate)
    raise LookupError(table.name)


def _incoming(target: Table) -> list[tuple[Table, str, str | None]]:
    """(table, column, ondelete) for every foreign key that points at ``target.id``."""
    found = []
    for table in models.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target and fk.column.name == "id":
                found.append((table, fk.parent.name, fk.ondelete))
    return found


def _restore_links(s: Session, shot: Snapshot) -> None:
    by_name = {t.name: t for t in models.metadata.sorted_tables}
    for table_name, rows in shot.links.items():
        link_model = _model_for(by_name[table_name])
        for values in rows:
            if _targets_exist(s, by_name[table_name], values) and not _row_exists(
                s, link_model, values
            ):
                s.add(link_model(**values))
    for table_name, keys, column in shot.references:
        row = s.get(_model_for(by_name[table_name]), tuple(keys.values()))
        if row is not None and getattr(row, column) is None:
            setattr(row, column, shot.id)
            s.add(row)


def _targets_exist(s: Session, table: Table, values: dict[str, Any]) -> bool:
    """True when every record the link row points at still exists."""
    for fk in table.foreign_keys:
        value = values.get(fk.parent.name)
        if value is not None and s.get(_model_for(fk.column.table), value) is None:
            return False
    return True


def _row_exists(s: Session, link_model: type[SQLModel], values: dict[str, Any]) -> bool:
    keys = tuple(values[c.name] for c in _table(link_model).primary_key.columns)
    return s.get(link_model, keys if len(keys) > 1 else keys[0]) is not None


def _drop_links(s: Session, shot: Snapshot) -> None:
    """Delete every row that points at the record now (the merge added some)."""
    for table, column, ondelete in _incoming(_table(KINDS[shot.kind])):
        link_model = _model_for(table)
        rows = s.exec(select(link_model).where(getattr(link_model, column) == shot.id)).all()
        for row in rows:
            if ondelete == "CASCADE":
                s.delete(row)
            else:
                setattr(row, column, None)
                s.add(row)
