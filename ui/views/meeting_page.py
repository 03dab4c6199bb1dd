"""A meeting's page: when and where, who came, the agenda and the actions agreed.

From here the meeting is run: Edit (Ctrl+E), Reschedule, Cancel, Record as
held, Raise an action, Build the agenda. Everything shown is read on the
worker pool (``fetch``); the buttons open the forms, which save through the
services and announce the change, and the page reloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from db.session import Database
from ui.style import format_date, format_datetime
from ui.views.detail_page import DetailPage
from ui.views.person_page import ATTENDANCE_WORDS
from ui.views.widgets import FactGrid, LinkedRow, RecordTable, Section
from vru_crm.queries.meeting_detail import MeetingDetail, meeting_detail


@dataclass(frozen=True)
class MeetingScreen:
    """What the page shows: the meeting's detail, its record (chair, cancel reason) and guests."""

    detail: MeetingDetail
    record: object  # vru_crm.governance.meetings.MeetingRecord
    guests: tuple[str, ...]

    @property
    def version(self) -> int:
        return self.detail.version

    @property
    def network(self):
        return self.detail.network


def link_html(url: str, text: str | None = None) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(text or url)}</a>'


class MeetingPage(DetailPage):
    kind = "meeting"
    noun = "meeting"
    editable = True
    deletable = True

    def build(self) -> None:
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        self.buttons = QHBoxLayout()
        self.reschedule_button = self._button(
            "&Reschedule…", "Move it to another date or time", self.reschedule
        )
        self.cancel_button = self._button(
            "Ca&ncel meeting…", "Cancel it, saying why", self.cancel_meeting
        )
        self.held_button = self._button(
            "Record as he&ld…", "Attendance, decisions and minutes", self.record_held
        )
        self.action_button = self._button(
            "Raise ac&tion…", "An action agreed at this meeting", self.raise_action
        )
        self.agenda_button = self._button(
            "&Build agenda…",
            "Draft, reorder and export the agenda (Ctrl+Shift+A)",
            self.build_agenda,
        )
        self.buttons.addStretch(1)
        self.body_layout.addLayout(self.buttons)
        self.network_button = QPushButton("", self.body)
        self.network_button.setFlat(True)
        self.network_button.setAccessibleName("Open the network")
        self.network_button.clicked.connect(self._open_network)
        self.body_layout.addWidget(self.network_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.agenda = self._table(
            "Agenda", ["No.", "Item", "Presenter", "Kind", "Minutes"], [1, 9, 4, 3, 2]
        )
        self.attendees = self._table("Attendance", ["Name", "Attendance"], [3, 1])
        self.actions = self._table("Actions", ["Action", "Owner", "Due", "Status"], [8, 4, 2, 2])

    def _button(self, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text, self.body)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def _table(self, title: str, headers: list[str], widths: list[int]) -> RecordTable:
        section = Section(title, self.body)
        table = self.link(RecordTable(headers, title))
        table.fit_columns(widths)
        section.add(table)
        self.body_layout.addWidget(section)
        return table

    def team_needs(self) -> list[tuple[QWidget | None, str]]:
        """Edit and Delete, and the page's own buttons (an action raised here is its own kind)."""
        changes = (self.reschedule_button, self.cancel_button, self.held_button)
        changes += (self.agenda_button,)
        return (
            super().team_needs()
            + [(b, "meeting") for b in changes]
            + [(self.action_button, "action")]
        )

    @staticmethod
    def fetch(database: Database, record_id: int) -> MeetingScreen:
        from vru_crm.governance.attendance import meeting_guests
        from vru_crm.governance.meetings import get_meeting

        detail = meeting_detail(database, record_id)
        return MeetingScreen(
            detail, get_meeting(database, record_id), tuple(meeting_guests(database, record_id))
        )

    def populate(self, screen: MeetingScreen) -> None:
        d, record = screen.detail, screen.record
        self.title.setText(d.title)
        self.subtitle.setText(
            " · ".join(
                x
                for x in (
                    format_datetime(d.starts_at),
                    d.network.label if d.network else "One-off event",
                    d.status_label,
                )
                if x
            )
        )
        minutes = (
            f"Published {format_date(d.minutes_published_on)}"
            if d.minutes_status == "published" and d.minutes_published_on
            else d.minutes_label
        )
        cancelled = d.status == "cancelled"
        self.facts.set_facts(
            [
                ("Starts", format_datetime(d.starts_at)),
                ("Ends", format_datetime(d.ends_at)),
                ("Where", d.location),
                ("Online", d.online_url),
                ("Chair", getattr(record, "chair", None) or ""),
                ("Status", d.status_label),
                (
                    "Cancelled because",
                    (getattr(record, "cancel_reason", None) or "no reason given")
                    if cancelled
                    else "",
                ),
                ("Minutes", minutes),
                ("Minutes online", d.minutes_url),
                ("Guests", ", ".join(screen.guests)),
                ("Notes", d.notes),
            ]
        )
        for fact in ("Online", "Minutes online"):
            label = self.facts.values.get(fact)
            if label is not None:  # a link people open, not text to copy by hand
                label.setText(link_html(label.text()))
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setOpenExternalLinks(True)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.network_button.setVisible(d.network is not None)
        if d.network:
            self.network_button.setText(f"Open {d.network.label} →")
        self.cancel_button.setEnabled(d.status == "planned")
        self.held_button.setText(
            "Attendance and m&inutes…" if d.status == "held" else "Record as he&ld…"
        )
        self.held_button.setEnabled(not cancelled)
        self.agenda.set_rows(
            [
                LinkedRow(
                    [
                        f"{number}.",
                        i.title,
                        i.presenter,
                        i.kind.replace("_", " "),
                        str(i.minutes_allotted or ""),
                    ]
                )
                # Numbered by place on the agenda, from 1 (positions are stored from 0).
                for number, i in enumerate(d.agenda, start=1)
            ],
            "No agenda yet: Build agenda drafts one from what is open",
        )
        self.attendees.set_rows(
            [
                LinkedRow(
                    [a.name, ATTENDANCE_WORDS.get(a.status, a.status)],
                    "person",
                    a.person_id,
                    a.status != "present",
                )
                for a in d.attendees
            ],
            "No attendance recorded",
        )
        self.actions.set_rows(
            [
                LinkedRow([a.text, a.owner, format_date(a.due_date), a.status.replace("_", " ")])
                for a in d.actions
            ],
            "No actions recorded",
        )

    # --- running the meeting -----------------------------------------------------------
    def _ready(self) -> bool:
        return self.record_id is not None and self.detail is not None

    def reschedule(self) -> None:
        if self._ready():
            from ui import launch

            launch.open_dialog(
                self, "meeting", self.database, meeting_id=self.record_id, reschedule=True
            )

    def cancel_meeting(self) -> None:
        if self._ready():
            from ui import launch

            launch.open_dialog(self, "cancel_meeting", self.database, self.record_id)

    def raise_action(self) -> None:
        if self._ready():
            from ui import launch

            launch.open_dialog(self, "action", self.database, meeting_id=self.record_id)

    def record_held(self) -> None:
        if self._ready():
            from ui.governance.meeting_record import MeetingRecordDialog

            self._open(MeetingRecordDialog(self.database, self.record_id, parent=self))  # type: ignore[arg-type]

    def build_agenda(self) -> None:
        if self._ready():
            from ui.governance.agenda_builder import AgendaBuilderDialog

            self._open(AgendaBuilderDialog(self.database, self.record_id, parent=self))  # type: ignore[arg-type]

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _open_network(self) -> None:
        if self.detail is not None and self.detail.network is not None:
            self.open_record.emit("network", self.detail.network.id)
