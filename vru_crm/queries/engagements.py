"""The engagement log as a paged list: one row per engagement, partners joined as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from db.enums import ENGAGEMENT_KIND_LABELS
from vru_crm.london import today_in_london
from vru_crm.queries import tables as t
from vru_crm.queries.common import (
    Choice,
    Column,
    Filters,
    ListQuery,
    Sort,
    direction,
    joined,
    sorted_list,
)

KIND_LABELS: dict[str, str] = dict(ENGAGEMENT_KIND_LABELS)


@dataclass(frozen=True)
class EngagementRow:
    id: int
    occurred_on: date
    kind: str
    organisations: str
    boroughs: str
    summary: str
    logged_by: str
    follow_up_on: date | None
    follow_up_done: bool

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class EngagementQuery(ListQuery[EngagementRow]):
    columns = (
        Column("date", "Date"),
        Column("kind", "Kind"),
        Column(
            "organisations", "Organisations", sortable=False
        ),  # a sort key per row: too slow at 100k
        Column("boroughs", "Boroughs", sortable=False),
        Column("summary", "Summary"),
        Column("logged_by", "Logged by"),
        Column("follow_up", "Follow-up"),
    )
    filter_fields = frozenset(
        {
            "text",
            "sector",
            "borough_id",
            "network_id",
            "objective_id",
            "date_from",
            "date_to",
            "kind",
            "status",
        }
    )
    default_sort = Sort("date", descending=True)
    kinds: ClassVar[tuple[Choice, ...]] = tuple(Choice(k, v) for k, v in KIND_LABELS.items())
    statuses: ClassVar[tuple[Choice, ...]] = (
        Choice("follow_up_open", "Follow-up open"),
        Choice("follow_up_overdue", "Follow-up overdue"),
        Choice("notable", "Flagged for the PRG"),
    )

    def _id_column(self) -> ColumnElement[int]:
        return t.engagement.c.id

    def _from(self) -> Any:
        if self.sort.column == "logged_by":
            return t.engagement.outerjoin(
                t.staff_user, t.staff_user.c.id == t.engagement.c.logged_by_id
            )
        return t.engagement

    def _count(self, conn: Connection) -> int:
        """The whole log, or one kind of it: summed from the dashboard's rollup.

        The rollup (``db/rollup.py``, kept by triggers in the same transaction
        as every write) counts engagements per span by kind, and every
        engagement has one kind, so its kinds add up to the log: about 3,000
        rows to add instead of 500,000 to count (PostgreSQL: 15-20 ms, more
        when it starts parallel workers on a busy machine; SQLite: 7 ms).
        Any other filter is counted on the log itself.
        """
        if replace(self.filters, kind=None, text=self.filters.text.strip()) != Filters():
            return super()._count(conn)
        r = t.engagement_rollup.c
        statement = sa.select(sa.func.coalesce(sa.func.sum(r.engagements), 0)).where(
            r.dim == "kind"
        )
        if self.filters.kind:
            statement = statement.where(r.item == self.filters.kind)
        return int(conn.execute(statement).scalar_one())

    def _reads_back_cheaply(self) -> bool:
        """Not by who logged it on SQLite, which sorts that in memory, and slowly backwards.

        Twelve staff names over 500,000 rows: SQLite's sorter takes the rows
        in index order and, read from the end, replaces its kept rows at nearly
        every step. Measured: the last page 115 ms forwards, 160 ms from the
        end; the middle 78 ms forwards, 325 ms from the end. PostgreSQL reads
        it from the end in a third of the time (the last page 290 ms to 96 ms).
        """
        return not (self.database.is_sqlite and self.sort.column == "logged_by")

    def _conditions(self) -> list[ColumnElement[bool]]:
        f, e = self.filters, t.engagement.c
        where: list[ColumnElement[bool]] = []
        if f.date_from:
            where.append(e.occurred_on >= f.date_from)
        if f.date_to:
            where.append(e.occurred_on <= f.date_to)
        if f.kind:
            where.append(e.kind == f.kind)
        where += self._status_conditions(f.status)
        where += self._link_conditions()
        if f.text.strip():
            where.append(self._text_condition(f.text.strip()))
        return where

    def _status_conditions(self, status: str | None) -> list[ColumnElement[bool]]:
        e = t.engagement.c
        open_follow_up = sa.and_(e.follow_up_on.is_not(None), e.follow_up_done.is_(False))
        if status == "follow_up_open":
            return [open_follow_up]
        if status == "follow_up_overdue":
            return [open_follow_up, e.follow_up_on < today_in_london()]
        if status == "notable":
            return [e.is_notable.is_(True)]
        return []

    def _link_conditions(self) -> list[ColumnElement[bool]]:
        f, e = self.filters, t.engagement.c
        where: list[ColumnElement[bool]] = []
        if f.borough_id is not None:
            eb = t.engagement_borough.c
            where.append(e.id.in_(sa.select(eb.engagement_id).where(eb.borough_id == f.borough_id)))
        if f.network_id is not None:
            en = t.engagement_network.c
            where.append(e.id.in_(sa.select(en.engagement_id).where(en.network_id == f.network_id)))
        if f.objective_id is not None:
            eo = t.engagement_objective.c
            where.append(
                e.id.in_(sa.select(eo.engagement_id).where(eo.objective_id == f.objective_id))
            )
        if f.sector:
            where.append(
                _through_organisations(
                    sa.select(t.organisation.c.id).where(t.organisation.c.sector == f.sector)
                )
            )
        return where

    def _text_condition(self, text: str) -> ColumnElement[bool]:
        """Summary or outcome, or the name of a partner or person involved, contains ``text``.

        Names are matched first (10,000 organisations, not 130,000 links), then
        their engagements are found through the link tables' indexes.
        """
        e, o, p, ep = t.engagement.c, t.organisation.c, t.person.c, t.engagement_person.c
        people = sa.select(ep.engagement_id).where(
            ep.person_id.in_(sa.select(p.id).where(self._contains(p.full_name, text)))
        )
        return sa.or_(
            self._contains(e.summary, text),
            self._contains(e.outcome, text),
            _through_organisations(sa.select(o.id).where(self._contains(o.name, text))),
            e.id.in_(people),
        )

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        e = t.engagement.c
        key = sort.column
        if key == "date":
            return [direction(e.occurred_on, sort)]
        if key == "kind":
            return [direction(e.kind, sort)]
        if key == "summary":
            return [direction(sa.func.lower(e.summary), sort)]
        if key == "logged_by":
            return [direction(t.staff_user.c.display_name, sort, nullable=True)]
        if key == "follow_up":
            return [direction(e.follow_up_on, sort, nullable=True)]
        return [direction(e.occurred_on, sort)]

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, EngagementRow]:
        return dress_engagements(conn, ids)


def _through_organisations(organisation_ids: sa.Select[Any]) -> ColumnElement[bool]:
    """Engagements with any of these organisations (looked up by the link table's index)."""
    eo = t.engagement_organisation.c
    linked = sa.select(eo.engagement_id).where(eo.organisation_id.in_(organisation_ids))
    return t.engagement.c.id.in_(linked)


def linked_names(
    conn: Connection, link: sa.Table, target: sa.Table, key: str, ids: Sequence[int]
) -> dict[int, str]:
    """engagement id -> "Name A, Name B" for the given ids, joined by the database."""
    statement = (
        sa.select(link.c.engagement_id, joined(target.c.name))
        .select_from(link.join(target, target.c.id == link.c[key]))
        .where(link.c.engagement_id.in_(ids))
        .group_by(link.c.engagement_id)
    )
    return {row[0]: sorted_list(row[1]) for row in conn.execute(statement)}


def dress_engagements(conn: Connection, ids: Sequence[int]) -> dict[int, EngagementRow]:
    """Full list rows for these engagement ids (three statements, whatever the page size)."""
    e, s = t.engagement.c, t.staff_user.c
    statement = (
        sa.select(
            e.id, e.occurred_on, e.kind, e.summary, s.display_name, e.follow_up_on, e.follow_up_done
        )
        .select_from(t.engagement.outerjoin(t.staff_user, s.id == e.logged_by_id))
        .where(e.id.in_(ids))
    )
    orgs = linked_names(conn, t.engagement_organisation, t.organisation, "organisation_id", ids)
    boroughs = linked_names(conn, t.engagement_borough, t.borough, "borough_id", ids)
    return {
        r.id: EngagementRow(
            id=r.id,
            occurred_on=r.occurred_on,
            kind=r.kind,
            organisations=orgs.get(r.id, ""),
            boroughs=boroughs.get(r.id, ""),
            summary=r.summary,
            logged_by=r.display_name or "",
            follow_up_on=r.follow_up_on,
            follow_up_done=bool(r.follow_up_done),
        )
        for r in conn.execute(statement)
    }
