"""The database handle and its unit of work.

One short session per unit of work, opened and closed by the service that needs
it; never a global connection shared across threads.

Opening a database needs only SQLAlchemy Core (the engine). The ORM, SQLModel,
pydantic and every model load with the first session: a command that only runs
Core statements (``check``, the migrations' look at the schema revision, the
queries of ``vru_crm.queries``) never pays for them, and reaches its first
statement sooner (bench/README.md, "Start-up"; tests/test_startup_imports.py).
"""

from __future__ import annotations

import getpass
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from db.engine import is_sqlite_url, make_engine, resolve_url, sqlite_path
from db.errors import ConcurrentEditError, DatabaseCorrupt, DatabaseLocked, DatabaseUnavailable
from db.integrity import damaged_message, is_damage, readable

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session

log = logging.getLogger(__name__)
_FACTORY_LOCK = threading.Lock()


def current_username() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


class Database:
    """A database chosen by URL, with sessions that audit every change.

    ``username`` is recorded on every audit entry written through this handle.
    """

    def __init__(self, url: str | None = None, username: str | None = None) -> None:
        self.url = resolve_url(url)
        self.username = username or current_username()
        # Set when the app had to open the file read-only (locked, or on a read-only medium).
        self.read_only_reason: str | None = None
        self.engine: Engine = make_engine(self.url)
        # Made by the first session (``_sessions``); a subclass may set its own here.
        self._factory: sessionmaker[Session] | None = None

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite_url(self.url)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return sqlite_path(self.url)

    @property
    def display_name(self) -> str:
        """Where the data is, in words a user recognises; never the password.

        A SQLite file is its path (not ``sqlite:////home/...``); a server is
        "database on host:port".
        """
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return url.database or "an in-memory database"
        where = f"{url.host or 'localhost'}:{url.port or 5432}"
        return f"PostgreSQL database {url.database} on {where}"

    @contextmanager
    def session(self, *, audit_rows: bool = True) -> Iterator[Session]:
        """A unit of work: committed if the block ends normally, rolled back otherwise."""
        from sqlalchemy.orm.exc import StaleDataError

        session = self._sessions()()
        session.info["username"] = self.username
        session.info["audit_rows"] = audit_rows
        try:
            yield session
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise ConcurrentEditError(
                "Someone else saved this record after you opened it. "
                "Reload it to see their change, then make yours again."
            ) from error
        except DBAPIError as error:
            session.rollback()
            if error.connection_invalidated:
                raise DatabaseUnavailable(
                    "The connection to the database was lost; nothing was saved. Try again."
                ) from error
            if isinstance(error, OperationalError) and "locked" in str(error.orig).lower():
                raise DatabaseLocked(
                    "The database is busy: another program is writing to it. Try again in a moment."
                ) from error
            if self.is_sqlite and is_damage(error):
                raise DatabaseCorrupt(
                    damaged_message(
                        self.display_name, readable(error.orig or error), "Nothing was changed."
                    )
                ) from error
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def prepare_sessions(self) -> None:
        """Import the ORM and the models now, where it suits the caller.

        The app calls it on a thread of its own once the database is open, so
        that no first session on the UI thread waits for the import, nor for the
        mappers' configuration that the first ORM query would otherwise run.
        """
        from sqlalchemy.orm import configure_mappers

        self._sessions()
        configure_mappers()

    def _sessions(self) -> sessionmaker[Session]:
        """The audited session factory, made (and the ORM and models imported) on first use."""
        if self._factory is not None:
            return self._factory
        with _FACTORY_LOCK:  # two threads' first sessions make one factory
            if self._factory is None:
                from sqlalchemy.orm import sessionmaker
                from sqlmodel import Session

                from db import audit

                self._factory = sessionmaker(self.engine, class_=Session, expire_on_commit=False)
                audit.install(self._factory)
            return self._factory

    def execute_scalar(self, sql: str) -> Any:
        """A single value from a read-only statement (used by checks and tests)."""
        with self.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    def dispose(self) -> None:
        self.engine.dispose()
