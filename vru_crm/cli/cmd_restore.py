"""``backups list`` and ``restore FILE``: the automatic backups of a SQLite file, and putting one back.

Neither opens the database through the usual path first: listing needs only
the file's folder, and a restore must happen before anything connects.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backups = sub.add_parser("backups", help="the automatic backups of the data file")
    actions = backups.add_subparsers(dest="backups_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list backups, newest first, with what each holds")
    listing.add_argument("--preview", action="store_true", help="open each to count its records")
    listing.set_defaults(func=run_list)

    restore = sub.add_parser(
        "restore", help="put a backup in place of the data file (a copy of the current one is kept)"
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=run_restore)


def _sqlite_path(args: argparse.Namespace) -> Path:
    from db.engine import resolve_url, sqlite_path
    from vru_crm.reliability.backups import RestoreNotPossible

    path = sqlite_path(resolve_url(args.db))
    if path is None:
        raise RestoreNotPossible(
            "Automatic backups and restore are for a SQLite file. For PostgreSQL, back up with "
            "`vru-crm backup -o FILE` (pg_dump) and restore with pg_restore."
        )
    return path


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.reliability.backups import list_backups, preview

    path = _sqlite_path(args)
    found = list_backups(path)
    if not found:
        print(f"No backups of {path} yet.")
        return 0
    for backup in found:
        line = f"{backup.taken_at:%d/%m/%Y %H:%M}\t{backup.kind_label}\t{backup.size // 1024} KB\t{backup.path}"
        print(line)
        if args.preview:
            print("\t" + "; ".join(preview(backup.path).lines()))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from db.engine import resolve_url
    from vru_crm.reliability.backups import preview, restore_database

    path = _sqlite_path(args)
    found = preview(args.file)
    print(f"{args.file} holds: " + "; ".join(found.lines()))
    if found.ok and not args.yes and not _confirm(path):
        print("Nothing was restored (confirm with --yes, or type RESTORE).", file=sys.stderr)
        return 1
    result = restore_database(resolve_url(args.db), args.file, args.user)
    print(f"Restored {path} from {result.restored_from}.")
    if result.safety_copy:
        print(f"The file it replaced was kept as {result.safety_copy}.")
    for line in result.lines()[2 if result.safety_copy else 1 :]:
        print(line)  # the erasure register, re-applied
    return 0


def _confirm(path: Path) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(f"Replace {path} with this backup? Close the app first. Type RESTORE: ")
    return answer.strip() == "RESTORE"
