"""``generate``: fill a database with large synthetic data, for measuring speed."""

import argparse
import sys
import time
from datetime import date


def count(value: str) -> int:
    """A whole number of zero or more (argparse turns the error into exit status 2)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative; give zero or more")
    return number


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    gen = sub.add_parser(
        "generate",
        help="fill the database with large synthetic data (all marked synthetic), "
        "reproducible for a seed",
    )
    gen.add_argument("--organisations", type=count, default=1000, metavar="N")
    gen.add_argument("--people", type=count, default=5000, metavar="N")
    gen.add_argument("--engagements", type=count, default=50000, metavar="N")
    gen.add_argument("--meetings", type=count, default=500, metavar="N")
    gen.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    gen.add_argument(
        "--until",
        type=_day,
        metavar="YYYY-MM-DD",
        help="last day of the ten years of dates (default today); fix it to reproduce a run "
        "on another day",
    )
    gen.add_argument(
        "--force", action="store_true", help="add to a database that holds real engagements"
    )
    gen.set_defaults(func=run_generate)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-23") from None


class _Progress:
    """One line on stderr per step, and at most one line a second within a step."""

    def __init__(self) -> None:
        self.last = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - self.last >= 1:
            self.last = now
            print(f"generate: {label} {done}/{total}", file=sys.stderr, flush=True)


def run_generate(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.generate import Counts, generate

    counts = Counts(args.organisations, args.people, args.engagements, args.meetings)
    database = connect(args.db, args.user)
    try:
        summary = generate(
            database, counts, args.seed, today=args.until, progress=_Progress(), force=args.force
        )
    finally:
        database.dispose()
    for line in summary.lines():
        print(line)
    return 0
