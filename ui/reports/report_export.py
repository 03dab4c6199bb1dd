"""The "Quarterly report..." button: choose a quarter and a file, write it in a worker thread.

The export (figures, chart images, HTML/PDF/CSV) runs on the thread pool with
a progress bar and a Cancel button; the page stays usable meanwhile.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QWidget,
)

from ui.elided_label import ElidedLabel
from ui.reports.renderers import install
from ui.workers import Job, JobContext
from vru_crm.reports.export import ExportResult, export_quarterly
from vru_crm.reports.period import Period

TITLE = "Quarterly report"
TITLE_BAR_EXTRA = 180  # the title bar's icon and its minimise/maximise/close buttons


def title_width(widget: QWidget, title: str) -> int:
    """A width at which ``title`` shows whole in a window manager's title bar.

    Title bars use a bold font, often larger than the application's, hence the margin.
    """
    font = QFont(widget.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.2)
    return QFontMetrics(font).horizontalAdvance(title) + TITLE_BAR_EXTRA


def _export(context: JobContext, database, quarter: str, path: Path, today: date) -> ExportResult:
    def progress(done: int, total: int) -> None:
        context.check_cancelled()
        context.progress(done, total)

    return export_quarterly(database, quarter, path, today=today, progress=progress)


class ReportExporter(QWidget):
    written = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(self, database, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install()
        self.database = database
        self.today = today
        self.job: Job | None = None
        self.button = QPushButton("Quarterly report...")
        self.button.clicked.connect(self._ask)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(140)
        self.progress.hide()
        self.cancel = QPushButton("Cancel")
        self.cancel.hide()
        self.cancel.clicked.connect(lambda: self.job and self.job.cancel())
        self.message = ElidedLabel("")  # "Wrote …" is cut, never widens the window
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.message, self.progress, self.cancel, self.button):
            layout.addWidget(widget)

    def quarter_dialog(self) -> tuple[QDialog, QComboBox]:
        """The dialog asking which quarter, wide enough for its whole title in the title bar.

        Its form alone is narrower than "Quarterly report" plus the title bar's
        icon and buttons, so window managers cut the title.
        """
        dialog = QDialog(self)
        dialog.setWindowTitle(TITLE)
        quarters = QComboBox()
        latest = Period.containing("quarter", self.today)
        for i in range(1, 41):
            p = latest.shift(-i + 1)
            quarters.addItem(p.label, p.code)
        quarters.setCurrentIndex(1)  # the last complete quarter
        form = QFormLayout(dialog)
        form.addRow("&Quarter", quarters)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        dialog.setMinimumWidth(title_width(dialog, TITLE))
        return dialog, quarters

    def _ask(self) -> None:
        dialog, quarters = self.quarter_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        code = quarters.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the quarterly report", f"vru-quarterly-report-{code}.pdf",
            "PDF (*.pdf);;Web page (*.html);;CSV (*.csv)",
        )  # fmt: skip
        if path:
            self.export(code, Path(path))

    def export(self, quarter: str, path: Path) -> Job:
        """Write the report for ``quarter`` to ``path`` in the background."""
        self.button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel.show()
        self.message.setText(f"Writing {path.name}...")
        job = Job(_export, self.database, quarter, path, self.today)
        job.progress.connect(self._progress)
        job.finished.connect(self._done)
        job.failed.connect(lambda message, _e: self._end(message, failed=True))
        job.cancelled.connect(lambda: self._end("Cancelled: no report written."))
        self.job = job
        job.start()
        return job

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _done(self, result: ExportResult) -> None:
        pages = f", {result.pages} pages" if result.pages else ""
        self._end(f"Wrote {result.path.name} ({result.format}{pages})")
        self.written.emit(result)

    def _end(self, message: str, failed: bool = False) -> None:
        self.button.setEnabled(True)
        self.progress.hide()
        self.cancel.hide()
        self.message.setText(message)
        if failed:
            self.failed.emit(message)
