"""Paging a long list from either end gives the same rows in the same order, on both backends.

A page past the middle of a list is read from its end (``ListQuery.page``):
the reverse order must be the exact mirror of the forward one, ties and
missing values included, or scrolling would show a row twice or never.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from db import models as m
from vru_crm.queries.common import FORWARD_ALWAYS, Filters, Sort
from vru_crm.queries.engagements import EngagementQuery

ROWS = 2 * FORWARD_ALWAYS + 437  # past the middle is past FORWARD_ALWAYS: read from the end
PAGE = 150
KINDS = ["visit", "call", "event", "online_meeting", "email"]
STAMP = {"created_at": datetime(2024, 1, 1, tzinfo=UTC), "version": 1}


@pytest.fixture
def log(database):
    """Engagements with few distinct keys: seven days, five kinds, mostly no follow-up or logger."""
    with database.engine.begin() as conn:
        staff = [
            conn.execute(
                sa.insert(m.StaffUser.__table__).values(
                    username=name.lower(), display_name=name, is_active=True
                )
            ).inserted_primary_key[0]
            for name in ("Amira Khan", "Ben Ode")
        ]
        first = date(2024, 3, 4)
        conn.execute(
            sa.insert(m.Engagement.__table__),
            [
                {
                    **STAMP,
                    "updated_at": STAMP["created_at"],
                    "occurred_on": first + timedelta(days=i % 7),
                    "kind": KINDS[(i // 7) % 5],
                    "summary": ["Visit", "visit", "Call back", "call back"][i % 4],
                    "outcome": "",
                    "people_reached": 1,
                    "follow_up_on": first + timedelta(days=i % 3) if i % 5 == 0 else None,
                    "follow_up_done": False,
                    "is_notable": False,
                    "is_synthetic": False,
                    "logged_by_id": staff[i % 2] if i % 3 else None,
                }
                for i in range(ROWS)
            ],
        )
    return database


def every_id(query: EngagementQuery) -> list[int]:
    """The whole list in one statement, as an export walks it: what the pages must add up to."""
    with query.database.engine.connect() as conn:
        return [row[0] for row in conn.execute(query.ids_statement())]


def ids(query: EngagementQuery, offset: int) -> list[int]:
    return [row.id for row in query.page(offset, PAGE)]


SORTS = [
    Sort("date"),
    Sort("date", descending=True),
    Sort("kind"),
    Sort("kind", descending=True),
    Sort("follow_up"),  # missing dates last both ways
    Sort("follow_up", descending=True),
    Sort("logged_by"),  # a joined name, missing for a third
    Sort("summary", descending=True),  # equal once lower-cased
]


@pytest.mark.parametrize(
    "sort", SORTS, ids=lambda s: f"{s.column}-{'desc' if s.descending else 'asc'}"
)
def test_pages_from_the_start_and_from_the_end_are_the_same_rows(log, sort):
    query = EngagementQuery(log, sort=sort)
    whole = every_id(query)
    assert query.count() == len(whole) == ROWS

    forwards = [ids(query, offset) for offset in range(0, ROWS, PAGE)]
    from_the_end = [ids(query, max(0, end - PAGE)) for end in range(ROWS, 0, -PAGE)]

    assert [i for page in forwards for i in page] == whole
    backwards = [
        page if end >= PAGE else page[:end]
        for page, end in zip(from_the_end, range(ROWS, 0, -PAGE), strict=True)
    ]
    assert [i for page in reversed(backwards) for i in page] == whole
    assert ids(query, ROWS - PAGE) == whole[-PAGE:] and ids(query, ROWS) == []


def test_a_page_read_from_the_end_sees_rows_deleted_since_the_count(log):
    query = EngagementQuery(log)
    total = query.count()
    with log.engine.begin() as conn:
        gone = (
            conn.execute(sa.select(m.Engagement.id).order_by(m.Engagement.id).limit(10))
            .scalars()
            .all()
        )
        conn.execute(sa.delete(m.Engagement.__table__).where(m.Engagement.id.in_(gone)))
    now = every_id(query)
    last = ids(query, total - PAGE)
    assert last == now[total - PAGE :] and len(last) == PAGE - 10  # short: the list shrank
    assert not set(last) & set(gone)


def test_the_count_follows_writes_and_the_kind_filter(log):
    def counted(**filters) -> tuple[int, int]:
        query = EngagementQuery(log, Filters(**filters))
        return query.count(), len(every_id(query))

    with log.engine.begin() as conn:
        e = m.Engagement.__table__
        conn.execute(sa.update(e).where(e.c.id % 4 == 0).values(kind="call"))
        conn.execute(sa.delete(e).where(e.c.id % 9 == 0))
    for filters in (
        {},
        {"kind": "call"},
        {"kind": "visit"},
        {"text": "  "},
        {"date_from": date(2024, 3, 6)},
    ):
        total, listed = counted(**filters)
        assert total == listed, filters
    assert counted()[0] == ROWS - ROWS // 9
