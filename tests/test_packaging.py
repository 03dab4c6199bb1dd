"""The pieces of the desktop app build that need no build: icons, desktop entry, self-closing window.

The build itself (minutes) and its smoke test run in CI's last section (.ci/run); here are
what a desktop shows of them: the icon Windows and macOS read from the .ico and .icns the
build draws, the Linux desktop entry's keys, and the window that closes by itself after
``VRU_CRM_QUIT_AFTER`` seconds, which the smoke test of the built app relies on.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_app", ROOT / "scripts" / "build_app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def icons(tmp_path_factory, qapp) -> Path:
    return load_build_script().draw_icons(folder=tmp_path_factory.mktemp("icons"))


def sizes_of(images: list[bytes]) -> list[int]:
    """The side of each PNG image, as Qt decodes it (each must be square)."""
    sides = []
    for data in images:
        assert data.startswith(PNG)
        image = QImage.fromData(data, "PNG")
        assert image.width() == image.height()
        sides.append(image.width())
    return sides


def test_the_windows_icon_holds_every_size_up_to_256(icons):
    data = (icons / "vru-crm.ico").read_bytes()
    _, kind, count = struct.unpack_from("<HHH", data)
    assert kind == 1  # an icon, not a cursor
    images = []
    for index in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        images.append(data[offset : offset + length])
        assert sizes_of([images[-1]]) == [side or 256]
    assert sizes_of(images) == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_holds_the_sizes_finder_and_the_dock_ask_for(icons):
    data = (icons / "vru-crm.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    found, offset = {}, 8
    while offset < len(data):
        kind, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        found[kind.decode()] = sizes_of([data[offset + 8 : offset + length]])[0]
        offset += length
    assert found["ic07"] == 128 and found["ic09"] == 512 and found["ic10"] == 1024
    assert found["icp4"] == 16 and found["ic14"] == 512


def test_the_linux_icon_is_the_app_drawing_not_blank(icons):
    image = QImage(str(icons / "vru-crm-256.png"))
    assert image.width() == 256
    centre, corner = image.pixelColor(128, 72), image.pixelColor(0, 0)
    assert corner.alpha() == 0  # rounded corners stay transparent
    assert centre.alpha() == 255 and centre.lightness() > 200  # the white network glyph


def test_the_desktop_entry_starts_the_app_with_its_icon_in_the_office_menu():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(ROOT / "packaging" / "linux" / "vru-crm.desktop", encoding="utf-8")
    keys = entry["Desktop Entry"]
    assert keys["Type"] == "Application"
    assert keys["Exec"] == "vru-crm" and keys["Icon"] == "vru-crm"
    assert keys["Terminal"] == "false"
    assert keys["Categories"].split(";")[0] == "Office" and keys["Categories"].endswith(";")
    assert keys["Name"] == "VRU Partnership CRM"


def test_the_window_closes_by_itself_when_asked_and_the_app_exits_cleanly(tmp_path):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        VRU_CRM_QUIT_AFTER="1",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        VRU_CRM_NO_AUTO_BACKUP="1",
    )
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "crm.sqlite3")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "ERROR" not in done.stderr
    assert (tmp_path / "crm.sqlite3").is_file()  # the database was opened behind the window
