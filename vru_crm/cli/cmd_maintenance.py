"""``backup`` and ``check``: keeping the database safe."""

import argparse
import sys
from pathlib import Path


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    backup = sub.add_parser("backup", help="write a consistent copy of the live database")
    backup.add_argument("-o", "--output", required=True, type=Path, help="file to write")
    backup.set_defaults(func=run_backup)

    check = sub.add_parser("check", help="check the database's integrity (exit 1 on a problem)")
    check.set_defaults(func=run_check)


def run_backup(args: argparse.Namespace) -> int:
    from db.backup import ensure_not_locked
    from db.engine import resolve_url, sqlite_path
    from vru_crm.context import connect
    from vru_crm.services.maintenance import backup

    path = sqlite_path(resolve_url(args.db))
    if path is not None:  # held by another program: one bounded wait, not one per read
        ensure_not_locked(path, "back up")
    database = connect(args.db, args.user)
    try:
        path = backup(database, args.output)
    finally:
        database.dispose()
    print(f"Backed up {database.display_name} to {path}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from db.errors import DatabaseCorrupt
    from vru_crm.context import connect
    from vru_crm.services.maintenance import check

    try:
        database = connect(args.db, args.user)
    except DatabaseCorrupt as error:  # too damaged to open (or to refresh its search index)
        print(f"vru-crm: {error}", file=sys.stderr)
        return 1
    try:
        report = check(database)
    finally:
        database.dispose()
    for line in report.lines:
        print(line)
    return 0 if report.ok else 1
