"""The import driver: file in, checked rows, one transaction, a report out.

``import_file`` is what the CLI and the Qt import dialog call. It reports
progress through ``progress(done, total)`` and polls ``cancelled()`` between
rows and batches, so a dialog can run it in a worker thread with a progress
bar and a Cancel button. A cancelled or failed import writes nothing: all rows
go in one unit of work, committed only at the end.
"""

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from db.session import Database
from vru_crm.io.base import Cells, RowImporter
from vru_crm.io.import_engagements import EngagementImporter
from vru_crm.io.import_organisations import OrganisationImporter
from vru_crm.io.import_people import PersonImporter
from vru_crm.io.report import ImportReport, RowProblem
from vru_crm.io.tables import (
    FileProblem,
    Limits,
    SourceRow,
    Table,
    header_key,
    read_table,
    write_table,
)
from vru_crm.validation import control_problem, has_control

log = logging.getLogger(__name__)

IMPORTERS: dict[str, type[RowImporter]] = {
    "organisations": OrganisationImporter,
    "people": PersonImporter,
    "engagements": EngagementImporter,
}
KINDS = list(IMPORTERS)

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class ImportCancelled(Exception):
    """Raised inside the unit of work so it rolls back."""


def columns(kind: str) -> tuple[str, ...]:
    """The columns of an import file, required ones first."""
    return tuple(_importer_class(kind).columns)


def required_columns(kind: str) -> tuple[str, ...]:
    return tuple(_importer_class(kind).required)


def write_template(kind: str, path: Path) -> Path:
    """A header-only file to fill in: CSV, or a workbook if ``path`` ends in .xlsx."""
    write_table(path, columns(kind), [])
    return path


def rejected_path_for(path: Path) -> Path:
    """Where ``--skip-invalid`` puts the rejected rows: orgs.csv -> orgs.rejected.csv."""
    return path.with_name(f"{path.stem}.rejected.csv")


def import_file(
    database: Database,
    kind: str,
    path: Path,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ImportReport:
    """Check every row of ``path``; write the good ones unless any is bad (or ``skip_invalid``).

    Raises ``FileProblem`` when the file as a whole cannot be read.
    """
    path = Path(path)
    kind_class = _importer_class(kind)
    table = read_table(path, limits_for(kind_class))
    importer = kind_class(database)
    report = ImportReport(path.name, kind, dry_run=dry_run, skip_invalid=skip_invalid)
    report.notes.extend(table.notes)  # how the file was read: its separator, encoding, formulas
    positions = _positions(table, importer, report)
    if not table.rows:
        raise FileProblem(f"{path.name} has a header but no rows to import.")
    report.total = len(table.rows)
    steps = 2 * report.total  # checking every row, then writing the good ones
    tell = progress or (lambda done, total: None)
    stop = cancelled or (lambda: False)
    try:
        good, rejected = _check_rows(table, importer, positions, report, tell, stop)
        if dry_run or (report.problems and not skip_invalid):
            tell(steps, steps)  # finished: nothing (more) to do
            return report
        tick = lambda n: _tick(tell, stop, report.total, n, len(good), steps)  # noqa: E731
        report.imported = _write(database, importer, good, tick)
        report.ids = list(importer.written_ids)
    except ImportCancelled:
        report.cancelled = True
        report.imported = 0
        return report
    tell(steps, steps)
    if rejected:
        try:
            report.rejected_path = _write_rejected(path, table, rejected)
        except FileProblem as error:  # the import itself is committed: say so, do not fail it
            report.notes.append(f"the rejected rows could not be saved: {error}")
    log.info("imported %d %s (%d rows rejected)", report.imported, kind, report.rows_with_problems)
    return report


# A row refused, as read from the file, with its problems.
Rejected = tuple[SourceRow, Cells]


def _check_rows(
    table: Table,
    importer: RowImporter,
    positions: dict[str, int],
    report: ImportReport,
    tell: Progress,
    stop: CancelCheck,
) -> tuple[list[Any], list[Rejected]]:
    """Check every row: the good items, and the rejected rows with their problems."""
    good: list[Any] = []
    rejected: list[Rejected] = []
    restored: list[str] = []
    for index, source in enumerate(table.rows, start=1):
        values = {c: _cell(source.cells, i) for c, i in positions.items()}
        cells = Cells(source.number, values)
        if has_control("".join(values.values())):  # rare: NUL and the like
            for column, value in values.items():
                cells.problem(column, control_problem(value))
        item = importer.check(cells)
        restored += cells.restored
        if item is None or cells.problems:
            report.problems += _problems(cells, importer.columns)
            rejected.append((source, cells))
        else:
            good.append(item)
        if index % 100 == 0:
            if stop():
                raise ImportCancelled
            tell(index, 2 * report.total)
    tell(report.total, 2 * report.total)
    if restored:
        report.notes.append(_restored_note(restored))
    return good, rejected


def _restored_note(restored: list[str]) -> str:
    """One line for every phone number given back the 0 or + a spreadsheet had dropped."""
    listed = "; ".join(restored[:5]) + (
        f"; and {len(restored) - 5:,} more" if len(restored) > 5 else ""
    )
    count = "1 phone number" if len(restored) == 1 else f"{len(restored):,} phone numbers"
    return (
        f"{count} had lost the leading 0 or + (a spreadsheet had read them as numbers) "
        f"and got it back: {listed}"
    )


def limits_for(kind_class: type[RowImporter]) -> Limits:
    """The most rows one import of this kind takes (see ``RowImporter.max_rows`` for why)."""
    return Limits(rows=kind_class.max_rows, what=f"rows of {kind_class.kind}")


def _importer_class(kind: str) -> type[RowImporter]:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise FileProblem(
            f"'{kind}' is not something that can be imported. Use one of: {', '.join(KINDS)}."
        ) from None


def _positions(table: Table, importer: RowImporter, report: ImportReport) -> dict[str, int]:
    """Column name -> position in the file, checking the header."""
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        key = header_key(header)
        if not key:
            continue
        if key in positions:
            raise FileProblem(f"{table.name} has two columns called '{key}': remove one of them.")
        positions[key] = index
    missing = [c for c in importer.required if c not in positions]
    if missing:
        raise FileProblem(
            f"{table.name} has no {_quoted(missing)} column{'s' if len(missing) > 1 else ''}. "
            f"An import of {importer.kind} needs the columns {', '.join(importer.required)} "
            f"(found: {', '.join(h for h in table.headers if h) or 'none'})."
        )
    unused = [h for h in table.headers if h and header_key(h) not in importer.columns]
    if unused:
        report.notes.append(
            f"column{'s' if len(unused) > 1 else ''} {_quoted(unused)} not used "
            f"(known columns: {', '.join(importer.columns)})"
        )
    return {k: i for k, i in positions.items() if k in importer.columns}


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _cell(cells: tuple[str, ...], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _problems(cells: Cells, order: Sequence[str]) -> list[RowProblem]:
    """The row's problems, in the order of the columns."""
    ranked = sorted(
        cells.problems.items(),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    return [RowProblem(cells.number, column, message) for column, message in ranked]


def _tick(
    tell: Progress, stop: CancelCheck, checked: int, written: int, to_write: int, steps: int
) -> None:
    if stop():
        raise ImportCancelled
    tell(checked + (steps - checked) * written // max(to_write, 1), steps)


def _write(
    database: Database, importer: RowImporter, items: list[Any], tick: Callable[[int], None]
) -> int:
    importer.written_ids = []
    with database.session(audit_rows=importer.audit_rows) as session:
        count = importer.write(session, items, tick)
        tick(count)
    return count


def _write_rejected(path: Path, table: Table, rejected: list[Rejected]) -> Path:
    """The rejected rows as they were, with a ``reason`` column, beside the input."""
    target = rejected_path_for(path)
    width = len(table.headers)
    rows = [
        [
            *(_cell(source.cells, i) for i in range(width)),
            "; ".join(f"{c}: {m}" for c, m in cells.problems.items()),
        ]
        for source, cells in rejected
    ]
    write_table(target, [*table.headers, "reason"], rows)
    return target
