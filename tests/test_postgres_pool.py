"""The PostgreSQL databases the tests reuse (tests/postgres_admin.py) come back as new.

Each PostgreSQL test gets a database in the migrated template's state; to save the server
a database copy per test, one a test has finished with is emptied and handed to the next.
A test must never see what an earlier one left: its rows, its sequence values, a borough
it renamed, a grant or a column it added. Where emptying cannot undo a change, the
database is dropped and the next test gets a fresh copy.
"""

import os
from collections.abc import Iterator

import pytest
from postgres_admin import PostgresPool
from sqlalchemy import text

from db.migrate import open_database
from vru_crm.services import people

pytestmark = pytest.mark.postgres


@pytest.fixture
def pool(postgres_template) -> Iterator[PostgresPool]:
    """A pool of its own, beside the one conftest.py gives every PostgreSQL test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    made = PostgresPool(
        os.environ["VRU_CRM_TEST_POSTGRES_URL"], postgres_template, f"vru_pool_{worker}"
    )
    yield made
    made.close()


def _rows(url: str, sql: str) -> list[tuple]:
    database = open_database(url, username="tester")
    try:
        with database.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        database.dispose()


def _fresh_state(pool: PostgresPool) -> tuple[list[tuple], list[tuple], list[tuple]]:
    name = pool.acquire()
    try:
        url = pool.url(name)
        return (
            _rows(url, "SELECT id, full_name FROM person"),
            _rows(url, "SELECT id, name FROM borough ORDER BY id"),
            _rows(url, "SELECT count(*) FROM audit_entry"),
        )
    finally:
        pool.release(name)


def test_a_reused_database_holds_none_of_the_last_tests_rows(pool):
    new = _fresh_state(pool)
    name = pool.acquire()
    database = open_database(pool.url(name), username="tester")
    first = people.create_person(database, people.PersonInput(full_name="Amina Yusuf"))
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE borough SET name = 'Renamed' WHERE id = 1"))
    database.dispose()
    pool.release(name)
    assert pool.free == [name], "an emptied database is kept for the next test"

    assert _fresh_state(pool) == new
    again = pool.acquire()
    assert again == name
    database = open_database(pool.url(again), username="tester")
    second = people.create_person(database, people.PersonInput(full_name="Amina Yusuf"))
    database.dispose()
    pool.release(again)
    assert second.id == first.id, "ids start again where the template left them"


def test_a_database_whose_schema_a_test_changed_is_dropped(pool):
    name = pool.acquire()
    database = open_database(pool.url(name), username="tester")
    with database.engine.begin() as conn:
        conn.execute(text("ALTER TABLE person ADD COLUMN shoe_size integer"))
    database.dispose()
    pool.release(name)
    assert pool.free == [] and name not in pool.made

    fresh = pool.acquire()
    assert fresh != name
    columns = _rows(
        pool.url(fresh),
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'person'",
    )
    pool.release(fresh)
    assert ("shoe_size",) not in columns


def test_a_session_left_open_mid_transaction_does_not_block_the_next_test(pool):
    name = pool.acquire()
    database = open_database(pool.url(name), username="tester")
    conn = database.engine.connect()
    conn.execute(text("LOCK TABLE person IN ACCESS EXCLUSIVE MODE"))  # never committed
    pool.release(name)
    assert pool.free == [name]
    assert _fresh_state(pool)[0] == []
    database.dispose()
