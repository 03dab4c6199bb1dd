"""Retention review: the policies, what they say is due, and applying it in one step.

Finding and applying run in a worker thread with progress and Cancel; a
cancelled apply is rolled back whole, so nothing is half-anonymised. After it
runs, the dialog shows the report of what changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.progress_panel import ProgressPanel
from ui.events import data_events
from ui.models.loader import Loader
from ui.models.rows_model import fill, read_only_table
from ui.protection import common
from ui.protection.common import Notice, set_error_colour
from ui.team.rights import guard
from ui.workers import Job, describe_error
from vru_crm.protection import retention, vocab
from vru_crm.reliability.readonly import is_read_only


def _find(_context, database: Database) -> retention.DueList:
    return retention.due(database)


def _apply(context, database: Database, reviewed: retention.DueList) -> retention.RetentionReport:
    return retention.apply(
        database, reviewed, progress=context.progress, should_stop=context.cancelled
    )


class RetentionReviewDialog(QDialog):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Retention review")
        self.resize(820, 620)
        self._database = database
        self._due: retention.DueList | None = None
        self._job: Job | None = None
        self.read_only = Notice(kind="warning", parent=self)
        self.policies = QTableWidget(0, 4, self)
        self.due_table = read_only_table(["Kind", "Record", "Why it is due"], self)
        self.due_table.setAccessibleName("Records due")
        self.summary = QLabel(self)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName("What was changed")
        self.report.setPlaceholderText("The report of what was changed appears here.")
        self.report.setMaximumHeight(110)
        self.progress = ProgressPanel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only)
        layout.addWidget(self._policy_box())
        layout.addWidget(self._due_box(), 1)
        layout.addWidget(self.report)
        layout.addWidget(self.progress)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._policy_rows: list[retention.PolicyView] = []
        self._policy_loader = Loader(self)
        self._policy_loader.loaded.connect(self._show_policies)
        self._policy_loader.failed.connect(lambda message, _error: self._policy_failed(message))
        self._policy_loader.busy_changed.connect(
            lambda busy: self.save_policies.setEnabled(not busy and not is_read_only(database))
        )
        self._load_policies()
        if is_read_only(database):
            self.read_only.show_text(getattr(database, "message", "Read-only."))
            for button in (self.save_policies, self.apply_button):
                button.setEnabled(False)
        buttons = (self.save_policies, self.find_button, self.apply_button)
        guard(database, [(b, "retention") for b in buttons])
        self.find()

    # -- policies -------------------------------------------------------------------
    def _policy_box(self) -> QGroupBox:
        box = QGroupBox("Policies", self)
        self.policies.setParent(box)
        self.policies.setHorizontalHeaderLabels(
            ["Kind of record", "Action", "Keep for (years)", "On"]
        )
        self.policies.verticalHeader().setVisible(False)
        self.policies.horizontalHeader().setStretchLastSection(True)
        self.policies.setMaximumHeight(160)
        self.save_policies = QPushButton("Save &policies", box)
        self.save_policies.clicked.connect(self._save_policies)
        self.policy_message = QLabel(box)
        row = QHBoxLayout()
        row.addWidget(self.policy_message, 1)
        row.addWidget(self.save_policies)
        layout = QVBoxLayout(box)
        layout.addWidget(self.policies)
        layout.addLayout(row)
        return box

    def _load_policies(self) -> None:
        """Read the policies on the thread pool; the editor is filled when they arrive."""
        self._policy_loader.load(retention.list_policies, self._database)

    def _policy_failed(self, message: str) -> None:
        self.policy_message.setText(message)
        set_error_colour(self.policy_message)

    def _show_policies(self, rows: list[retention.PolicyView]) -> None:
        self._policy_rows = rows
        # An editor (a spin box and a drop-down a row), not a list: its own cells.
        self.policies.setRowCount(len(self._policy_rows))
        for row, policy in enumerate(self._policy_rows):
            kind = QTableWidgetItem(vocab.label(vocab.RECORD_KINDS, policy.record_kind))
            kind.setToolTip(policy.description)
            self.policies.setItem(row, 0, kind)
            action = vocab.label(vocab.RETENTION_ACTIONS, policy.action)
            self.policies.setItem(row, 1, QTableWidgetItem(action))
            years = QSpinBox(self.policies)
            years.setRange(1, 100)
            years.setValue(policy.keep_years)
            years.setAccessibleName(f"Years to keep {policy.record_kind}")
            active = QCheckBox(self.policies)
            active.setChecked(policy.is_active)
            active.setAccessibleName(f"{policy.record_kind} policy on")
            self.policies.setCellWidget(row, 2, years)
            self.policies.setCellWidget(row, 3, active)
        self.policies.resizeColumnsToContents()

    def _save_policies(self) -> None:
        try:
            for row, policy in enumerate(self._policy_rows):
                years = self.policies.cellWidget(row, 2).value()  # type: ignore[union-attr]
                active = self.policies.cellWidget(row, 3).isChecked()  # type: ignore[union-attr]
                if (years, active) != (policy.keep_years, policy.is_active):
                    retention.update_policy(
                        self._database, policy.id, years, active, policy.version
                    )
        except Exception as error:
            self.policy_message.setText(describe_error(error))
            set_error_colour(self.policy_message)
            return
        self.policy_message.setStyleSheet("")
        self.policy_message.setText("Policies saved.")
        self._load_policies()
        self.find()

    # -- what is due ------------------------------------------------------------------
    def _due_box(self) -> QGroupBox:
        box = QGroupBox("Due now", self)
        self.find_button = QPushButton("&Find what is due", box)
        self.find_button.clicked.connect(self.find)
        self.apply_button = QPushButton("&Apply…", box)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.confirm_apply)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.find_button)
        row.addWidget(self.apply_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.due_table, 1)
        layout.addLayout(row)
        return box

    def find(self) -> None:
        self._start(Job(_find, self._database), "Finding what is due…", self._found, False)

    def _found(self, due: retention.DueList) -> None:
        self._due = due
        fill(
            self.due_table,
            [(vocab.label(vocab.RECORD_KINDS, i.kind), i.label, i.reason) for i in due.items],
        )
        self.summary.setText(f"{len(due.items)} records due." if due.items else "Nothing is due.")
        self.apply_button.setEnabled(bool(due.items) and not is_read_only(self._database))

    def confirm_apply(self) -> None:
        if not self._due or not self._due.items:
            return
        question = (
            f"Apply retention to the {len(self._due.items)} records listed? Engagements lose "
            "their summaries and named people; people are anonymised. This cannot be undone "
            "(the automatic backups still hold the old data until they rotate)."
        )
        if common.confirm(self, "Apply retention", question, "&Apply"):
            self.apply()

    def apply(self) -> None:
        if self._due is None:
            return
        job = Job(_apply, self._database, self._due)
        self._start(job, "Applying retention…", self._applied, True)
        job.done.connect(self.find)  # runs after the job has let go (whatever the outcome)

    def _applied(self, report: retention.RetentionReport) -> None:
        self.report.setPlainText("\n".join(report.lines()))
        data_events().changed.emit("*", 0)

    # -- running work ------------------------------------------------------------------
    def _start(self, job: Job, status: str, on_done, determinate: bool) -> None:
        if self._job is not None and self._job.is_running:
            return
        self._job = job
        job.finished.connect(on_done)
        job.failed.connect(lambda message, _e: self.report.setPlainText(message))
        job.cancelled.connect(
            lambda: self.report.setPlainText("Stopped before the end: nothing was changed.")
        )
        job.done.connect(lambda: self._busy(False))
        self._busy(True)
        self.progress.follow(job, status, determinate=determinate)
        job.start()

    def _busy(self, busy: bool) -> None:
        self.find_button.setEnabled(not busy)
        if busy:
            self.apply_button.setEnabled(False)
