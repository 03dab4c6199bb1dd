"""Start the desktop app: the QApplication, the database (with its dialogs), the main window.

Unexpected errors never reach the user as a traceback or a crash: a
``sys.excepthook`` shows them in a dialog with a "Copy details" button (for a
bug report) and the app carries on. On quit, windows are closed and deleted and
background jobs are given a moment to finish before the QApplication goes, so
nothing outlives it (pyqtgraph with PySide6 can abort at exit otherwise).
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger(__name__)

APP_NAME = "VRU Partnership CRM"
ORGANISATION = "London VRU"
SETTINGS_APP = "vru-crm"


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
        log.error("unexpected error\n%s", details)
        box = show_error(
            "Something went wrong",
            "The VRU CRM hit an unexpected problem. Your saved data is safe; the last action may not have "
            "finished.\n\nIf it happens again, press “Copy details” and send them to whoever supports the app.",
            details,
        )
    box.exec()


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the names QSettings uses (high-DPI scaling is Qt 6's default)."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(SETTINGS_APP)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationDisplayName(APP_NAME)
        app.setQuitOnLastWindowClosed(True)
    return app  # type: ignore[return-value]


def run_app(db_url: str | None = None, username: str | None = None) -> int:
    """Open the main window on the chosen database; returns the exit status."""
    app = make_application()
    previous_hook = sys.excepthook
    sys.excepthook = excepthook
    try:
        return _run(app, db_url, username)
    finally:
        sys.excepthook = previous_hook


def _run(app: QApplication, db_url: str | None, username: str | None) -> int:
    from ui.startup import open_with_dialogs
    from ui.workers import wait_for_jobs

    database = open_with_dialogs(db_url, username)
    if database is None:
        wait_for_jobs(2000)
        return 1
    from ui.main_window import MainWindow
    from ui.protection.backup_timer import AutoBackup

    window = MainWindow(database, QSettings())
    if database.read_only_reason:
        window.setWindowTitle(window.windowTitle() + " (read-only)")
        window.statusBar().showMessage(f"Read-only: {database.read_only_reason}")
    backups = AutoBackup(database, parent=window)
    backups.start()
    window.show()
    try:
        status = app.exec()
    finally:
        backups.stop()
        close_window(window)
        wait_for_jobs(5000)
        database.dispose()
    return status


def close_window(window: QWidget) -> None:
    """Close and delete a window and its children now, while the QApplication still exists."""
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # delete it now
