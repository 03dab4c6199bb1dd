"""The dashboard's rollups (db/rollup.py) agree with a direct count, whatever writes the data.

Each test writes through one path (the generator, the services, merges, the
importer, plain SQL of many rows per statement) and then compares the
trigger-kept rollups with a count straight from the tables, on SQLite and
PostgreSQL. The figures read from the rollups are checked against a count
done in Python in ``test_perf_figures.py``.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from db import rollup
from db.migrate import current_revision, head_revision, open_database, upgrade
from db.session import Database
from vru_crm.generate import Counts, generate
from vru_crm.io.export_csv import export_csv
from vru_crm.io.importer import import_file
from vru_crm.services import engagements as eng
from vru_crm.services import merge
from vru_crm.services import organisations as orgs

TODAY = date(2026, 6, 30)
SMALL = Counts(organisations=40, people=120, engagements=1500, meetings=10)


def assert_right(database: Database) -> None:
    with database.engine.connect() as conn:
        assert rollup.differences(conn) == []


def _rows(database: Database, sql: str) -> int:
    with database.engine.begin() as conn:
        return conn.execute(sa.text(sql)).rowcount


def test_generated_data_has_right_rollups_and_they_stay_right_through_bulk_sql(database):
    generate(database, SMALL, seed=3, today=TODAY)
    assert_right(database)
    with database.engine.connect() as conn:
        kept = conn.execute(
            sa.text("SELECT sum(engagements) FROM engagement_rollup WHERE dim = 'kind'")
        )
        assert kept.scalar() == SMALL.engagements
    statements = [
        "UPDATE engagement SET people_reached = people_reached + 1, kind = 'call' WHERE id % 5 = 0",
        "DELETE FROM engagement_network WHERE engagement_id % 3 = 0",
        # several links of one engagement in one statement (PostgreSQL: one transition table)
        "INSERT INTO engagement_objective (engagement_id, objective_id) SELECT e.id, o.id FROM engagement e, "
        "objective o WHERE e.id % 11 = 0 AND NOT EXISTS (SELECT 1 FROM engagement_objective x "
        "WHERE x.engagement_id = e.id AND x.objective_id = o.id)",
        "INSERT INTO engagement_network (engagement_id, network_id) SELECT e.id, n.id FROM engagement e, "
        "network n WHERE e.id % 6 = 0 AND n.id % 4 = 0",
        "UPDATE engagement_organisation SET organisation_id = 1 WHERE organisation_id = 2 AND engagement_id "
        "NOT IN (SELECT engagement_id FROM engagement_organisation WHERE organisation_id = 1)",
        "UPDATE organisation SET sector = 'faith' WHERE id % 4 = 0",
        "UPDATE organisation SET sector = 'charity' WHERE id % 8 = 0",
        "DELETE FROM organisation WHERE id % 9 = 0",
        "DELETE FROM engagement_objective WHERE objective_id = (SELECT min(id) FROM objective)",
        "DELETE FROM engagement WHERE id % 13 = 0",
    ]
    for sql in statements:
        assert _rows(database, sql) > 0, sql
        assert_right(database)


def test_dates_moved_one_by_one_and_an_empty_log(database):
    generate(database, SMALL, seed=4, today=TODAY)
    with database.engine.begin() as conn:
        rows = conn.execute(
            sa.text("SELECT id, occurred_on FROM engagement WHERE id % 7 = 0")
        ).all()
        moved = [
            {"id": i, "d": date.fromisoformat(str(d)[:10]) + timedelta(days=40)} for i, d in rows
        ]
        conn.execute(sa.text("UPDATE engagement SET occurred_on = :d WHERE id = :id"), moved)
    assert_right(database)
    _rows(database, "DELETE FROM engagement")
    assert_right(database)
    with database.engine.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM engagement_rollup WHERE engagements <> 0")
        )
        assert left.scalar() == 0


def test_forms_and_merges_keep_the_rollups_right(database):
    def new_org(name: str, sector: str) -> int:
        return orgs.create_organisation(
            database, orgs.OrganisationInput(name=name, sector=sector)
        ).id

    a, b, c = (
        new_org("Hackney Youth Trust", "charity"),
        new_org("St Mary's", "faith"),
        new_org("Hackney YT", "charity"),
    )
    with database.engine.connect() as conn:
        boroughs = [
            r[0] for r in conn.execute(sa.text("SELECT id FROM borough ORDER BY id LIMIT 3"))
        ]
        objectives = [
            r[0] for r in conn.execute(sa.text("SELECT id FROM objective ORDER BY id LIMIT 3"))
        ]
    first = eng.create_engagement(database, eng.EngagementInput(
        kind="visit", occurred_on=date(2024, 3, 31), organisation_ids=[a, b], borough_ids=boroughs[:2],
        objective_ids=objectives[:2], summary="Met both", people_reached=12,
    ))  # fmt: skip
    second = eng.create_engagement(database, eng.EngagementInput(
        kind="call", occurred_on=date(2024, 4, 1), organisation_ids=[c], summary="Rang", people_reached=3,
    ))  # fmt: skip
    assert_right(database)
    changed = eng.EngagementInput(
        kind="event", occurred_on=date(2024, 5, 6), organisation_ids=[b, c], borough_ids=boroughs[1:],
        objective_ids=objectives[2:], summary="Moved", people_reached=40,
    )  # fmt: skip
    eng.update_engagement(database, first.id, changed, first.version)
    assert_right(database)
    merge.merge_organisations(database, a, c)
    assert_right(database)
    eng.delete_engagement(database, second.id)
    orgs.delete_organisation(database, b, orgs.get_organisation(database, b).version)
    assert_right(database)


def test_an_import_keeps_the_rollups_right(database, tmp_path):
    generate(database, SMALL, seed=5, today=TODAY)
    path = tmp_path / "engagements.csv"
    export_csv(database, "engagements", path)
    _rows(database, "DELETE FROM engagement")
    report = import_file(database, "engagements", path, skip_invalid=True)  # namesakes are refused
    assert report.imported > SMALL.engagements // 2
    assert_right(database)


def test_a_database_from_0006_gets_filled_rollups(empty_db_url):
    old = Database(empty_db_url, username="tester")
    upgrade(old, "0006", backup=False)
    generate(old, SMALL, seed=6, today=TODAY)
    old.dispose()
    database = open_database(empty_db_url, username="tester")
    try:
        assert current_revision(database) == head_revision()
        with database.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM engagement_rollup")).scalar() > 0
            assert conn.execute(sa.text("SELECT count(*) FROM organisation_daily")).scalar() > 0
        assert_right(database)
    finally:
        database.dispose()


def test_sqlite_table_rebuilds_keep_their_triggers(tmp_path):
    """A later migration that rebuilds a table (Alembic batch mode) neither fails nor leaves the rollups stale."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    database = open_database(str(tmp_path / "rebuild.sqlite3"), username="tester")
    generate(database, SMALL, seed=7, today=TODAY)
    with database.engine.connect() as conn:
        # as a migration rebuilding a parent table must, or dropping it would cascade
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        with conn.begin(), rollup.safe_rebuilds(conn):
            ops = Operations(MigrationContext.configure(conn))
            for table in ("engagement", "engagement_organisation", "organisation"):
                with ops.batch_alter_table(table, recreate="always"):
                    pass
        with conn.begin():
            assert rollup.ensure(conn) is True
            assert rollup.ensure(conn) is False
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    _rows(database, "DELETE FROM engagement WHERE id % 3 = 0")
    _rows(database, "UPDATE organisation SET sector = 'faith' WHERE id % 2 = 0")
    assert_right(database)
    database.dispose()


@pytest.mark.parametrize("table", ["engagement_rollup", "organisation_daily"])
def test_a_wrong_rollup_is_noticed_and_rebuilt(sqlite_database, table):
    generate(sqlite_database, SMALL, seed=8, today=TODAY)
    _rows(sqlite_database, f"UPDATE {table} SET engagements = engagements + 1")
    with sqlite_database.engine.begin() as conn:
        assert rollup.differences(conn) != []
        rollup.rebuild(conn)
        assert rollup.differences(conn) == []
