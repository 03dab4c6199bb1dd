"""Where the database lives and how connections to it are made."""

import logging
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from db import team_access
from db.integrity import guard_writes

log = logging.getLogger(__name__)

ENV_URL = "VRU_CRM_DATABASE_URL"
APP_NAME = "vru-crm"
APP_AUTHOR = "London VRU"
SQLITE_BUSY_TIMEOUT_MS = 5000


def data_dir() -> Path:
    """The user's data folder for this app (created on demand).

    ``platformdirs`` is imported here: a command given ``--db`` never needs it.
    """
    import platformdirs

    path = platformdirs.user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "vru_crm.sqlite3"


def resolve_url(explicit: str | None = None) -> str:
    """The database URL: ``--db`` first, then $VRU_CRM_DATABASE_URL, then the default file.

    A bare file path is accepted and turned into a SQLite URL, so
    ``--db team.sqlite3`` works as a user would expect.
    """
    value = explicit or os.environ.get(ENV_URL) or str(default_database_path())
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    try:
        _pragmas(dbapi_connection)
    except UnicodeDecodeError:  # a damaged schema: SQLite's message quoted its broken bytes
        raise sqlite3.DatabaseError("database disk image is malformed") from None


def _pragmas(dbapi_connection: sqlite3.Connection) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:  # read-only medium: keep the rollback journal
        log.warning("could not switch SQLite to WAL; continuing with the default journal")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with the pragmas every SQLite connection needs (foreign keys, WAL, busy timeout)."""
    if is_sqlite_url(url):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            hide_parameters=True,  # error messages and logs never carry personal data
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _configure_sqlite)
        guard_writes(engine, str(path) if path is not None else "in memory")
        return engine
    engine = create_engine(
        url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 5}
    )
    event.listen(engine, "connect", _remember_team_login)
    team_access.install(engine)
    return engine


# The login a team member signed in with, as the server knows it: a member of
# one of these groups cannot choose what name their audit entries carry.
TEAM_GROUPS = ("vru_viewer", "vru_engagement", "vru_governance", "vru_protection", "vru_admin")
TEAM_LOGIN = "team_login"


def _remember_team_login(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    """Once per connection: ``session_user`` when it is a team login, else None.

    A connection as a role outside the team groups (the database owner, or a
    database before ``vru-crm team init``) keeps the name the client states
    (``--user``): that role owns the audit table and could rewrite it anyway.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(
            "SELECT session_user, EXISTS (SELECT 1 FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE u.rolname = session_user AND g.rolname = ANY(%s))",
            (list(TEAM_GROUPS),),
        )
        row = cursor.fetchone()  # the query always returns one row
        user, in_team = row if row is not None else (None, False)
    finally:
        cursor.close()
        dbapi_connection.rollback()  # leave the new connection outside any transaction
    record.info[TEAM_LOGIN] = user if in_team else None
