"""What the team-mode tests (tests/test_team_*.py) share: the server, its owner, logins, windows.

Registered as a plugin by tests/conftest.py (``pytest_plugins``), so its fixtures are found
by every test module without an import: ``pg_url`` (a database of the test's own),
``owner`` (that database after ``team init``), ``logins`` / ``login`` / ``as_login`` (new
login roles in a group, dropped after the test), and ``open_window`` / ``windows`` (the
real main window, signed in as a login or on any database). Helpers that are not fixtures
(``pg_base``, ``Logins``, ``PASSWORD``) are imported from here as usual.
"""

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from postgres_admin import admin_engine, drop_database
from sqlalchemy import text
from sqlalchemy.engine import make_url

PG_ENV = "VRU_CRM_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery staple"
VIEWER_USER = "Sadiq Khan"  # the name a login's window and services are opened with


def pg_base() -> str:
    """The server's URL, or skip (fail under CI) when there is none."""
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set under CI: the PostgreSQL tests must run")
        pytest.skip(f"no PostgreSQL server ({PG_ENV} unset)")
    return base


def postgres_copy(template: str) -> Iterator[str]:
    """A fresh database copied from ``template`` (the migrated one of conftest.py); dropped after."""
    base = pg_base()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"vru_team_{worker}_{uuid.uuid4().hex[:8]}"
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


_may_create_roles: dict[str, bool] = {}


def may_create_roles(base: str) -> bool:
    """Whether the test role may create login roles (CREATEROLE; .ci/run grants it to vru_ci).

    Asked of the server once per test process: it does not change during a run.
    """
    if base not in _may_create_roles:
        from sqlalchemy import create_engine

        engine = create_engine(base)
        try:
            with engine.connect() as conn:
                _may_create_roles[base] = bool(
                    conn.execute(
                        text(
                            "SELECT rolcreaterole OR rolsuper FROM pg_roles "
                            "WHERE rolname = current_user"
                        )
                    ).scalar()
                )
        finally:
            engine.dispose()
    return _may_create_roles[base]


class Logins:
    """``logins.make(role)``: a new login role in that group, its URL; all dropped by ``drop``."""

    def __init__(self, owner) -> None:
        self.owner = owner
        self.made: list[str] = []

    def make(self, role: str, password: str = PASSWORD) -> str:
        from vru_crm.team import roles

        name = f"t_{role[:4]}_{uuid.uuid4().hex[:8]}"
        roles.add_user(self.owner, name, role, password)
        self.made.append(name)
        return (
            make_url(self.owner.url)
            .set(username=name, password=password)
            .render_as_string(hide_password=False)
        )

    def drop(self) -> None:
        from vru_crm.team import roles

        for name in self.made:
            with contextlib.suppress(Exception):  # removed by the test itself
                roles.remove_user(self.owner, name)


class Windows:
    """Main windows opened for one test (offscreen, 1280x800, settings in the test's folder).

    ``close`` closes them, waits for their background jobs and disposes their databases,
    so no job outlives the test (nor a connection the login's removal would trip on).
    """

    def __init__(self, qtbot, folder) -> None:
        self.qtbot = qtbot
        self.folder = folder
        self.opened: list = []

    def open(self, database, settings_name: str):
        from PySide6.QtCore import QSettings

        from ui.main_window import MainWindow

        settings = QSettings(str(self.folder / f"{settings_name}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(database, settings)
        self.qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        self.qtbot.waitExposed(window)
        self.opened.append((window, database))
        return window

    def close(self) -> None:
        from ui.workers import wait_for_jobs

        for window, database in self.opened:
            window.close()
            wait_for_jobs(5000)
            database.dispose()
        self.opened.clear()


# Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def pg_url(request) -> Iterator[str]:
    """A database of this test's own on the server (a copy of the migrated template)."""
    if not may_create_roles(pg_base()):
        pytest.skip("the test role cannot create login roles (needs CREATEROLE; .ci/run grants it)")
    yield from postgres_copy(request.getfixturevalue("postgres_template"))


@pytest.fixture
def owner(pg_url):
    """``pg_url`` opened by its owner after ``team init``, as the set-up steps say."""
    from db.migrate import open_database
    from vru_crm.team import roles

    database = open_database(pg_url, username="tester")
    roles.init(database)
    yield database
    database.dispose()


@pytest.fixture
def logins(owner) -> Iterator[Logins]:
    made = Logins(owner)
    yield made
    made.drop()


@pytest.fixture
def login(logins) -> Callable[[str], str]:
    """``login(role)``: a new login role in that group, its URL (``logins.make``)."""
    return logins.make


@pytest.fixture
def as_login(logins) -> Iterator[Callable]:
    """``as_login(role, user=...)``: a Database opened as a new login of that role."""
    from db.migrate import open_database

    opened = []

    def open_as(role: str, user: str = VIEWER_USER):
        database = open_database(logins.make(role), username=user)
        opened.append(database)
        return database

    yield open_as
    for database in opened:
        database.dispose()


@pytest.fixture
def windows(qtbot, tmp_path) -> Iterator[Windows]:
    """Main windows on any database (``windows.open(database, name)``), closed after the test."""
    opened = Windows(qtbot, tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def open_window(qtbot, tmp_path, logins) -> Iterator[Callable]:
    """``open_window(role)``: the main window signed in as a new login of that role."""
    from db.migrate import open_database

    opened = Windows(qtbot, tmp_path)

    def open_as(role: str):
        return opened.open(open_database(logins.make(role), username=VIEWER_USER), role)

    yield open_as
    opened.close()  # before ``logins`` drops the roles these windows are signed in as
