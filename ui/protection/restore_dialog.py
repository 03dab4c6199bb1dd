"""Choosing a backup, seeing what it holds, and restoring it safely (SQLite only).

The list of backups (a folder listing, and what each file says of itself) is
read on the thread pool (``ui.models.loader.Loader``), and so is the preview:
it opens the backup read-only in a worker thread (counts per table, newest
engagement, integrity). Restoring first keeps a copy of the current
file, then writes the backup into place through SQLite; the app's connections
are closed first and reopen by themselves on the next query.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.progress_panel import ProgressPanel
from ui.events import data_events
from ui.models.loader import Loader
from ui.models.rows_model import fill, read_only_table, selected_id
from ui.protection import common
from ui.protection.common import Notice
from ui.style import format_datetime
from ui.workers import Job
from vru_crm.reliability import backups
from vru_crm.reliability.readonly import is_read_only


def _preview(_context, path: Path) -> backups.BackupPreview:
    return backups.preview(path)


def _restore(_context, database: Database, path: Path) -> backups.RestoreResult:
    database.dispose()  # close the pool; the next query opens the restored file
    return backups.restore_database(database.url, path, database.username)


def _list(path: Path | None) -> list[backups.BackupInfo]:
    """Runs on the pool: the backups kept beside ``path`` (none for a server database)."""
    return backups.list_backups(path) if path else []


class RestoreBackupDialog(QDialog):
    """``restored(result)`` is emitted after a successful restore; ``listed(backups)`` on each reload."""

    restored = Signal(object)
    listed = Signal(object)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.resize(760, 520)
        self._database = database
        self._chosen: Path | None = None
        self._preview: backups.BackupPreview | None = None
        self._job: Job | None = None
        self._lister = Loader(self)
        self._lister.loaded.connect(self._listed)
        self._lister.failed.connect(lambda message, _error: self.details.setPlainText(message))
        self.notice = Notice(kind="warning", parent=self)
        self.table = read_only_table(["Taken", "Why", "Size", "File"], self)
        self.table.setAccessibleName("Backups")
        self.table.selectionModel().selectionChanged.connect(
            lambda _new, _old: self._selection_changed()
        )
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("What the backup holds")
        self.details.setPlaceholderText("Choose a backup to see what it holds.")
        self.other_button = QPushButton("Choose another &file…", self)
        self.other_button.clicked.connect(self.choose_file)
        self.restore_button = QPushButton("&Restore this backup…", self)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.confirm_restore)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.progress = ProgressPanel(self)
        row = QHBoxLayout()
        row.addWidget(self.other_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.details, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(close)
        self._can_restore = self._check_backend()
        self.reload()

    def _check_backend(self) -> bool:
        if self._database.path is None:
            self.notice.show_text(
                "Restoring from the app works for a SQLite file only. This is a PostgreSQL "
                "database: ask whoever runs the server to restore it with pg_restore."
            )
            self.other_button.setEnabled(False)
            return False
        if is_read_only(self._database):
            self.notice.show_text(getattr(self._database, "message", "The database is read-only."))
            return False
        return True

    @property
    def listing(self) -> bool:
        """True while the list of backups is being read."""
        return self._lister.busy

    def reload(self) -> None:
        """Read the list of backups again on the thread pool (F5)."""
        self._lister.load(_list, self._database.path)

    def _listed(self, found: list[backups.BackupInfo]) -> None:
        path = self._database.path
        fill(
            self.table,
            [
                (
                    f"{format_datetime(b.taken_at)}",
                    b.kind_label,
                    f"{max(1, b.size // 1024):,} KB",
                    b.path.name,
                )
                for b in found
            ],
            [str(b.path) for b in found],
        )
        if path and not found:
            self.details.setPlainText(f"No backups yet in {backups.backup_folder(path)}.")
        self.listed.emit(found)

    def _selection_changed(self) -> None:
        chosen = selected_id(self.table)
        if chosen:
            self.show_preview(Path(str(chosen)))

    def choose_file(self) -> None:
        start = str(backups.backup_folder(self._database.path)) if self._database.path else ""
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a backup",
            start,
            "SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        )
        if name:
            self.table.clearSelection()
            self.show_preview(Path(name))

    def show_preview(self, path: Path) -> None:
        self._chosen, self._preview = path, None
        self.restore_button.setEnabled(False)
        self.details.setPlainText(f"Reading {path.name}…")
        self._run(Job(_preview, path), "Reading the backup…", self._previewed)

    def _previewed(self, found: backups.BackupPreview) -> None:
        if found.path != self._chosen:
            return  # the user has moved on to another backup
        self._preview = found
        self.details.setPlainText(f"{found.path}\n\n" + "\n".join(found.summary_lines()))
        self.restore_button.setEnabled(found.ok and self._can_restore)

    def confirm_restore(self) -> None:
        if self._preview is None or not self._preview.ok:
            return
        question = (
            f"Replace the data in {self._database.path.name} with this backup?\n\n"  # type: ignore[union-attr]
            + "\n".join(self._preview.summary_lines())
            + "\n\nA copy of the current file is kept first. Anyone else using the file "
            "should close the app before you restore."
        )
        if common.confirm(self, "Restore from a backup", question, "&Restore"):
            self.restore()

    def restore(self) -> None:
        if self._chosen is None:
            return
        self._run(Job(_restore, self._database, self._chosen), "Restoring…", self._restored)

    def _restored(self, result: backups.RestoreResult) -> None:
        self.message.setText(" ".join(result.lines()))  # includes the erasure register's work
        self.reload()
        data_events().changed.emit("*", 0)
        self.restored.emit(result)

    def _run(self, job: Job, status: str, on_done) -> None:
        if self._job is not None and self._job.is_running:
            self._job.cancel()
        self._job = job
        job.finished.connect(on_done)
        job.failed.connect(lambda message, _e: self.message.setText(message))
        self.progress.follow(job, status, determinate=False)
        job.start()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_F5:
            self.reload()
            return
        super().keyPressEvent(event)
