"""A progress bar with a Cancel button, bound to a background ``Job``.

Used by import, export and backup: the dialog stays responsive while the work
runs on the pool, and Cancel asks the job to stop (it checks between rows).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ui.workers import Job


class ProgressPanel(QWidget):
    """Shows a job's progress; ``cancel_requested`` when the user presses Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Progress")
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("&Cancel", self)
        self.cancel_button.setAccessibleName("Cancel the work in progress")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self._cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.job: Job | None = None
        self.hide()

    def follow(self, job: Job, status: str, *, determinate: bool = True) -> None:
        """Show ``job``'s progress until it ends; an indeterminate bar when it cannot count."""
        self.job = job
        self.status.setText(status)
        self.bar.setRange(0, 100 if determinate else 0)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        job.progress.connect(self._progress)
        job.done.connect(self._finished)
        self.show()
        self.cancel_button.setFocus()

    def _progress(self, done: int, total: int) -> None:
        if total > 0 and self.bar.maximum() != 0:
            self.bar.setValue(int(100 * done / total))

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()

    def _finished(self) -> None:
        self.job = None
        # A job may end after its dialog was closed and deleted (a backup finishing as
        # the window goes): there is nothing left to hide then.
        if shiboken6.isValid(self):
            self.hide()

    @property
    def busy(self) -> bool:
        return self.job is not None
