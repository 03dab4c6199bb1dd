"""Export organisations, people, engagements or meetings to a CSV file or an Excel workbook,
off the UI thread.

The file is written under a temporary name and renamed at the end, so a
cancelled or failed export never leaves a half-written file where the user
expects a whole one. An Excel workbook keeps phone numbers, dates and counts as
what they are when it is opened in a spreadsheet and saved again; a CSV does not.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QWidget

from ui.dialogs.widgets.file_job_dialog import FileJobDialog
from ui.workers import Cancelled
from vru_crm.london import today_in_london

KIND_LABELS = {
    "organisations": "Organisations",
    "people": "People",
    "engagements": "Engagements",
    "meetings": "Meetings (for calendars and reports)",
}
FORMAT_LABELS = {
    "xlsx": "Excel workbook (.xlsx): keeps phone numbers and dates as they are",
    "csv": "CSV (UTF-8)",
}
FILTERS = {"xlsx": "Excel workbooks (*.xlsx)", "csv": "CSV files (*.csv)"}


def _run_export(context, database, kind: str, fmt: str, destination: Path) -> int:
    """Runs on the pool: write to a temporary file, then move it into place unless cancelled."""
    if fmt == "xlsx":
        from vru_crm.io.export_xlsx import export_xlsx as export
    else:
        from vru_crm.io.export_csv import export_csv as export

    partial = destination.with_name(destination.name + ".part")
    try:
        count = export(database, kind, partial)
        if context.cancelled():
            raise Cancelled()
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return count


class ExportDialog(FileJobDialog):
    browse_filter = FILTERS["xlsx"]

    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(database, "Export", "&Export", parent)
        self.export_button = self.go_button
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("What to export")
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.format = QComboBox(self)
        self.format.setAccessibleName("File format")
        for code, label in FORMAT_LABELS.items():
            self.format.addItem(label, code)
        self.kind.currentIndexChanged.connect(self._suggest_name)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.form.addRow("&What", self.kind)
        self.form.labelForField(self.kind).setBuddy(self.kind)
        self.form.addRow("&Format", self.format)
        self.form.labelForField(self.format).setBuddy(self.format)
        self.add_path_row("&Save as", "File to write", "Choose where to save")
        self.message.setAccessibleName("Export result")
        self.lay_out()
        self._suggest_name()
        self.resize(600, 220)

    def suffix(self) -> str:
        return "." + self.format.currentData()

    def _format_changed(self) -> None:
        self.browse_filter = FILTERS[self.format.currentData()]
        text = self.path.text().strip()
        if (
            text
            and Path(text).suffix.lower() in (".csv", ".xlsx")
            and not text.endswith(self.suffix())
        ):
            self.path.setText(str(Path(text).with_suffix(self.suffix())))

    def _suggest_name(self) -> None:
        folder = Path(self.path.text()).parent if self.path.text() else Path.home()
        name = f"vru-{self.kind.currentData()}-{today_in_london().isoformat()}{self.suffix()}"
        self.path.setText(str(folder / name))

    def chosen_path(self, chosen: str) -> str:
        return chosen if chosen.lower().endswith(self.suffix()) else chosen + self.suffix()

    def inputs(self) -> list[QWidget]:
        return [self.kind, self.format, *super().inputs()]

    def start(self) -> None:
        destination = self.destination()
        if not destination.name or not destination.parent.is_dir():
            self.message.setText(
                f"There is no folder {destination.parent}: choose where to save the file."
            )
            return
        typed = destination.suffix.lower().lstrip(".")
        if typed in FORMAT_LABELS:  # a name ending .csv or .xlsx says the format
            self.format.setCurrentIndex(self.format.findData(typed))
        else:
            destination = destination.with_name(destination.name + self.suffix())
            self.path.setText(str(destination))
        fmt = self.format.currentData()
        self.run(
            _run_export,
            self.database,
            self.kind.currentData(),
            fmt,
            destination,
            status=f"Writing {destination.name}…",
            on_done=lambda count: self._done(count, destination),
            failed="Not exported.",
            cancelled="Cancelled: no file was written.",
        )

    def _done(self, count: int, destination: Path) -> str:
        self.written = destination
        return f"Exported {count:,} rows to {destination}."
