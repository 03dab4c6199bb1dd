"""Erasing a person (right to erasure): what will happen, a typed confirmation, then a report.

The erasure runs in a worker thread and in one transaction: it either happens
completely or not at all. The report holds counts only.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.progress_panel import ProgressPanel
from ui.events import data_events
from ui.protection.common import Notice, set_error_colour
from ui.team.rights import guard
from ui.workers import Job, describe_error
from vru_crm.protection.erasure import ErasureReport, erase_person, preview_erasure
from vru_crm.reliability.readonly import is_read_only

CONFIRM_WORD = "ERASE"


def _erase(_context, database: Database, person_id: int, mode: str) -> ErasureReport:
    return erase_person(database, person_id, mode)


class ErasePersonDialog(QDialog):
    def __init__(self, database: Database, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Erase a person")
        self._database = database
        self._person_id = person_id
        self._job: Job | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.young = Notice(kind="safeguarding", parent=self)
        self.delete = QRadioButton("&Erase completely (links become anonymous counts)", self)
        self.anonymise = QRadioButton("&Anonymise: keep an anonymous record with its links", self)
        self.delete.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.delete)
        group.addButton(self.anonymise)
        self.confirm = QLineEdit(self)
        self.confirm.setAccessibleName(f"Type {CONFIRM_WORD} to confirm")
        self.confirm.setPlaceholderText(f"Type {CONFIRM_WORD} to confirm")
        self.confirm.textChanged.connect(self._update_button)
        self.erase_button = QPushButton("Erase", self)
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.erase)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.progress = ProgressPanel(self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (
            self.young,
            self.summary,
            self.delete,
            self.anonymise,
            self.confirm,
            self.erase_button,
            self.message,
            self.progress,
            close,
        ):
            layout.addWidget(widget)
        guard(database, [(self.erase_button, "erasure")])
        self._load()

    def _load(self) -> None:
        try:
            preview = preview_erasure(self._database, self._person_id)
        except Exception as error:
            self._fail(describe_error(error))
            self.confirm.setEnabled(False)
            return
        self.summary.setText(
            f"Person {self._person_id} is linked to: {preview.links_text()}. "
            f"{preview.audit_entries} audit entries describe them; their name, e-mail and phone "
            "will be removed from those entries and from notes and summaries. "
            "Duplicates merged into them are erased too, and so are the automatic backups; "
            "a later restore erases them again. This cannot be undone."
        )
        self.young.show_text(
            "This is a young person. Check with the safeguarding lead before erasing a record "
            "that may be needed for a safeguarding concern."
            if preview.is_young_person
            else ""
        )
        if is_read_only(self._database):
            self._fail(getattr(self._database, "message", "The database is read-only."))
            self.confirm.setEnabled(False)

    def _update_button(self) -> None:
        self.erase_button.setEnabled(self.confirm.text().strip() == CONFIRM_WORD)

    def mode(self) -> str:
        return "anonymise" if self.anonymise.isChecked() else "delete"

    def erase(self) -> None:
        if self._job is not None and self._job.is_running:
            return
        self.erase_button.setEnabled(False)
        self._job = Job(_erase, self._database, self._person_id, self.mode())
        self._job.finished.connect(self._erased)
        self._job.failed.connect(lambda message, _e: self._fail(message))
        self.progress.follow(self._job, "Erasing…", determinate=False)
        self._job.start()

    def _erased(self, report: ErasureReport) -> None:
        self.message.setStyleSheet("")
        self.message.setText("\n".join(report.lines()))
        self.confirm.setEnabled(False)
        if report.mode == "delete":
            data_events().removed.emit("person", self._person_id)
        else:
            data_events().changed.emit("person", self._person_id)
        data_events().changed.emit("*", 0)

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        set_error_colour(self.message)
