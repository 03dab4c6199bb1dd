"""Render the main screens on the demo data to docs/screenshots/*.png.

    python scripts/screenshots.py [--out docs/screenshots] [--db FILE]

Loads the demo data set into a fresh database (or uses ``--db``), opens the
real main window offscreen as the demo's engagement lead "lead.a", and saves
Home, each list, an organisation, a network, the search popup and Home in a
dark palette. Re-run after a visual change and look at every picture.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPoint, QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

SIZE = (1400, 860)
USER = "lead.a"


def wait_until(ready: Callable[[], bool], timeout_ms: int = 15000) -> None:
    """Let the event loop run (background loads deliver their rows) until ``ready()``."""
    waited = 0
    while not ready() and waited < timeout_ms:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 50
    if not ready():
        raise TimeoutError("the screen did not finish loading")


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def open_demo(path: str | None):
    from db.migrate import open_database
    from vru_crm.demo import load_demo

    target = path or str(Path(tempfile.mkdtemp()) / "demo.sqlite3")
    database = open_database(target, username=USER)
    load_demo(database)
    return database


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#171717", QPalette.ColorRole.AlternateBase: "#26272b",
        QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2d2e31",
        QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#3b78c2",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.ToolTipBase: "#2d2e31", QPalette.ColorRole.ToolTipText: "#e8eaed",
    }  # fmt: skip
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def with_popup(window: QWidget, box: QWidget, popup: QWidget):
    """The window's picture with the search popup painted under the box, right edges aligned.

    The offscreen screen is smaller than the window, so Qt pushes the popup
    left to keep it on that screen; on a real screen it sits under the box.
    """
    image = window.grab().toImage()
    painter = QPainter(image)
    corner = box.mapTo(window, QPoint(box.width() - popup.width(), box.height()))
    painter.drawPixmap(corner, popup.grab())
    painter.end()
    return image


def shoot(out: Path, db_path: str | None) -> list[Path]:
    from ui.app import make_application
    from ui.main_window import MainWindow
    from vru_crm.queries.search import search

    app = make_application(["screenshots"])
    app.setStyle("Fusion")
    database = open_demo(db_path)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(database, settings)
    window.resize(*SIZE)
    window.show()
    saved: list[Path] = []

    def save(name: str, image=None) -> None:
        settle()
        path = out / f"{name}.png"
        (image if image is not None else window.grab()).save(str(path))
        saved.append(path)

    home = window.page("home")
    wait_until(lambda: home.figures is not None)
    save("home")
    for key in ("organisations", "people", "networks", "meetings", "engagements"):
        window.show_page(key)
        page = window.page(key)
        wait_until(lambda page=page: page.model.rowCount() > 0 and not page.model.loading)
        save(key)
    hackney = next(h for h in search(database, "Hackney CVS") if h.kind == "organisation")
    window.open_record("organisation", hackney.id)
    wait_until(lambda: window.details["organisation"].detail is not None)
    save("organisation")
    young = next(h for h in search(database, "Grace Reid") if h.kind == "person")
    window.open_record("person", young.id)  # a young person: the safeguarding notice, consent
    wait_until(lambda: window.details["person"].detail is not None)
    save("person")
    prg = next(h for h in search(database, "Partnership Reference Group") if h.kind == "network")
    window.open_record("network", prg.id)
    wait_until(lambda: window.details["network"].detail is not None)
    save("network")
    for key in ("reports", "graph"):  # drawn in worker jobs: give them time to finish
        window.show_page(key)
        from ui.workers import wait_for_jobs

        settle(1500)
        wait_for_jobs(30000)
        settle(1500)
        save(key)
    window.show_page("home")
    window.activateWindow()
    window.focus_search()
    QTest.keyClicks(window.search, "hackn")
    wait_until(lambda: window.search.popup.isVisible() and window.search.model.rowCount() > 0)
    save("search", with_popup(window, window.search, window.search.popup))
    window.search.popup.hide()
    window.search.clear()
    app.setPalette(dark_palette())
    window.refresh_all()
    wait_until(lambda: home.figures is not None)
    save("home-dark")
    window.close()
    window.deleteLater()
    from ui.workers import wait_for_jobs

    wait_for_jobs(5000)
    database.dispose()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--db",
        help="use this database instead of a fresh demo file (demo data is added if missing)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.out, args.db):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
