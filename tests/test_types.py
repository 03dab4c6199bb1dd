"""The domain and database layers type-check under mypy --strict (configured in pyproject.toml).

A type error in ``db/`` or ``vru_crm/`` is usually a real bug waiting (a value that may be
None used as a date, a row read with the wrong shape); checking on every run catches it in the
change that made it, not in a later clean-up. The cache lives in ``.mypy_cache`` at the
checkout's root, so a second run checks only what changed (a few seconds instead of half a
minute from cold).
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ERROR = re.compile(r"^\S+\.py:\d+(:\d+)?: error: ", re.MULTILINE)


def test_mypy_strict_finds_no_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    errors = [line for line in done.stdout.splitlines() if _ERROR.match(line)]
    assert done.returncode == 0 and not errors, (
        f"mypy found {len(errors)} error(s) (run `python -m mypy` at the checkout's root):\n"
        + "\n".join(errors or [done.stdout, done.stderr])
    )
