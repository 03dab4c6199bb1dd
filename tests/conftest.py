"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

PostgreSQL tests need ``VRU_CRM_TEST_POSTGRES_URL`` (``.ci/run`` sets it after
starting a server on loopback). Without it they are skipped locally, but under
CI (``CI=true``) a missing server is a failure, never a silent skip.

Migrating a database costs seconds and loading the demo more, so each is done once
per test process and copied per test: a file copy on SQLite, ``CREATE DATABASE ...
TEMPLATE`` on PostgreSQL. The suite runs in parallel (pytest-xdist, ``-n`` in
pyproject.toml): every process has its own templates, in its own temporary folder
and under PostgreSQL names that carry the worker's id, so workers never share one.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VRU_CRM_NO_AUTO_BACKUP", "1")

from postgres_admin import admin_engine, drop_database  # noqa: E402

from db.migrate import open_database, upgrade  # noqa: E402
from db.session import Database  # noqa: E402

PG_ENV = "VRU_CRM_TEST_POSTGRES_URL"
DEMO_TODAY = date(2026, 11, 23)  # the day the shared demo database is loaded "on"


def _worker() -> str:
    """``gw0``, ``gw1``... under pytest-xdist; ``main`` in a single process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_name(prefix: str) -> str:
    return f"{prefix}_{_worker()}_{uuid.uuid4().hex[:8]}"


def _pg_base() -> str:
    """The server's URL, or skip (fail under CI) when there is none."""
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set under CI: the PostgreSQL tests must run")
        pytest.skip(f"no PostgreSQL server ({PG_ENV} unset)")
    return base


def _pg_url(base: str, name: str) -> str:
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _copy_sqlite(template: Path, target: Path) -> Path:
    """A copy of a closed SQLite file, with its write-ahead log should one be left."""
    shutil.copy2(template, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy2(f"{template}{suffix}", f"{target}{suffix}")
    return target


# Templates, once per test process -------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "vru.sqlite3"
    database = Database(f"sqlite:///{path}", username="tester")
    upgrade(database, backup=False)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated template database; each test gets a fast copy of it."""
    base = _pg_base()
    name = _pg_name("vru_tpl")
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(_pg_url(base, name), username="tester")
    upgrade(database, backup=False)
    database.dispose()
    yield name
    drop_database(admin, name)
    admin.dispose()


def _load_demo(url: str) -> None:
    from vru_crm.demo import load_demo

    database = open_database(url, username="tester")
    try:
        load_demo(database, today=DEMO_TODAY)
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory, sqlite_template) -> Path:
    """The demo data set loaded (on ``DEMO_TODAY``) into a migrated SQLite file."""
    path = _copy_sqlite(sqlite_template, tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    _load_demo(str(path))
    return path


@pytest.fixture(scope="session")
def demo_postgres_template(postgres_template) -> Iterator[str]:
    """The demo data set loaded (on ``DEMO_TODAY``) into a PostgreSQL template."""
    base = _pg_base()
    name = _pg_name("vru_demo")
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    _load_demo(_pg_url(base, name))
    yield name
    drop_database(admin, name)
    admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def _qapplication(qapp):
    """Each test process makes its QApplication (offscreen) before any test runs.

    Headless rendering (agenda PDFs, chart images) makes a bare QGuiApplication when
    none exists; were that the first, every later widget would abort the process. Run
    in parallel, any test can come first in a worker, so the application comes first.
    """
    return qapp


# One database per test ------------------------------------------------------------------


def _postgres_copy(template: str) -> Iterator[str]:
    """A fresh database copied from ``template`` (``"template0"`` for an empty one)."""
    base = _pg_base()
    name = _pg_name("vru_t")
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _pg_url(base, name)
    finally:
        drop_database(admin, name)
        admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """The URL of a fresh, migrated database on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        yield f"sqlite:///{_copy_sqlite(template, tmp_path / 'vru.sqlite3')}"
    else:
        _pg_base()
        yield from _postgres_copy(request.getfixturevalue("postgres_template"))


@pytest.fixture
def database(db_url) -> Iterator[Database]:
    """A migrated database on each backend, as the services see it."""
    database = open_database(db_url, username="tester")
    yield database
    database.dispose()


@pytest.fixture(params=BACKENDS)
def demo_db_url(request, tmp_path) -> Iterator[str]:
    """A fresh copy of a database holding the demo data set (loaded on ``DEMO_TODAY``)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("demo_sqlite_template")
        yield f"sqlite:///{_copy_sqlite(template, tmp_path / 'demo.sqlite3')}"
    else:
        _pg_base()
        yield from _postgres_copy(request.getfixturevalue("demo_postgres_template"))


@pytest.fixture
def demo_database(demo_db_url) -> Iterator[Database]:
    """The demo data set on each backend, for tests that read it (loading costs seconds)."""
    database = open_database(demo_db_url, username="tester")
    yield database
    database.dispose()


@pytest.fixture
def sqlite_database(tmp_path, sqlite_template) -> Iterator[Database]:
    """A migrated SQLite file only (for file-level behaviour: backups, corruption, UI)."""
    path = _copy_sqlite(sqlite_template, tmp_path / "vru.sqlite3")
    database = open_database(str(path), username="tester")
    yield database
    database.dispose()


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database (no schema) on each backend, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        yield from _postgres_copy("template0")
