"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

PostgreSQL tests need ``VRU_CRM_TEST_POSTGRES_URL`` (``.ci/run`` sets it after
starting a server on loopback). Without it they are skipped locally, but under
CI (``CI=true``) a missing server is a failure, never a silent skip.
"""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VRU_CRM_NO_AUTO_BACKUP", "1")

from postgres_admin import admin_engine, drop_database  # noqa: E402

from db.migrate import open_database, upgrade  # noqa: E402
from db.session import Database  # noqa: E402

PG_ENV = "VRU_CRM_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A migrated template database; each test gets a fast copy of it."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    name = f"vru_tpl_{uuid.uuid4().hex[:8]}"
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    database = Database(url, username="tester")
    upgrade(database, backup=False)
    database.dispose()
    yield name
    drop_database(admin, name)
    admin.dispose()


def _postgres_url(template: str | None) -> Iterator[str]:
    """A fresh database copied from ``template`` (``"template0"`` for an empty one)."""
    base = os.environ.get(PG_ENV)
    if not base or template is None:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set under CI: the PostgreSQL tests must run")
        pytest.skip(f"no PostgreSQL server ({PG_ENV} unset)")
    name = f"vru_t_{uuid.uuid4().hex[:10]}"
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, postgres_template) -> Iterator[str]:
    """The URL of a fresh, migrated database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'vru.sqlite3'}"
        database = Database(url, username="tester")
        upgrade(database, backup=False)
        database.dispose()
        yield url
    else:
        yield from _postgres_url(postgres_template)


@pytest.fixture
def database(db_url) -> Iterator[Database]:
    """A migrated database on each backend, as the services see it."""
    database = open_database(db_url, username="tester")
    yield database
    database.dispose()


@pytest.fixture
def sqlite_database(tmp_path) -> Iterator[Database]:
    """A migrated SQLite file only (for file-level behaviour: backups, corruption, UI)."""
    database = open_database(str(tmp_path / "vru.sqlite3"), username="tester")
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request, tmp_path, postgres_template) -> Iterator[str]:
    """The URL of an empty database (no schema) on each backend, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        yield from _postgres_url("template0" if postgres_template else None)
