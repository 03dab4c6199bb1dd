"""The engagement list's indexed paths give the answers the plain ones did (migration 0010).

Counts read from the rollups equal a count of the log; the two page plans
(read the matches and sort them, or walk the order and test each row) give
the same rows; the text filter finds words in summaries, outcomes and linked
names, and follows edits; an old database upgraded gets the indexes filled.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from db.migrate import open_database, upgrade
from db.session import Database
from vru_crm.generate import Counts, generate
from vru_crm.queries import engagements as eq
from vru_crm.queries.common import Filters, ListQuery, Sort
from vru_crm.queries.engagements import EngagementQuery
from vru_crm.queries.search import search

TODAY = date(2026, 6, 30)
SORTS = [Sort("date", True), Sort("kind"), Sort("summary"), Sort("summary", True),
         Sort("logged_by"), Sort("follow_up", True)]  # fmt: skip


@pytest.fixture
def generated(database: Database) -> Database:
    generate(database, Counts(organisations=40, people=120, engagements=2500), 4, today=TODAY)
    return database


def _on_the_log(query: EngagementQuery) -> int:
    """The count the plain statement gives, without the rollup."""
    with query.database.engine.connect() as conn:
        return ListQuery._count(query, conn)


def _filters(database: Database) -> list[Filters]:
    borough = database.execute_scalar("SELECT min(borough_id) FROM engagement_borough")
    network = database.execute_scalar("SELECT min(network_id) FROM engagement_network")
    sector = database.execute_scalar("SELECT min(sector) FROM organisation")
    odd_from, odd_to = date(2021, 3, 17), date(2023, 11, 2)  # neither a week's nor a month's edge
    return [
        Filters(),
        Filters(kind="call"),
        Filters(borough_id=borough),
        Filters(network_id=network),
        Filters(objective_id=1),
        Filters(sector=sector),
        Filters(date_from=odd_from, date_to=odd_to),
        Filters(date_from=odd_from),
        Filters(date_to=odd_to),
        Filters(date_from=date(2022, 5, 4), date_to=date(2022, 5, 6)),  # inside one span
        Filters(borough_id=borough, date_from=odd_from, date_to=odd_to),
        Filters(kind="visit", date_from=odd_from, date_to=odd_to),
        Filters(date_from=odd_to, date_to=odd_from),  # the wrong way round: nothing
    ]


def test_counts_read_from_the_rollups_are_the_log_counts(generated):
    words = [Filters(text=w) for w in ("youth", "a", "youth cl", "zzqx")]  # SQLite: the union's ids
    for filters in [*_filters(generated), *words]:
        query = EngagementQuery(generated, filters)
        assert query.count() == _on_the_log(query), filters


def test_both_page_plans_list_the_same_rows(generated, monkeypatch):
    borough = generated.execute_scalar("SELECT min(borough_id) FROM engagement_borough")
    sector = generated.execute_scalar("SELECT min(sector) FROM organisation")
    days = {"date_from": date(2019, 3, 17), "date_to": date(2024, 11, 2)}
    for filters in (
        Filters(borough_id=borough),
        Filters(sector=sector),
        Filters(objective_id=2),
        Filters(**days),
        Filters(kind="call", **days),
        Filters(status="follow_up_open", **days),
        Filters(borough_id=borough, **days),
        Filters(text="youth"),  # PostgreSQL: the union of the four places (engagement_text)
        Filters(text="youth", **days),
    ):
        for sort in SORTS:
            listed = {}
            for plan, threshold, read_cost in (("walk", 0, 1e12), ("read", 10**9, 0.0)):
                monkeypatch.setattr(eq, "WALK_ABOVE", threshold)
                monkeypatch.setattr(eq, "READ_COST", read_cost)
                query = EngagementQuery(generated, filters, sort)
                total = query.count()
                pages = [query.page(offset, 40) for offset in (0, total // 2, max(0, total - 40))]
                listed[plan] = [[row.id for row in page] for page in pages]
            assert listed["walk"] == listed["read"], (filters, sort)
            assert listed["walk"][0], (filters, sort)


def test_a_text_read_as_a_union_or_as_one_or_lists_the_same_rows(generated, monkeypatch):
    """PostgreSQL reads a rare text as a union of its four places, a common one as one OR.

    The choice follows the planner's estimate (``engagement_text.UNION_BELOW``); here each
    way is forced in turn, and both must count and list exactly the same engagements.
    """
    from vru_crm.queries import engagement_text

    for text in ("youth", "club", "zzqx", "hackney", "a"):
        listed = {}
        for way, share in (("union", 2.0), ("or", 0.0)):
            monkeypatch.setattr(engagement_text, "UNION_BELOW", share)
            engagement_text._SELECTIVE.clear()
            query = EngagementQuery(generated, Filters(text=text), Sort("date", True))
            total = query.count()
            pages = [query.page(offset, 40) for offset in (0, total // 2, max(0, total - 40))]
            listed[way] = (total, [[row.id for row in page] for page in pages])
        assert listed["union"] == listed["or"], text
        assert listed["union"][0] == _on_the_log(query), text


def _plain(query: EngagementQuery) -> list[int]:
    with query.database.engine.connect() as conn:
        return [row[0] for row in conn.execute(query.ids_statement())]


@pytest.mark.parametrize("descending", [True, False])
def test_pages_by_date_found_through_the_rollup_are_the_plain_pages(
    generated, monkeypatch, descending
):
    """Every filter the rollup counts, any range of days: each page as OFFSET would read it."""
    monkeypatch.setattr(eq, "FORWARD_ALWAYS", 0)  # every page through the spans
    with generated.engine.begin() as conn:  # rows on the same day, so ties break by id
        conn.execute(sa.text("UPDATE engagement SET occurred_on = '2024-02-29' WHERE id % 9 = 0"))
    for filters in _filters(generated):
        query = EngagementQuery(generated, filters, Sort("date", descending))
        expected = _plain(query)
        total = query.count()
        assert total == len(expected), filters
        with generated.engine.connect() as conn:
            assert query._page_by_date(conn, 0, 5) is not None, filters
        for offset in sorted({1, 7, total // 3, total // 2, total - 40, total - 1, total + 5}):
            got = [r.id for r in query.page(max(0, offset), 40)]
            assert got == expected[max(0, offset) : max(0, offset) + 40], (filters, offset)


def test_a_deep_page_of_a_busy_filter_reads_the_matches_and_a_near_one_walks(
    generated, monkeypatch
):
    """The plan follows the cost: a page in the middle of many matches reads them all."""
    monkeypatch.setattr(eq, "WALK_ABOVE", 0)
    monkeypatch.setattr(eq, "READ_COST", 1.0)  # a small log: a borough is a seventh of it
    busiest = "SELECT borough_id FROM engagement_borough GROUP BY borough_id ORDER BY count(*) DESC"
    borough = generated.execute_scalar(busiest + " LIMIT 1")
    query = EngagementQuery(generated, Filters(borough_id=borough), Sort("summary"))
    matches = query.count()
    with generated.engine.connect() as conn:
        assert query._walk_pays(conn, matches, 0, 5)
        assert not query._walk_pays(conn, matches, matches // 2, 5)
        assert query._walk_pays(conn, matches, matches - 5, 5)


STATUSES = {
    "follow_up_open": "follow_up_on IS NOT NULL AND NOT follow_up_done",
    "follow_up_overdue": "follow_up_on IS NOT NULL AND NOT follow_up_done AND follow_up_on < :today",
    "notable": "is_notable",
}


def test_a_status_list_read_off_its_partial_index_is_the_plain_list(generated):
    """Open follow-ups, overdue ones and flagged rows, in every order, at any page."""
    with generated.engine.begin() as conn:  # more of each, so pages are many
        conn.execute(sa.text("UPDATE engagement SET is_notable = (id % 3 = 0)"))
        conn.execute(sa.text("UPDATE engagement SET follow_up_done = (id % 4 = 0)"))
    today = eq.today_in_london()
    for status, where in STATUSES.items():
        with generated.engine.connect() as conn:
            sql = f"SELECT id FROM engagement WHERE {where}"
            wanted = set(conn.execute(sa.text(sql), {"today": today}).scalars())
        for sort in [*SORTS, Sort("date"), Sort("kind", True)]:
            query = EngagementQuery(generated, Filters(status=status), sort)
            expected = _plain(query)
            assert set(expected) == wanted and query.count() == len(wanted), (status, sort)
            for offset in sorted({0, 50, len(expected) // 2, max(0, len(expected) - 30)}):
                got = [r.id for r in query.page(offset, 30)]
                assert got == expected[offset : offset + 30], (status, sort, offset)


def test_sqlite_reads_a_status_list_off_its_partial_index(generated):
    if not generated.is_sqlite:
        pytest.skip("SQLite's planner, steered by likely(); PostgreSQL plans by its statistics")
    for status, sort, index in (
        ("follow_up_open", Sort("date", True), "ix_search_engagement_open_date"),
        ("follow_up_overdue", Sort("summary"), "ix_search_engagement_open_summary"),
        ("notable", Sort("kind"), "ix_search_engagement_flagged_kind"),
    ):
        query = EngagementQuery(generated, Filters(status=status), sort)
        sql = str(
            query._ids(0, 10).compile(generated.engine, compile_kwargs={"literal_binds": True})
        )
        with generated.engine.connect() as conn:
            plan = " ".join(row[3] for row in conn.execute(sa.text("EXPLAIN QUERY PLAN " + sql)))
        assert index in plan, (status, sort, plan)


def test_the_list_by_who_logged_it_is_the_joined_order(generated):
    """Read staff by staff off the index, it lists what sorting by the joined name did."""
    with generated.engine.begin() as conn:  # two staff with one name, and rows logged by no one
        conn.execute(sa.text("UPDATE staff_user SET display_name = 'Sam Lee' WHERE id IN (1, 2)"))
        conn.execute(sa.text("UPDATE engagement SET logged_by_id = NULL WHERE id % 7 = 0"))
    kind = Filters(kind="call")
    for filters, descending in ((Filters(), False), (Filters(), True), (kind, True)):
        query = EngagementQuery(generated, filters, Sort("logged_by", descending))
        total = query.count()
        with generated.engine.connect() as conn:
            expected = [row[0] for row in conn.execute(query.ids_statement())]
        for offset in {0, 200, total // 2, max(0, total - 1_100), max(0, total - 60)}:
            assert [r.id for r in query.page(offset, 60)] == expected[offset : offset + 60]


def _log_one(database: Database, summary: str, outcome: str, org: str, person: str) -> int:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    stamps = {"c": now, "u": now, "v": 1}
    with database.engine.begin() as conn:
        org_id = conn.execute(
            sa.text(
                "INSERT INTO organisation (name, sector, notes, is_priority, created_at, updated_at,"
                " version) VALUES (:n, 'charity', '', :f, :c, :u, :v) RETURNING id"
            ),
            {"n": org, "f": False, **stamps},
        ).scalar_one()
        person_id = conn.execute(
            sa.text(
                "INSERT INTO person (full_name, is_young_person, notes, created_at, updated_at,"
                " version) VALUES (:n, :f, '', :c, :u, :v) RETURNING id"
            ),
            {"n": person, "f": False, **stamps},
        ).scalar_one()
        engagement_id = conn.execute(
            sa.text(
                "INSERT INTO engagement (occurred_on, kind, summary, outcome, people_reached,"
                " follow_up_done, is_notable, is_synthetic, created_at, updated_at, version)"
                " VALUES (:d, 'visit', :s, :o, 3, :f, :f, :f, :c, :u, :v) RETURNING id"
            ),
            {"d": date(2024, 1, 2), "s": summary, "o": outcome, "f": False, **stamps},
        ).scalar_one()
        conn.execute(
            sa.text("INSERT INTO engagement_organisation VALUES (:e, :o)"),
            {"e": engagement_id, "o": org_id},
        )
        conn.execute(
            sa.text("INSERT INTO engagement_person VALUES (:e, :p)"),
            {"e": engagement_id, "p": person_id},
        )
    return engagement_id


def _found(database: Database, text: str) -> list[int]:
    query = EngagementQuery(database, Filters(text=text))
    rows = query.page(0, 50)
    assert query.count() == len(rows)
    return [row.id for row in rows]


def test_the_text_filter_finds_summaries_outcomes_and_names_and_follows_edits(database):
    one = _log_one(database, "Met the outreach workers", "Agreed a referral route",
                   "Tottenham Boxing Academy", "Zainab Okonkwo")  # fmt: skip
    _log_one(database, "Phone call about funding", "None yet", "Camden Food Bank", "Ian Price")
    for text in ("outreach", "OUTREACH workers", "referr", "boxing", "okonkwo"):
        assert _found(database, text) == [one], text
    if database.is_sqlite:  # FTS5 drops accents; PostgreSQL's ILIKE keeps them, as it did
        assert _found(database, "Zaïnab") == [one]
    assert _found(database, "zzqx") == []
    with database.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE engagement SET summary = 'Met the detached youth team' WHERE id = :i"),
            {"i": one},
        )
    assert _found(database, "outreach") == []
    assert _found(database, "detached") == [one]
    with database.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM engagement WHERE id = :i"), {"i": one})
    assert _found(database, "detached") == []


def test_a_database_from_0009_upgrades_with_its_log_text_indexed(empty_db_url):
    database = Database(empty_db_url)
    upgrade(database, "0009", backup=False)
    old = _log_one(database, "Visited the youth hub", "Two referrals", "Harrow Mentors", "Ola Ade")
    database.dispose()
    database = open_database(empty_db_url)
    try:
        assert _found(database, "youth") == [old]
        assert _found(database, "referrals") == [old]
        assert _found(database, "mentors") == [old]
        assert "Harrow Mentors" in [hit.label for hit in search(database, "h", 20)]
        assert EngagementQuery(database, Filters(), Sort("summary")).page(0, 5)[0].id == old
    finally:
        database.dispose()


def test_search_finds_one_letter_and_typos_at_once(generated):
    name = generated.execute_scalar("SELECT name FROM organisation ORDER BY id LIMIT 1")
    first = name.split()[0]
    hits = search(generated, first[0], 12)
    assert hits and any(w.lower().startswith(first[0].lower()) for w in hits[0].label.split())
    typo = first[0] + first[2] + first[1] + first[3:] if len(first) > 4 else None
    # SQLite compares with the vocabulary's words of that first letter; PostgreSQL's trigram
    # fallback can miss a swap in a short word (bench/README.md)
    if typo and typo.lower() != first.lower() and generated.is_sqlite:
        found = search(generated, typo, 12)
        assert any(first in h.label for h in found), (typo, [h.label for h in found])
    assert search(generated, "zzqx", 12) == []


def test_the_span_edges_are_whole_days():
    from vru_crm.queries.engagement_counts import whole_spans

    assert whole_spans(date(2024, 5, 1), date(2024, 5, 31)) == (date(2024, 5, 1), date(2024, 5, 31))
    low, high = whole_spans(date(2024, 5, 2), date(2024, 5, 30))  # a Thursday, a Thursday
    assert (low, high) == (date(2024, 5, 6), date(2024, 5, 26))
    assert high is not None and (high + timedelta(days=1)).weekday() == 0
