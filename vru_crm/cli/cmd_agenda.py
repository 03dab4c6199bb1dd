"""``agenda``: build a meeting's draft agenda and write it as HTML, Markdown or PDF."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

# The PDF is drawn by Qt (QTextDocument + QPdfWriter), which only the ui layer may
# import. The command line reaches it by name, and only for .pdf, the same way
# main.py hands the app launcher down: vru_crm itself never imports Qt.
PDF_WRITER_MODULE = "ui.governance.agenda_pdf"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
