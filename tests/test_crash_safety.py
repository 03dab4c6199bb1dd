"""Kill the process mid-import and mid-save (SIGKILL, no clean-up), then check the database.

A child process runs the real importer (``vru_crm.io.importer``) or a real
service save. The deterministic tests pause the child inside its open
transaction (after rows were flushed to the database) and kill it there; the
random tests kill it after a seeded random delay. Afterwards the SQLite file
must pass ``PRAGMA integrity_check`` and hold all or none of each piece of work.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from db.migrate import open_database

ROOT = Path(__file__).resolve().parents[1]
ROWS = 400  # the importer reports every 200 rows written: killed with 200 in its transaction
BOROUGHS = ("Hackney", "Lambeth", "Croydon", "Newham", "Southwark", "Brent", "Ealing", "Haringey",
            "Enfield", "Lewisham", "Islington", "Camden", "Tower Hamlets", "Westminster",
            "Barnet", "Bromley")  # fmt: skip
WORDS = ("Hackney", "Lambeth", "Youth", "Trust", "Faith", "Forum", "Project", "Centre",
         "Network", "Alliance", "Collective", "Partnership")  # fmt: skip

IMPORT_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from db.migrate import open_database
    from vru_crm.io.importer import import_file

    url, csv_path, pause = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "pause"
    database = open_database(url, username="crash-test")

    def progress(done, total):
        if done >= total * 3 // 4:  # half-way through writing (checking is the first half)
            print("MIDWAY", flush=True)
            if pause:
                time.sleep(120)

    report = import_file(database, "organisations", csv_path, progress=progress)
    print(f"DONE {report.imported}", flush=True)
    """
)

SAVE_CHILD = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import event
    from db.migrate import open_database
    from vru_crm.services.engagements import EngagementInput, create_engagement
    from vru_crm.services.people import PersonInput, get_person, update_person

    url, pause = sys.argv[1], sys.argv[2] == "pause"
    database = open_database(url, username="crash-test")
    if pause:
        def hold(session, _context):
            print("MIDWAY", flush=True)
            time.sleep(120)
        database.prepare_sessions()  # the session factory is made on first use
        event.listen(database._factory, "after_flush", hold)
    i = 0
    while True:
        i += 1
        person = get_person(database, 1)
        update_person(database, 1, PersonInput(full_name=f"Save {i}", email=f"save{i}@example.org",
                      notes=f"save {i}"), person.version)
        create_engagement(database, EngagementInput(kind="call", person_ids=[1, 2],
                          organisation_ids=[1], summary=f"Call {i}", people_reached=i))
        print(f"SAVED {i}", flush=True)
    """
)


def _csv(path: Path, rows: int = ROWS) -> Path:
    rng = random.Random(7)
    lines = ["name,sector,borough,email"]
    for i in range(rows):
        name = " ".join(rng.sample(WORDS, 3)) + f" {rng.randrange(16**8):08x}"
        lines.append(f"{name},charity,{BOROUGHS[i % len(BOROUGHS)]},org{i}@example.org")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _start(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VRU_CRM_NO_AUTO_BACKUP": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _kill_when(child: subprocess.Popen, marker: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(marker):
            break
        assert time.monotonic() < deadline, f"the child never printed {marker}"
    else:
        pytest.fail(f"the child ended before {marker}: {child.stderr.read()}")  # type: ignore[union-attr]
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL


def _check_sqlite(url: str) -> None:
    path = make_url(url).database
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def _count(url: str, sql: str) -> int:
    database = open_database(url)
    try:
        with database.engine.connect() as conn:
            return int(conn.execute(sa.text(sql)).scalar_one())
    finally:
        database.dispose()


def _seed_for_saves(url: str) -> None:
    from vru_crm.services.organisations import OrganisationInput, create_organisation
    from vru_crm.services.people import PersonInput, create_person

    database = open_database(url)
    try:
        create_person(database, PersonInput(full_name="Save 0", email="save0@example.org"))
        create_person(database, PersonInput(full_name="Amara Okafor"))
        create_organisation(database, OrganisationInput(name="Hackney CVS", sector="charity"))
    finally:
        database.dispose()


def _saves_are_whole(url: str) -> int:
    """Every engagement has both its people and its organisation; the person's fields agree."""
    database = open_database(url)
    try:
        with database.engine.connect() as conn:
            engagements = conn.execute(sa.text("SELECT id, people_reached FROM engagement")).all()
            people = dict(
                conn.execute(
                    sa.text(
                        "SELECT engagement_id, count(*) FROM engagement_person GROUP BY engagement_id"
                    )
                ).all()
            )
            orgs = dict(
                conn.execute(
                    sa.text(
                        "SELECT engagement_id, count(*) FROM engagement_organisation GROUP BY engagement_id"
                    )
                ).all()
            )
            name, email, notes = conn.execute(
                sa.text("SELECT full_name, email, notes FROM person WHERE id = 1")
            ).one()
            audited = conn.execute(
                sa.text(
                    "SELECT count(*) FROM audit_entry WHERE entity = 'engagement' AND action = 'create'"
                )
            ).scalar_one()
    finally:
        database.dispose()
    assert all(people.get(e) == 2 and orgs.get(e) == 1 for e, _ in engagements)
    assert audited == len(engagements)
    n = name.removeprefix("Save ")
    assert email == f"save{n}@example.org" and notes in ("", f"save {n}")
    assert sorted(r for _, r in engagements) == list(range(1, len(engagements) + 1))
    return len(engagements)


def test_import_killed_midway_leaves_none_of_it_then_completes(db_url, tmp_path):
    data = _csv(tmp_path / "organisations.csv")
    child = _start(IMPORT_CHILD, db_url, str(data), "pause")
    _kill_when(child, "MIDWAY")
    if make_url(db_url).get_backend_name() == "sqlite":
        _check_sqlite(db_url)
    assert _count(db_url, "SELECT count(*) FROM organisation") == 0
    assert _count(db_url, "SELECT count(*) FROM audit_entry") == 0

    done = _start(IMPORT_CHILD, db_url, str(data), "go")
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert f"DONE {ROWS}" in out
    assert _count(db_url, "SELECT count(*) FROM organisation") == ROWS


def test_save_killed_inside_its_transaction_is_not_half_saved(db_url):
    _seed_for_saves(db_url)
    child = _start(SAVE_CHILD, db_url, "pause")
    _kill_when(child, "MIDWAY")
    if make_url(db_url).get_backend_name() == "sqlite":
        _check_sqlite(db_url)
    assert _saves_are_whole(db_url) == 0
    assert _count(db_url, "SELECT count(*) FROM person WHERE full_name = 'Save 0'") == 1


@pytest.mark.parametrize("seed", [1, 2])
def test_random_kills_during_import_and_saves_leave_all_or_none(tmp_path, seed):
    url = f"sqlite:///{tmp_path / 'vru.sqlite3'}"
    open_database(url).dispose()
    rng = random.Random(seed)
    data = _csv(tmp_path / "organisations.csv", 600)
    importing = _start(IMPORT_CHILD, url, str(data), "go")
    _kill_when(importing, "MIDWAY")  # the write phase has begun; it may or may not commit
    _check_sqlite(url)
    assert _count(url, "SELECT count(*) FROM organisation") in (0, 600)

    _seed_for_saves(url)
    saving = _start(SAVE_CHILD, url, "go")
    assert saving.stdout is not None
    saving.stdout.readline()  # at least one save committed
    time.sleep(rng.uniform(0.05, 0.6))
    saving.send_signal(signal.SIGKILL)
    saving.wait(10)
    _check_sqlite(url)
    assert _saves_are_whole(url) >= 1
