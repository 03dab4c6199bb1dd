"""Import organisations, people or engagements from a spreadsheet, with a report per row.

Two steps, so nothing is written before the user has seen what is wrong:
1. Check: every row is checked in a worker (progress bar, Cancel) and the
   problems are listed as a table of row, column and problem.
2. Import: all rows when all are valid, or "the N valid rows" when the user
   chooses to skip the bad ones (these go to a ``.rejected.csv`` beside the file).
The importer writes in one unit of work, so a cancel or a failure writes nothing.
"""

from __future__ import annotations

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
from ui.events import data_events
from ui.models.rows_model import fill, read_only_table
from ui.workers import Job

KIND_LABELS = {"organisations": "Organisations", "people": "People", "engagements": "Engagements"}
KIND_NOUNS = {"organisations": "organisation", "people": "person", "engagements": "engagement"}


def _run_import(context, database, kind: str, path: Path, *, dry_run: bool, skip_invalid: bool):
    """Runs on the pool: the importer, told how to report progress and when to stop."""
    from vru_crm.io.importer import import_file

    return import_file(
        database,
        kind,
        path,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=context.progress,
        cancelled=context.cancelled,
    )


class ImportDialog(QDialog):
    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.report = None
        self.job: Job | None = None
        self.setWindowTitle("Import from a spreadsheet")
        self._build()
        self._show_state("choose")
        self.resize(720, 480)

    def _build(self) -> None:
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("What to import")
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.path = QLineEdit(self)
        self.path.setAccessibleName("File to import")
        self.path.setPlaceholderText("A .csv or .xlsx file with a header row")
        self.path.textChanged.connect(self._reset)
        self.kind.currentIndexChanged.connect(self._reset)
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose the file")
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&What", self.kind)
        form.addRow("&File", file_row)
        form.labelForField(self.kind).setBuddy(self.kind)
        form.labelForField(file_row).setBuddy(self.path)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Import summary")
        self.problems = read_only_table(["Row", "Column", "Problem"], self)
        self.problems.setAccessibleName("Problems by row")
        self.problems.setTabKeyNavigation(False)
        self.progress = ProgressPanel(self)
        self.check_button = self._button("&Check the file", self.check)
        self.import_button = self._button("&Import", self.run_import)
        self.close_button = self._button("Close", self.reject)
        self.template_button = self._button("Save a &template…", self.save_template)
        self.template_button.setAutoDefault(False)
        self.template_button.setToolTip(
            "An empty file with the columns this import reads, to fill in and import"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        for button in (self.check_button, self.import_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "File to import", self.path.text(), "Spreadsheets (*.csv *.xlsx);;All files (*)"
        )
        if chosen:
            self.path.setText(chosen)

    def save_template(self) -> None:
        """A header-only file (CSV, or a workbook for .xlsx) with this kind's columns."""
        from vru_crm.io.importer import write_template

        kind = self.kind.currentData()
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Save a template",
            str(Path.home() / f"{kind}-template.csv"),
            "CSV file (*.csv);;Excel workbook (*.xlsx)",
        )
        if not chosen:
            return
        try:
            written = write_template(kind, Path(chosen))
        except OSError as error:
            self.summary.setText(f"The template was not saved: {error}")
            return
        self.summary.setText(
            f"Template saved to {written}. Fill in a row per {KIND_NOUNS[kind]}, then choose it "
            "here and press Check."
        )

    # -- the two steps -----------------------------------------------------------
    def check(self) -> None:
        """Step 1: check every row; nothing is written."""
        if not self.path.text().strip():
            self.summary.setText("Choose a file first (Browse…, or type its path).")
            self.path.setFocus()
            return
        self._start(dry_run=True, skip_invalid=False, status="Checking every row…")

    def run_import(self) -> None:
        """Step 2: write the rows (the valid ones only, when some have problems)."""
        if self.report is None:
            return
        skip = bool(self.report.problems)
        self._start(dry_run=False, skip_invalid=skip, status="Importing…")

    def _start(self, *, dry_run: bool, skip_invalid: bool, status: str) -> None:
        path = Path(self.path.text().strip()).expanduser()
        self.job = Job(
            _run_import,
            self.database,
            self.kind.currentData(),
            path,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
        )
        self.job.finished.connect(self._checked if dry_run else self._imported)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.progress.follow(self.job, status)
        self._show_state("busy")
        self.job.start()

    # -- outcomes (main thread) ------------------------------------------------------
    def _checked(self, report) -> None:
        self.report = report
        self._fill_problems(report)
        if report.cancelled:
            return self._cancelled()
        noun = KIND_LABELS[report.kind].lower()
        if not report.problems:
            self.summary.setText(
                f"{report.file_name}: all {report.total:,} rows are valid. Nothing is imported yet."
            )
            self.import_button.setText(f"&Import {report.total:,} {noun}")
        else:
            bad = report.rows_with_problems
            self.summary.setText(
                f"{report.file_name}: {report.total:,} rows, {report.valid:,} valid, "
                f"{bad:,} with problems (listed below). Nothing has been imported. "
                "Fix the file and check it again, or import only the valid rows. "
                "Row numbers are as in the spreadsheet (the header is row 1)."
                + "".join(f"\nNote: {note}." for note in report.notes)
            )
            self.import_button.setText(f"&Import the {report.valid:,} valid rows")
        self._show_state("checked" if report.valid else "choose")
        if report.valid:
            self.import_button.setFocus()

    def _imported(self, report) -> None:
        self.report = report
        if report.cancelled:
            return self._cancelled()
        undoable = self._push_undo(report)
        self.summary.setText(
            report.lines()[-1] + (" You can undo the import with Ctrl+Z." if undoable else "")
        )
        self._show_state("done")
        data_events().changed.emit("*", 0)

    def _push_undo(self, report) -> bool:
        """Put the import on the undo stack: undo deletes the records it added (by their ids),
        redo imports the same file again."""
        from ui import undo
        from vru_crm.io.importer import import_file
        from vru_crm.io.undo import delete_imported

        if not report.ids:
            return False
        database, kind = self.database, report.kind
        path = Path(self.path.text().strip()).expanduser()
        ids = list(report.ids)

        def take_back() -> None:
            delete_imported(database, kind, ids)
            data_events().changed.emit("*", 0)

        def again() -> None:
            redone = import_file(database, kind, path, skip_invalid=report.skip_invalid)
            ids[:] = redone.ids
            data_events().changed.emit("*", 0)

        noun = KIND_LABELS[kind].lower()
        undo.push_step(f"import of {len(ids):,} {noun} from {report.file_name}", take_back, again)
        return True

    def _failed(self, message: str, _error: object) -> None:
        self.summary.setText(f"Nothing was imported. {message}")
        self._show_state("choose")

    def _cancelled(self) -> None:
        self.summary.setText("Cancelled: nothing was imported.")
        self._show_state("choose")

    def _fill_problems(self, report) -> None:
        # The report was made by the import job on the pool: its rows are shown as they are.
        fill(self.problems, [(str(p.row), p.column, p.message) for p in report.problems])
        self.problems.resizeColumnToContents(0)
        self.problems.resizeColumnToContents(1)

    def _show_state(self, state: str) -> None:
        """Which buttons make sense: choose -> checked -> done; busy while the worker runs."""
        busy = state == "busy"
        self.kind.setEnabled(not busy)
        self.path.setEnabled(not busy)
        self.check_button.setVisible(state in ("choose", "checked"))
        self.check_button.setEnabled(not busy)
        self.import_button.setVisible(state == "checked")
        self.close_button.setText("Close" if state == "done" else "Cancel")
        self.check_button.setDefault(state == "choose")
        self.import_button.setDefault(state == "checked")
        if not busy:
            self.job = None

    def _reset(self, *_args) -> None:
        """A new file or kind: the old report no longer applies."""
        self.report = None
        fill(self.problems, [])
        self.summary.clear()
        self._show_state("choose")

    def reject(self) -> None:
        """Esc or Close while working: cancel the job first (nothing is half-imported)."""
        if self.job is not None:
            self.job.cancel()
            self.job.done.connect(super().reject)
            return
        super().reject()
