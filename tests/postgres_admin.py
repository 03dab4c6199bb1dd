"""Creating and dropping throwaway PostgreSQL databases for the tests."""

import time
import warnings

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError


def admin_engine(base_url: str) -> Engine:
    """An autocommit engine on the server's ``postgres`` database (CREATE/DROP DATABASE)."""
    admin = make_url(base_url).set(database="postgres")
    return create_engine(admin, isolation_level="AUTOCOMMIT")


def drop_database(admin: Engine, name: str) -> None:
    """Drop a throwaway test database; failing to clean up is not a test failure.

    ``WITH (FORCE)`` ends every session on the database, and a server worker
    (autovacuum) may belong to a role the test role cannot signal. Try a few
    times, then leave the database behind with a warning rather than fail a
    test whose assertions all held.
    """
    last: DBAPIError | None = None
    for attempt in range(5):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError as error:
            last = error
            time.sleep(0.2 * (attempt + 1))
    warnings.warn(f"test database {name} left behind: {last}", stacklevel=2)
