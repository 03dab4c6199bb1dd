"""The domain and database layers type-check under mypy --strict (configured in pyproject.toml).

A type error in ``db/`` or ``vru_crm/`` is usually a real bug waiting (a value that may be
None used as a date, a row read with the wrong shape); checking on every run catches it in the
change that made it, not in a later clean-up.

mypy's incremental cache is kept in the user's cache folder (``VRU_CRM_MYPY_CACHE`` puts it
elsewhere), not in the checkout: a fresh clone, CI's included, then rechecks only what differs
from the last run on this machine (mypy compares each file's hash, so a cache written from
another checkout or an older commit is never trusted for a file that changed). From cold,
mypy spends most of half a minute's CPU on the libraries' own types; warm, a few seconds.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from platformdirs import user_cache_path

ROOT = Path(__file__).resolve().parents[1]
_ERROR = re.compile(r"^\S+\.py:\d+(:\d+)?: error: ", re.MULTILINE)


def _cache_dir() -> Path:
    return Path(os.environ.get("VRU_CRM_MYPY_CACHE") or user_cache_path("vru-crm") / "mypy")


def test_mypy_strict_finds_no_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(_cache_dir())],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    errors = [line for line in done.stdout.splitlines() if _ERROR.match(line)]
    assert done.returncode == 0 and not errors, (
        f"mypy found {len(errors)} error(s) (run `python -m mypy` at the checkout's root):\n"
        + "\n".join(errors or [done.stdout, done.stderr])
    )
