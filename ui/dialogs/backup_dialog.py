"""Back up the database to a file, off the UI thread.

``vru_crm.services.maintenance.backup`` takes a consistent copy (SQLite's
online backup, or pg_dump) that is safe while others write. It cannot be
interrupted half-way, so Cancel lets it finish and then removes the copy.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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
from ui.workers import Cancelled, Job


def _run_backup(context, database, destination: Path) -> Path:
    from vru_crm.services.maintenance import backup

    existed = destination.exists()
    written = backup(database, destination)
    if context.cancelled():
        if not existed:
            Path(written).unlink(missing_ok=True)
        raise Cancelled()
    return Path(written)


def default_destination(database) -> Path:
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
    suffix = ".sqlite3" if database.is_sqlite else ".dump"
    folder = database.path.parent / "backups" if database.path else Path.home()
    return folder / f"vru-crm-backup-{stamp}{suffix}"


class BackupDialog(QDialog):
    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.job: Job | None = None
        self.written: Path | None = None
        self.setWindowTitle("Back up the database")
        intro = QLabel(
            f"A consistent copy of {database.display_name}, safe to take while others work.", self
        )
        intro.setWordWrap(True)
        self.path = QLineEdit(str(default_destination(database)), self)
        self.path.setAccessibleName("Backup file")
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose where to save the backup")
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&Save to", row)
        form.labelForField(row).setBuddy(self.path)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Backup result")
        self.progress = ProgressPanel(self)
        self.backup_button = QPushButton("&Back up now", self)
        self.backup_button.setDefault(True)
        self.backup_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(600, 200)

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the backup as", self.path.text())
        if chosen:
            self.path.setText(chosen)

    def start(self) -> None:
        destination = Path(self.path.text().strip()).expanduser()
        if not destination.name:
            self.message.setText("Choose where to save the backup.")
            return
        self.job = Job(_run_backup, self.database, destination)
        self.job.finished.connect(self._done)
        self.job.failed.connect(lambda message, _e: self._ended(f"No backup was made. {message}"))
        self.job.cancelled.connect(lambda: self._ended("Cancelled: no backup was kept."))
        self.progress.follow(self.job, f"Copying to {destination.name}…", determinate=False)
        self.backup_button.setEnabled(False)
        self.path.setEnabled(False)
        self.job.start()

    def _done(self, written: Path) -> None:
        self.written = written
        size = written.stat().st_size if written.exists() else 0
        self._ended(f"Backup done: {written} ({size / 1_048_576:.1f} MB).")

    def _ended(self, text: str) -> None:
        self.message.setText(text)
        self.backup_button.setEnabled(True)
        self.path.setEnabled(True)
        self.job = None

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.done.connect(super().reject)
            return
        super().reject()
