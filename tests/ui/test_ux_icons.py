"""Each of the app's own icons drawn at a 2x ratio is the whole icon.

At a 2x scale factor every icon showed only its top-left quarter, magnified:
the SVG was drawn into the pixmap's device size, twice its logical size. The
check runs in a child process started with ``QT_SCALE_FACTOR=2`` (a real 2x
screen, as the bug needs), and compares each icon there with its 1x drawing
scaled up: the same box of ink, the same shape.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui import style

def box(image):
    xs, ys = [], []
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y).alpha() > 96:
                xs.append(x); ys.append(y)
    return [min(xs), min(ys), max(xs), max(ys)] if xs else None

def inked(image):
    return {(x, y) for y in range(image.height()) for x in range(image.width())
            if image.pixelColor(x, y).alpha() > 96}

ratio = app.primaryScreen().devicePixelRatio()
out = {"ratio": ratio, "icons": {}}
for path in sorted((p for p in style.ICON_DIR.iterdir() if p.name.endswith(".svg")), key=lambda p: p.name):
    stem = path.name[:-4]
    icon = style.icon(stem)
    for size in (16, 24):
        one = icon.pixmap(QSize(size, size), 1.0).toImage()
        two = icon.pixmap(QSize(size, size), ratio).toImage()
        scaled = one.scaled(two.size(), Qt.AspectRatioMode.IgnoreAspectRatio,
                            Qt.TransformationMode.SmoothTransformation)
        a, b = inked(scaled), inked(two)
        out["icons"][f"{stem}@{size}"] = {
            "size": [two.width(), two.height()],
            "box_2x": box(two), "box_1x_scaled": box(scaled),
            "overlap": len(a & b) / max(1, len(a | b)),
        }
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def drawn_at_2x() -> dict:
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_child_really_had_a_2x_screen(drawn_at_2x):
    assert drawn_at_2x["ratio"] == 2.0
    assert len(drawn_at_2x["icons"]) >= 2 * 10  # every icon, at two sizes


def test_each_icon_at_2x_is_the_whole_icon(drawn_at_2x):
    problems = []
    for name, found in drawn_at_2x["icons"].items():
        logical = int(name.split("@")[1])
        if found["size"] != [2 * logical, 2 * logical]:
            problems.append(f"{name}: {found['size']} pixels, not {2 * logical}")
            continue
        box, expected = found["box_2x"], found["box_1x_scaled"]
        if box is None or any(abs(a - b) > 2 for a, b in zip(box, expected, strict=True)):
            problems.append(f"{name}: ink in {box}, the whole icon is in {expected}")
        elif found["overlap"] < 0.6:
            problems.append(f"{name}: only {found['overlap']:.0%} like the 1x drawing")
    assert not problems, "\n".join(problems)
