"""Errors the storage layer raises, each with a message a user can act on."""


class DatabaseError(Exception):
    """Base class: ``str(error)`` is a plain-words message fit for a dialog or a terminal."""


class DatabaseUnavailable(DatabaseError):
    """The server cannot be reached or the file cannot be opened."""


class DatabaseTooNew(DatabaseError):
    """The database was written by a newer version of the app."""


class DatabaseCorrupt(DatabaseError):
    """The file is not a database, or fails its integrity check."""


class DatabaseLocked(DatabaseError):
    """Another program holds a lock on the file."""


class ConcurrentEditError(DatabaseError):
    """Someone else saved the same record since it was loaded."""
