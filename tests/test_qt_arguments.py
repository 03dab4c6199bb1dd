"""Qt's standard options reach QApplication; argparse no longer refuses them.

``vru-crm -style Fusion`` exited 2 with a usage error.
"""

import os
import subprocess
import sys
from pathlib import Path

import main as entry
from vru_crm.cli.qt_arguments import split_qt_arguments

ROOT = Path(__file__).resolve().parents[1]


class FakeLauncher:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, db_url, username, qt_arguments) -> int:
        self.calls.append((db_url, username, list(qt_arguments)))
        return 0


def test_qt_options_reach_the_launcher_and_argparse_does_not_refuse_them(tmp_path):
    launcher = FakeLauncher()
    db = str(tmp_path / "x.sqlite3")
    argv = ["--db", db, "-style", "Fusion", "-reverse", "-qwindowgeometry", "1024x700"]
    assert entry.main(argv, launcher=launcher) == 0
    assert launcher.calls == [
        (db, None, ["-style", "Fusion", "-reverse", "-qwindowgeometry", "1024x700"])
    ]


def test_the_equals_form_and_platform_options_too():
    launcher = FakeLauncher()
    assert entry.main(["-style=Fusion", "-platform", "offscreen", "--user", "sam"], launcher) == 0
    assert launcher.calls == [(None, "sam", ["-style=Fusion", "-platform", "offscreen"])]


def test_without_qt_options_the_launcher_gets_none():
    launcher = FakeLauncher()
    assert entry.main([], launcher=launcher) == 0
    assert launcher.calls == [(None, None, [])]


def test_only_qt_single_dash_names_are_taken():
    ours, qt = split_qt_arguments(
        ["network", "add", "--name", "PRG", "--title", "x", "-v", "-style", "Fusion"]
    )
    assert ours == ["network", "add", "--name", "PRG", "--title", "x", "-v"]
    assert qt == ["-style", "Fusion"]


def test_an_unknown_single_dash_option_is_still_a_usage_error(capsys):
    launcher = FakeLauncher()
    try:
        status = entry.main(["-nonsense"], launcher=launcher)
    except SystemExit as stop:
        status = stop.code
    assert status == 2
    assert launcher.calls == []


def test_qapplication_acts_on_them():
    """In a fresh process (the tests' QApplication already exists): the style and direction apply."""
    code = (
        "from ui.app import make_application\n"
        "app = make_application(['vru-crm', '-style', 'Fusion', '-reverse'])\n"
        "print(app.style().name(), app.layoutDirection().name)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["fusion", "RightToLeft"]
