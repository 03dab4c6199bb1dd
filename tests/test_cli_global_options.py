"""``--db``, ``--user`` and ``-v`` work after the command as well as before it.

The README says every command takes ``--db``; ``vru-crm check --db FILE`` once exited 2
with "unrecognized arguments".
"""

import pytest

from db.migrate import upgrade
from db.session import Database
from vru_crm.cli.main import build_parser, main


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'vru.sqlite3'}"
    database = Database(url, username="tester")
    upgrade(database, backup=False)
    database.dispose()
    return url


def test_check_takes_db_after_the_command(sqlite_url, capsys):
    assert main(["check", "--db", sqlite_url]) == 0
    assert main(["--db", sqlite_url, "check"]) == 0
    assert "unrecognized arguments" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--db", "A", "--user", "alice", "-v"],
        ["--db", "A", "--user", "alice", "-v", "check"],
        ["--db", "B", "check", "--db", "A", "--user", "alice", "--verbose"],  # after wins
        ["meeting", "list", "--db", "A", "--user", "alice", "-v"],  # a sub-command's own
        ["meeting", "--db", "A", "list", "--user", "alice", "-v"],  # between the two words
        ["import-ics", "x.ics", "--dry-run", "--db", "A", "--user", "alice", "-v"],
    ],
)
def test_global_options_are_read_on_both_sides_of_the_command(argv):
    args = build_parser().parse_args(argv)
    assert (args.db, args.user, args.verbose) == ("A", "alice", True)


def test_not_given_after_the_command_they_keep_their_defaults():
    args = build_parser().parse_args(["network", "list"])
    assert (args.db, args.user, args.verbose) == (None, None, False)


def test_a_command_s_own_user_option_keeps_its_meaning():
    # `audit --user NAME` filters the trail by who made the change
    args = build_parser().parse_args(["--user", "alice", "audit", "--user", "bob"])
    assert (args.user, args.audit_user) == ("alice", "bob")


def test_the_user_given_after_the_command_is_recorded_on_the_change(sqlite_url, capsys):
    assert main(["network", "add", "Knife crime forum", "--db", sqlite_url, "--user", "alice"]) == 0
    assert main(["network", "list", "--json", "--db", sqlite_url]) == 0
    assert "Knife crime forum" in capsys.readouterr().out
    assert main(["audit", "--db", sqlite_url, "--user", "alice"]) == 0
    trail = capsys.readouterr().out
    assert "\talice\t" in trail and "Knife crime forum" in trail
