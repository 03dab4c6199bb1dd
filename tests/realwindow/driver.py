"""Drive the real main window on an X display with real key events (run by test_journeys.py).

    QT_QPA_PLATFORM=xcb python tests/realwindow/driver.py OUT_DIR

Runs in its own process so only it uses the xcb platform (the rest of the test
suite stays offscreen). Keys are sent by ``xdotool`` through the X server (the
XTEST extension), as a keyboard would, to the window that has the X input focus.
Each journey ends with a picture of the screen in OUT_DIR; OUT_DIR/result.json
lists the journeys done and every error dialog or uncaught exception seen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["QT_QPA_PLATFORM"] = "xcb"

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from shiboken6 import isValid  # noqa: E402

BAD_ROW_CSV = """name,sector,borough,website,email
Peckham Parents Network,grassroots,Southwark,,hello@peckhamparents.org
Tottenham Mums,grassroots,Haringey,,not-an-email
"""
SUMMARY = "Talked about the summer youth programme"


class Driver:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.errors: list[str] = []
        self.done: list[str] = []
        self.shots: list[str] = []

    # -- the event loop and the keyboard ---------------------------------------------------
    def settle(self, ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        self.watch_dialogs()

    def wait_until(self, ready: Callable[[], bool], what: str, timeout_ms: int = 15000) -> None:
        waited = 0
        while not ready():
            if waited >= timeout_ms:
                raise TimeoutError(f"waited {timeout_ms} ms for {what}")
            self.settle(50)
            waited += 50

    def key(self, *chords: str) -> None:
        """Press ``chords`` ("ctrl+l", "Return") on the real keyboard, one after another."""
        subprocess.run(["xdotool", "key", "--delay", "40", *chords], check=True)
        self.settle()

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "25", text], check=True)
        self.settle()

    def focus(self, widget) -> None:
        """Give the X input focus to ``widget``'s window.

        Under xvfb-run there is no window manager to hand the focus back to the main
        window when a dialog closes, so each journey starts by doing what it would.
        """
        subprocess.run(["xdotool", "windowfocus", "--sync", str(int(widget.winId()))], check=True)
        widget.activateWindow()
        self.settle()

    # -- what counts as a failure ------------------------------------------------------
    def watch_dialogs(self) -> None:
        """Note and close any message box that is a warning or an error."""
        for widget in QApplication.topLevelWidgets():
            alarming = (QMessageBox.Icon.Critical, QMessageBox.Icon.Warning)
            if isinstance(widget, QMessageBox) and widget.isVisible() and widget.icon() in alarming:
                self.errors.append(f"dialog {widget.windowTitle()!r}: {widget.text()}")
                widget.done(0)

    def excepthook(self, kind, error, tb) -> None:
        self.errors.append("".join(traceback.format_exception(kind, error, tb)))

    def shot(self, name: str) -> None:
        self.settle(200)
        path = self.out / f"{name}.png"
        screen = QApplication.primaryScreen()
        screen.grabWindow(0).save(str(path))  # the X screen as a person sees it
        self.shots.append(path.name)

    def journey(self, name: str, steps: Callable[[], None]) -> None:
        try:
            steps()
            self.done.append(name)
        except Exception:  # noqa: BLE001 - every failure is reported by the test
            self.errors.append(f"{name}: {traceback.format_exc()}")
        self.shot(name)


def closed(dialog) -> bool:
    """Closed (and, with WA_DeleteOnClose, perhaps deleted already)."""
    return not isValid(dialog) or not dialog.isVisible()


def main(out: Path) -> int:
    from db.migrate import open_database
    from ui.app import make_application
    from ui.events import data_events
    from ui.main_window import MainWindow
    from ui.navigation import LIST_OF_KIND, PAGE_KEYS
    from ui.workers import wait_for_jobs
    from vru_crm.demo import load_demo
    from vru_crm.london import today_in_london

    out.mkdir(parents=True, exist_ok=True)
    driver = Driver(out)
    sys.excepthook = driver.excepthook
    app = make_application(["real-window"])
    assert app.platformName() == "xcb", app.platformName()
    work = Path(tempfile.mkdtemp(dir=out))
    database = open_database(str(work / "demo.sqlite3"), username="lead.a")
    load_demo(database)
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(database, settings)
    window.resize(1024, 700)
    window.show()
    driver.wait_until(
        lambda: window.isVisible() and window.windowHandle().isExposed(), "the window"
    )
    driver.focus(window)
    home = window.page("home")
    driver.wait_until(lambda: home.figures is not None, "Home's figures")
    driver.shot("home")
    saved: list[int] = []
    data_events().changed.connect(lambda kind, i: saved.append(i) if kind == "engagement" else None)

    def log_engagement() -> None:
        from ui.dialogs.engagement_dialog import EngagementDialog
        from ui.dialogs.widgets.date_field import format_date

        driver.focus(window)
        driver.key("ctrl+l")
        driver.wait_until(
            lambda: isinstance(app.activeWindow(), EngagementDialog), "the log form to be active"
        )
        dialog = app.activeWindow()
        driver.type("hack")
        popup = dialog.organisations._completer.popup()
        driver.wait_until(lambda: popup.isVisible(), "the organisation suggestions")
        driver.key("Return")
        driver.wait_until(lambda: dialog.organisations.labels() != [], "the organisation chip")
        driver.key("alt+1", "alt+3", "alt+u")
        driver.type(SUMMARY)
        driver.key("alt+f")
        driver.type(format_date(today_in_london() + timedelta(days=14)))
        driver.shot("log-form")
        driver.key("Return")
        driver.wait_until(lambda: saved, "the engagement to be saved")
        driver.wait_until(lambda: closed(dialog), "the log form to close")

    def search_and_open() -> None:
        driver.focus(window)
        driver.key("ctrl+f")
        driver.wait_until(lambda: window.search.hasFocus(), "the search box to have focus")
        driver.type("Hackney CVS")
        popup = window.search.popup
        driver.wait_until(lambda: popup.isVisible() and window.search.model.rowCount() > 0, "hits")
        driver.shot("search")
        # The first hit is highlighted as the user types (else Down highlights it).
        if popup.currentIndex().row() != 0:
            driver.key("Down")
        first = popup.currentIndex().data()
        driver.key("Return")
        driver.wait_until(lambda: window.current_key() in LIST_OF_KIND, "a record to open")
        if window.current_key() != "organisation":
            raise AssertionError(f"{first!r} opened a {window.current_key()}, not Hackney CVS")
        page = window.details[window.current_key()]
        driver.wait_until(lambda: page.detail is not None, "the record's page")

    def import_bad_row() -> None:
        from ui.dialogs.import_dialog import ImportDialog

        path = work / "partners.csv"
        path.write_text(BAD_ROW_CSV, encoding="utf-8")
        driver.focus(window)
        driver.key("alt+f", "i")  # File > Import…
        driver.wait_until(lambda: isinstance(app.activeWindow(), ImportDialog), "the import dialog")
        dialog = app.activeWindow()
        driver.key("alt+f")  # &File
        driver.type(str(path))
        driver.key("alt+c")  # &Check the file
        driver.wait_until(lambda: dialog.report is not None and dialog.job is None, "the check")
        rows = dialog.problems.model().rowCount()
        if rows != 1:
            raise AssertionError(f"expected 1 problem row, saw {rows}")
        driver.shot("import-report")
        driver.key("Escape")
        driver.wait_until(lambda: closed(dialog), "the import dialog to close")

    def every_page() -> None:
        driver.focus(window)
        for number, key in enumerate(PAGE_KEYS, start=1):
            driver.key(f"ctrl+{number}")
            driver.wait_until(lambda key=key: window.current_key() == key, f"page {key}")
            driver.settle(300)
            wait_for_jobs(20000)
            driver.shot(f"page-{number}-{key}")

    driver.journey("log-engagement", log_engagement)
    driver.journey("search-and-open", search_and_open)
    driver.journey("import-bad-row", import_bad_row)
    driver.journey("every-page", every_page)
    window.close()
    wait_for_jobs(10000)
    database.dispose()
    result = {"done": driver.done, "errors": driver.errors, "screenshots": driver.shots}
    (out / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
