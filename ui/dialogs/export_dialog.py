"""Export organisations, people, engagements or meetings to a CSV file, off the UI thread.

The file is written under a temporary name and renamed at the end, so a
cancelled or failed export never leaves a half-written file where the user
expects a whole one.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QWidget

from ui.dialogs.widgets.file_job_dialog import FileJobDialog
from ui.workers import Cancelled

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


class ExportDialog(FileJobDialog):
    browse_filter = "CSV files (*.csv)"

    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(database, "Export to CSV", "&Export", parent)
        self.export_button = self.go_button
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("What to export")
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.currentIndexChanged.connect(self._suggest_name)
        self.form.addRow("&What", self.kind)
        self.form.labelForField(self.kind).setBuddy(self.kind)
        self.add_path_row("&Save as", "File to write", "Choose where to save")
        self.message.setAccessibleName("Export result")
        self.lay_out()
        self._suggest_name()
        self.resize(560, 200)

    def _suggest_name(self) -> None:
        folder = Path(self.path.text()).parent if self.path.text() else Path.home()
        self.path.setText(
            str(folder / f"vru-{self.kind.currentData()}-{date.today().isoformat()}.csv")
        )

    def chosen_path(self, chosen: str) -> str:
        return chosen if chosen.lower().endswith(".csv") else chosen + ".csv"

    def inputs(self) -> list[QWidget]:
        return [self.kind, *super().inputs()]

    def start(self) -> None:
        destination = self.destination()
        if not destination.name or not destination.parent.is_dir():
            self.message.setText(
                f"There is no folder {destination.parent}: choose where to save the file."
            )
            return
        self.run(
            _run_export,
            self.database,
            self.kind.currentData(),
            destination,
            status=f"Writing {destination.name}…",
            on_done=lambda count: self._done(count, destination),
            failed="Not exported.",
            cancelled="Cancelled: no file was written.",
        )

    def _done(self, count: int, destination: Path) -> str:
        self.written = destination
        return f"Exported {count:,} rows to {destination}."
