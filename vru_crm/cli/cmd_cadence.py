"""``cadence``: is each network meeting as often as it should, and are its minutes out?"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from vru_crm.london import today_in_london

if TYPE_CHECKING:
    from vru_crm.governance.cadence import NetworkCadence

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_day(text: str) -> date:
    """An argparse type: ``2019-05-01`` or ``01/05/2019`` (day first, as in the UK)."""
    from vru_crm.validation import year_problem

    value = text.strip()
    try:
        if _ISO.match(value):
            day = date.fromisoformat(value)
        elif match := _UK.match(value):
            d, month, year = (int(g) for g in match.groups())
            day = date(year, month, d)
        else:
            day = None
    except ValueError as error:
        raise argparse.ArgumentTypeError(f'"{text}" is not a real date ({error})') from error
    if day is not None:
        if problem := year_problem(day, f'"{text}"'):  # 1990 to 2100
            raise argparse.ArgumentTypeError(problem)
        return day
    raise argparse.ArgumentTypeError(
        f'"{text}" is not a date; write it as 2019-05-01 or 01/05/2019'
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cadence = sub.add_parser(
        "cadence",
        help="per network: last meeting held, next due, expected vs held, overdue, late minutes",
    )
    cadence.add_argument("--network", metavar="NAME", help="only this network")
    cadence.add_argument(
        "--as-of", metavar="DATE", type=parse_day, help="the day to judge on (default: today)"
    )
    cadence.add_argument("--json", action="store_true", help="print JSON instead of text")
    cadence.set_defaults(func=run_cadence)


def _day(value: date | None) -> str:
    return f"{value:%a %d %b %Y}" if value else "none"


def _due_line(row: NetworkCadence) -> str:
    if row.rule_problem:
        return f"cannot tell: the cadence rule is unusable ({row.rule_problem})"
    if not row.rule:
        return "no cadence set"
    line = _day(row.next_due)
    if row.overdue:
        line += f"  OVERDUE by {row.days_overdue} days, nothing scheduled"
    if row.next_scheduled:
        line += f"  (next scheduled {_day(row.next_scheduled)})"
    return line


def _minutes_lines(row: NetworkCadence) -> list[str]:
    lines = []
    for m in row.minutes_late:
        lines.append(
            f"    LATE {m.days} days: minutes of {_day(m.held_on)} ({m.status}; due {_day(m.deadline)})"
        )
    for m in row.minutes_due_soon:
        lines.append(
            f"    due in {m.days} days: minutes of {_day(m.held_on)} ({m.status}; due {_day(m.deadline)})"
        )
    return lines


def print_text(rows: Sequence[NetworkCadence]) -> None:
    from vru_crm.governance.rule_words import describe_rule

    for row in rows:
        expected = "none" if row.expected is None else str(row.expected)
        print(row.network)
        rule = f"{describe_rule(row.rule)} ({row.rule})" if row.rule else "none"
        print(f"  Cadence:          {rule}, tolerance {row.tolerance_days} days")
        print(f"  Last held:        {_day(row.last_held)}")
        print(f"  Next due:         {_due_line(row)}")
        print(
            f"  Last 12 months:   {expected} expected, {row.held} held, {row.cancelled} cancelled"
            f" ({_day(row.period_start)} to {_day(row.as_of)})"
        )
        print(f"  Minutes late:     {len(row.minutes_late)}")
        for line in _minutes_lines(row):
            print(line)
        print()


def run_cadence(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.cadence import cadence_report

    database = connect(args.db, args.user)
    try:
        rows = cadence_report(database, as_of=args.as_of, network=args.network)
    finally:
        database.dispose()
    if args.json:
        as_of = rows[0].as_of.isoformat() if rows else (args.as_of or today_in_london()).isoformat()
        print(json.dumps({"as_of": as_of, "networks": [r.to_dict() for r in rows]}, indent=2))
    elif not rows:
        print("No networks yet.")
    else:
        print_text(rows)
    return 0
