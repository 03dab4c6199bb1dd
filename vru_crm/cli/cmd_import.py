"""``import``: organisations, people or engagements from a .csv or .xlsx file, and templates."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

KINDS = ("organisations", "people", "engagements")

DESCRIPTION = """\
Import records from a .csv (UTF-8, with or without BOM) or .xlsx file. Columns are
matched by their header, in any case; several values in one cell are separated by ';'.
Required columns: organisations: name, sector, borough; people: name, organisation,
role, email; engagements: date, kind, organisations, borough, summary.

By default nothing is imported from a file with any bad row. Row numbers in the
report are those a spreadsheet shows (the header is row 1). Text cells may not
hold control characters (NUL and the like): such a row is reported, not imported.

One file holds at most 20,000 organisations or people, or 200,000 engagements,
in at most 200 columns: a larger file is refused before anything is checked
(split it, each part with the header row). A file that takes more than two
minutes to read is refused too.

exit status: 0 every row imported (or, with --dry-run, every row valid);
1 a row had a problem (even with --skip-invalid, which still imports the valid
rows) or the file could not be read; 2 a usage error.
"""


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser(
        "import",
        help="import organisations, people or engagements from .csv or .xlsx",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", nargs="?", choices=KINDS, help="what the file holds")
    parser.add_argument("file", nargs="?", type=Path, help="the .csv or .xlsx file")
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows and write the rejected ones, with the reason, to FILE.rejected.csv",
    )
    parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    parser.add_argument(
        "--template",
        metavar="KIND",
        choices=KINDS,
        help="write a header-only template for KIND instead",
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="where --template writes (.csv, or .xlsx for a workbook)"
    )
    parser.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError

    if args.template:
        if args.kind or args.file:
            raise UsageError("--template takes no KIND or FILE argument besides its own")
        return _write_template(args.template, args.output)
    if args.kind is None or args.file is None:
        raise UsageError("give what to import and the file: vru-crm import KIND FILE")
    if args.output:
        raise UsageError("-o/--output is only for --template")
    return _import(args)


def _write_template(kind: str, output: Path | None) -> int:
    from vru_crm.io.importer import required_columns, write_template

    path = output or Path(f"{kind}-template.csv")
    if output is None and path.exists():
        print(f"vru-crm: {path} already exists; choose another file with -o", file=sys.stderr)
        return 1
    write_template(kind, path)
    print(
        f"Wrote a template for {kind} to {path} (required columns: {', '.join(required_columns(kind))})."
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.io.importer import import_file
    from vru_crm.reliability.readonly import require_writable

    database = connect(args.db, args.user)
    try:
        if not args.dry_run:
            require_writable(database)  # a read-only file: say so before reading every row
        report = import_file(
            database,
            args.kind,
            args.file,
            skip_invalid=args.skip_invalid,
            dry_run=args.dry_run,
            progress=_progress() if sys.stderr.isatty() else None,
        )
    finally:
        database.dispose()
        if sys.stderr.isatty():
            print(file=sys.stderr)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def _progress() -> Callable[[int, int], None]:
    """A progress line on the terminal: checking is the first half, writing the second."""
    shown = {"percent": -1}

    def tell(done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        if percent != shown["percent"]:
            shown["percent"] = percent
            step = "checking rows" if done * 2 < total else "writing"
            print(f"\r{percent:3d}% ({step})", end="", file=sys.stderr, flush=True)

    return tell
