"""What every importer shares: the row it reads, the problems it collects, the interface.

An importer checks each row on its own (``check``) and writes the good ones in
the caller's unit of work (``write``); the driver in ``importer.py`` owns the
file, the transaction, progress, cancelling and the report.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from db.session import Database
from vru_crm import validation as v

Tick = Callable[[int], None]


@dataclass
class Cells:
    """One row's cells by column, with the problems found in them so far."""

    number: int
    values: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)
    restored: list[str] = field(default_factory=list)  # what was put back, for the report

    def phone(self, column: str) -> str:
        """A phone number, with the leading 0 or + a spreadsheet dropped put back.

        Excel and LibreOffice read 02079460019 in a CSV as the number 2079460019
        and save it so. Only a cell of bare digits that is not
        a phone number as it stands, and is one with a 0 (9 or 10 digits) or a +
        (44 and 10 digits) in front, is changed; the report says so.
        """
        text = self.get(column)
        if not text.isdigit() or v.validate_phone(text) is None:
            return text
        for fixed in ("0" + text, "+" + text):
            shape = (len(fixed) in (10, 11) and fixed[0] == "0") or fixed.startswith("+44")
            if shape and v.validate_phone(fixed) is None:
                self.restored.append(f"row {self.number}: {text} read as {fixed}")
                return fixed
        return text

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def items(self, column: str) -> list[str]:
        """Several values in one cell, separated by ';'."""
        return v.split_cell(self.values.get(column, ""))

    def problem(self, column: str, message: str | None) -> None:
        """Record a problem (the first one per column is kept)."""
        if message:
            self.problems.setdefault(column, message)

    def date(self, column: str, required: bool = False) -> date | None:
        text = self.get(column)
        if not text and required:
            self.problem(column, "a date is required (YYYY-MM-DD or DD/MM/YYYY)")
            return None
        try:
            return v.parse_date(text)
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def flag(self, column: str) -> bool:
        try:
            return v.parse_bool(self.get(column), column)
        except ValueError as error:
            self.problem(column, str(error))
            return False

    def text(self, column: str, max_length: int | None = None) -> str:
        value = self.get(column)
        if max_length is not None:
            self.problem(column, v.validate_length(value, max_length, column.replace("_", " ")))
        return value


class RowImporter:
    """One kind of import. Subclasses set the columns and implement ``check`` and ``write``."""

    kind: str = ""
    columns: Sequence[str] = ()
    required: Sequence[str] = ()

    def __init__(self, database: Database) -> None:
        self.database = database

    def check(self, cells: Cells) -> Any | None:
        """The row as input for ``write``, or None with problems recorded on ``cells``."""
        raise NotImplementedError

    def write(self, session: Session, items: list[Any], tick: Tick) -> int:
        """Write the checked items; call ``tick(done)`` now and then; return how many."""
        raise NotImplementedError

    # The ids ``write`` gave the new records, in file order (the import report carries them).
    written_ids: list[int]

    audit_rows: bool = True
    # The most rows one file may hold, refused up front in words past it:
    # a subclass sets what it can check and write in a few minutes on either database.
    max_rows: int = 100_000
