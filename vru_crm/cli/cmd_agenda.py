"""``agenda`` (build and export a meeting's agenda) and ``import-ics`` (meetings from a calendar)."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

# The PDF is drawn by Qt (QTextDocument + QPdfWriter), which only the ui layer may
# import. The command line reaches it by name, and only for .pdf, the same way
# main.py hands the app launcher down: vru_crm itself never imports Qt.
PDF_WRITER_MODULE = "ui.governance.agenda_pdf"

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


def register(sub: argparse._SubParsersAction) -> None:
    agenda = sub.add_parser(
        "agenda", help="build a meeting's draft agenda and write it as .html, .md or .pdf"
    )
    agenda.add_argument("meeting_id", type=int, metavar="MEETING_ID", help="the meeting's number")
    agenda.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="FILE",
        help="FILE.html, FILE.md or FILE.pdf",
    )
    agenda.add_argument(
        "--rebuild",
        action="store_true",
        help="replace an existing agenda with a fresh draft (edits are lost)",
    )
    agenda.set_defaults(func=run_agenda)

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


def run_agenda(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.errors import UserError
    from vru_crm.governance.agenda import assemble_draft, get_agenda
    from vru_crm.governance.agenda_export import export_agenda_text, format_of

    try:
        kind = format_of(args.output)
    except UserError as error:
        raise UsageError(str(error)) from error
    database = connect(args.db, args.user)
    try:
        agenda = get_agenda(database, args.meeting_id)
        if args.rebuild or not agenda.items:
            agenda = assemble_draft(database, args.meeting_id, replace=args.rebuild)
        if kind == "PDF":
            importlib.import_module(PDF_WRITER_MODULE).export_agenda_pdf(
                database, args.meeting_id, args.output
            )
        else:
            export_agenda_text(database, args.meeting_id, args.output)
    finally:
        database.dispose()
    print(
        f"Wrote the agenda of {agenda.title} ({len(agenda.items)} items, "
        f"{agenda.total_minutes} of {agenda.length_minutes} minutes) to {args.output}"
    )
    return 0


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
