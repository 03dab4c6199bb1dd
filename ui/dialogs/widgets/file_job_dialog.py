"""A dialog that writes one file in the background: a path with Browse, a go button, progress, Cancel.

Backup and CSV export are the same conversation with the user: choose where,
press the button, watch the bar, read one sentence about what happened. This
base holds that conversation; a subclass says what the fields are, what job to
run and how to word the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.widgets.progress_panel import ProgressPanel
from ui.workers import Job


class FileJobDialog(QDialog):
    """The shared layout and job plumbing; see ``BackupDialog`` and ``ExportDialog``.

    ``self.path`` holds the destination, ``self.go_button`` starts the work,
    ``self.message`` says how it ended, ``self.job`` is the running job (None
    when idle). Closing while the job runs cancels it first.
    """

    browse_title = "Save as"
    browse_filter = ""

    def __init__(self, database: Any, title: str, go_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.database = database
        self.job: Job | None = None
        self.written: Path | None = None
        self.setWindowTitle(title)
        self.path = QLineEdit(self)
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.progress = ProgressPanel(self)
        self.go_button = QPushButton(go_text, self)
        self.go_button.setDefault(True)
        self.go_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

    def add_path_row(self, label: str, field_name: str, browse_name: str) -> None:
        """The destination field with its Browse… button, as a form row."""
        self.path.setAccessibleName(field_name)
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName(browse_name)
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.form.addRow(label, row)
        self.form.labelForField(row).setBuddy(self.path)

    def lay_out(self, intro: QWidget | None = None) -> None:
        """Intro, form, progress, message, then the buttons at the bottom right."""
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.go_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        if intro is not None:
            layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.browse_title, self.path.text(), self.browse_filter
        )
        if chosen:
            self.path.setText(self.chosen_path(chosen))

    def chosen_path(self, chosen: str) -> str:
        """What the file picker's answer becomes in the field (e.g. add a missing suffix)."""
        return chosen

    def destination(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def start(self) -> None:
        """Subclasses check the fields, then call ``run``."""
        raise NotImplementedError

    def run(
        self,
        work: Callable[..., Any],
        *args: Any,
        status: str,
        on_done: Callable[[Any], str],
        failed: str,
        cancelled: str,
    ) -> None:
        """Run ``work(context, *args)`` on the pool; each outcome ends in one sentence in ``message``."""
        self.job = Job(work, *args)
        self.job.finished.connect(lambda result: self._ended(on_done(result)))
        self.job.failed.connect(lambda message, _e: self._ended(f"{failed} {message}"))
        self.job.cancelled.connect(lambda: self._ended(cancelled))
        self.progress.follow(self.job, status, determinate=False)
        self.set_busy(True)
        self.job.start()

    def inputs(self) -> list[QWidget]:
        """The widgets locked while the job runs."""
        return [self.path, self.go_button]

    def set_busy(self, busy: bool) -> None:
        for widget in self.inputs():
            widget.setEnabled(not busy)

    def _ended(self, text: str) -> None:
        self.message.setText(text)
        self.set_busy(False)
        self.job = None

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.done.connect(super().reject)
            return
        super().reject()
