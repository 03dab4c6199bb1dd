"""``report quarterly --quarter 2020Q4 -o FILE.html|.pdf|.csv``: the quarterly report to the PRG."""

import argparse
from pathlib import Path


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    report = sub.add_parser("report", help="write a report (quarterly engagement and governance)")
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    quarterly = kinds.add_parser(
        "quarterly",
        help="the quarterly engagement and governance report to the PRG",
        description="Write the quarterly engagement and governance report. The file's "
        "extension chooses the format: .html (charts embedded), .pdf or .csv.",
    )
    quarterly.add_argument("--quarter", required=True, help="the quarter, e.g. 2020Q4")
    quarterly.add_argument(
        "-o", "--output", required=True, type=Path, help="FILE.html, FILE.pdf or FILE.csv"
    )
    quarterly.set_defaults(func=run_quarterly)


def run_quarterly(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.reports.export import export_quarterly, format_of
    from vru_crm.reports.quarterly import as_quarter

    try:
        quarter = as_quarter(args.quarter)
    except ValueError as error:
        raise UsageError(f"--quarter: {error}") from None
    try:
        format_of(args.output)
    except Exception as error:
        raise UsageError(str(error)) from None
    database = connect(args.db, args.user)
    try:
        result = export_quarterly(database, quarter, args.output)
    finally:
        database.dispose()
    pages = f", {result.pages} pages" if result.pages else ""
    empty = " (no engagements in this quarter)" if not result.engagements else ""
    print(f"Wrote the {quarter.label} report to {result.path} ({result.format}{pages}){empty}")
    return 0
