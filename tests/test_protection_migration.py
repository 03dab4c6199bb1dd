"""Migration 0006: a database from the previous revision, holding people, upgrades with nothing lost."""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from db.migrate import alembic_config, current_revision, open_database, upgrade
from db.session import Database
from vru_crm.protection.consent import get_protection
from vru_crm.protection.retention import list_policies

REVISION = "0006"


def _previous() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(REVISION)
    return script.down_revision


def _fill(database: Database) -> None:
    now = datetime(2021, 3, 1, tzinfo=UTC)
    with database.engine.begin() as conn:
        for pid, name, young, band in (
            (1, "Jake Ferguson", False, None),
            (2, "Tayo Young", True, "under_13"),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO person (id, full_name, email, is_young_person, age_band, notes,"
                    " created_at, updated_at, version)"
                    " VALUES (:id, :n, :e, :y, :b, '', :c, :c, 1)"
                ),
                {"id": pid, "n": name, "e": f"p{pid}@example.org", "y": young, "b": band, "c": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO audit_entry (at, username, action, entity, entity_id, summary, changes)"
                    " VALUES (:at, 'old', 'create', 'person', NULL, :n, :ch)"
                ),
                {"at": now, "n": name, "ch": json.dumps({"id": pid, "full_name": name})},
            )


def test_people_survive_the_upgrade_and_get_protection_defaults(empty_db_url):
    old = Database(empty_db_url, username="tester")
    upgrade(old, _previous(), backup=False)
    _fill(old)
    old.dispose()

    database = open_database(empty_db_url, username="tester")
    try:
        assert current_revision(database) >= REVISION
        with database.engine.connect() as conn:
            people = conn.execute(
                sa.text("SELECT id, full_name, email FROM person ORDER BY id")
            ).all()
            ids = (
                conn.execute(
                    sa.text("SELECT entity_id FROM audit_entry WHERE username = 'old' ORDER BY id")
                )
                .scalars()
                .all()
            )
        assert [tuple(p) for p in people] == [
            (1, "Jake Ferguson", "p1@example.org"),
            (2, "Tayo Young", "p2@example.org"),
        ]
        assert ids == [1, 2]  # the first entry of each record now names it
        young = get_protection(database, 2)
        assert young.lawful_basis is None and young.version is None
        assert young.safeguarding_notice and young.needs_parental_consent
        assert "no parent or carer's consent" in " ".join(young.warnings)
        assert len(list_policies(database)) == 4
    finally:
        database.dispose()


def test_downgrade_removes_only_the_new_tables(empty_db_url):
    database = Database(empty_db_url, username="tester")
    upgrade(database, REVISION, backup=False)
    _fill(database)
    from alembic import command

    config = alembic_config(database.url)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, _previous())
    tables = set(sa.inspect(database.engine).get_table_names())
    with database.engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM person")).scalar()
    database.dispose()
    assert count == 2
    assert not tables & {
        "person_protection",
        "consent_record",
        "retention_policy",
        "subject_access_request",
        "anonymous_attendance",
        "anonymous_participant",
    }
