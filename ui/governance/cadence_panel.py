"""Per network: last meeting held, next due, expected versus held, overdue, late minutes.

The report is read on the thread pool (``RowsModel.load``), and the calendar
export is a ``ui.workers.Job`` with a progress bar and Cancel: building a
calendar of every network reads every meeting, which must not freeze the window.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.progress_panel import ProgressPanel
from ui.events import data_events
from ui.governance.common import OVERDUE, WARNING, ErrorBanner, pydate, qdate, short_day
from ui.models.rows_model import RowsModel
from ui.workers import Job, JobContext
from vru_crm.governance.agenda_export import write_atomically
from vru_crm.governance.cadence import NetworkCadence, cadence_report
from vru_crm.governance.ics import CalendarExport, build_calendar
from vru_crm.governance.rule_words import describe_rule
from vru_crm.london import today_in_london

HEADERS = [
    "Network",
    "Cadence",
    "Last held",
    "Next due",
    "Expected / held (12 months)",
    "Status",
    "Minutes late",
]
REFRESH_ON = {"meeting", "network", "*"}
GEOMETRY_KEY = "windows/cadence/geometry"


def status_text(row: NetworkCadence) -> str:
    if row.rule_problem:
        return "Cadence rule unusable"
    if not row.rule:
        return "No cadence set"
    if row.overdue:
        return f"Overdue by {row.days_overdue} days"
    if row.next_scheduled:
        return f"Next scheduled {short_day(row.next_scheduled)}"
    return "On track"


def _cells(row: NetworkCadence) -> list[str]:
    expected = "—" if row.expected is None else str(row.expected)
    late = str(len(row.minutes_late)) if row.minutes_late else "none"
    if row.minutes_due_soon:
        late += f" ({len(row.minutes_due_soon)} due soon)"
    return [
        row.network,
        describe_rule(row.rule) if row.rule else "—",
        short_day(row.last_held),
        short_day(row.next_due),
        f"{expected} / {row.held}" + (f" ({row.cancelled} cancelled)" if row.cancelled else ""),
        status_text(row),
        late,
    ]


def _tone(row: NetworkCadence):
    if row.overdue or row.minutes_late:
        return OVERDUE
    return WARNING if row.minutes_due_soon or row.rule_problem else None


def _tip(row: NetworkCadence) -> str | None:
    lines = [
        f"Minutes of {short_day(m.held_on)}: {m.status}, {m.days} days late"
        for m in row.minutes_late
    ]
    lines += [
        f"Minutes of {short_day(m.held_on)}: due in {m.days} days" for m in row.minutes_due_soon
    ]
    if row.rule_problem:
        lines.append(row.rule_problem)
    if row.rule:
        lines.insert(0, f"Cadence: {describe_rule(row.rule)}")
        lines.append(f"Rule: {row.rule} (tolerance {row.tolerance_days} days)")
    return "\n".join(lines) or None


def _export(
    context: JobContext, database: Database, path: Path, network: str | None
) -> CalendarExport:
    """Runs on the pool: build the calendar, then write it whole (unless cancelled first)."""
    result = build_calendar(database, network=network, series=True)
    context.check_cancelled()
    write_atomically(path, result.data)
    return result


class CadencePanel(QWidget):
    """The cadence report as a table, judged as of a day with a tolerance the user sets."""

    exported = Signal(object)  # the CalendarExport, once the file is written

    def __init__(
        self, database: Database, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self._settings = settings
        self._restored = False
        self.as_of = QDateEdit(qdate(today_in_london()))
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("dd/MM/yyyy")
        self.tolerance = QSpinBox()
        self.tolerance.setRange(-1, 365)
        self.tolerance.setSpecialValueText("each network's own")
        self.tolerance.setSuffix(" days")
        self.tolerance.setValue(-1)
        self.tolerance.setToolTip("How far a meeting may fall from its expected date")
        self.summary = QLabel()
        self.export_button = QPushButton("&Export calendar…")
        self.export_button.setToolTip(
            "Meetings of the selected network (or of every network) as an .ics file, "
            "with the cadence as a recurring series"
        )
        self.banner = ErrorBanner()
        self.progress = ProgressPanel(self)
        self._job: Job | None = None
        self.model = RowsModel(HEADERS, _cells, _tone, _tip, self)
        self.model.loaded.connect(self._shown)
        self.model.failed.connect(lambda message, _error: self.banner.show_error(message))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrow column: "Organis…"
        # Every column in view: the short ones as wide as their words, the cadence (the one
        # long text) takes what is left and elides; its full words are in the tooltip.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HEADERS.index("Cadence"), QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._layout()
        self.as_of.dateChanged.connect(self.reload)
        self.tolerance.valueChanged.connect(self.reload)
        self.export_button.clicked.connect(self._choose_export)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        data_events().changed.connect(self._changed)
        self.reload()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        for caption, field in (("&As of", self.as_of), ("&Tolerance", self.tolerance)):
            label = QLabel(caption)
            label.setBuddy(field)
            bar.addWidget(label)
            bar.addWidget(field)
            bar.addSpacing(12)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)

    # -- the window remembers its size --------------------------------------------------
    def settings(self) -> QSettings:
        return self._settings if self._settings is not None else QSettings()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """The window it is in opens at the size the user last gave it, and keeps the new one."""
        super().showEvent(event)
        if not self._restored:
            self._restored = True
            saved = self.settings().value(GEOMETRY_KEY)
            if isinstance(saved, QByteArray | bytes) and saved:
                self.window().restoreGeometry(QByteArray(saved))
            self.window().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window() and event.type() in (QEvent.Type.Resize, QEvent.Type.Hide):
            self.settings().setValue(GEOMETRY_KEY, watched.saveGeometry())
        return super().eventFilter(watched, event)

    def _changed(self, kind: str, _id: int) -> None:
        if kind in REFRESH_ON:
            self.reload()

    def reload(self) -> None:
        """Read the report again on the thread pool (a failure is shown in words in the banner)."""
        tolerance = self.tolerance.value()
        self.model.load(
            partial(
                cadence_report,
                self.database,
                as_of=pydate(self.as_of.date()),
                tolerance_days=None if tolerance < 0 else tolerance,
            )
        )

    def _shown(self, rows: list[Any]) -> None:
        self.banner.clear_error()
        overdue = sum(r.overdue for r in rows)
        late = sum(len(r.minutes_late) for r in rows)
        soon = sum(len(r.minutes_due_soon) for r in rows)
        self.summary.setText(
            f"{overdue} network(s) overdue for a meeting · {late} set(s) of minutes late · "
            f"{soon} due for publication within a week"
        )

    def selected_network(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].network if index.isValid() else None

    def _choose_export(self) -> None:
        network = self.selected_network()
        name = f"{network or 'VRU meetings'}.ics"
        path, _ = QFileDialog.getSaveFileName(self, "Export a calendar", name, "iCalendar (*.ics)")
        if path:
            self.export_calendar_to(Path(path))

    def export_calendar_to(self, path: Path) -> Job:
        """Write the selected network's meetings (or everyone's) to ``path`` on the pool.

        The summary says what was written (``exported``); a failure is shown in the banner.
        """
        if self._job is not None and self._job.is_running:
            self._job.cancel()
        job = Job(_export, self.database, path, self.selected_network())
        job.finished.connect(lambda result: self._exported(path, result))
        job.failed.connect(lambda message, _error: self.banner.show_error(message))
        job.cancelled.connect(
            lambda: self.summary.setText("Export cancelled: nothing was written.")
        )
        job.done.connect(lambda: self.export_button.setEnabled(True))
        self._job = job
        self.export_button.setEnabled(False)
        self.progress.follow(job, f"Writing {path.name}…", determinate=False)
        job.start()
        return job

    def _exported(self, path: Path, result: CalendarExport) -> None:
        self.banner.clear_error()
        self.summary.setText(f"Wrote {result.events} meetings to {path}")
        self.exported.emit(result)
