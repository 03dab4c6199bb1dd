"""Reading and writing spreadsheet-shaped files: CSV (UTF-8, with or without BOM) and XLSX.

A file becomes a header and a list of rows of trimmed strings, whatever it came
from, so the importers never care which. Every way a file can be broken (not
UTF-8, not a CSV, a damaged workbook, no header) becomes a ``FileProblem`` that
names the file and says what to do.
"""

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from vru_crm.errors import UserError

log = logging.getLogger(__name__)

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_FIELD_LIMIT = csv.field_size_limit()


class FileProblem(UserError):
    """The file as a whole cannot be read: nothing in it was imported."""


@dataclass(frozen=True)
class SourceRow:
    """One data row. ``number`` is the row a spreadsheet shows (the header is row 1)."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    headers: tuple[str, ...]
    rows: list[SourceRow]


def header_key(text: str) -> str:
    """Headers match in any case, with spaces, hyphens or underscores: 'People reached' = 'people_reached'."""
    return re.sub(r"[\s\-_]+", "_", text.strip().casefold()).strip("_")


def defuse(value: str) -> str:
    """Stop a spreadsheet running a cell as a formula: prefix an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def undefuse(value: str) -> str:
    """Remove exactly the apostrophe ``defuse`` added, and nothing else."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read_table(path: Path) -> Table:
    """The header and rows of a .csv or .xlsx file, or a ``FileProblem`` in plain words."""
    path = Path(path)
    if not path.is_file():
        raise FileProblem(f"{path} does not exist (or is a folder, not a file).")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileProblem(
            f"{path.name} is in the old Excel format (.xls): save it as .xlsx or as CSV UTF-8."
        )
    records = _xlsx_records(path) if suffix in (".xlsx", ".xlsm") else _csv_records(path)
    return _table(path.name, records)


def _table(name: str, records: Iterable[list[str]]) -> Table:
    headers: tuple[str, ...] | None = None
    rows: list[SourceRow] = []
    for number, record in enumerate(records, start=1):
        cells = tuple(undefuse(cell.strip()) for cell in record)
        if headers is None:
            if not any(cells):
                continue
            headers = cells
            continue
        if any(cells):
            rows.append(SourceRow(number, cells))
    if headers is None:
        raise FileProblem(f"{name} is empty: it needs a header row naming the columns.")
    return Table(name, headers, rows)


def _csv_records(path: Path) -> Iterator[list[str]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise FileProblem(
            f"{path.name} is not a CSV file (it looks like a binary file or a workbook): "
            "save it as CSV UTF-8 or .xlsx."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            f"{path.name} is not UTF-8 text (a byte at position {error.start} cannot be read): "
            "in Excel use Save As > 'CSV UTF-8 (Comma delimited)'."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as error:
        raise FileProblem(
            f"{path.name} is not a readable CSV file near line {reader.line_num} ({error}). "
            "A quote mark may be missing, or a cell may be longer than "
            f"{CSV_FIELD_LIMIT:,} characters."
        ) from None


def _xlsx_records(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        log.info("workbook %s could not be opened: %s", path.name, type(error).__name__)
        raise FileProblem(
            f"{path.name} is not an Excel workbook (.xlsx), or it is damaged. "
            "Open it in Excel and save it again as .xlsx or as CSV UTF-8."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A workbook cell as the text a user typed: dates as YYYY-MM-DD, 12.0 as 12."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_table(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]], xlsx: bool | None = None
) -> int:
    """Write a CSV (UTF-8 with BOM, so Excel shows accents) or a workbook (default: by suffix).

    Cells are defused against formula injection. Written to a temporary file and
    moved into place, so a failure never leaves half a file behind.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        if xlsx if xlsx is not None else path.suffix.lower() == ".xlsx":
            count = _write_xlsx(partial, headers, rows)
        else:
            count = _write_csv(partial, headers, rows)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise FileProblem(f"Cannot write {path}: {error.strerror or error}.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([defuse(str(cell)) for cell in row])
            count += 1
    return count


def _write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(headers))
    count = 0
    for row in rows:
        sheet.append([defuse(str(cell)) for cell in row])
        count += 1
    workbook.save(path)
    return count
