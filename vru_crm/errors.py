"""Errors the services raise for expected problems, with messages in plain words."""

from db.errors import DatabaseError


class UserError(Exception):
    """Something the user can fix: ``str(error)`` says what and how."""


class ValidationError(UserError):
    """A record failed validation. ``fields`` maps field name to the problem with it."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in fields.items()))


class NotFound(UserError):
    pass


EXPECTED_ERRORS = (UserError, DatabaseError)
