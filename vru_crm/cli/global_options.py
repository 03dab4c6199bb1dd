"""``--db``, ``--user`` and ``-v`` accepted after the command too.

The README says every command takes ``--db``, and people type it where they type
every other option: ``vru-crm check --db crm.sqlite3``. argparse only knows the
main parser's options before the command, so each command's parser (and each
sub-command's, ``vru-crm meeting list --db …``) gets the same three options with
a suppressed default: given after the command they win; not given, the value
from before the command (or its default) stays. A command that already has an
option of that name for itself (``audit --user`` filters by user) keeps its own.
"""

from __future__ import annotations

import argparse
from typing import Any

# (option strings, keyword arguments) as on the main parser, without defaults
GLOBAL_OPTIONS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("--db",), {"metavar": "URL", "help": "database file or URL (as before the command)"}),
    (("--user",), {"metavar": "NAME", "help": "staff user recorded on changes"}),
    (("-v", "--verbose"), {"action": "store_true", "help": "log progress to stderr"}),
]


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = []
    for action in parser._actions:  # argparse has no public way to list sub-commands
        if isinstance(action, argparse._SubParsersAction):
            found += list(dict.fromkeys(action.choices.values()))  # aliases share a parser
    return found


def accept_after_commands(parser: argparse.ArgumentParser) -> None:
    """Give every command's parser, at every depth, the global options (default: unset)."""
    for command in _subparsers(parser):
        for strings, options in GLOBAL_OPTIONS:
            free = [s for s in strings if s not in command._option_string_actions]
            if len(free) == len(strings):  # a command's own --user (audit) is left alone
                command.add_argument(*free, default=argparse.SUPPRESS, **options)
        accept_after_commands(command)
