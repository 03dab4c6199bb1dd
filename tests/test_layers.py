"""The layer contract: ui -> vru_crm -> db, and no Qt below the ui."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout


SQL_IMPORT = re.compile(
    r"^\s*(from|import)\s+(sqlalchemy|sqlmodel|sqlite3|psycopg)\b", re.MULTILINE
)
SQL_STATEMENT = re.compile(
    r"[\"']\s*(SELECT\s[^\"']*\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s)",
    re.IGNORECASE,
)


def test_ui_never_writes_sql():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "ui").rglob("*.py")
        if SQL_IMPORT.search(path.read_text()) or SQL_STATEMENT.search(path.read_text())
    ]
    assert offenders == [], f"ui modules touching SQL directly: {offenders}"
