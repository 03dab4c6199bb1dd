"""The main journeys in a real X window, with real key events.

Runs only where an X display is available (CI runs this file under ``xvfb-run -a``)
and ``xdotool`` is installed; skipped otherwise, saying why. The window is driven by
``driver.py`` in a child process on the xcb platform, so this test run stays offscreen.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("driver.py")
JOURNEYS = ["log-engagement", "search-and-open", "import-bad-row", "every-page"]

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DISPLAY"), reason="no X display (run under xvfb-run -a)"
    ),
    pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed"),
]


def test_the_main_journeys_in_a_real_window(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    run = subprocess.run(
        [sys.executable, str(DRIVER), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert result["errors"] == [], "\n".join(result["errors"])
    assert result["done"] == JOURNEYS
    shots = {name: (tmp_path / name).stat().st_size for name in result["screenshots"]}
    for name in (
        "home.png",
        "log-form.png",
        "search.png",
        "import-report.png",
        "page-8-reports.png",
    ):
        assert shots.get(name, 0) > 5000, name  # a real picture of the screen, not an empty one
    assert len([n for n in shots if n.startswith("page-")]) == 8
