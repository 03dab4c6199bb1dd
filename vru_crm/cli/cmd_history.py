"""``history`` and ``undo``: the changes made to the records, and taking one back.

The app undoes with Edit > Undo while it is open; these do the same for changes made
by any command or window, since the audit trail records each one whole.
"""

from __future__ import annotations

import argparse

from vru_crm.cli.record_output import print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = sub.add_parser(
        "history",
        help="list the latest changes to the records, newest first",
        description="Each change is one save, delete or import, numbered for `vru-crm undo`.",
    )
    history.add_argument("--limit", type=int, default=20, metavar="N", help="how many (20)")
    history.add_argument("--by", metavar="LOGIN", help="only the changes made by this login")
    history.add_argument("--json", action="store_true", help="print JSON instead of text")
    history.set_defaults(func=run_history)

    undo = sub.add_parser(
        "undo",
        help="undo a change: by default your own latest one",
        description="Puts back what a change replaced, removed or added, in one step. If "
        "any of its records was changed again since, nothing is touched and the message "
        "says which. An undo is itself a change, so undoing it puts the change back.",
    )
    undo.add_argument(
        "change", nargs="?", type=int, metavar="CHANGE", help="its number in `vru-crm history`"
    )
    undo.add_argument("--dry-run", action="store_true", help="say what would be undone, only")
    undo.add_argument("--json", action="store_true", help="print JSON instead of text")
    undo.set_defaults(func=run_undo)


def run_history(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.history.changes import recent_changes
    from vru_crm.london import london

    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    database = connect(args.db, args.user)
    try:
        changes = recent_changes(database, args.limit, args.by)
    finally:
        database.dispose()
    if args.json:
        print_json(
            [
                {
                    "change": c.number,
                    "at": c.at,
                    "by": c.username,
                    "what": c.describe(),
                    "rows": len(c.steps),
                }
                for c in changes
            ]
        )
        return 0
    if not changes:
        print("No changes recorded yet.")
    for c in changes:
        when = london(c.at).strftime("%Y-%m-%d %H:%M")
        print(f"{c.number:>8}  {when}  {c.username:<16}  {c.describe()}")
    return 0


def run_undo(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.history.undo import preview, undo_change

    database = connect(args.db, args.user)
    try:
        if args.dry_run:
            change = preview(database, args.change)
            words = f"Would undo change {change.number} by {change.username}: {change.describe()}."
            rows = len(change.steps)
        else:
            report = undo_change(database, args.change)
            change, words, rows = report.change, report.lines()[0], report.rows
    finally:
        database.dispose()
    if args.json:
        print_json({"change": change.number, "undone": not args.dry_run, "rows": rows})
    else:
        print(words)
    return 0
