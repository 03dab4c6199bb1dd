"""The code stays as ruff wants it (lint and format, configured in pyproject.toml).

Several people change the tree at once; a check here catches drift at the
moment it happens rather than in a large clean-up later.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_finds_no_problem():
    done = _ruff("check", "--quiet", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_file_is_formatted():
    done = _ruff("format", "--check", "--quiet", ".")
    assert done.returncode == 0, "not formatted (run `ruff format .`):\n" + done.stdout
