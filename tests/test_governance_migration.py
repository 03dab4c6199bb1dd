"""Migration 0004 (governance) upgrades a database that already holds meetings and agendas."""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from db.migrate import alembic_config, current_revision, open_database, upgrade
from db.session import Database
from vru_crm.governance.agenda import StandingRow, set_standing_items


def _previous() -> str:
    return (
        ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision("0004").down_revision
    )


def _fill(database: Database) -> None:
    now = datetime(2019, 5, 1, 9, tzinfo=UTC)
    with database.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO network (id, name, kind, description, cadence_rrule, created_at, updated_at,"
                " version) VALUES (1, 'Partnership Reference Group', 'board', '', 'FREQ=MONTHLY;INTERVAL=3',"
                " :n, :n, 1)"
            ),
            {"n": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO meeting (id, network_id, title, starts_at, ends_at, status, minutes_status,"
                " notes, uid, sequence, created_at, updated_at, version) VALUES (1, 1, 'PRG', :n, :n,"
                " 'held', 'draft', '', 'prg-1@vru-crm', 2, :n, :n, 1)"
            ),
            {"n": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO agenda_item (id, meeting_id, position, title, kind, notes)"
                " VALUES (1, 1, 0, 'Minutes of the last meeting', 'minutes', '')"
            )
        )


def test_upgrade_keeps_meetings_and_agendas_and_adds_the_new_fields(empty_db_url):
    old = Database(empty_db_url, username="tester")
    upgrade(old, _previous(), backup=False)
    _fill(old)
    old.dispose()

    database = open_database(empty_db_url, username="tester")
    try:
        assert current_revision(database) != _previous()
        with database.engine.connect() as conn:
            meeting = conn.execute(sa.text("SELECT uid, sequence, chair FROM meeting")).one()
            item = conn.execute(
                sa.text("SELECT title, outcome, subject_meeting_id FROM agenda_item")
            ).one()
            tolerance = conn.execute(sa.text("SELECT cadence_tolerance_days FROM network")).scalar()
        assert tuple(meeting) == ("prg-1@vru-crm", 2, None)
        assert tuple(item) == ("Minutes of the last meeting", None, None)
        assert tolerance == 14
        set_standing_items(database, 1, [StandingRow("Welcome and apologies", minutes_allotted=5)])
        assert database.execute_scalar("SELECT count(*) FROM standing_item") == 1
    finally:
        database.dispose()
