"""Subject access requests: log one, see what is due (overdue first), mark answered, export.

Opened from a person (``person_id``) it logs requests for them; opened from the
menu it lists every request and a person is chosen by typing their name. The
export (HTML to read, JSON for machines) runs in a worker thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.date_field import DateField
from ui.dialogs.widgets.picker import MultiPicker
from ui.dialogs.widgets.progress_panel import ProgressPanel
from ui.models.loader import Loader
from ui.models.rows_model import TableRow, read_only_table, selected_id
from ui.protection.common import Notice, set_error_colour
from ui.style import format_date
from ui.team.rights import guard
from ui.workers import Job, describe_error
from vru_crm.london import today_in_london
from vru_crm.protection import subject_access as sar
from vru_crm.reliability.readonly import is_read_only

COLUMNS = ["Person", "Received", "Due", "Status", "Requested by"]
OVERDUE = QColor("#b3261e")


def _export(_context, database: Database, person_id: int, folder: Path) -> sar.SarExport:
    return sar.export_person(database, person_id, folder)


class SubjectAccessDialog(QDialog):
    def __init__(
        self, database: Database, person_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Subject access requests")
        self.resize(820, 560)
        self._database = database
        self._person_id = person_id
        self._requests: list[sar.RequestView] = []
        self._job: Job | None = None
        self.overdue = Notice(kind="warning", parent=self)
        self.only_open = QCheckBox("Only those not yet answered", self)
        self.only_open.setChecked(True)
        self.only_open.toggled.connect(self.reload)
        self.table = read_only_table(COLUMNS, self)
        self.table.model().loaded.connect(self._shown)
        self.table.model().failed.connect(lambda message, _error: self._say(message, True))
        self.table.setAccessibleName("Subject access requests")
        self.answered_button = QPushButton("Mark &answered", self)
        self.answered_button.clicked.connect(self.mark_answered)
        self.export_button = QPushButton("&Export everything held…", self)
        self.export_button.clicked.connect(self.choose_export)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.progress = ProgressPanel(self)
        row = QHBoxLayout()
        row.addWidget(self.only_open)
        row.addStretch(1)
        row.addWidget(self.answered_button)
        row.addWidget(self.export_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.overdue)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self._log_box())
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(close)
        if is_read_only(database):
            for button in (self.answered_button, self.log_button):
                button.setEnabled(False)
        buttons = (self.answered_button, self.export_button, self.log_button)
        guard(database, [(b, "subject_access") for b in buttons])
        self.reload()

    def _log_box(self) -> QGroupBox:
        box = QGroupBox("Log a new request", self)
        self.person = MultiPicker(
            box,
            accessible_name="Person the request is about",
            placeholder="Type the person's name…",
        )
        self.person.set_search(self._suggest)
        if self._person_id is not None:  # the person on screen, named on the thread pool
            from vru_crm.services.pickers import names

            self._naming = Loader(self)
            self._naming.loaded.connect(self._name_arrived)
            self._naming.failed.connect(lambda message, _error: self._say(message, error=True))
            self._naming.load(names, self._database, "person", [self._person_id])
        self.received = DateField(box, default_today=True, accessible_name="Received on")
        self.requested_by = QLineEdit(box)
        self.requested_by.setAccessibleName("Requested by")
        self.requested_by.setPlaceholderText("only if someone asks on their behalf")
        self.log_button = QPushButton("&Log request", box)
        self.log_button.clicked.connect(self.log_request)
        form = QFormLayout(box)
        form.addRow("&Person:", self.person)
        form.addRow("&Received on:", self.received)
        form.addRow("Requested &by:", self.requested_by)
        form.addRow(self.log_button)
        return box

    def _name_arrived(self, chosen: list[tuple[int, str]]) -> None:
        """Fill in the person on screen, unless the user has already chosen someone."""
        if not self.person.selected():
            self.person.set_selected(chosen)

    def _suggest(self, text: str) -> list[tuple[int, str]]:
        from vru_crm.services.pickers import suggest

        return suggest(self._database, "person", text)

    # -- showing -------------------------------------------------------------------
    def reload(self) -> None:
        """Read the requests again on the thread pool; they show when they arrive."""
        self.table.model().load(
            _request_rows, self._database, self.only_open.isChecked(), self._person_id
        )

    def _shown(self, rows: list[TableRow]) -> None:
        self._requests = [row.id for row in rows]  # each row stands for its request
        today = today_in_london()
        late = sum(r.is_overdue(today) for r in self._requests)
        self.overdue.show_text(
            f"{late} request{'s are' if late != 1 else ' is'} overdue: the law allows one "
            "calendar month from receipt."
            if late
            else ""
        )

    def _selected(self) -> sar.RequestView | None:
        chosen = selected_id(self.table)  # each row stands for its request
        return chosen if isinstance(chosen, sar.RequestView) else None

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        if error:
            set_error_colour(self.message)
        else:
            self.message.setStyleSheet("")

    # -- changing ------------------------------------------------------------------
    def log_request(self) -> None:
        people = self.person.selected_ids()
        if len(people) != 1:
            self._say("Choose the one person the request is about.", True)
            return
        if self.received.problem():
            self._say(f"Received on: {self.received.problem()}", True)
            return
        try:
            request = sar.log_request(
                self._database,
                people[0],
                self.received.value(),
                requested_by=self.requested_by.text(),
            )
        except Exception as error:
            self._say(describe_error(error), True)
            return
        self.requested_by.clear()
        self.reload()
        self._say(f"Request logged: due {format_date(request.due_on)}.")

    def mark_answered(self) -> None:
        request = self._selected()
        if request is None:
            self._say("Choose a request first.", True)
            return
        try:
            sar.mark_answered(self._database, request.id, today_in_london(), request.version)
        except Exception as error:
            self._say(describe_error(error), True)
            return
        self.reload()
        self._say("Marked answered today.")

    def choose_export(self) -> None:
        request = self._selected()
        person_id = request.person_id if request else self._person_id
        if person_id is None:
            self._say("Choose a request about a person who is still on record.", True)
            return
        folder = QFileDialog.getExistingDirectory(self, "Folder for the subject access files")
        if folder:
            self.export(person_id, Path(folder))

    def export(self, person_id: int, folder: Path) -> None:
        if self._job is not None and self._job.is_running:
            return
        self._job = Job(_export, self._database, person_id, folder)
        self._job.finished.connect(self._exported)
        self._job.failed.connect(lambda message, _e: self._say(message, True))
        self._job.cancelled.connect(lambda: self._say("Export stopped."))
        self.progress.follow(self._job, "Writing the subject access files…", determinate=False)
        self._job.start()

    def _exported(self, files: sar.SarExport) -> None:
        self._say(
            f"Written {files.html.name} (to read) and {files.json.name} (for machines) "
            f"in {files.html.parent}. Check them for other people's details before sending."
        )


def _request_rows(database, open_only: bool, person_id: int | None) -> list[TableRow]:
    """Runs on the pool: the requests as table rows (each row's id is its request)."""
    today = today_in_london()
    return [
        TableRow(
            (
                r.person_name or "(erased)",
                f"{format_date(r.received_on)}",
                f"{format_date(r.due_on)}",
                r.status(today),
                r.requested_by,
            ),
            r,
            OVERDUE if r.is_overdue(today) else None,
        )
        for r in sar.list_requests(database, open_only=open_only, person_id=person_id)
    ]
