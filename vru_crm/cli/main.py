"""Entry point of ``vru-crm`` and ``python main.py``.

With no command it opens the desktop app. Exit statuses: 0 success, 1 a problem
with the data or the database (explained on stderr), 2 a usage error.
"""

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NoReturn

from vru_crm import __version__

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

log = logging.getLogger(__name__)

# Each module has register(subparsers); a handler is set with set_defaults(func=...).
# The commands each registers: a command line builds only the parsers of the commands it
# names, so `vru-crm check` imports neither the other commands nor what they import
# (tests/test_startup_imports.py checks this list against the full parser).
COMMANDS = {
    "vru_crm.cli.cmd_demo": ("demo",),
    "vru_crm.cli.cmd_import": ("import",),
    "vru_crm.cli.cmd_export": ("export",),
    "vru_crm.cli.cmd_maintenance": ("backup", "check"),
    "vru_crm.cli.cmd_graph": ("graph",),
    "vru_crm.cli.cmd_privacy": ("sar", "erase", "retention", "mailing-list", "audit", "erasures"),
    "vru_crm.cli.cmd_restore": ("backups", "restore"),
    "vru_crm.cli.cmd_cadence": ("cadence",),
    "vru_crm.cli.cmd_agenda": ("agenda",),
    "vru_crm.cli.cmd_ics": ("import-ics",),
    "vru_crm.cli.cmd_network": ("network",),
    "vru_crm.cli.cmd_meeting": ("meeting",),
    "vru_crm.cli.cmd_report": ("report",),
    "vru_crm.cli.cmd_generate": ("generate",),
    "vru_crm.cli.cmd_boroughs": ("boroughs",),
    "vru_crm.cli.cmd_letter": ("letter", "recommendation"),
    "vru_crm.cli.cmd_action": ("action",),
    "vru_crm.cli.cmd_organisation": ("organisation",),
    "vru_crm.cli.cmd_person": ("person",),
    "vru_crm.cli.cmd_engagement": ("engagement",),
    "vru_crm.cli.cmd_team": ("team",),
    "vru_crm.cli.cmd_history": ("history", "undo"),
}
COMMAND_MODULES = list(COMMANDS)


class UsageError(Exception):
    """Bad arguments that argparse itself could not catch (exit status 2)."""


class _NeedsEveryCommand(Exception):
    """A parser built for some commands met arguments only the full parser answers alike."""


class _SomeCommandsParser(argparse.ArgumentParser):
    """The main parser with only the named commands: its help and errors go to the full one.

    The main help lists every command, and an error may list them (``invalid
    choice``), so either is left to a parser that has them all; a command's own
    help and errors are its own parser's, the same in both.
    """

    def error(self, message: str) -> NoReturn:
        raise _NeedsEveryCommand(message)

    def print_help(self, file: "SupportsWrite[str] | None" = None) -> None:
        raise _NeedsEveryCommand("help")


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command, or (``commands``) only the modules of those named.

    A parser for some commands is for ``main`` alone: it raises ``_NeedsEveryCommand``
    where the full parser would print the main help or an error.
    """
    modules = COMMAND_MODULES
    parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser
    if commands is not None:
        named = set(commands)
        modules = [m for m in COMMAND_MODULES if named.intersection(COMMANDS[m])]
        parser_class = _SomeCommandsParser
    parser = parser_class(
        prog="vru-crm",
        description="Partnership CRM of the London Violence Reduction Unit. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"vru-crm {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database file or URL (sqlite:///path or postgresql+psycopg://user@host/name); "
        "default: $VRU_CRM_DATABASE_URL, else a file in your data folder",
    )
    parser.add_argument(
        "--user", metavar="NAME", help="staff user recorded on changes (default: your login)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=argparse.ArgumentParser
    )
    for name in modules:
        importlib.import_module(name).register(sub)
    from vru_crm.cli.global_options import accept_after_commands

    accept_after_commands(parser)  # `vru-crm check --db FILE` as well as `--db FILE check`
    return parser


def _parse(argv: list[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """The parser and its answer, from only the parsers of the commands ``argv`` names if it can.

    Every word of ``argv`` that is a command's name counts (one may be ``--db``'s
    value): the command given is among them. Anything else, the main help, an
    error, or no command after all, is parsed again by the full parser, so what
    is printed is the same.
    """
    known = {command for names in COMMANDS.values() for command in names}
    named = [word for word in argv if word in known]
    if named:
        parser = build_parser(named)
        try:
            args = parser.parse_args(argv)
            _bound_numbers(parser, args)
            if args.command is not None:
                return parser, args
        except _NeedsEveryCommand:
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    _bound_numbers(parser, args)
    return parser, args


AppLauncher = Callable[[str | None, str | None, list[str]], int]  # db, user, Qt's options
# No id or count given on the command line is larger: the databases' integer columns stop
# at 2**31 - 1 (PostgreSQL) or 2**63 - 1 (SQLite), and a larger one was a raw OverflowError.
LARGEST_NUMBER = 2**31 - 1


def _bound_numbers(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse, as a usage error, any whole-number argument no person could mean."""
    for name, value in vars(args).items():
        counted = isinstance(value, int) and not isinstance(value, bool) and name != "seed"
        if counted and not -LARGEST_NUMBER <= value <= LARGEST_NUMBER:
            shown = name.upper() if name.endswith("_id") else "--" + name.replace("_", "-")
            parser.error(f"{shown}: {value} is too large (at most {LARGEST_NUMBER:,})")


def main(argv: Sequence[str] | None = None, open_app: AppLauncher | None = None) -> int:
    """Run a command; with none, call ``open_app(db_url, username, qt_arguments)``.

    The launcher is passed in by the top-level ``main.py`` so this layer never
    imports the Qt one. Qt's own options (``-style Fusion``, ``-reverse``…) are
    taken out first and go to the app's QApplication (``qt_arguments``).
    """
    from vru_crm.cli.qt_arguments import split_qt_arguments

    ours, qt_arguments = split_qt_arguments(sys.argv[1:] if argv is None else argv)
    parser, args = _parse(list(ours))
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        if open_app is None:
            parser.print_help()
            return 2
        return open_app(args.db, args.user, qt_arguments)
    from vru_crm.errors import EXPECTED_ERRORS

    try:
        return int(args.func(args) or 0)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"vru-crm: error: {error}", file=sys.stderr)
        return 2
    except EXPECTED_ERRORS as error:
        print(f"vru-crm: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `vru-crm ... | head`: the reader left; say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("vru-crm: interrupted; nothing was written by the unfinished step.", file=sys.stderr)
        return 130
    except Exception as error:  # a damaged file found by a read: words, never a traceback
        from db.integrity import damaged_message, is_damage, readable

        if not is_damage(error):
            raise
        where = args.db or "file"
        print(f"vru-crm: {damaged_message(where, readable(error))}", file=sys.stderr)
        return 1
