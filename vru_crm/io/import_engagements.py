"""Importing the engagement log in bulk: tens of thousands of rows in one transaction.

Rows are inserted in batches (one INSERT per batch per table, ids returned in
order), and one audit entry summarises the import instead of one per row, so
100,000 rows stay a matter of seconds rather than hours.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from db.audit import BULK_VALUES_LIMIT, bulk_changes, write_summary
from db.enums import AuditAction
from db.models import (
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    EngagementPerson,
    Network,
    Organisation,
    OrganisationBorough,
    Person,
    table_of,
)
from db.session import Database
from db.types import utcnow
from vru_crm import validation as v
from vru_crm.io.base import Cells, RowImporter, Tick
from vru_crm.io.lookups import NameLookup, saved
from vru_crm.io.tables import header_key
from vru_crm.london import today_in_london
from vru_crm.services.engagements import KINDS, staff_user_id
from vru_crm.services.reference import ReferenceIndex

COLUMNS = (
    "date", "kind", "organisations", "borough", "summary", "people", "networks", "objectives",
    "outcome", "people_reached", "follow_up", "follow_up_done", "notable", "logged_by",
)  # fmt: skip
BATCH = 1000

_LINK_TABLES = {
    "organisation_ids": (table_of(EngagementOrganisation), "organisation_id"),
    "person_ids": (table_of(EngagementPerson), "person_id"),
    "borough_ids": (table_of(EngagementBorough), "borough_id"),
    "network_ids": (table_of(EngagementNetwork), "network_id"),
    "objective_ids": (table_of(EngagementObjective), "objective_id"),
}
# What makes two engagements the same: date, kind, summary (case and spacing aside), organisations.
DuplicateKey = tuple[date, str, str, frozenset[int]]


@dataclass
class EngagementRow:
    occurred_on: date
    kind: str
    summary: str
    outcome: str
    people_reached: int
    follow_up_on: date | None
    follow_up_done: bool
    is_notable: bool
    logged_by: str
    organisation_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    borough_ids: list[int] = field(default_factory=list)
    network_ids: list[int] = field(default_factory=list)
    objective_ids: list[int] = field(default_factory=list)


def _summary_key(text: str) -> str:
    return " ".join(text.casefold().split())


class EngagementImporter(RowImporter):
    kind = "engagements"
    columns = COLUMNS
    required = ("date", "kind", "organisations", "borough", "summary")
    # The most rows one file may hold; past it the file is refused up front. Rows go in
    # batches of 1,000: 100,000 take about 15 s on SQLite, so this is a minute or two.
    max_rows = 200_000
    audit_rows = False

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.reference = ReferenceIndex.load(database)
        self.kinds = {header_key(k): k for k in KINDS}
        with database.session() as s:
            self.organisations = NameLookup(
                "organisation", saved(s.exec(select(col(Organisation.id), Organisation.name)))
            )
            self.networks = NameLookup(
                "network", saved(s.exec(select(col(Network.id), Network.name)))
            )
            self.people = NameLookup(
                "person", [], hint=", or give their e-mail address instead", plural="people"
            )
            for pid, name, email in s.exec(select(col(Person.id), Person.full_name, Person.email)):
                if pid is None:  # never so for a row read back
                    continue
                self.people.add(pid, name)
                if email:
                    self.people.add(pid, name, key=email)
            self.org_boroughs: dict[int, list[int]] = {}
            for org_id, borough_id in s.exec(
                select(OrganisationBorough.organisation_id, OrganisationBorough.borough_id)
            ):
                self.org_boroughs.setdefault(org_id, []).append(borough_id)
            self.seen = self._existing_keys(s)

    def check(self, cells: Cells) -> EngagementRow | None:
        row = EngagementRow(
            occurred_on=cells.date("date", required=True) or today_in_london(),
            kind=self._kind(cells),
            summary=cells.get("summary"),
            outcome=cells.get("outcome"),
            people_reached=self._count(cells),
            follow_up_on=cells.date("follow_up"),
            follow_up_done=cells.flag("follow_up_done"),
            is_notable=cells.flag("notable"),
            logged_by=cells.text("logged_by", 80) or self.database.username,
            organisation_ids=self._names(cells, "organisations", self.organisations),
            person_ids=self._names(cells, "people", self.people),
            borough_ids=self._boroughs(cells),
            network_ids=self._names(cells, "networks", self.networks),
            objective_ids=self._objectives(cells),
        )
        if not row.summary:
            cells.problem("summary", "a summary is required: a line on what happened")
        if row.follow_up_on and "date" not in cells.problems and row.follow_up_on < row.occurred_on:
            cells.problem("follow_up", "the follow-up date is before the engagement")
        if cells.problems or self._duplicate(cells, row):
            return None
        if not row.borough_ids:
            row.borough_ids = sorted(
                {b for o in row.organisation_ids for b in self.org_boroughs.get(o, [])}
            )
        return row

    def write(self, session: Session, items: list[EngagementRow], tick: Tick) -> int:
        users = {
            name: staff_user_id(session, name) for name in sorted({i.logged_by for i in items})
        }
        table = table_of(Engagement)
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        written: list[int] = []
        self.written_ids = written
        copied: list[dict[str, Any]] = []  # the values for the summary entry (up to its limit)
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            now = utcnow()
            values = [_values(item, users, now) for item in batch]
            ids = session.execute(statement, values).scalars().all()
            written.extend(ids)
            if len(items) <= BULK_VALUES_LIMIT:
                copied.extend(
                    {"id": i, **v, **{name: list(getattr(item, name)) for name in _LINK_TABLES}}
                    for i, v, item in zip(ids, values, batch, strict=True)
                )
            for name, (link, column) in _LINK_TABLES.items():
                links = [
                    {"engagement_id": eid, column: x}
                    for eid, item in zip(ids, batch, strict=True)
                    for x in getattr(item, name)
                ]
                if links:
                    session.execute(insert(link), links)
            tick(start + len(batch))
        write_summary(
            session,
            AuditAction.CREATE,
            "engagement",
            f"imported {len(items):,} engagements",
            bulk_changes(written, copied if len(items) <= BULK_VALUES_LIMIT else None, len(items)),
        )
        return len(items)

    def _existing_keys(self, s: Session) -> dict[DuplicateKey, int | None]:
        orgs: dict[int, set[int]] = {}
        for link_eid, oid in s.exec(
            select(EngagementOrganisation.engagement_id, EngagementOrganisation.organisation_id)
        ):
            orgs.setdefault(link_eid, set()).add(oid)
        keys: dict[DuplicateKey, int | None] = {}
        for eid, when, kind, summary in s.exec(
            select(
                col(Engagement.id),
                col(Engagement.occurred_on),
                col(Engagement.kind),
                col(Engagement.summary),
            )
        ):
            linked = frozenset(orgs.get(eid, ())) if eid is not None else frozenset[int]()
            keys[(when, kind, _summary_key(summary), linked)] = None
        return keys

    def _duplicate(self, cells: Cells, row: EngagementRow) -> bool:
        key = (
            row.occurred_on,
            row.kind,
            _summary_key(row.summary),
            frozenset(row.organisation_ids),
        )
        if key in self.seen:
            earlier = self.seen[key]
            where = f"repeats row {earlier}" if earlier else "is already in the database"
            cells.problem(
                "summary", f"this engagement {where} (same date, kind, organisations and summary)"
            )
            return True
        self.seen[key] = cells.number
        return False

    def _kind(self, cells: Cells) -> str:
        text = cells.get("kind")
        kind = self.kinds.get(header_key(text))
        if kind is None:
            shown = (
                f"'{v.short_value(text)}' is not a kind of engagement"
                if text
                else "a kind is required"
            )
            cells.problem("kind", f"{shown}. Use one of: {', '.join(KINDS)}")
            return ""
        return kind

    def _count(self, cells: Cells) -> int:
        try:
            return v.parse_count(
                cells.get("people_reached"), "people reached", v.PEOPLE_REACHED_MAX
            )
        except ValueError as error:
            cells.problem("people_reached", str(error))
            return 0

    def _names(self, cells: Cells, column: str, lookup: NameLookup) -> list[int]:
        ids = []
        for text in cells.items(column):
            found, problem = lookup.find(text)
            cells.problem(column, problem)
            if found is not None and found not in ids:
                ids.append(found)
        return ids

    def _boroughs(self, cells: Cells) -> list[int]:
        ids = []
        for text in cells.items("borough"):
            borough = self.reference.borough(text)
            if borough is None:
                cells.problem("borough", self.reference.borough_problem(text))
            elif borough.id not in ids:
                ids.append(borough.id)
        return ids

    def _objectives(self, cells: Cells) -> list[int]:
        ids = []
        for text in cells.items("objectives"):
            objective = self.reference.objective(text)
            if objective is None:
                cells.problem("objectives", self.reference.objective_problem(text))
            elif objective.id not in ids:
                ids.append(objective.id)
        return ids


def _values(item: EngagementRow, users: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "occurred_on": item.occurred_on,
        "kind": item.kind,
        "logged_by_id": users[item.logged_by],
        "summary": item.summary,
        "outcome": item.outcome,
        "people_reached": item.people_reached,
        "follow_up_on": item.follow_up_on,
        "follow_up_done": item.follow_up_done,
        "is_notable": item.is_notable,
        "is_synthetic": False,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
