"""Excel workbooks (.xlsx) of the same records and columns as the CSV export, with typed cells.

Why typed: a CSV holds only text, and a spreadsheet guesses each cell's type
when it opens one, so "02079460019" becomes the number 2079460019 and the
re-import rejects the phone number. In a workbook every
cell says what it is: dates are date cells (shown YYYY-MM-DD), counts are number
cells, and everything else, phone numbers and anything with a leading zero or +
among them, is a text cell, which Excel and LibreOffice keep as typed when the
file is saved again. Text cells never run as formulas, so nothing is prefixed.

The rows come from ``export_csv``'s readers, so the two exports always agree,
and ``import`` reads the workbook back.
"""

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from db.session import Database
from vru_crm.io import export_csv as csv_export
from vru_crm.io.tables import write_table

log = logging.getLogger(__name__)

# The columns that hold one date (a date cell) or a count (a number cell), per kind;
# every other column is text. A cell holding several dates ("2021-01-04; 2023-05-01") stays text.
DATE_COLUMNS = {
    "people": ("since", "until"),
    "engagements": ("date", "follow_up"),
    "meetings": ("minutes_published",),
}
COUNT_COLUMNS = {"engagements": ("people_reached",)}
SHEET_TITLES = {
    "organisations": "Organisations",
    "people": "People",
    "engagements": "Engagements",
    "meetings": "Meetings",
}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNT = re.compile(r"\d{1,15}")


def export_xlsx(database: Database, kind: str, path: Path) -> int:
    """Write every record of ``kind`` to the workbook ``path``; the number of rows written."""
    headers, rows = csv_export.table_of(kind)
    with database.session() as s:
        count = write_table(
            Path(path),
            headers,
            typed_rows(kind, headers, rows(s)),
            xlsx=True,
            sheet_title=SHEET_TITLES[kind],
        )
    log.info("exported %d %s as a workbook", count, kind)
    return count


def typed_rows(
    kind: str, headers: Sequence[str], rows: Iterable[Sequence[str]]
) -> Iterator[list[object]]:
    """The CSV rows with one-date cells as dates and counts as numbers; the rest stays text."""
    dates = {headers.index(c) for c in DATE_COLUMNS.get(kind, ()) if c in headers}
    counts = {headers.index(c) for c in COUNT_COLUMNS.get(kind, ()) if c in headers}
    for row in rows:
        typed: list[object] = list(row)
        for index in dates:
            typed[index] = _day(row[index])
        for index in counts:
            if _COUNT.fullmatch(row[index]) and not (len(row[index]) > 1 and row[index][0] == "0"):
                typed[index] = int(row[index])
        yield typed


def _day(text: str) -> object:
    if _ISO_DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text
