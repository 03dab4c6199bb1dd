"""Reading and writing spreadsheet-shaped files: CSV (UTF-8 with or without BOM, or an older
Excel's Windows-1252; comma, semicolon or tab separated) and XLSX.

A file becomes a header and a list of rows of trimmed strings, whatever it came
from, so the importers never care which. Every way a file can be broken (not
text, not a CSV, a damaged workbook, no header) becomes a ``FileProblem`` that
names the file and says what to do. What was read in a way the user should know
of (a semicolon-separated file, Windows-1252 text, a cell that held a formula) is
said in ``Table.notes``, which the import report shows.
"""

import csv
import io
import logging
import re
import time as time_module
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vru_crm.errors import UserError
from vru_crm.reliability.files import open_private
from vru_crm.validation import has_control, strip_control

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is read or written
    from openpyxl import Workbook

log = logging.getLogger(__name__)

# A cell starting with one of these may be run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ...but after + or - only digits, spaces and ( ) . / - make a phone number or a plain number,
# which a spreadsheet shows or sums and never runs: "+44 20 7946 0018", "-12.5".
NUMBER_OR_PHONE = re.compile(r"[+-][\d\s().\-/]*\d[\d\s().\-/]*")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_LISTED_FORMULAS = 5
CSV_FIELD_LIMIT = csv.field_size_limit()

# Bounds on what one file may hold, each refused in words before it costs minutes or
# gigabytes: a 5 KB workbook with one cell at XFD1048576 once
# took over an hour to read, a 2.4 MB one 2.3 GB of memory, a million-row CSV 15 minutes.
MAX_FILE_BYTES = 256 * 1024 * 1024  # on disk (a 100,000-row engagements CSV is about 20 MB)
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # a workbook's parts once unzipped
MAX_COLUMNS = 200
MAX_CELLS = 3_000_000  # filled cells kept in memory (about 200 MB; 200,000 engagements of 14)
MAX_READ_SECONDS = 120.0
DEFAULT_MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How much of a file ``read_table`` reads before it refuses (rows exclude the header)."""

    rows: int = DEFAULT_MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    seconds: float = MAX_READ_SECONDS
    what: str = "rows"  # "rows of organisations" in the refusal


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
    notes: list[str] = field(default_factory=list)  # how the file was read, for the report


def header_key(text: str) -> str:
    """Headers match in any case, with spaces, hyphens or underscores: 'People reached' = 'people_reached'."""
    return re.sub(r"[\s\-_]+", "_", text.strip().casefold()).strip("_")


def could_run(value: str) -> bool:
    """Whether a spreadsheet opening a CSV could run this cell as a formula.

    =, @, tab and CR always; + and - unless what follows is a phone number or a
    plain number (those are shown as typed: an apostrophe in "+44 20 7946 0018"
    is what LibreOffice then shows).
    """
    if not value.startswith(FORMULA_STARTS):
        return False
    if value[0] in "+-":  # a sign alone, a phone number, a plain number: shown as typed
        return not (len(value) == 1 or NUMBER_OR_PHONE.fullmatch(value))
    return True


def defuse(value: str) -> str:
    """Stop a spreadsheet running a CSV cell as a formula: prefix an apostrophe."""
    return "'" + value if could_run(value) else value


def undefuse(value: str) -> str:
    """Remove exactly the apostrophe ``defuse`` added (or an older version added, before
    phone numbers were left alone), and nothing else."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read_table(path: Path, limits: Limits | None = None) -> Table:
    """The header and rows of a .csv or .xlsx file, or a ``FileProblem`` in plain words.

    Reading stops with a ``FileProblem`` as soon as the file passes one of
    ``limits`` (rows, columns, cells, seconds), so a huge or malformed file is
    refused up front, before any row is checked or written.
    """
    path = Path(path)
    limits = limits or Limits()
    if not path.is_file():
        raise FileProblem(f"{path} does not exist (or is a folder, not a file).")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileProblem(
            f"{path.name} is in the old Excel format (.xls): save it as .xlsx or as CSV UTF-8."
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            f"{path.name} is {size / 2**20:,.0f} MB; an import reads files of at most "
            f"{MAX_FILE_BYTES // 2**20} MB. Split it into smaller files."
        )
    notes: list[str] = []
    if suffix in (".xlsx", ".xlsm"):
        records = _xlsx_records(path, notes)
    else:
        records = _csv_records(path, notes)
    return _table(path.name, records, limits, notes)


def _table(
    name: str,
    records: Iterable[list[str]],
    limits: Limits | None = None,
    notes: list[str] | None = None,
) -> Table:
    limits = limits or Limits()
    notes = notes if notes is not None else []
    headers: tuple[str, ...] | None = None
    rows: list[SourceRow] = []
    cells_kept = 0
    deadline = time_module.monotonic() + limits.seconds
    for number, record in enumerate(records, start=1):
        cells = tuple(undefuse(cell.strip()) for cell in _trimmed(record))
        if number % 1000 == 0 and time_module.monotonic() > deadline:
            raise FileProblem(
                f"{name} took more than {limits.seconds:.0f} seconds to read (up to row "
                f"{number:,}), so it was not imported. Save it as CSV UTF-8, or split it."
            )
        if not cells:
            continue
        if len(cells) > limits.columns:
            raise FileProblem(
                f"{name} has a value in column {len(cells):,} of row {number:,}; an import "
                f"reads at most {limits.columns} columns. Delete the columns it does not need."
            )
        if headers is None:
            headers = cells
            continue
        rows.append(SourceRow(number, cells))
        cells_kept += len(cells)
        if len(rows) > limits.rows:
            raise FileProblem(
                f"{name} has more than {limits.rows:,} {limits.what}: one import takes at most "
                f"{limits.rows:,}, so nothing was imported. Split the file into parts of "
                f"{limits.rows:,} rows or fewer (each with the header row) and import them "
                "one after another."
            )
        if cells_kept > limits.cells:
            raise FileProblem(
                f"{name} holds more than {limits.cells:,} filled cells (at row {number:,}); "
                "that is more than one import reads. Split the file into smaller ones."
            )
    if headers is None:
        raise FileProblem(f"{name} is empty: it needs a header row naming the columns.")
    return Table(name, headers, rows, notes)


def _trimmed(record: Sequence[str]) -> Sequence[str]:
    """The cells up to the last one that is not blank (a row of blanks is empty)."""
    end = len(record)
    while end and not record[end - 1].strip():
        end -= 1
    return record[:end] if end < len(record) else record


def _csv_records(path: Path, notes: list[str] | None = None) -> Iterator[list[str]]:
    notes = notes if notes is not None else []
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise FileProblem(
            f"{path.name} is not a CSV file (it looks like a binary file or a workbook): "
            "save it as CSV UTF-8 or .xlsx."
        )
    text = _decode(path, data, notes)
    delimiter = header_delimiter(text)
    if delimiter != ",":
        notes.append(
            f"read as {DELIMITERS[delimiter]}-separated values (its header row is; Excel "
            "writes CSV that way in many European languages)"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise FileProblem(
            f"{path.name} is not a readable CSV file near line {reader.line_num} ({error}). "
            "A quote mark may be missing, or a cell may be longer than "
            f"{CSV_FIELD_LIMIT:,} characters."
        ) from None


def _decode(path: Path, data: bytes, notes: list[str]) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 when every byte is one (older Excel's
    "CSV (Comma delimited)"), said in the notes; else refused with what to do."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_bad = error.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(
            f"{path.name} is not UTF-8 text (a byte at position {first_bad} cannot be read) "
            "nor Windows-1252: in Excel use Save As > 'CSV UTF-8 (Comma delimited)'."
        ) from None
    notes.append(
        "not UTF-8: read as Windows-1252 (cp1252), the encoding older Excel saves CSV in; "
        "check that accented letters and symbols such as £ came out right"
    )
    return text


def header_delimiter(text: str) -> str:
    """The separator of a CSV: the one of , ; and tab its header row has most of, outside quotes.

    The header is the first line that is not blank. It names the columns, so it
    holds no separators but the real ones, unlike a data row (notes with commas
    in a semicolon file). A one-column file is comma-separated.
    """
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            header = line
            break
    else:
        return ","
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _xlsx_records(path: Path, notes: list[str] | None = None) -> Iterator[list[str]]:
    """The first sheet's rows, streamed (openpyxl's read-only mode), as text.

    The sheet's declared size is ignored (``reset_dimensions``): a sparse
    sheet declaring XFD1048576 would otherwise be padded to 17 billion cells.
    Rows are read to ``MAX_COLUMNS + 1`` columns, enough to see that a row is
    too wide; ``_table`` bounds rows, cells and time.

    A cell holding a formula is read as the value the spreadsheet last showed
    (its cached value), and said in ``notes`` with the formula: a name
    "click me" may be a ``HYPERLINK`` somebody planted. Only a workbook whose
    first sheet has formulas is streamed a second time, formulas on, beside the
    first.
    """
    notes = notes if notes is not None else []
    has_formulas = _check_workbook_zip(path)
    shown = _open_workbook(path, data_only=True)
    typed = _open_workbook(path, data_only=False) if has_formulas else None
    formulas: list[str] = []
    try:
        rows = _sheet_rows(path, shown)
        formula_rows = _sheet_rows(path, typed) if typed is not None else None
        for number, values in enumerate(rows, start=1):
            raw = next(formula_rows, ()) if formula_rows is not None else ()
            if values.count(None) == len(values) and raw.count(None) == len(raw):
                yield []  # an empty row, in C: a sparse sheet has a million of them
                continue
            texts = [_cell_text(v) for v in values]
            for column, formula in enumerate(raw):
                if _is_formula(formula, values[column] if column < len(values) else None):
                    formulas.append(_formula_note(number, column, str(formula), texts))
            yield texts
    finally:
        shown.close()
        if typed is not None:
            typed.close()
        if formulas:
            notes.append(_formulas_summary(formulas))


def _open_workbook(path: Path, data_only: bool) -> "Workbook":
    try:
        from openpyxl import load_workbook

        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as error:  # any way a damaged workbook fails: zip, XML, missing parts
        log.info("workbook %s could not be opened: %s", path.name, type(error).__name__)
        raise _damaged_workbook(path) from None


def _sheet_rows(path: Path, workbook: "Workbook") -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows as tuples of values, streamed; damage becomes a FileProblem."""
    sheets = workbook.worksheets
    if not sheets:
        raise FileProblem(f"{path.name} has no sheets to read: put the records on the first sheet.")
    sheet = sheets[0]
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except FileProblem:
            raise
        except Exception as error:  # bad XML inside the sheet, found while streaming
            log.info("sheet of %s could not be read: %s", path.name, type(error).__name__)
            raise _damaged_workbook(path) from None
        yield values


def _is_formula(raw: object, shown: object) -> bool:
    """A formula cell reads as "=..." with formulas on and as something else without."""
    return isinstance(raw, str) and raw.startswith("=") and raw != shown


def _formula_note(row: int, column: int, formula: str, texts: list[str]) -> str:
    from openpyxl.utils import get_column_letter

    value = texts[column] if column < len(texts) else ""
    formula = formula if len(formula) <= 60 else formula[:57] + "..."
    return f"{get_column_letter(column + 1)}{row} {formula} (shown as '{value}')"


def _formulas_summary(formulas: list[str]) -> str:
    listed = "; ".join(formulas[:MAX_LISTED_FORMULAS])
    more = len(formulas) - MAX_LISTED_FORMULAS
    tail = f"; and {more:,} more" if more > 0 else ""
    count = (
        "1 cell held a formula" if len(formulas) == 1 else f"{len(formulas):,} cells held formulas"
    )
    return (
        f"{count}: the value the spreadsheet showed was imported, not the formula. "
        f"Check them: {listed}{tail}"
    )


def _damaged_workbook(path: Path) -> FileProblem:
    return FileProblem(
        f"{path.name} is not an Excel workbook (.xlsx), or it is damaged. "
        "Open it in Excel and save it again as .xlsx or as CSV UTF-8."
    )


def _check_workbook_zip(path: Path) -> bool:
    """A workbook is a zip: refuse one that is not, or that unpacks to more than we read.

    Returns whether any worksheet holds a formula (an ``<f>`` element), found by
    streaming the sheets' XML once, so that formula-free files are read once.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(info.file_size for info in members)
            if unpacked > MAX_UNPACKED_BYTES:
                raise FileProblem(
                    f"{path.name} unpacks to {unpacked / 2**20:,.0f} MB, more than an import "
                    f"reads ({MAX_UNPACKED_BYTES // 2**20} MB). Save it as CSV UTF-8, or split it."
                )
            sheets = [m for m in members if m.filename.startswith("xl/worksheets/")]
            return any(_has_formula(archive, member) for member in sheets)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise _damaged_workbook(path) from None


def _has_formula(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            text = tail + chunk
            if re.search(rb"<(?:\w+:)?f[ >/]", text):
                return True
            tail = text[-16:]
    return False


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
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    xlsx: bool | None = None,
    sheet_title: str | None = None,
) -> int:
    """Write a CSV (UTF-8 with BOM, so Excel shows accents) or a workbook (default: by suffix).

    CSV cells that could run as a formula are defused with an apostrophe. In a
    workbook, text is written as text cells, which never run, so nothing is
    prefixed; dates and whole numbers in ``rows`` become date and number cells.
    Written to a temporary file and
    moved into place, so a failure never leaves half a file behind; the file is
    readable by its owner only (0600): exports and rejected rows hold people's details.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        if xlsx if xlsx is not None else path.suffix.lower() == ".xlsx":
            count = _write_xlsx(partial, headers, rows, sheet_title)
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


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with open_private(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(_csv_cells(row))
            count += 1
    return count


def _csv_cells(row: Sequence[object]) -> list[str]:
    """``defuse(_printable(_csv_text(cell)))`` for each cell, with the common case cheap.

    A row is searched once for control characters and once for a line starting
    like a formula; only then are its cells looked at one by one (two million rows
    of an export: eight checks a cell before).
    """
    cells = [cell if type(cell) is str else _csv_text(cell) for cell in row]
    text = "\n".join(cells)  # a line break is no control character here: one search a row
    if has_control(text):
        cells = [_printable(cell) for cell in cells]
    elif not _LINE_LIKE_FORMULA.search(text):  # no cell (nor any line in one) starts like one
        return cells
    return [defuse(cell) if cell.startswith(FORMULA_STARTS) else cell for cell in cells]


_LINE_LIKE_FORMULA = re.compile("^[" + re.escape("".join(FORMULA_STARTS)) + "]", re.MULTILINE)


def _printable(text: str) -> str:
    """A cell without control characters (an old record may hold a NUL the import now
    refuses), so the file the app writes is always one it can read back."""
    return strip_control(text) if has_control(text) else text


def _csv_text(cell: object) -> str:
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _write_xlsx(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    sheet_title: str | None = None,
) -> int:
    """A workbook in openpyxl's write-only mode (rows streamed, not held): text cells typed as
    text, so "=1+1", "+44 20 7946 0018" and "02079460019" are shown and saved as typed.
    Line breaks inside a cell are written as LF, the one line break a cell has in Excel."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)

    def cell(value: object) -> object:
        if value is None or value == "":
            return None  # an empty cell, not a text of no characters
        if isinstance(value, bool):
            value = "yes" if value else "no"
        if isinstance(value, int | float):
            return value
        if isinstance(value, date):
            # openpyxl writes a date as a date cell; its stubs list only datetime for value.
            typed = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
            typed.number_format = "yyyy-mm-dd"
            return typed
        text = _printable(str(value))
        if "\r" in text:  # a line break in a cell is LF in a workbook (XML would drop the CR)
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        typed = WriteOnlyCell(sheet, value=text)
        typed.data_type = "s"  # openpyxl would take a text starting with "=" for a formula
        return typed

    sheet.append([cell(h) for h in headers])
    count = 0
    for row in rows:
        sheet.append([cell(value) for value in row])
        count += 1
    with open_private(path, "wb") as handle:
        workbook.save(handle)
    return count
