"""``export csv``: records to a CSV file that ``import`` reads back (meetings: for reports)."""

import argparse
from pathlib import Path

KINDS = ("organisations", "people", "engagements", "meetings")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def register(formats: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = formats.add_parser(
        "csv",
        help="organisations, people, engagements or meetings as CSV",
        description="Write records as CSV (UTF-8). Organisations, people and engagements use "
        "the columns of `vru-crm import`, so the file can be imported again; meetings "
        "have start and end in London time with their UTC offset. For a spreadsheet that "
        "keeps phone numbers and dates as they are, use `vru-crm export xlsx`.",
    )
    parser.add_argument("kind", choices=KINDS, help="what to export")
    parser.add_argument("-o", "--output", required=True, type=Path, help="the CSV file to write")
    parser.set_defaults(func=run_export_csv)


def run_export_csv(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.io.export_csv import export_csv
    from vru_crm.io.tables import FileProblem

    suffix = args.output.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        raise UsageError(
            f"{args.output.name} is a spreadsheet's name, but `export csv` writes CSV text, which "
            f"a spreadsheet program would not open as {suffix}. Use `vru-crm export xlsx "
            f"{args.kind} -o {args.output}` for an Excel workbook, or name the file .csv."
        )
    if not args.output.parent.is_dir():
        raise FileProblem(
            f"Cannot write {args.output}: the folder {args.output.parent} does not exist."
        )
    database = connect(args.db, args.user)
    try:
        count = export_csv(database, args.kind, args.output)
    finally:
        database.dispose()
    print(f"Exported {count:,} {args.kind} to {args.output}")
    return 0
