"""Team mode: two app instances saving the same record, and a connection dropped mid-save."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

from db.errors import ConcurrentEditError, DatabaseUnavailable
from vru_crm.services.people import PersonInput, create_person, get_person, update_person

ROOT = Path(__file__).resolve().parents[1]

OTHER_INSTANCE = textwrap.dedent(
    """
    import sys
    from db.migrate import open_database
    from vru_crm.services.people import PersonInput, get_person, update_person
    database = open_database(sys.argv[1], username="colleague")
    person = get_person(database, int(sys.argv[2]))
    update_person(database, person.id, PersonInput(full_name=person.full_name,
                  email="colleague@example.org", notes="changed by a colleague"), person.version)
    database.dispose()
    """
)


def test_second_save_is_told_and_offered_the_other_version(database, db_url):
    person = create_person(database, PersonInput(full_name="Jake Ferguson"))
    mine = get_person(database, person.id)  # the form is open with this version
    other = subprocess.run(
        [sys.executable, "-c", OTHER_INSTANCE, db_url, str(person.id)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert other.returncode == 0, other.stderr
    with pytest.raises(ConcurrentEditError, match="Someone else saved this record"):
        update_person(
            database,
            person.id,
            PersonInput(full_name="Jake Ferguson", notes="my change"),
            mine.version,
        )
    theirs = get_person(database, person.id)  # what the form offers after the refusal
    assert (theirs.notes, theirs.email) == ("changed by a colleague", "colleague@example.org")
    update_person(
        database,
        person.id,
        PersonInput(
            full_name="Jake Ferguson", email=theirs.email, notes="changed by a colleague; my change"
        ),
        theirs.version,
    )
    assert get_person(database, person.id).notes.endswith("my change")


def test_dropped_connection_mid_save_loses_nothing_and_recovers(database, db_url):
    if make_url(db_url).get_backend_name() != "postgresql":
        pytest.skip("a server connection can only be dropped on PostgreSQL")
    person = create_person(database, PersonInput(full_name="Jake Ferguson", notes="before"))
    admin = sa.create_engine(make_url(db_url), isolation_level="AUTOCOMMIT")

    def drop(session, _context) -> None:
        pid = session.connection().connection.dbapi_connection.info.backend_pid
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(database._factory, "after_flush", drop)
    try:
        with pytest.raises(DatabaseUnavailable, match="connection to the database was lost"):
            update_person(
                database,
                person.id,
                PersonInput(full_name="Jake Ferguson", notes="during the drop"),
                person.version,
            )
    finally:
        event.remove(database._factory, "after_flush", drop)
        admin.dispose()
    kept = get_person(database, person.id)  # a new connection: the pool recovers by itself
    assert kept.notes == "before" and kept.version == person.version
    update_person(
        database, person.id, PersonInput(full_name="Jake Ferguson", notes="after"), kept.version
    )
    assert get_person(database, person.id).notes == "after"
