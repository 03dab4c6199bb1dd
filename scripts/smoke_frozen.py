"""Run the built app as a user would: ``python scripts/smoke_frozen.py [PROGRAM]``.

A frozen program can start and still lack a module imported by name or a data file, which
only shows when that command runs. So this runs the program (``dist/vru-crm/vru-crm`` by
default) for ``--help``, ``demo``, ``check``, a PDF report (Qt draws its charts), an Excel
export, and with no command: the window, offscreen, closed by itself after a few seconds
(``VRU_CRM_QUIT_AFTER``, see ui/app.py) through the same path as a user's click. Each must
exit 0 with no traceback or logged error; the app's error log must stay empty.

Everything happens in a temporary folder that stands in for the user's home (settings,
logs, the database), so a developer's own settings are never read or changed.
Exits 1 naming the step that failed, with the program's output.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PROGRAM = ROOT / "dist" / "vru-crm" / ("vru-crm.exe" if os.name == "nt" else "vru-crm")
# Output that means something broke even when the exit status is 0.
BAD_SIGNS = ("Traceback", "ERROR ", "CRITICAL ", "ModuleNotFoundError", "Could not load the Qt")
TIMEOUT = 300  # seconds a step may take on a busy two-core machine


class SmokeFailure(Exception):
    """A step of the smoke test did not do what a user expects."""


def isolated_environment(home: Path) -> dict[str, str]:
    """The environment with ``home`` as the user's home and data folders, and no display."""
    env = dict(os.environ, HOME=str(home), USERPROFILE=str(home), QT_QPA_PLATFORM="offscreen")
    for name, folder in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("APPDATA", "appdata"),
        ("LOCALAPPDATA", "localappdata"),
    ):
        env[name] = str(home / folder)
    env.pop("VRU_CRM_DATABASE_URL", None)
    env.pop("PYTHONPATH", None)  # the frozen program must not lean on the checkout
    return env


PASSED: list[str] = []  # the steps that passed, for the closing count


def run(step: str, command: list[str], env: dict[str, str], expect: str = "") -> float:
    """Run one step; returns its time in seconds, or raises SmokeFailure saying what went wrong."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise SmokeFailure(
            f"{step}: still running after {TIMEOUT} s\n{error.stderr or ''}"
        ) from None
    seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise SmokeFailure(f"{step}: exit status {done.returncode}\n{output[-4000:]}")
    bad = [line for line in output.splitlines() if any(sign in line for sign in BAD_SIGNS)]
    if bad:
        raise SmokeFailure(f"{step}: an error was reported\n" + "\n".join(bad[:20]))
    if expect and expect not in output:
        raise SmokeFailure(f"{step}: {expect!r} not in its output\n{output[-4000:]}")
    print(f"ok   {step} ({seconds:.1f} s)", flush=True)
    PASSED.append(step)
    return seconds


def smoke(program: Path, window_seconds: float) -> None:
    """Every step in order, in a fresh temporary home; raises SmokeFailure at the first failure."""
    if not program.is_file():
        raise SmokeFailure(f"{program} does not exist: build it with python scripts/build_app.py")
    with tempfile.TemporaryDirectory(prefix="vru-crm-smoke-") as folder:
        home = Path(folder)
        env = isolated_environment(home)
        database = ["--db", str(home / "smoke.sqlite3")]
        app = [str(program)]
        run("vru-crm --help", [*app, "--help"], env, expect="usage: vru-crm")
        run("vru-crm demo", [*app, *database, "demo"], env, expect="engagements")
        run("vru-crm check", [*app, *database, "check"], env, expect="integrity: ok")
        report = home / "report.pdf"
        run("vru-crm report (PDF)", [*app, *database, "report", "quarterly", "--quarter",
            "2020Q4", "-o", str(report)], env)  # fmt: skip
        if not report.is_file() or not report.read_bytes().startswith(b"%PDF"):
            raise SmokeFailure(f"vru-crm report: {report} is not a PDF")
        workbook = home / "people.xlsx"
        run("vru-crm export xlsx", [*app, *database, "export", "xlsx", "people", "-o",
            str(workbook)], env)  # fmt: skip
        window_env = dict(env, VRU_CRM_QUIT_AFTER=str(window_seconds))
        run(f"the window, open {window_seconds:g} s then closed", [*app, *database], window_env)
        logs = [path for path in home.rglob("*.log") if path.stat().st_size > 0]
        if logs:
            raise SmokeFailure(
                f"the app logged errors in {logs[0]}:\n{logs[0].read_text()[-4000:]}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", nargs="?", type=Path, default=DEFAULT_PROGRAM)
    parser.add_argument("--window-seconds", type=float, default=5.0, help="default 5")
    options = parser.parse_args(argv)
    try:
        smoke(options.program.resolve(), options.window_seconds)
    except SmokeFailure as failure:
        print(f"FAILED {failure}", file=sys.stderr)
        print(f"smoke: {len(PASSED)} passed, 1 failed")
        return 1
    print(f"The built app passed its smoke test: {options.program}")
    print(f"smoke: {len(PASSED)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
