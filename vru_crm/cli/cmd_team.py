"""``team``: PostgreSQL login roles for each member of staff, and the group roles they go in."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from vru_crm.team.roles import ROLES

if TYPE_CHECKING:
    from db.session import Database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    team = sub.add_parser("team", help="team mode on PostgreSQL: group roles and staff logins")
    actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    init = actions.add_parser(
        "init", help="create the group roles and their grants (database owner; safe to rerun)"
    )
    init.set_defaults(func=run_init)

    add = actions.add_parser("add-user", help="a new login role for one member of staff")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (else it is asked for)",
    )
    add.add_argument(
        "--no-password",
        action="store_true",
        help="no password (the server authenticates by certificate, Kerberos...)",
    )
    add.set_defaults(func=run_add_user)

    set_role = actions.add_parser("set-role", help="move a login to another role")
    set_role.add_argument("login", metavar="LOGIN")
    set_role.add_argument("--role", required=True, choices=ROLES)
    set_role.set_defaults(func=run_set_role)

    remove = actions.add_parser(
        "remove-user", help="drop a login (it can no longer connect; its audit entries stay)"
    )
    remove.add_argument("login", metavar="LOGIN")
    remove.set_defaults(func=run_remove_user)

    listing = actions.add_parser("list", help="every login in a team role")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.set_defaults(func=run_list)


def _connect(args: argparse.Namespace) -> Database:
    from vru_crm.context import connect

    return connect(args.db, args.user)


def _password(args: argparse.Namespace) -> str | None:
    from vru_crm.errors import ValidationError
    from vru_crm.team.roles import read_password_stdin

    if args.no_password:
        return None
    if args.password_stdin:
        return read_password_stdin()
    import getpass

    first = getpass.getpass(f"Password for {args.login}: ")
    if not first:
        raise ValidationError({"password": "no password was typed (use --no-password for none)"})
    if getpass.getpass("The same again: ") != first:
        raise ValidationError({"password": "the two passwords typed differ; nothing was changed"})
    return first


def run_init(args: argparse.Namespace) -> int:
    from vru_crm.team import roles

    database = _connect(args)
    try:
        made = roles.init(database)
    finally:
        database.dispose()
    print(f"team roles ready in {database.display_name}: {', '.join(made)}")
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    from vru_crm.team import roles

    roles.login_name(args.login)  # refuse a bad name before asking for a password
    password = _password(args)
    database = _connect(args)
    try:
        roles.add_user(database, args.login, args.role, password)
    finally:
        database.dispose()
    print(f"added {args.login} as {args.role}")
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    from vru_crm.team import roles

    database = _connect(args)
    try:
        roles.set_role(database, args.login, args.role)
    finally:
        database.dispose()
    print(f"{args.login} is now {args.role}")
    return 0


def run_remove_user(args: argparse.Namespace) -> int:
    from vru_crm.team import roles

    database = _connect(args)
    try:
        roles.remove_user(database, args.login)
    finally:
        database.dispose()
    print(f"removed {args.login}; their audit entries stay")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.team import roles

    database = _connect(args)
    try:
        found = roles.members(database)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps([m.as_dict() for m in found], indent=2))
        return 0
    if not found:
        print("no team logins yet (vru-crm team add-user LOGIN --role ROLE)")
    for member in found:
        note = "" if member.can_login else "  (cannot log in)"
        print(f"{member.login}: {', '.join(member.roles)}{note}")
    return 0
