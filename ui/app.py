"""Start the desktop app: the QApplication, the main window, then the database behind it.

The window is shown first, with only Qt imported; the database stack is
imported and the database opened, migrated and checked on a worker thread
(``ui.startup.Opener``), and the window gets it when it is ready. A problem
with the database gets its dialog over the window; quitting there closes the
window and the app exits with status 1, as before. The start-up backup of a
database that needed no migration is taken off the UI thread once it is open,
if one is due (``vru_crm.reliability.backups.startup_backup_if_due``).

Unexpected errors never reach the user as a traceback or a crash: a
``sys.excepthook`` shows them in a dialog with a "Copy details" button (for a
bug report) and the app carries on. On quit, windows are closed and deleted and
background jobs are given a moment to finish before the QApplication goes, so
nothing outlives it (pyqtgraph with PySide6 can abort at exit otherwise).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

if TYPE_CHECKING:
    from db.session import Database
    from ui.main_window import MainWindow
    from ui.protection.backup_timer import AutoBackup
    from ui.startup import Opener

log = logging.getLogger(__name__)

APP_NAME = "VRU Partnership CRM"
ORGANISATION = "London VRU"
SETTINGS_APP = "vru-crm"
# Seconds after which the window closes itself, as a user's click would: for smoke tests of a
# build (scripts/smoke_frozen.py) that open the real app offscreen. Unset in normal use.
QUIT_AFTER_ENV = "VRU_CRM_QUIT_AFTER"
WARM_UP_WAIT_MS = 5000  # the longest the preloading waits for the first page's reads


def show_error(
    title: str, message: str, details: str = "", parent: QWidget | None = None
) -> QMessageBox:
    """A dialog in words; ``details`` go behind a "Copy details" button, not in the user's face."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # keep the box open after copying
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        box.setDetailedText(details)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setObjectName("error_dialog")
    return box


def excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """Show an unexpected error in a dialog and keep running (installed by ``run_app``)."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    from vru_crm.errors import EXPECTED_ERRORS

    details = "".join(traceback.format_exception(kind, error, tb))
    if isinstance(error, EXPECTED_ERRORS):
        box = show_error("Could not do that", str(error))
    else:
        from ui.error_log import log_file

        log.error(
            "Unexpected error", exc_info=(kind, error, tb)
        )  # the file; one line on the terminal
        box = show_error(
            "Something went wrong",
            "The VRU CRM hit an unexpected problem. Your saved data is safe; the last action may not have "
            f"finished.\n\nThe details, without personal data, are in {log_file()}. If it happens "
            "again, send that file (or press “Copy details”) to whoever supports the app.",
            details,
        )
    box.exec()


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the names QSettings uses (high-DPI scaling is Qt 6's default).

    ``argv`` is the program name and Qt's own options (``-style Fusion``…),
    which QApplication reads and acts on.
    """
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(SETTINGS_APP)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationDisplayName(APP_NAME)
        app.setQuitOnLastWindowClosed(True)
        app.setWindowIcon(app_icon())
        QGuiApplication.setDesktopFileName(SETTINGS_APP)  # Wayland pairs it with vru-crm.desktop
    return app  # type: ignore[return-value]


def app_icon() -> QIcon:
    """The app's own icon (``vru-crm.svg``) for title bars, the task bar and the switcher.

    Drawn with QSvgRenderer at each size a desktop asks for, so no icon plugin is needed.
    """
    from PySide6.QtSvg import QSvgRenderer

    from ui.style import ICON_DIR, render_svg

    renderer = QSvgRenderer(str(ICON_DIR / "vru-crm.svg"))
    result = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        result.addPixmap(render_svg(renderer, size, 1.0))
    return result


def close_after_delay(window: QWidget) -> None:
    """Close ``window`` after ``VRU_CRM_QUIT_AFTER`` seconds, if that is set (smoke tests)."""
    value = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if not value:
        return
    try:
        seconds = float(value)
    except ValueError:
        log.warning("%s=%r is not a number of seconds: ignored", QUIT_AFTER_ENV, value)
        return
    QTimer.singleShot(round(seconds * 1000), window.close)


def run_app(
    db_url: str | None = None, username: str | None = None, qt_arguments: list[str] | None = None
) -> int:
    """Open the main window on the chosen database; returns the exit status.

    The appearance the user chose (View > Appearance) is applied before the
    window is built, so it opens in it.
    """
    from ui.style import appearance_setting, apply_appearance

    app = make_application([sys.argv[0] if sys.argv else "vru-crm", *(qt_arguments or [])])
    from ui.error_log import configure

    configure()  # one line per error on the terminal, the details in the user's log folder
    apply_appearance(appearance_setting(QSettings()))
    previous_hook = sys.excepthook
    sys.excepthook = excepthook
    try:
        return _run(app, db_url, username)
    finally:
        sys.excepthook = previous_hook


def _run(app: QApplication, db_url: str | None, username: str | None) -> int:
    startup = start(db_url, username, QSettings())
    close_after_delay(startup.window)
    try:
        status = app.exec()
    finally:
        startup.close()
    return 1 if startup.quit_at_start else status


def start(db_url: str | None, username: str | None, settings: QSettings) -> Startup:
    """Show the main window, then start opening the database behind it; returns at once.

    The order of a start, shared by ``run_app`` and the start-up benchmark
    (``bench/app_child.py``), so the benchmark measures what users get.
    """
    from ui.main_window import MainWindow
    from ui.startup import Opener, StartupUi

    window = MainWindow(None, settings)
    opener = Opener(db_url, username, StartupUi(window))  # no parent: it outlives the window
    startup = Startup(window, opener)
    opener.opened.connect(startup.ready)
    opener.gave_up.connect(startup.give_up)
    opener.asking.connect(window.database_problem)
    window.show()
    opener.start()
    return startup


class Startup(QObject):
    """The window, the opener, and once it is open the database and its backups."""

    def __init__(self, window: MainWindow, opener: Opener) -> None:
        super().__init__()
        self.window = window
        self.opener = opener
        self.database: Database | None = None
        self.backups: AutoBackup | None = None
        self.quit_at_start = False
        self.closed = False
        self.side_pool: QThreadPool | None = None
        self.warmed = False  # the preloading of ``_warm_up`` is done

    def ready(self, database: Database, backup_due: bool) -> None:
        from ui.protection.backup_timer import AutoBackup

        if not self.window.isVisible():  # closed while it was opening: the app is quitting
            database.dispose()
            return
        self.database = database
        self.window.set_database(database)
        if database.read_only_reason:
            self.window.setWindowTitle(self.window.windowTitle() + " (read-only)")
            self.window.statusBar().showMessage(f"Read-only: {database.read_only_reason}")
        self.backups = AutoBackup(database, parent=self.window)
        self.backups.start()
        self._warm_up(database)
        if backup_due and database.path is not None:
            self._startup_backup(database.path)

    def _side(self) -> QThreadPool:
        """One thread for the work the window does not wait for.

        On the shared pool such work would hold one of the two threads a
        two-core machine gets, and the page's first figures would queue behind it.
        """
        if self.side_pool is None:
            self.side_pool = QThreadPool(self)
            self.side_pool.setMaxThreadCount(1)
        return self.side_pool

    def _warm_up(self, database: Database, waited_ms: int = 0) -> None:
        """The heavy modules a later first click would import, loaded once the first page has read.

        The opener has usually loaded the ORM already (``prepare_sessions`` is
        then a no-op); pyqtgraph and the Reports page's charts are a third of a
        second that the first visit to Reports would otherwise spend on the UI
        thread. It waits for the shared pool to be idle (the first page's
        reads done, or ``WARM_UP_WAIT_MS`` gone), so that on a two-core machine
        it does not compete with them. Then ``_settle_garbage``.
        """
        from ui.workers import Job

        busy = QThreadPool.globalInstance().activeThreadCount() > 0
        if (busy or waited_ms == 0) and waited_ms < WARM_UP_WAIT_MS and not self.closed:
            step = 20
            QTimer.singleShot(step, self, lambda: self._warm_up(database, waited_ms + step))
            return
        if self.closed:
            return
        job = Job(_warm_imports, database, pass_context=False)
        job.finished.connect(self._settle_garbage)
        job.failed.connect(self._settle_garbage)
        job.start(self._side())

    def _settle_garbage(self, *_ignored: object) -> None:
        """Everything start-up made (modules, the models, the first page) left out of collections.

        A full collection walks every object that lives in the process; with
        the ORM, pyqtgraph and a few pages loaded one takes 100-150 ms of the UI
        thread, at a moment nobody chooses. Frozen objects are not walked again,
        so later full collections cost what was made since.
        """
        import gc

        gc.freeze()
        self.warmed = True

    def _startup_backup(self, path: Path) -> None:
        """The start-up backup if one is due, while the user works (the copy is consistent)."""
        from ui.workers import Job
        from vru_crm.reliability.backups import startup_backup_if_due

        job = Job(startup_backup_if_due, path, pass_context=False)
        job.failed.connect(self._backup_failed)
        job.start(self._side())

    def _backup_failed(self, message: str, _error: object) -> None:
        self.window.statusBar().showMessage(f"The start-up backup could not be made: {message}")

    def give_up(self) -> None:
        """The user chose Quit in a start-up dialog."""
        self.quit_at_start = True
        self.window.close()

    def close(self) -> None:
        """At quit: close the window, let background work end, close the database (once)."""
        from ui.workers import wait_for_jobs

        if self.closed:
            return
        self.closed = True
        self.opener.cancel()
        if self.backups is not None:
            self.backups.stop()
        close_window(self.window)
        wait_for_jobs(5000)
        if self.side_pool is not None:
            self.side_pool.waitForDone()  # a start-up backup is finished, not cut off
        QCoreApplication.sendPostedEvents(
            self.opener
        )  # a database that arrived meanwhile is closed
        if self.database is not None:
            self.database.dispose()


WARM_MODULES = ("pyqtgraph", "ui.reports.charts", "ui.reports.tile_map", "ui.reports.dashboard")


def _warm_imports(database: Database) -> None:
    """Runs on the side pool: the ORM, then the modules of ``WARM_MODULES`` (importing
    defines classes and makes no widget, so it is safe off the UI thread)."""
    import importlib

    database.prepare_sessions()
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # a build without that feature: its page says so when visited
            log.info("not preloaded: %s", name)


def close_window(window: QWidget) -> None:
    """Close and delete a window and its children now, while the QApplication still exists."""
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # delete it now
