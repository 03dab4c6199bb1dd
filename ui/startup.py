"""Opening the database when the app starts, with a way out of every problem.

The app shows its window first and opens the database behind it with
``Opener``: the work (importing the database stack, opening, migrating,
checking) runs on a worker thread and the window stays live. ``open_with_dialogs``
does the same for a caller without a window: it waits in a local event loop
while a small "Opening…" window (shown only if it takes a moment) offers Quit.
Either way an unreachable server never looks like a hang, and each known
problem gets a dialog in words with the choices that make sense for it:
choose another file, retry, or quit. An empty default database is offered the
demo data. The dialogs are methods of ``StartupUi``; tests pass their own to
answer them.

Nothing here imports the database stack at module level (``db.errors`` is
plain exception classes), so the window can be shown before SQLAlchemy loads.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from db.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, DatabaseUnavailable
from ui.workers import Job

if TYPE_CHECKING:
    from db.session import Database

log = logging.getLogger(__name__)
SHOW_PROGRESS_AFTER_MS = 400


class Choice(Enum):
    RETRY = "retry"
    CHOOSE = "choose"
    QUIT = "quit"


@dataclass(frozen=True)
class Problem:
    kind: str  # "too_new", "locked", "corrupt", "unavailable", "other"
    title: str
    message: str
    choices: tuple[Choice, ...]


def describe(error: BaseException, url: str) -> Problem:
    """What went wrong, in words, and which ways out make sense."""
    text = str(error)
    all_three = (Choice.RETRY, Choice.CHOOSE, Choice.QUIT)
    if isinstance(error, DatabaseTooNew):
        return Problem(
            "too_new",
            "Database from a newer version",
            f"{text}\n\nThis version cannot open it without risking your data.",
            (Choice.CHOOSE, Choice.QUIT),
        )
    if isinstance(error, DatabaseLocked) or "locked" in text.lower():
        return Problem(
            "locked",
            "Database in use",
            "Another program is using the database and has locked it "
            "(perhaps another copy of the VRU CRM, or a backup in progress).\n\n"
            "Close it and press Retry, or open another file.",
            all_three,
        )
    if isinstance(error, DatabaseCorrupt):
        return Problem(
            "corrupt",
            "Not a VRU CRM database",
            f"{text}\n\nIf this is your usual database, a copy made before each upgrade is kept in "
            "the “backups” folder beside it.",
            (Choice.CHOOSE, Choice.QUIT),
        )
    if isinstance(error, DatabaseUnavailable):
        return Problem(
            "unavailable",
            "Cannot reach the database",
            f"{text}\n\nCheck that the server is running and the network is up, then press Retry; "
            "or open a database file instead.",
            all_three,
        )
    return Problem(
        "other",
        "Cannot open the database",
        f"The database could not be opened ({error.__class__.__name__}: {text}).",
        all_three,
    )


class StartupUi:
    """The dialogs start-up may show, over ``parent`` (the main window) if given. Replace for tests."""

    parent: QWidget | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def problem(self, problem: Problem, url: str) -> Choice:
        box = QMessageBox(
            QMessageBox.Icon.Warning, problem.title, problem.message, parent=self.parent
        )
        box.setInformativeText(f"Database: {_shown(url)}")
        buttons = {}
        labels = {
            Choice.RETRY: ("Retry", QMessageBox.ButtonRole.AcceptRole),
            Choice.CHOOSE: ("Open another file…", QMessageBox.ButtonRole.ActionRole),
            Choice.QUIT: ("Quit", QMessageBox.ButtonRole.RejectRole),
        }
        for choice in problem.choices:
            text, role = labels[choice]
            buttons[box.addButton(text, role)] = choice
        box.setEscapeButton(next(b for b, c in buttons.items() if c == Choice.QUIT))
        box.exec()
        return buttons.get(box.clickedButton(), Choice.QUIT)

    def choose_file(self) -> str | None:
        from db.engine import default_database_path

        dialog = QFileDialog(
            self.parent, "Open or create a VRU CRM database", str(default_database_path().parent)
        )
        dialog.setNameFilters(["VRU CRM databases (*.sqlite3 *.db)", "All files (*)"])
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)  # a new name makes a new, empty database
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        if dialog.exec() and dialog.selectedFiles():
            return dialog.selectedFiles()[0]
        return None

    def offer_demo(self) -> bool:
        answer = QMessageBox.question(
            self.parent,
            "Load the demo data?",
            "This database has no organisations yet.\n\nLoad the demo data set (public facts about the VRU's "
            "partnership, plus synthetic engagements marked as such) to try the app?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def password(self, prompt: str) -> str | None:
        """The server wants a password the URL has none of: ask, not echoed."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(
            self.parent, "Sign in to the team database", prompt, QLineEdit.EchoMode.Password
        )
        return text if ok and text else None


def _asked_password(ui: StartupUi, error: BaseException, url: str, typed: bool) -> str | None:
    """The URL to retry with a password the user typed, or None when that is not the problem.

    ``typed``: the URL's password is one typed here before (a wrong one is asked again).
    The password stays in memory only, never written to settings or a log.
    """
    from vru_crm.team.password import prompt_for, should_ask, with_password

    if not should_ask(error, url, typed):
        return None
    password = ui.password(prompt_for(url))
    return with_password(url, password) if password else None


def _shown(url: str) -> str:
    """The URL without its password, fit for a dialog."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class _Waiter(QObject):
    """Receives the worker's answer on the main thread and ends the local event loop."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.result: Any = None
        self.error: BaseException | None = None
        self.abandoned = False

    @Slot(object)
    def finished(self, outcome: tuple[Any, BaseException | None]) -> None:
        result, error = outcome
        if self.abandoned:  # the user quit while it was still trying: close what arrived late
            if hasattr(result, "dispose"):
                result.dispose()
            return
        self.result, self.error = result, error
        self.loop.quit()

    @Slot()
    def abandon(self) -> None:
        self.abandoned = True
        self.loop.quit()


def run_with_progress(
    label: str, function: Any, *args: Any, parent: QWidget | None = None
) -> tuple[Any, BaseException | None, bool]:
    """Run ``function`` on the pool; show a Quit-able progress window if it takes a moment.

    Returns (result, error, abandoned). A local event loop waits (as a modal
    dialog does), so the window repaints and Quit works while the work runs.
    """
    loop = QEventLoop()
    waiter = _Waiter(loop)
    job = Job(_capture, function, *args, pass_context=False)
    job.finished.connect(waiter.finished)
    progress = QProgressDialog(label, "Quit", 0, 0, parent)
    progress.setWindowTitle("VRU Partnership CRM")
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.canceled.connect(waiter.abandon)
    progress.hide()
    timer = QTimer(singleShot=True, interval=SHOW_PROGRESS_AFTER_MS)
    timer.timeout.connect(progress.show)
    timer.start()
    job.start()
    loop.exec()
    timer.stop()
    progress.canceled.disconnect(waiter.abandon)
    progress.close()
    progress.deleteLater()
    return waiter.result, waiter.error, waiter.abandoned


def _capture(function: Any, *args: Any) -> tuple[Any, BaseException | None]:
    """Runs on the pool: an expected failure comes back as a value, not as a logged crash."""
    try:
        return function(*args), None
    except Exception as error:
        from vru_crm.errors import EXPECTED_ERRORS

        if not isinstance(error, EXPECTED_ERRORS):
            log.error("start-up step failed", exc_info=error)
        return None, error


def _open(url: str, username: str | None) -> Database:
    """Open the safe way: a private new file, a rotated backup before migrating, read-only if locked."""
    from vru_crm.reliability.startup import open_for_app

    opened = open_for_app(url, username)
    opened.database.read_only_reason = opened.read_only_reason
    return opened.database


def _next_url(ui: StartupUi, error: BaseException, url: str) -> str | None:
    """Ask the user what to do about ``error``: the URL (or file) to try next, None to quit."""
    problem = describe(error, url)
    log.warning("could not open the database: %s", problem.kind)
    choice = ui.problem(problem, url)
    if choice == Choice.QUIT:
        return None
    if choice == Choice.CHOOSE:
        return ui.choose_file() or url
    return url


def open_with_dialogs(
    db_url: str | None, username: str | None, ui: StartupUi | None = None
) -> Database | None:
    """The opened, migrated database; None if the user chose to quit."""
    from db.engine import resolve_url

    ui = ui or StartupUi()
    url = resolve_url(db_url)
    typed = False  # the URL's password was typed in a dialog here
    while True:
        database, error, abandoned = run_with_progress(
            f"Opening {_shown(url)}…", _open, url, username
        )
        if abandoned:
            return None
        if database is not None:
            _maybe_offer_demo(database, url, ui)
            return database
        assert error is not None
        retry = _asked_password(ui, error, url, typed)
        typed = retry is not None
        chosen = retry or _next_url(ui, error, url)
        if chosen is None:
            return None
        url = resolve_url(chosen)


@dataclass
class Attempt:
    """One try at opening, as it comes back from the worker thread."""

    url: str  # resolved
    database: Database | None = None
    error: BaseException | None = None
    empty_default: bool = False  # the default database, with no organisations yet
    backup_due: bool = False  # the start-up backup was left for later (no migration was pending)


def _attempt(raw_url: str | None, username: str | None) -> Attempt:
    """Runs on the pool and never raises: resolve, open, and see whether the demo should be offered.

    The start-up backup is deferred when no migration is pending (see
    ``vru_crm.reliability.startup``): the caller takes it once the window has its data.
    """
    try:
        from db.engine import resolve_url

        url = resolve_url(raw_url)
    except Exception as error:  # a URL SQLAlchemy cannot parse
        return Attempt(str(raw_url), error=error)
    opened, error = _capture(_open_deferring_backup, url, username)
    if opened is None:
        return Attempt(url, error=error)
    attempt = Attempt(url, opened.database, backup_due=opened.backup_due)
    _capture(_load_first_page_stack, opened.database)
    if url == resolve_url(None):
        attempt.empty_default = _is_empty(opened.database)
    return attempt


def _load_first_page_stack(database: Database) -> None:
    """The ORM, the models and Home's queries imported here, on the opener's thread.

    Home's page imports them when it is built, and it is built on the UI thread
    as soon as the window gets the database: importing them there would freeze
    the window for a third of a second. A failure is only logged; the page
    imports them again and says what went wrong.
    """
    import importlib

    database.prepare_sessions()  # the ORM, the models and their mappers
    importlib.import_module("vru_crm.queries.home")
    importlib.import_module("vru_crm.governance.home")


def _open_deferring_backup(url: str, username: str | None) -> Any:
    from vru_crm.reliability.startup import open_for_app

    opened = open_for_app(url, username, defer_backup=True)
    opened.database.read_only_reason = opened.read_only_reason
    return opened


def _is_empty(database: Database) -> bool:
    from vru_crm.queries.choices import organisation_count

    try:
        return organisation_count(database) == 0
    except Exception:  # the check is a courtesy; never block start-up on it
        log.warning("could not count organisations", exc_info=True)
        return False


class Opener(QObject):
    """Opens the database behind a window that is already shown, asking the user when it cannot.

    ``start()`` returns at once; ``opened(database, backup_due)`` or ``gave_up()``
    follows on the main thread (``backup_due``: take the start-up backup now, see
    ``vru_crm.reliability.startup``). The dialogs of ``StartupUi`` appear over the window, with
    the same choices and outcomes as ``open_with_dialogs``. ``asking(bool)``
    says when a dialog is up, so the window can say so too. After ``cancel()``
    (the user closed the window) a database that still arrives is closed.
    """

    opened = Signal(object, bool)
    gave_up = Signal()
    asking = Signal(bool)

    def __init__(
        self,
        db_url: str | None,
        username: str | None,
        ui: StartupUi | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._url = db_url
        self._username = username
        self._ui = ui or StartupUi()
        self._cancelled = False
        self._job: Job | None = None
        self._typed = False  # the URL's password was typed in a dialog here

    def start(self) -> None:
        self._job = Job(_attempt, self._url, self._username, pass_context=False)
        self._job.finished.connect(self._arrived)
        self._job.failed.connect(self._crashed)
        self._job.start()

    @Slot(str, object)
    def _crashed(self, _message: str, error: BaseException) -> None:
        """Not expected (``_attempt`` catches what it can): still a dialog, never a silent hang."""
        self._arrived(Attempt(str(self._url), error=error))

    def cancel(self) -> None:
        self._cancelled = True

    @Slot(object)
    def _arrived(self, attempt: Attempt) -> None:
        if self._cancelled:
            if attempt.database is not None:
                attempt.database.dispose()
            return
        if attempt.database is not None:
            if attempt.empty_default:
                _offer_demo(attempt.database, self._ui)
            self.opened.emit(attempt.database, attempt.backup_due)
            return
        assert attempt.error is not None
        self.asking.emit(True)
        retry = _asked_password(self._ui, attempt.error, attempt.url, self._typed)
        self._typed = retry is not None
        chosen = retry or _next_url(self._ui, attempt.error, attempt.url)
        self.asking.emit(False)
        if chosen is None:
            self.gave_up.emit()
            return
        self._url = chosen
        self.start()


def _maybe_offer_demo(database: Database, url: str, ui: StartupUi) -> None:
    """An empty default database: offer the demo (if this version has it)."""
    from db.engine import resolve_url

    if url == resolve_url(None) and _is_empty(database):
        _offer_demo(database, ui)


def _offer_demo(database: Database, ui: StartupUi) -> None:
    try:
        from vru_crm.demo import load_demo
    except ImportError:
        return
    if ui.offer_demo():
        _, error, _ = run_with_progress(
            "Loading the demo data…", load_demo, database, parent=ui.parent
        )
        if error is not None:
            QMessageBox.warning(
                ui.parent, "Demo data", f"The demo data could not be loaded: {error}"
            )
