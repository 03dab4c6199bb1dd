"""Opening the database the way every command does."""

from db.engine import resolve_url, sqlite_path
from db.migrate import open_database
from db.session import Database
from vru_crm.reliability.files import create_private_database_file, make_private


def connect(db_url: str | None = None, username: str | None = None) -> Database:
    """The database chosen by ``--db``/$VRU_CRM_DATABASE_URL/default, migrated to the current schema.

    A new SQLite file is created readable by its owner only, as the app does.
    """
    url = resolve_url(db_url)
    path = sqlite_path(url)
    if path is not None:
        create_private_database_file(path)
    database = open_database(url, username=username)
    if path is not None:
        make_private(path)
    return database
