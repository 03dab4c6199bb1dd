"""An expected error logs one line (no traceback on the terminal); an
unexpected one is described in words naming the log file, which gets the details without
personal data."""

import io
import logging
from pathlib import Path

import pytest

from ui import error_log
from ui.workers import Job, describe_error


@pytest.fixture
def logs(tmp_path):
    """The app's logging set-up, with the terminal captured and the log folder in tmp_path."""
    terminal = io.StringIO()
    root = logging.getLogger()
    before = list(root.handlers), root.level
    error_log.configure(tmp_path / "logs", stream=terminal)
    yield terminal, tmp_path / "logs" / error_log.LOG_NAME
    for handler in list(root.handlers):
        if handler not in before[0]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(before[1])
    error_log._directory = None


def _fail_with(qtbot, error: BaseException) -> str:
    def work(_context):
        raise error

    job = Job(work)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    qtbot.waitUntil(lambda: not job.is_running)
    return blocker.args[0]


def test_an_import_file_with_a_wrong_header_logs_one_line(
    qtbot, logs, tmp_path, sqlite_database, caplog
):
    from ui.dialogs.import_dialog import _run_import

    terminal, _file = logs
    bad = tmp_path / "people.csv"
    bad.write_text("Nmae,Emial\nGrace Reid,grace@example.org\n", encoding="utf-8")
    job = Job(_run_import, sqlite_database, "people", bad, dry_run=True, skip_invalid=False)
    outcome: list[str] = []
    job.failed.connect(lambda message, _e: outcome.append(message))
    job.finished.connect(lambda report: outcome.append(f"report {report.problems}"))
    job.start()
    qtbot.waitUntil(lambda: bool(outcome) and not job.is_running, timeout=10000)
    assert outcome[0].startswith("people.csv"), outcome  # the dialog's message, in words
    text = terminal.getvalue()
    assert "Traceback" not in text
    assert len(text.strip().splitlines()) == 1
    assert all(record.exc_info is None for record in caplog.records)  # no traceback anywhere


def test_an_expected_error_in_a_worker_logs_one_line(qtbot, logs, caplog):
    from vru_crm.io.tables import FileProblem

    terminal, file = logs
    message = _fail_with(qtbot, FileProblem("people.csv has no column 'full_name'."))
    assert message == "people.csv has no column 'full_name'."
    lines = terminal.getvalue().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert "people.csv has no column" in lines[0]
    assert all(record.exc_info is None for record in caplog.records)


def test_an_unexpected_error_writes_the_log_file_without_personal_data(qtbot, logs):
    terminal, file = logs
    message = _fail_with(qtbot, KeyError("Grace Reid <grace.reid@example.org> 07700 900123"))
    assert str(file) in message and "Something went wrong" in message
    lines = terminal.getvalue().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0] and str(file) in lines[0]
    written = Path(file).read_text(encoding="utf-8")
    assert "Traceback" in written and "KeyError" in written and "test_error_log.py" in written
    for personal in ("Grace", "grace.reid@example.org", "07700 900123"):
        assert personal not in written


def test_the_message_names_the_log_folder_of_the_user(monkeypatch):
    import platformdirs

    error_log._directory = None
    expected = Path(platformdirs.user_log_dir("vru-crm", "London VRU")) / "vru-crm.log"
    assert error_log.log_file() == expected
    assert str(expected) in describe_error(RuntimeError("boom"))


def test_scrub_keeps_the_code_and_drops_the_data():
    line = (
        "(sqlite3.IntegrityError) UNIQUE constraint failed: person.email "
        "[SQL: INSERT INTO person (full_name, email) VALUES (?, ?)] "
        "[parameters: ('Grace Reid', 'grace@example.org')]"
    )
    cleaned = error_log.scrub(line)
    assert "Grace" not in cleaned and "grace@" not in cleaned
    assert "UNIQUE constraint failed: person.email" in cleaned and "INSERT INTO person" in cleaned
