"""Fixtures for the shell's UI tests: a seeded SQLite file, private settings, an open main window.

Settings go to a file in the test's own folder, so a test never reads or writes
the user's real window layout. Background loads are waited for before teardown
so no job outlives its test.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from perf.sample import Sample, seed_sample
from PySide6.QtCore import QSettings

from db.session import Database
from ui.workers import wait_for_jobs


@dataclass
class QtData:
    database: Database
    sample: Sample


@pytest.fixture
def qt_database(sqlite_database) -> QtData:
    return QtData(sqlite_database, seed_sample(sqlite_database, username="tester"))


@pytest.fixture
def qt_settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, qt_database, qt_settings) -> Iterator:
    from ui.main_window import MainWindow

    main = MainWindow(qt_database.database, qt_settings)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    wait_for_jobs(5000)


def wait_loaded(qtbot, page, timeout: int = 5000) -> None:
    """Until a detail page has its figures (they load off the UI thread)."""
    qtbot.waitUntil(lambda: page.detail is not None and page.body.isVisible(), timeout=timeout)
