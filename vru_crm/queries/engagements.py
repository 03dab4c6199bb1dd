"""The engagement log as a paged list: one row per engagement, partners joined as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement

from db import search_index
from db.enums import ENGAGEMENT_KIND_LABELS
from vru_crm.london import today_in_london
from vru_crm.queries import engagement_text
from vru_crm.queries import tables as t
from vru_crm.queries.common import (
    FORWARD_ALWAYS,
    Choice,
    Column,
    Filters,
    ListQuery,
    Sort,
    direction,
    joined,
    sorted_list,
)
from vru_crm.queries.engagement_counts import rollup_count, rollup_pieces

KIND_LABELS: dict[str, str] = dict(ENGAGEMENT_KIND_LABELS)
# Above this many matches a page near either end walks the sort's index and tests each row
# (see ``_page_ids``); reading one match and sorting it costs about READ_COST walked rows
WALK_ABOVE = 20_000
READ_COST = 4.0
# SQLite: the partial index a status filter's list is read from in each order (migration 0011)
STATUS_INDEXES = {
    ("follow_up_open", "date"): "ix_search_engagement_open_date",
    ("follow_up_open", "kind"): "ix_search_engagement_open_kind",
    ("follow_up_open", "summary"): "ix_search_engagement_open_summary",
    ("follow_up_overdue", "date"): "ix_search_engagement_open_date",
    ("follow_up_overdue", "kind"): "ix_search_engagement_open_kind",
    ("follow_up_overdue", "summary"): "ix_search_engagement_open_summary",
    ("notable", "kind"): "ix_search_engagement_flagged_kind",
    ("notable", "summary"): "ix_search_engagement_flagged_summary",
    ("notable", "follow_up"): "ix_search_engagement_flagged_follow_up",
}
_HAS_INDEX: WeakKeyDictionary[Engine, frozenset[str]] = WeakKeyDictionary()


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
        """How many match: from the dashboard's rollup where it knows, else counted on the log.

        The rollup (``db/rollup.py``, kept by triggers in the same transaction
        as every write) counts engagements per span (the days of one ISO week in
        one month) by kind, borough, network, objective and sector; every
        engagement has one kind, so its kinds add up to the log. So the whole
        log, or one kind, borough, network, objective or sector of it, within
        any dates, is a sum of at most a few thousand rollup rows plus a count
        of the days at either end that do not fill a span (``rollup_count``).
        Any other filter (text, a status, two dimensions) is counted on the log,
        through its indexes.
        """
        counted = rollup_count(conn, self.filters)
        if counted is None and self.filters == Filters(text=self.filters.text):
            counted = engagement_text.count(conn, self.database, self.filters.text.strip())
        if counted is not None:
            return counted
        # never through the join to the staff (one row per engagement either way): SQLite
        # counted the open follow-ups sorted by who logged them in 113 ms instead of 2
        statement = sa.select(sa.func.count()).select_from(t.engagement).where(*self._conditions())
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
        walk = self._walks_the_order and self.database.is_sqlite
        if f.date_from:
            where.append(_likely(e.occurred_on >= f.date_from, walk))
        if f.date_to:
            where.append(_likely(e.occurred_on <= f.date_to, walk))
        if f.kind:
            where.append(e.kind == f.kind)
        where += self._status_conditions(f.status)
        where += self._link_conditions()
        if f.text.strip():
            where.append(self._text_condition(f.text.strip()))
        return where

    def _status_conditions(self, status: str | None) -> list[ColumnElement[bool]]:
        e = t.engagement.c
        likely = self._status_index() is not None
        open_follow_up = sa.and_(
            _likely(e.follow_up_on.is_not(None), likely),
            _likely(e.follow_up_done.is_(False), likely),
        )
        if status == "follow_up_open":
            return [open_follow_up]
        if status == "follow_up_overdue":
            return [open_follow_up, e.follow_up_on < today_in_london()]
        if status == "notable":
            return [_likely(e.is_notable.is_(True), likely)]
        return []

    def _link_conditions(self) -> list[ColumnElement[bool]]:
        f = self.filters
        where: list[ColumnElement[bool]] = []
        links = (
            (f.borough_id, t.engagement_borough, "borough_id"),
            (f.network_id, t.engagement_network, "network_id"),
            (f.objective_id, t.engagement_objective, "objective_id"),
        )
        for value, link, column in links:
            if value is not None:
                where.append(self._linked(link, sa.select(link.c.engagement_id).where(
                    link.c[column] == value)))  # fmt: skip
        if f.sector:
            where.append(
                _through_organisations(t.organisation.c.sector == f.sector, self._walks_the_order)
            )
        return where

    def _linked(self, link: sa.Table, ids: sa.Select[Any]) -> ColumnElement[bool]:
        """The engagement's id among ``ids`` (a select of ``link.engagement_id``), in the form
        that suits the plan: ``IN`` reads the matches and sorts them; ``EXISTS``, while
        the list's order is walked, asks the link table's key row by row."""
        e = t.engagement.c
        if not self._walks_the_order:
            return e.id.in_(ids)
        return sa.exists(ids.where(link.c.engagement_id == e.id))

    def _status_index(self) -> str | None:
        """The partial index of the open follow-ups' (or flagged rows') list in this order.

        SQLite without statistics prefers the open follow-ups' own index
        (done, date) and sorts its 83,000 rows (at 2,000,000 engagements,
        120-150 ms a page); the partial index holds only those rows in the
        list's order, so a page is a walk of at most that many entries. The
        status's terms are then marked ``likely()`` (``_status_conditions``),
        which steers SQLite's planner to it and still shows the terms the
        index is for. Only when the status is the one filter and the index is
        there.
        """
        f = self.filters
        if not self.database.is_sqlite or f.with_(status=None) != Filters():
            return None
        index = STATUS_INDEXES.get((f.status or "", self.sort.column))
        if index is None:
            return None
        engine = self.database.engine
        if engine not in _HAS_INDEX:
            with engine.connect() as conn:
                names = conn.execute(
                    sa.text("SELECT name FROM sqlite_master WHERE type = 'index'")
                ).scalars()
                _HAS_INDEX[engine] = frozenset(names)
        return index if index in _HAS_INDEX[engine] else None

    def _text_condition(self, text: str) -> ColumnElement[bool]:
        """Summary or outcome, or the name of a partner or person involved, matches ``text``.

        Through the indexes of migration 0010 where they are (``engagement_text``):
        on SQLite every word typed starts a word of the summary, the outcome, or a
        linked name (FTS5); on PostgreSQL the text is found anywhere in them
        (trigram indexes). Without them, a scan for the text anywhere.
        """
        indexed = engagement_text.condition(self.database, text, row_by_row=False)
        if indexed is not None:
            return indexed
        e, o, p, ep = t.engagement.c, t.organisation.c, t.person.c, t.engagement_person.c
        people = sa.select(ep.engagement_id).where(
            ep.person_id.in_(sa.select(p.id).where(self._contains(p.full_name, text)))
        )
        return sa.or_(
            self._contains(e.summary, text),
            self._contains(e.outcome, text),
            _through_organisations(self._contains(o.name, text)),
            e.id.in_(people),
        )

    # --- the plan: read the matches and sort them, or walk the order and test each row ---------
    _walks_the_order = False
    _log_size: int | None = None  # every engagement, from the rollup (once per query)

    def _page_ids(self, conn: Connection, offset: int, limit: int) -> list[int]:
        """Choose the plan from how many rows match and how deep the page is, then read it.

        Sorted by date, a page far down starts from the day the rollup says
        it falls on (``_page_by_date``). Otherwise: a filter that matches few
        rows (a rare borough, a word in a hundred summaries) is read whole
        through its index and sorted: cheap because they are few. One that
        matches many is cheaper the other way round near either end of the
        list: walk the sort's index and test each row until the page is full,
        about ``limit`` x total / matches rows; a page in its middle would
        walk half the log, so it reads the matches instead (``_walk_pays``).
        """
        offset, limit = max(0, offset), max(0, limit)
        if self._status_index() is not None:  # a walk of a small index, however deep
            return self._ids_from_start(conn, offset, limit)
        if self.sort.column == "date" and offset >= FORWARD_ALWAYS:
            found = self._page_by_date(conn, offset, limit)
            if found is not None:
                return found
        matches = None
        if self._set_filtered() or self._dated():
            matches = self._counted if self._counted is not None else self._count(conn)
            self._walks_the_order = self._walk_pays(conn, matches, offset, limit)
        try:
            by_staff = self.sort.column == "logged_by" and not self.filters.text.strip()
            if by_staff and (matches is None or self._walks_the_order):
                return self._by_staff(conn, offset, limit)
            return super()._page_ids(conn, offset, limit)
        finally:
            self._walks_the_order = False

    def _walk_pays(self, conn: Connection, matches: int, offset: int, limit: int) -> bool:
        """Whether walking the sort's index to this page costs less than reading every match.

        A walk tests about (depth + limit) x log / matches rows, where the
        depth is the distance from the nearer end (pages past the middle are
        read from the end); reading costs about ``READ_COST`` walked rows a
        match (measured at 2,000,000: a borough's 46,000 matches in 60-110
        ms, against 0.4 ms per thousand rows walked).
        """
        if matches <= WALK_ABOVE:
            return False
        depth = offset
        if self._reads_back_cheaply() and self.sort.column != "logged_by":
            depth = min(offset, max(0, matches - offset - limit))
        if self._log_size is None:
            self._log_size = rollup_count(conn, Filters()) or matches
        return (depth + limit) * self._log_size / matches < READ_COST * matches

    def _page_by_date(self, conn: Connection, offset: int, limit: int) -> list[int] | None:
        """A page of the date order found through the rollup's spans, or None if it cannot tell.

        The spans' counts, added up from the start of the order, say on which span's days row ``offset`` falls; the page is
        read from that span's first day (its last, newest first), so the
        database walks at most one span past its offset instead of every row
        before it. Same rows as the plain statement (tested).
        """
        pieces = rollup_pieces(conn, self.filters)
        if pieces is None:
            return None
        descending = self.sort.descending
        before = 0
        for piece in pieces[::-1] if descending else pieces:
            if before + piece.count > offset:
                break
            before += piece.count
        else:
            return []
        e = t.engagement.c
        bound = e.occurred_on <= piece.last if descending else e.occurred_on >= piece.first
        matches = sum(p.count for p in pieces)
        self._walks_the_order = self._set_filtered() and matches > WALK_ABOVE
        try:
            statement = (
                sa.select(e.id)
                .where(*self._conditions(), bound)
                .order_by(*self._full_order())
                .limit(limit)
                .offset(offset - before)
            )
            return [row[0] for row in conn.execute(statement)]
        finally:
            self._walks_the_order = False

    # --- "logged by": the staff in name order, each one's rows by the (logged_by_id, id) index ---
    _staff_counts: dict[tuple[int | None, ...], int] | None = None

    def _staff_groups(self, conn: Connection) -> list[tuple[int | None, ...]]:
        """Staff ids grouped by display name, in the sort's order; no one (NULL) last both ways."""
        s = t.staff_user.c
        name = s.display_name.desc() if self.sort.descending else s.display_name.asc()
        names: dict[str, list[int]] = {}  # in the database's collation, as the join sorted
        for staff_id, display_name in conn.execute(sa.select(s.id, s.display_name).order_by(name)):
            names.setdefault(display_name, []).append(staff_id)
        groups: list[tuple[int | None, ...]] = [tuple(sorted(ids)) for ids in names.values()]
        return [*groups, (None,)]

    def _group_condition(self, group: tuple[int | None, ...]) -> ColumnElement[bool]:
        e = t.engagement.c
        if group == (None,):
            return e.logged_by_id.is_(None)
        return e.logged_by_id.in_(group)

    def _group_count(self, conn: Connection, group: tuple[int | None, ...]) -> int:
        """Rows of one staff group (counted once per query: the model keeps its query)."""
        if self._staff_counts is None:
            self._staff_counts = {}
        if group not in self._staff_counts:
            where = [*self._conditions(), self._group_condition(group)]
            statement = sa.select(sa.func.count()).select_from(t.engagement).where(*where)
            self._staff_counts[group] = int(conn.execute(statement).scalar_one())
        return self._staff_counts[group]

    def _by_staff(self, conn: Connection, offset: int, limit: int) -> list[int]:
        """One page sorted by who logged it, without sorting the log.

        The join to the staff's names cannot be read off an index (at 2,000,000
        engagements the first page took 1.9 s, the last 3.6 s). The staff are
        few: each one's rows come in id order straight off the index on
        ``logged_by_id``, one staff member after another in name order, and a
        page further on counts the staff before it (each count once per query).
        A page past the middle is read from the end, staff and ids reversed.
        """
        groups = self._staff_groups(conn)
        total = self._counted
        from_end = total is not None and offset >= FORWARD_ALWAYS and 2 * offset + limit > total
        if from_end and total is not None:
            wanted = min(limit, total - offset)
            if wanted <= 0:
                return []
            ids = self._walk_groups(conn, groups[::-1], total - offset - wanted, wanted, True)
            return ids[::-1]
        return self._walk_groups(conn, groups, offset, limit, False)

    def _walk_groups(
        self,
        conn: Connection,
        groups: list[tuple[int | None, ...]],
        skip: int,
        limit: int,
        reverse: bool,
    ) -> list[int]:
        e = t.engagement.c
        descending = self.sort.descending != reverse
        ids: list[int] = []
        for group in groups:
            if len(ids) >= limit:
                break
            if skip:
                size = self._group_count(conn, group)
                if skip >= size:
                    skip -= size
                    continue
            statement = (
                sa.select(e.id)
                .where(*self._conditions(), self._group_condition(group))
                .order_by(e.id.desc() if descending else e.id.asc())
                .limit(limit - len(ids))
                .offset(skip)
            )
            ids += [row[0] for row in conn.execute(statement)]
            skip = 0
        return ids

    def _dated(self) -> bool:
        """Whether a range of days is to be walked or read by its count, as a link's set is.

        SQLite reads a range of days off the date index and sorts it: the last
        twelve months (670,000 rows at 2,000,000) took 140 ms for a first page
        by summary. Walking the summary's index and testing each row's day
        finds the page in a few hundred rows; the days are then marked
        ``likely()`` so the planner walks. Only the summary order: the others
        follow the day (ids are given in the order rows are logged, follow-ups
        fall after the day), so a recent range sits at the end of each kind and
        a walk passed most of the log before its first match (180-870 ms).
        """
        f = self.filters
        dated = f.date_from is not None or f.date_to is not None
        return dated and not f.text.strip() and self.sort.column == "summary"

    def _set_filtered(self) -> bool:
        """Whether a filter is a set of rows found through a link table (boroughs, sector...).

        Not the text: testing one row against the FTS5 index costs 0.3 ms (5 ms
        for a word's start), a hundred times a link table's key, so the text's
        matches are always read whole (``engagement_text``).
        """
        f = self.filters
        links = (f.borough_id, f.network_id, f.objective_id)
        return not f.text.strip() and (bool(f.sector) or any(v is not None for v in links))

    def _order(self, sort: Sort) -> list[ColumnElement[Any]]:
        e = t.engagement.c
        key = sort.column
        if key == "date":
            return [direction(e.occurred_on, sort)]
        if key == "kind":
            return [direction(e.kind, sort)]
        if key == "summary":
            return [direction(summary_order_key(self.database.is_sqlite), sort)]
        if key == "logged_by":
            return [direction(t.staff_user.c.display_name, sort, nullable=True)]
        if key == "follow_up":
            return [direction(e.follow_up_on, sort, nullable=True)]
        return [direction(e.occurred_on, sort)]

    def _dress(self, conn: Connection, ids: Sequence[int]) -> dict[int, EngagementRow]:
        return dress_engagements(conn, ids)


def _likely(condition: ColumnElement[bool], likely: bool) -> ColumnElement[bool]:
    """SQLite's ``likely(condition)``: true for most rows, as far as the planner is to think."""
    return sa.func.likely(condition) if likely else condition  # untyped: no "= 1" added


def summary_order_key(sqlite: bool) -> ColumnElement[str]:
    """The summary as the list sorts it, case-insensitive, as its index holds it (migration 0010).

    SQLite: NOCASE folds ASCII case as ``lower()`` did. PostgreSQL: ``lower()``
    of the first ``SUMMARY_KEY`` characters (a b-tree entry has a size limit),
    so two summaries alike that far are in the order they were logged.
    """
    e = t.engagement.c
    if sqlite:
        return e.summary.collate("NOCASE")
    return sa.func.left(sa.func.lower(e.summary), search_index.SUMMARY_KEY)


def _through_organisations(
    organisation: ColumnElement[bool], row_by_row: bool = False
) -> ColumnElement[bool]:
    """Engagements with an organisation that meets ``organisation`` (a condition on its row).

    Read whole, the organisations' ids select their links through the link
    table's index. Tested ``row_by_row`` (the list walks its order), each of
    the engagement's few links looks up its organisation by key: asked as
    "any link among these organisations' ids", SQLite probed the link's key
    once for every organisation of the sector (12,000 at 2,000,000
    engagements) for every row walked, 2.6 s for the second page.
    """
    eo, o = t.engagement_organisation.c, t.organisation.c
    if row_by_row:
        owner = sa.exists(sa.select(o.id).where(o.id == eo.organisation_id, organisation))
        return sa.exists(
            sa.select(eo.engagement_id).where(eo.engagement_id == t.engagement.c.id, owner)
        )
    ids = sa.select(o.id).where(organisation)
    linked = sa.select(eo.engagement_id).where(eo.organisation_id.in_(ids))
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
