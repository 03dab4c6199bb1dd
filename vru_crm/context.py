"""Opening the database the way every command does."""

import sys

from db.engine import resolve_url, sqlite_path
from db.errors import DatabaseUnavailable
from db.migrate import open_database
from db.session import Database
from vru_crm.reliability.files import (
    create_private_database_file,
    make_private,
    remove_leftovers_beside,
)
from vru_crm.reliability.readonly import file_access, write_problem


def connect(db_url: str | None = None, username: str | None = None) -> Database:
    """The database chosen by ``--db``/$VRU_CRM_DATABASE_URL/default, migrated to the current schema.

    A new SQLite file is created readable by its owner only, as the app does.
    A read-only file or folder is respected: it is opened for
    reading, the command says so on stderr, and any change is refused in words
    (``ReadOnlyError``) instead of the file being made writable.
    """
    url = resolve_url(db_url)
    path = sqlite_path(url)
    if path is None:  # a server: ask for a password it wants and the URL lacks
        from vru_crm.team.password import ask_on_terminal, open_asking_password

        server: Database = open_asking_password(
            lambda where: open_database(where, username=username), url, ask_on_terminal()
        )
        return server
    access = file_access(path)
    if not access.writable:
        from vru_crm.reliability.startup import open_read_only_checked

        database = open_read_only_checked(path, username, access)
        print(
            f"vru-crm: {path} is open for reading only: {write_problem(path)}; "
            "nothing in it can be changed.",
            file=sys.stderr,
        )
        return database
    problem = write_problem(path)
    if problem:  # no file yet, and nowhere to create one
        raise DatabaseUnavailable(f"Cannot create a database at {path}: {problem}.")
    remove_leftovers_beside(path)  # half copies a killed backup or restore left behind
    create_private_database_file(path)
    database = open_database(url, username=username)
    make_private(path)
    return database
