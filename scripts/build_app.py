"""Build the standalone desktop app: ``python scripts/build_app.py`` -> ``dist/vru-crm/``.

Staff who will not run pip get one folder holding the ``vru-crm`` program, Python, Qt and the
app's data: the same command line as an installed ``vru-crm``, and the window when no command
is given. PyInstaller (``pip install '.[build]'``) freezes it from ``packaging/vru-crm.spec``;
docs/INSTALL.md says why PyInstaller, one folder, and how to build on Windows and macOS.

Steps: draw the icons from ``ui/resources/icons/vru-crm.svg`` with Qt (PNG for Linux, ICO for
Windows, ICNS for macOS, into ``build/icons/``), run PyInstaller, then on Linux put the desktop
entry and the icons beside the program (``share/`` in the XDG layout, ready to copy into
``~/.local/share``). Exits 1 with a message in words if PyInstaller is missing or fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "vru-crm.spec"
DESKTOP_ENTRY = ROOT / "packaging" / "linux" / "vru-crm.desktop"
SVG = ROOT / "ui" / "resources" / "icons" / "vru-crm.svg"
ICONS = ROOT / "build" / "icons"
DIST = ROOT / "dist"
APP = DIST / "vru-crm"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold a PNG, by pixel size (the @2x types repeat a size).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """The SVG drawn by Qt at each size, as PNG bytes (no window needed: offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"The app icon {svg} is not a drawing Qt can read.")
    drawn = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        drawn[size] = bytes(data.data())
    return drawn


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (read by Windows Vista and later)."""
    sizes = [size for size in ICO_SIZES if size in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 stands for 256 in the directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images, one element per type Finder and the Dock ask for."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def draw_icons(svg: Path = SVG, folder: Path = ICONS) -> Path:
    """PNGs, the .ico and the .icns of the app icon in ``folder``; returns the folder."""
    pngs = render_pngs(svg, set(PNG_SIZES) | set(ICO_SIZES) | {s for _, s in ICNS_TYPES})
    folder.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        (folder / f"vru-crm-{size}.png").write_bytes(pngs[size])
    (folder / "vru-crm.png").write_bytes(pngs[256])
    (folder / "vru-crm.ico").write_bytes(ico(pngs))
    (folder / "vru-crm.icns").write_bytes(icns(pngs))
    return folder


def run_pyinstaller(clean: bool) -> None:
    """Freeze with the spec; PyInstaller's own output goes to the terminal."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit(
            "PyInstaller is not installed in this Python. Install it with: pip install '.[build]'"
        ) from None
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller")]
    if clean:
        command.append("--clean")
    done = subprocess.run([*command, str(SPEC)], cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"PyInstaller failed (exit status {done.returncode}); see above.")


def add_desktop_entry(app: Path = APP, icons: Path = ICONS) -> None:
    """The desktop entry and icons beside the program: at the top, and under share/ (XDG)."""
    shutil.copy2(DESKTOP_ENTRY, app / DESKTOP_ENTRY.name)
    shutil.copy2(icons / "vru-crm.png", app / "vru-crm.png")
    applications = app / "share" / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DESKTOP_ENTRY, applications / DESKTOP_ENTRY.name)
    for size in PNG_SIZES:
        target = app / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons / f"vru-crm-{size}.png", target / "vru-crm.png")
    scalable = app / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(SVG, scalable / "vru-crm.svg")


def folder_size(folder: Path) -> int:
    """Bytes in ``folder``; PyInstaller's symbolic links to its own libraries count once."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clean", action="store_true", help="rebuild from scratch (ignore PyInstaller's cache)"
    )
    options = parser.parse_args(argv)
    started = time.monotonic()
    draw_icons()
    run_pyinstaller(options.clean)
    if sys.platform.startswith("linux"):
        add_desktop_entry()
    program = APP / ("vru-crm.exe" if sys.platform == "win32" else "vru-crm")
    print(
        f"Built {program} in {time.monotonic() - started:.0f} s; "
        f"{folder_size(APP) / 2**20:.0f} MiB in {APP}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
