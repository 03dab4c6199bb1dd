"""``export xlsx``: records to an Excel workbook with typed cells, which ``import`` reads back.

Why a workbook as well as CSV: a spreadsheet that opens a CSV guesses each
cell's type and drops the leading zero of 02079460019; a workbook says that a
phone number is text and a date is a date, so it survives being opened in Excel
or LibreOffice and saved again.
"""

import argparse
from pathlib import Path

from vru_crm.cli.export_csv import KINDS


def register(formats: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = formats.add_parser(
        "xlsx",
        help="organisations, people, engagements or meetings as an Excel workbook",
        description="Write records as an Excel workbook (.xlsx) with the columns of the CSV "
        "export: dates as date cells, counts as numbers, phone numbers and everything else as "
        "text, so the file can be opened in Excel or LibreOffice, saved and imported again.",
    )
    parser.add_argument("kind", choices=KINDS, help="what to export")
    parser.add_argument("-o", "--output", required=True, type=Path, help="the .xlsx file to write")
    parser.set_defaults(func=run_export_xlsx)


def run_export_xlsx(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.io.export_xlsx import export_xlsx
    from vru_crm.io.tables import FileProblem

    if args.output.suffix.lower() != ".xlsx":
        hint = (
            f"use `vru-crm export csv {args.kind} -o {args.output}` for CSV"
            if args.output.suffix.lower() == ".csv"
            else "name the file .xlsx"
        )
        raise UsageError(f"{args.output.name} is not an .xlsx name: {hint}.")
    if not args.output.parent.is_dir():
        raise FileProblem(
            f"Cannot write {args.output}: the folder {args.output.parent} does not exist."
        )
    database = connect(args.db, args.user)
    try:
        count = export_xlsx(database, args.kind, args.output)
    finally:
        database.dispose()
    print(f"Exported {count:,} {args.kind} to {args.output}")
    return 0
