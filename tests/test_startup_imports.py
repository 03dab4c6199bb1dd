"""What a command imports before it does anything: only what it uses.

Each check runs a fresh interpreter (``python -c``), since this test process
has long since imported everything. The CPU figures themselves are the
bench's (``bench/fig_commands.py``, ``first_query_cpu``); here the modules
are counted, so a heavy import put back at the top of a module fails a test.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from vru_crm.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]

# Never needed to build the parser, nor by a command before its first statement.
HEAVY = [
    "networkx",
    "igraph",
    "openpyxl",
    "icalendar",
    "jinja2",
    "pyqtgraph",
    "PySide6",
    "alembic",
    "sqlmodel",
    "pydantic",
    "sqlalchemy.orm",
    "db.models",
    "db.audit",
]

REPORT = """
import json, sys
def report(also=()):
    print(json.dumps({"heavy": [m for m in [*HEAVY, *also] if m in sys.modules],
                      "commands": sorted(m for m in sys.modules if m.startswith("vru_crm.cli.cmd_"))}))
"""


def _run(code: str) -> dict[str, list[str]]:
    """What a fresh interpreter running ``code`` had imported when it called ``report()``."""
    program = f"HEAVY = {HEAVY!r}\n{REPORT}\n{code}"
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stdout + done.stderr
    found: dict[str, list[str]] = json.loads(lines[-1])
    return found


def test_the_full_parser_imports_no_database_or_heavy_library():
    """``vru-crm --help``: every command's parser, none of what the commands run on."""
    found = _run("import vru_crm.cli.main as m; m.build_parser(); report(['sqlalchemy'])")
    assert found["heavy"] == []
    assert len(found["commands"]) == len(cli.COMMANDS)


def test_the_entry_point_with_a_command_imports_no_qt():
    """``main.py`` (the ``vru-crm`` script) hands the report renderers over without Qt."""
    found = _run(
        "import contextlib, main\n"
        "with contextlib.suppress(SystemExit): main.main(['check', '--help'])\n"
        "report(['sqlalchemy'])"
    )
    assert found == {"heavy": [], "commands": ["vru_crm.cli.cmd_maintenance"]}


def test_a_command_reaches_its_first_statement_without_the_orm(sqlite_database):
    """``vru-crm check`` stopped at its first SQL statement, started as users start it."""
    code = f"""
import os, sqlalchemy.event
sys.argv = ["vru-crm", "--db", {str(sqlite_database.path)!r}, "check"]
def stop(*_args, **_kw):
    report()
    sys.stdout.flush()
    os._exit(0)
sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", stop)
from main import main
main()
"""
    found = _run(code)
    assert found["heavy"] == []
    assert found["commands"] == ["vru_crm.cli.cmd_maintenance"]


def test_the_orm_loads_with_the_first_session(sqlite_database):
    code = f"""
from db.session import Database
database = Database({sqlite_database.url!r})
database.execute_scalar("SELECT count(*) FROM organisation")
assert "sqlmodel" not in sys.modules, "sqlmodel"
assert "db.models" not in sys.modules, "db.models"
with database.session() as s:
    import sqlmodel
    assert isinstance(s, sqlmodel.Session)
assert "db.audit" in sys.modules and "db.models" in sys.modules
database.dispose()
print(json.dumps({{"heavy": [], "commands": []}}))
"""
    assert _run(code) == {"heavy": [], "commands": []}


def test_prepare_sessions_makes_one_audited_factory(sqlite_database):
    sqlite_database.prepare_sessions()
    factory = sqlite_database._factory
    assert factory is not None
    sqlite_database.prepare_sessions()
    assert sqlite_database._factory is factory


def test_the_command_table_names_every_command_of_each_module():
    """``COMMANDS`` says which module registers which command: the full parser must agree."""
    parser = cli.build_parser()
    registered = next(a for a in parser._actions if isinstance(a, cli.argparse._SubParsersAction))
    listed = [command for names in cli.COMMANDS.values() for command in names]
    assert list(registered.choices) == listed


def _said(argv: list[str], parse) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            _parser, args = parse(argv)
            outcome: object = sorted(vars(args).items(), key=str)
        except SystemExit as stop:
            outcome = ("exit", stop.code)
    return outcome, out.getvalue(), err.getvalue()


def _full(argv: list[str]):
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    cli._bound_numbers(parser, args)
    return parser, args


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h", "check"],
        ["--hel", "check"],
        ["-vh", "check"],
        ["check", "--help"],
        ["--db", "crm.sqlite3", "check"],
        ["check", "--db", "crm.sqlite3", "-v"],
        ["chek"],
        ["chek", "check"],
        ["check", "extra"],
        ["--db", "check"],
        ["--db", "report", "check"],
        ["--bogus", "check"],
        ["--version", "check"],
        ["meeting", "list", "--db", "y"],
        ["meeting", "lst"],
        ["meeting", "-h"],
        ["--user", "alice", "audit", "--user", "bob"],
        ["graph", "measures", "--help"],
        ["export", "csv", "engagements", "-o", "e.csv"],
        ["retention", "--today", "2020-01-01"],
        ["action", "show", "99999999999"],
        [],
    ],
)
def test_a_parser_for_one_command_answers_as_the_full_one(argv):
    """Help, errors and parsed values: the same words and outcome as with every command built."""
    assert _said(argv, cli._parse) == _said(argv, _full)
