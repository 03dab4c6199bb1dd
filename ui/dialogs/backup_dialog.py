"""Back up the database to a file, off the UI thread.

``vru_crm.services.maintenance.backup`` takes a consistent copy (SQLite's
online backup, or pg_dump) that is safe while others write. It cannot be
interrupted half-way, so Cancel lets it finish and then removes the copy.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget

from ui.dialogs.widgets.file_job_dialog import FileJobDialog
from ui.workers import Cancelled


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


class BackupDialog(FileJobDialog):
    browse_title = "Save the backup as"

    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(database, "Back up the database", "&Back up now", parent)
        self.backup_button = self.go_button
        intro = QLabel(
            f"A consistent copy of {database.display_name}, safe to take while others work.", self
        )
        intro.setWordWrap(True)
        self.path.setText(str(default_destination(database)))
        self.add_path_row("&Save to", "Backup file", "Choose where to save the backup")
        self.message.setAccessibleName("Backup result")
        self.lay_out(intro)
        self.resize(600, 200)

    def start(self) -> None:
        destination = self.destination()
        if not destination.name:
            self.message.setText("Choose where to save the backup.")
            return
        self.run(
            _run_backup,
            self.database,
            destination,
            status=f"Copying to {destination.name}…",
            on_done=self._done,
            failed="No backup was made.",
            cancelled="Cancelled: no backup was kept.",
        )

    def _done(self, written: Path) -> str:
        self.written = written
        size = written.stat().st_size if written.exists() else 0
        return f"Backup done: {written} ({size / 1_048_576:.1f} MB)."
