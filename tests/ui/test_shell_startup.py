"""Start-up: every bad database gets a dialog in words with a way out, and never a hang."""

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from db.engine import ENV_URL
from db.errors import DatabaseUnavailable
from db.migrate import open_database
from ui.app import excepthook
from ui.startup import Choice, StartupUi, describe, open_with_dialogs

UNREACHABLE = "postgresql+psycopg://x@127.0.0.1:1/none"
ROOT = Path(__file__).resolve().parents[2]


class Answers(StartupUi):
    """Answers the start-up questions from a script, and records what was asked."""

    def __init__(self, choices, files=(), demo=False):
        self.choices, self.files, self.demo = list(choices), list(files), demo
        self.problems, self.demo_offered = [], 0

    def problem(self, problem, url):
        self.problems.append(problem)
        return self.choices.pop(0)

    def choose_file(self):
        return self.files.pop(0) if self.files else None

    def offer_demo(self):
        self.demo_offered += 1
        return self.demo


def answer_box(button: str, seen: list[QMessageBox]) -> None:
    """Press ``button`` on the next message box that appears (as a user would), noting its text."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.windowTitle(), box.text(), [b.text() for b in box.buttons()]))
            next(b for b in box.buttons() if b.text() == button).click()
            return
        QTimer.singleShot(30, poll)

    QTimer.singleShot(0, poll)


def newer_file(tmp_path) -> Path:
    path = tmp_path / "newer.sqlite3"
    open_database(str(path)).dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    return path


def test_a_database_from_a_newer_version_gets_a_dialog_and_quit_works(qtbot, tmp_path):
    seen: list = []
    answer_box("Quit", seen)
    started = time.monotonic()
    assert open_with_dialogs(str(newer_file(tmp_path)), "tester") is None
    assert time.monotonic() - started < 10
    title, text, buttons = seen[0]
    assert title == "Database from a newer version"
    assert "newer version of the VRU CRM" in text
    assert sorted(buttons) == ["Open another file…", "Quit"]  # retrying cannot help


def test_a_text_file_named_like_a_database_is_refused_in_words(qtbot, tmp_path):
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("these are my meeting notes, not a database\n" * 100)
    seen: list = []
    answer_box("Quit", seen)
    assert open_with_dialogs(str(notes), "tester") is None
    title, text, _ = seen[0]
    assert title == "Not a VRU CRM database"
    assert "not a VRU CRM database" in text and "backups" in text
    assert notes.read_text().startswith("these are my meeting notes")  # untouched


def test_an_unreachable_server_offers_retry_and_does_not_hang(qtbot):
    answers = Answers([Choice.RETRY, Choice.QUIT])
    started = time.monotonic()
    assert open_with_dialogs(UNREACHABLE, "tester", answers) is None
    assert time.monotonic() - started < 15  # connect timeout is 5 s; refused is immediate
    assert [p.kind for p in answers.problems] == ["unavailable", "unavailable"]
    assert "Could not open the database" in answers.problems[0].message
    assert Choice.RETRY in answers.problems[0].choices


def test_the_real_dialog_for_an_unreachable_server(qtbot):
    seen: list = []
    answer_box("Quit", seen)
    assert open_with_dialogs(UNREACHABLE, "tester") is None
    title, text, buttons = seen[0]
    assert title == "Cannot reach the database"
    assert sorted(buttons) == ["Open another file…", "Quit", "Retry"]


def test_choosing_another_file_opens_it(qtbot, tmp_path):
    good = tmp_path / "good.sqlite3"
    answers = Answers([Choice.CHOOSE], files=[str(good)])
    database = open_with_dialogs(str(newer_file(tmp_path)), "tester", answers)
    try:
        assert database is not None and database.path == good.resolve()
    finally:
        database.dispose()


def test_a_locked_database_is_described_as_in_use():
    problem = describe(
        DatabaseUnavailable("Could not open the database x: database is locked"), "sqlite:///x"
    )
    assert problem.kind == "locked" and "Another program is using the database" in problem.message
    assert problem.choices == (Choice.RETRY, Choice.CHOOSE, Choice.QUIT)


def test_an_empty_default_database_is_offered_the_demo(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_URL, str(tmp_path / "default.sqlite3"))
    answers = Answers([], demo=True)
    database = open_with_dialogs(None, "tester", answers)
    try:
        assert answers.demo_offered == 1
        from vru_crm.queries.choices import organisation_count

        assert organisation_count(database) > 50
    finally:
        database.dispose()
    again = Answers([])
    open_with_dialogs(None, "tester", again).dispose()
    assert again.demo_offered == 0  # not empty any more


def test_an_unexpected_error_shows_a_dialog_with_copyable_details(qtbot):
    seen: list = []

    def copy_then_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(30, copy_then_close)
            return
        seen.append((box.windowTitle(), box.text()))
        next(b for b in box.buttons() if b.text() == "Copy details").click()
        next(b for b in box.buttons() if b.text() == "Close").click()

    QTimer.singleShot(0, copy_then_close)
    try:
        _ = 1 / 0
    except ZeroDivisionError:
        excepthook(*sys.exc_info())
    title, text = seen[0]
    assert (
        title == "Something went wrong" and "unexpected problem" in text and "Traceback" not in text
    )
    assert "ZeroDivisionError" in QGuiApplication.clipboard().text()


def test_the_app_starts_and_quits_cleanly(tmp_path):
    """The real entry point in its own process: opens, shows the window, quits with status 0."""
    from perf.sample import seed_sample

    database = open_database(str(tmp_path / "team.sqlite3"), username="tester")
    seed_sample(database)
    database.dispose()
    script = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from ui.app import make_application, run_app
        from ui.main_window import MainWindow

        app = make_application(["vru-crm"])

        def close_when_shown():
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            if windows and windows[0].database is not None:  # shown first, the database follows
                windows[0].show_page("graph")  # pyqtgraph widgets must not outlive the app
                QTimer.singleShot(1500, windows[0].close)
            else:
                QTimer.singleShot(100, close_when_shown)

        QTimer.singleShot(100, close_when_shown)
        sys.exit(run_app({str(tmp_path / "team.sqlite3")!r}, "tester"))
        """
    )
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Abort" not in result.stderr
    assert (tmp_path / "config" / "London VRU" / "vru-crm.conf").exists()  # settings were saved
