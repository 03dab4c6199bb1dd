"""The audit trail in the words a user expects: "Consent of Grace Reid: withdrawn on 1 Dec 2026".

The trail stores table names, ids and field names ("consent_record 66",
"withdrawn_on") so it stays exact whatever the app later calls things. This
module turns a page of entries into words for the audit view: the record by
what it is and whose it is (the person, organisation, network or meeting it
belongs to, read in one query per kind for the whole page), the fields by
their form labels, dates as "1 Dec 2026", and a "What" line for every entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from vru_crm.errors import field_label
from vru_crm.london import LONDON

RECORD_WORDS: dict[str, str] = {
    "person": "Person",
    "organisation": "Organisation",
    "engagement": "Engagement",
    "consent_record": "Consent",
    "person_protection": "Data protection details",
    "subject_access_request": "Subject access request",
    "affiliation": "Affiliation",
    "stakeholder_assessment": "Assessment",
    "organisation_borough": "Borough",
    "organisation_tag": "Tag",
    "tag": "Tag",
    "network": "Network",
    "membership": "Membership",
    "standing_item": "Standing item",
    "meeting": "Meeting",
    "meeting_guest": "Guest",
    "attendance": "Attendance",
    "agenda_item": "Agenda item",
    "letter": "Letter",
    "recommendation": "Recommendation",
    "action": "Action",
    "engagement_organisation": "Organisation of an engagement",
    "engagement_person": "Person at an engagement",
    "engagement_borough": "Borough of an engagement",
    "engagement_network": "Network of an engagement",
    "engagement_objective": "Objective of an engagement",
    "staff_user": "Staff user",
}
ACTION_WORDS = {"create": "Added", "update": "Changed", "delete": "Deleted"}

# Whose record a row is: the first of these columns it has, and the name to show for it.
_OWNERS = (
    ("person_id", "person", "full_name"),
    ("organisation_id", "organisation", "name"),
    ("meeting_id", "meeting", "title"),
    ("network_id", "network", "name"),
)
_NAMED = {
    "person": "full_name",
    "organisation": "name",
    "network": "name",
    "meeting": "title",
    "engagement": "summary",
    "borough": "name",
    "objective": "title",
    "tag": "name",
}
# Rows that link two records: (the record they belong to, its column, the other's column, kind).
_LINKS = {
    "engagement_organisation": ("engagement", "engagement_id", "organisation_id", "organisation"),
    "engagement_person": ("engagement", "engagement_id", "person_id", "person"),
    "engagement_borough": ("engagement", "engagement_id", "borough_id", "borough"),
    "engagement_network": ("engagement", "engagement_id", "network_id", "network"),
    "engagement_objective": ("engagement", "engagement_id", "objective_id", "objective"),
    "organisation_borough": ("organisation", "organisation_id", "borough_id", "borough"),
    "organisation_tag": ("organisation", "organisation_id", "tag_id", "tag"),
}
_OWN_WORD = {"membership": " in ", "attendance": " at ", "affiliation": " at "}


def record_word(entity: str) -> str:
    return RECORD_WORDS.get(entity) or entity.replace("_", " ").capitalize()


def show_value(value: Any) -> str:
    """A stored value as the forms show it: dates as 1 Dec 2026, yes/no, (empty)."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            if len(value) == 10:
                return _day(date.fromisoformat(value))
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                moment = moment.astimezone(LONDON)
            return f"{_day(moment.date())}, {moment:%H:%M}"
        except ValueError:
            pass
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def field_words(name: str) -> str:
    """A field by its form label, in the middle of a sentence ("withdrawn on")."""
    label = field_label(name)
    return label[:1].lower() + label[1:] if not label[:2].isupper() else label


class Words:
    """Names for the records a page of entries is about, read once for the page."""

    def __init__(self, session: Session, rows: Iterable[Any]) -> None:
        rows = list(rows)
        self._parents = _current_parents(session, rows)
        wanted: dict[str, set[int]] = defaultdict(set)
        for row in rows:
            if row.entity in _NAMED and row.entity_id is not None:
                wanted[row.entity].add(row.entity_id)
            for column, kind, _name in _OWNERS:
                value = self._value(row, column)
                if isinstance(value, int):
                    wanted[kind].add(value)
            if row.entity in _LINKS:
                owner, own_column, other_column, other = _LINKS[row.entity]
                for kind, column in ((owner, own_column), (other, other_column)):
                    value = self._value(row, column)
                    if isinstance(value, int):
                        wanted[kind].add(value)
        self._names = _names(session, wanted)

    def _value(self, row: Any, column: str) -> Any:
        for change in row.changes:
            if change.field == column:
                return change.new if change.new is not None else change.old
        return self._parents.get((row.entity, row.entity_id), {}).get(column)

    def name_of(self, kind: str, record_id: int | None, fallback: str = "") -> str:
        if record_id is not None and (kind, record_id) in self._names:
            return self._names[(kind, record_id)]
        return fallback or (f"no. {record_id}" if record_id is not None else "")

    def record(self, row: Any) -> str:
        """ "Person Grace Reid", "Consent of Grace Reid", "Membership of Hackney CVS in PRG"."""
        word = record_word(row.entity)
        if row.entity in _LINKS:
            owner, own_column, _other_column, _other = _LINKS[row.entity]
            owner_id = self._value(row, own_column)
            owner_id = owner_id if isinstance(owner_id, int) else row.entity_id
            return f"{record_word(owner)} {self._quoted(owner, owner_id)}"
        if row.entity in _NAMED:
            own = _change(row, _NAMED[row.entity]) or row.summary
            name = self.name_of(row.entity, row.entity_id, own)
            if row.entity == "engagement" and not name.startswith("no. "):
                return f"{word} “{show_value(name)[:50]}”"
            return f"{word} {name}"
        owners = []
        for column, kind, _name in _OWNERS:
            value = self._value(row, column)
            if isinstance(value, int):
                owners.append(self.name_of(kind, value))
        if owners:
            joiner = _OWN_WORD.get(row.entity, ", ")
            return f"{word} of {owners[0]}" + (f"{joiner}{owners[1]}" if len(owners) > 1 else "")
        if row.summary:
            return f"{word} “{show_value(row.summary)}”"
        return f"{word} no. {row.entity_id}" if row.entity_id is not None else word

    def _quoted(self, kind: str, record_id: Any) -> str:
        name = self.name_of(kind, record_id if isinstance(record_id, int) else None)
        if kind == "engagement" and name and not name.startswith("no. "):
            return f"“{show_value(name)[:50]}”"
        return name

    def what(self, row: Any) -> str:
        """The entry in one line: the record, then what happened to it."""
        if row.action not in ACTION_WORDS:
            return row.summary or f"{row.action} {record_word(row.entity).lower()}"
        record = self.record(row)
        if row.entity in _LINKS:
            _owner, _own, other_column, other = _LINKS[row.entity]
            other_id = self._value(row, other_column)
            linked = self.name_of(other, other_id if isinstance(other_id, int) else None)
            verb = {"create": "added", "delete": "removed"}.get(row.action, "changed")
            return f"{record}: {record_word(other).lower()} {linked} {verb}"
        if row.action == "create":
            return f"{record}: added"
        if row.action == "delete":
            return f"{record}: deleted"
        changes = list(row.changes)
        if not changes:
            return f"{record}: changed"
        if len(changes) == 1:
            return f"{record}: {change_words(changes[0])}"
        names = ", ".join(field_words(c.field) for c in changes[:4])
        more = f" and {len(changes) - 4} more" if len(changes) > 4 else ""
        return f"{record}: {names}{more} changed"

    def details(self, row: Any) -> str:
        """Every field of the entry, by its label, old and new."""
        lines = []
        for change in row.changes:
            if row.action == "update":
                lines.append(f"{field_label(change.field)}: {self._show(change, change.old)} → "
                             f"{self._show(change, change.new)}")  # fmt: skip
            else:
                lines.append(f"{field_label(change.field)}: {self._show(change, change.new)}")
        return "\n".join(lines)

    def _show(self, change: Any, value: Any) -> str:
        for column, kind, _name in _OWNERS:
            if change.field == column and isinstance(value, int):
                return self.name_of(kind, value)
        return show_value(value)


def change_words(change: Any) -> str:
    """ "withdrawn on 1 Dec 2026" (a value given), "status: open → done" (one changed)."""
    field = field_words(change.field)
    if change.old is None and change.new is not None:
        return f"{field} {show_value(change.new)}"
    if change.new is None:
        return f"{field} cleared (was {show_value(change.old)})"
    return f"{field}: {show_value(change.old)} → {show_value(change.new)}"


def _change(row: Any, field: str) -> str:
    for change in row.changes:
        if change.field == field:
            value = change.new if change.new is not None else change.old
            return str(value) if value else ""
    return ""


def _current_parents(session: Session, rows: list[Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """The owner columns (person_id…) of the rows still in the database, one query per table."""
    ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.entity_id is not None and row.entity not in _NAMED:
            ids[row.entity].add(row.entity_id)
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for entity, wanted in ids.items():
        table = SQLModel.metadata.tables.get(entity)
        if table is None or "id" not in table.c:
            continue
        columns = [table.c[c] for c, _k, _n in _OWNERS if c in table.c]
        if not columns:
            continue
        query = sa.select(table.c.id, *columns).where(table.c.id.in_(sorted(wanted)))
        for record in session.connection().execute(query):
            found[(entity, record[0])] = dict(
                zip((c.name for c in columns), record[1:], strict=True)
            )
    return found


def _names(session: Session, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        table = SQLModel.metadata.tables.get(kind)
        if table is None or not ids:
            continue
        column = table.c[_NAMED[kind]]
        query = sa.select(table.c.id, column).where(table.c.id.in_(sorted(ids)))
        for record_id, name in session.connection().execute(query):
            if name:
                names[(kind, record_id)] = str(name)
    return names
