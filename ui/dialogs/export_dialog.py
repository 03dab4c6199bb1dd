"""Export organisations, people, engagements or meetings to a CSV file, off the UI thread.

The file is written under a temporary name and renamed at the end, so a
cancelled or failed export never leaves a half-written file where the user
expects a whole one.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
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

KIND_LABELS = {
    "organisations": "Organisations",
    "people": "People",
    "engagements": "Engagements",
    "meetings": "Meetings (for calendars and reports)",
}


def _run_export(context, database, kind: str, destination: Path) -> int:
    """Runs on the pool: write to a temporary file, then move it into place unless cancelled."""
    from vru_crm.io.export_csv import export_csv

    partial = destination.with_name(destination.name + ".part")
    try:
        count = export_csv(database, kind, partial)
        if context.cancelled():
            raise Cancelled()
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return count


class ExportDialog(QDialog):
    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.job: Job | None = None
        self.written: Path | None = None
        self.setWindowTitle("Export to CSV")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("What to export")
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.currentIndexChanged.connect(self._suggest_name)
        self.path = QLineEdit(self)
        self.path.setAccessibleName("File to write")
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose where to save")
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&What", self.kind)
        form.addRow("&Save as", row)
        form.labelForField(self.kind).setBuddy(self.kind)
        form.labelForField(row).setBuddy(self.path)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Export result")
        self.progress = ProgressPanel(self)
        self.export_button = QPushButton("&Export", self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._suggest_name()
        self.resize(560, 200)

    def _suggest_name(self) -> None:
        folder = Path(self.path.text()).parent if self.path.text() else Path.home()
        self.path.setText(
            str(folder / f"vru-{self.kind.currentData()}-{date.today().isoformat()}.csv")
        )

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save as", self.path.text(), "CSV files (*.csv)"
        )
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".csv") else chosen + ".csv")

    def start(self) -> None:
        destination = Path(self.path.text().strip()).expanduser()
        if not destination.name or not destination.parent.is_dir():
            self.message.setText(
                f"There is no folder {destination.parent}: choose where to save the file."
            )
            return
        self.job = Job(_run_export, self.database, self.kind.currentData(), destination)
        self.job.finished.connect(lambda count: self._done(count, destination))
        self.job.failed.connect(lambda message, _e: self._ended(f"Not exported. {message}"))
        self.job.cancelled.connect(lambda: self._ended("Cancelled: no file was written."))
        self.progress.follow(self.job, f"Writing {destination.name}…", determinate=False)
        self._busy(True)
        self.job.start()

    def _done(self, count: int, destination: Path) -> None:
        self.written = destination
        self._ended(f"Exported {count:,} rows to {destination}.")

    def _ended(self, text: str) -> None:
        self.message.setText(text)
        self._busy(False)
        self.job = None

    def _busy(self, busy: bool) -> None:
        for widget in (self.kind, self.path, self.export_button):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.done.connect(super().reject)
            return
        super().reject()
