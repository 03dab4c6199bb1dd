"""Scheduled backups while the app is open: a timer that asks, now and then, whether one is due.

The check is cheap (the newest backup's name carries its time); the copy
itself runs in a worker thread so the window never stalls. A failure is
reported once on ``failed`` and retried at the next tick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from db.session import Database
from ui.workers import Job
from vru_crm.reliability.backups import DEFAULT_POLICY, BackupPolicy, backup_if_due

CHECK_EVERY_MS = 30 * 60 * 1000


def _backup(_context, database: Database, policy: BackupPolicy) -> Path | None:
    return backup_if_due(database, policy)


class AutoBackup(QObject):
    """Start with ``AutoBackup(database).start()``; ``made(path)`` after each backup."""

    made = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        database: Database,
        policy: BackupPolicy = DEFAULT_POLICY,
        interval_ms: int = CHECK_EVERY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._policy = policy
        self._job: Job | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        if self._database.path is not None:  # PostgreSQL is backed up by its server
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> None:
        if self._job is not None and self._job.is_running:
            return
        self._job = Job(_backup, self._database, self._policy)
        self._job.finished.connect(lambda path: path and self.made.emit(path))
        self._job.failed.connect(lambda message, _e: self.failed.emit(message))
        self._job.start()
