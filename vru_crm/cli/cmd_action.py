"""``action``: actions raised at meetings or from recommendations, owned and closed with a note."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

from vru_crm.cli.cmd_cadence import parse_day

if TYPE_CHECKING:
    from vru_crm.governance.actions import ActionRow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    action = sub.add_parser("action", help="actions from meetings and recommendations")
    commands = action.add_subparsers(dest="action_command", metavar="COMMAND", required=True)

    add = commands.add_parser("add", help="raise an action at a meeting or from a recommendation")
    raised = add.add_mutually_exclusive_group(required=True)
    raised.add_argument("--meeting", type=int, metavar="ID", help="the meeting it was raised at")
    raised.add_argument(
        "--recommendation", type=int, metavar="ID", help="the recommendation it answers"
    )
    add.add_argument(
        "--owner",
        required=True,
        metavar="NAME",
        help="a person or a team (organisation) in the database, by name "
        "(or person:ID / organisation:ID)",
    )
    add.add_argument("--due", type=parse_day, metavar="DATE", help="when it is due")
    add.add_argument("text", metavar="TEXT", help="what is to be done")
    add.add_argument("--json", action="store_true", help="print the new action as JSON")
    add.set_defaults(func=run_add)

    close = commands.add_parser("close", help="close an action, with a note of what came of it")
    close.add_argument("action_id", type=int, metavar="ID")
    close.add_argument("--note", metavar="TEXT", help="what was done (or why it was dropped)")
    close.add_argument("--dropped", action="store_true", help="dropped rather than done")
    close.add_argument("--on", type=parse_day, metavar="DATE", help="closed on (default: today)")
    close.add_argument("--json", action="store_true", help="print the action as JSON")
    close.set_defaults(func=run_close)

    listing = commands.add_parser("list", help="actions, soonest due first")
    listing.add_argument("--open", action="store_true", help="only those still open")
    listing.add_argument("--overdue", action="store_true", help="only open ones past their date")
    listing.add_argument("--network", metavar="NETWORK", help="only this network's (name or PRG)")
    listing.add_argument("--meeting", type=int, metavar="ID", help="only this meeting's")
    listing.add_argument(
        "--as-of", type=parse_day, metavar="DATE", help="the day to judge on (default: today)"
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.set_defaults(func=run_list)


def _day(value: date | None) -> str:
    return f"{value:%a %d %b %Y}" if value else "none"


def _raised(row: ActionRow) -> str:
    if row.meeting_id:
        where = row.network or row.meeting_title or f"meeting {row.meeting_id}"
        return f"raised at {where}, {_day(row.meeting_date)} (meeting {row.meeting_id})"
    if row.recommendation_id:
        return f"from recommendation {row.recommendation_id}"
    return "raised nowhere recorded"


def _print_action(row: ActionRow, day: date) -> None:
    due = _day(row.due_date)
    if late := row.overdue_by(day):
        due += f"  OVERDUE by {late} days"
    owner = row.owner or "no owner"
    if row.owner_kind == "organisation":
        owner += " (team)"
    print(f"{row.id:>4}  {row.text}")
    print(f"      Owner: {owner}; due {due}; {row.status.replace('_', ' ')}")
    print(f"      {_raised(row)}")
    if row.closed_on:
        note = f": {row.closing_note}" if row.closing_note else ""
        print(f"      Closed {_day(row.closed_on)}{note}")


def run_add(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.actions import create_action, resolve_owner

    database = connect(args.db, args.user)
    try:
        owner = resolve_owner(database, args.owner)
        row = create_action(
            database,
            args.text,
            meeting_id=args.meeting,
            recommendation_id=args.recommendation,
            due_date=args.due,
            **owner.as_values(),
        )
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(row.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(row.id)
    return 0


def run_close(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.actions import close_action

    database = connect(args.db, args.user)
    try:
        row = close_action(
            database, args.action_id, on=args.on, dropped=args.dropped, note=args.note
        )
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(row.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(f"Action {row.id} {row.status} on {_day(row.closed_on)}: {row.text}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.actions import list_actions
    from vru_crm.governance.common import find_network
    from vru_crm.london import today_in_london

    day = args.as_of or today_in_london()
    database = connect(args.db, args.user)
    try:
        network_id = None
        if args.network is not None:
            with database.session() as s:
                network_id = find_network(s, args.network).id
        rows = list_actions(
            database,
            open_only=args.open,
            network_id=network_id,
            overdue_as_of=day if args.overdue else None,
            meeting_id=args.meeting,
        )
    finally:
        database.dispose()
    if args.json:
        print(
            json.dumps(
                {
                    "as_of": day.isoformat(),
                    "actions": [{**r.to_dict(), "overdue_days": r.overdue_by(day)} for r in rows],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print("No actions." if not (args.open or args.overdue) else "No open actions.")
        return 0
    for row in rows:
        _print_action(row, day)
    return 0
