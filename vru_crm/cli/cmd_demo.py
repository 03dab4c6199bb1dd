"""``demo``: fill the database with the demo data set (safe to run twice)."""

import argparse
import sys


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    demo = sub.add_parser(
        "demo",
        help="fill the database with the demo data set (public facts about the PRG, "
        "plus synthetic engagements marked as such); safe to run twice",
    )
    demo.set_defaults(func=run_demo)


def _progress(label: str, done: int, total: int) -> None:
    print(f"[{done}/{total}] {label}", file=sys.stderr)


def run_demo(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.demo import load_demo

    database = connect(args.db, args.user)
    try:
        summary = load_demo(database, progress=_progress if args.verbose else None)
    finally:
        database.dispose()
    for line in summary.lines():
        print(line)
    return 0
