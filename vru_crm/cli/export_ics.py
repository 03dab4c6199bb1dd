"""``export ics``: meetings for calendar programs (RFC 5545)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vru_crm.cli.cmd_cadence import parse_day


def register(formats: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ics = formats.add_parser(
        "ics",
        help="meetings as an iCalendar file (re-export updates events in calendar programs)",
    )
    ics.add_argument("--network", metavar="NAME", help="only this network's meetings")
    ics.add_argument("--from", dest="start", metavar="DATE", type=parse_day, help="first day")
    ics.add_argument("--to", dest="end", metavar="DATE", type=parse_day, help="last day")
    ics.add_argument(
        "--series",
        action="store_true",
        help="also write each network's cadence as a recurring event of expected dates",
    )
    ics.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="file to write"
    )
    ics.set_defaults(func=run_export_ics)


def run_export_ics(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.governance.ics import export_ics
    from vru_crm.reliability.files import private_files, tighten

    if args.start and args.end and args.end < args.start:
        raise UsageError("--to is before --from")
    database = connect(args.db, args.user)
    try:
        with private_files():  # meetings name people: the file is readable by its owner only
            result = export_ics(
                database,
                args.output,
                network=args.network,
                start=args.start,
                end=args.end,
                series=args.series,
            )
        tighten(args.output)
    finally:
        database.dispose()
    for note in result.notes:
        print(note, file=sys.stderr)
    series = f" and {result.series} cadence series" if result.series else ""
    print(f"Wrote {result.events} meetings{series} to {args.output}")
    return 0
