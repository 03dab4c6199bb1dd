"""``import-ics``: meetings from a calendar file (.ics), matched by UID."""

from __future__ import annotations

import argparse
from pathlib import Path

IMPORT_ICS_DESCRIPTION = """\
Import the events of an .ics file (Outlook, Google, Thunderbird, Apple, Evolution,
Lotus Notes, calcurse...) as meetings, matched by UID so that importing the file
again updates them. Repeating events become one meeting per date, up to 18 months
ahead. An event without a title is called "(no title)"; one without a UID gets one
made from its content.

exit status: 0 every event imported (or, with --dry-run, every event good);
1 an event had a problem (even with --skip-invalid, which still imports the good
events) or the file could not be read; 2 a usage error.
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ics = sub.add_parser(
        "import-ics",
        help="import meetings from an .ics file (matched by UID)",
        description=IMPORT_ICS_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ics.add_argument("file", type=Path, metavar="FILE")
    ics.add_argument("--network", metavar="NAME", help="network of the new meetings")
    ics.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    ics.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the good events and list the others with what is wrong "
        "(default: nothing is imported from a file with any bad event)",
    )
    ics.set_defaults(func=run_import_ics)


def run_import_ics(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.ics_import import import_ics

    database = connect(args.db, args.user)
    try:
        report = import_ics(
            database,
            args.file,
            network=args.network,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
        )
    finally:
        database.dispose()
    print(report.summary())
    return 1 if report.invalid else 0
