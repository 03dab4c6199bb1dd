"""Opening the database the way every entry point does (CLI, app, tests)."""

from db.migrate import open_database
from db.session import Database


def connect(db_url: str | None = None, username: str | None = None) -> Database:
    """The database chosen by ``--db``/$VRU_CRM_DATABASE_URL/default, migrated to the current schema."""
    return open_database(db_url, username=username)
