"""``boroughs``: the 33 London boroughs, and which the VRU targets directly (the priority boroughs).

The seeds never name the priority boroughs, so the list the database starts
with is a stand-in; this is how a user puts the real one in. Every name is
checked before anything changes, so a typo changes nothing.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vru_crm.errors import UserError

if TYPE_CHECKING:
    from db.session import Database
    from vru_crm.services.reference import BoroughRow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    boroughs = sub.add_parser(
        "boroughs",
        help="list the London boroughs, or mark which are priority boroughs",
        description="With no option, lists the 33 boroughs and marks the priority ones. "
        "Names may be written in any case, or as their codes (SWK for Southwark).",
    )
    boroughs.add_argument(
        "--priority",
        nargs="+",
        metavar="BOROUGH",
        default=[],
        help="mark these as priority boroughs",
    )
    boroughs.add_argument(
        "--not-priority", nargs="+", metavar="BOROUGH", default=[], help="unmark these"
    )
    boroughs.add_argument("--json", action="store_true", help="print JSON instead of text")
    boroughs.set_defaults(func=run_boroughs)


def run_boroughs(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.services import reference

    database = connect(args.db, args.user)
    try:
        changes = _resolve(database, args.priority, True) + _resolve(
            database, args.not_priority, False
        )
        for borough_id, is_priority in changes:
            reference.set_borough_priority(database, borough_id, is_priority)
        rows = reference.list_boroughs(database)
    finally:
        database.dispose()
    _print(rows, args.json)
    if changes:
        print(
            f"Changed {len(changes)} borough(s); {sum(r.is_priority for r in rows)} are priority boroughs now."
        )
    return 0


def _resolve(database: Database, names: list[str], is_priority: bool) -> list[tuple[int, bool]]:
    """(borough id, wanted flag) for each name; every unknown name is reported at once."""
    from vru_crm.services.reference import ReferenceIndex, list_boroughs

    index = ReferenceIndex(list_boroughs(database), [], [])
    found, problems = [], []
    for name in names:
        borough = index.borough(name)
        if borough is None:
            problems.append(index.borough_problem(name))
        else:
            found.append((borough.id, is_priority))
    if problems:
        raise UserError(" ".join(problems) + " Nothing was changed.")
    return found


def _print(rows: Sequence[BoroughRow], as_json: bool) -> None:
    if as_json:
        data = [{"code": r.code, "name": r.name, "priority": r.is_priority} for r in rows]
        print(json.dumps(data, indent=2))
        return
    for row in rows:
        print(f"{'*' if row.is_priority else ' '} {row.name:<24} {row.code}")
    print("* priority borough")
