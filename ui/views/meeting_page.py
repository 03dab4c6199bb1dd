"""A meeting's page: when and where, who came, the agenda and the actions agreed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from db.session import Database
from ui.style import format_date, format_datetime
from ui.views.detail_page import DetailPage
from ui.views.person_page import ATTENDANCE_WORDS
from ui.views.widgets import FactGrid, LinkedRow, RecordTable, Section
from vru_crm.queries.meeting_detail import MeetingDetail, meeting_detail


class MeetingPage(DetailPage):
    kind = "meeting"
    noun = "meeting"

    def build(self) -> None:
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        self.network_button = QPushButton("", self.body)
        self.network_button.setFlat(True)
        self.network_button.setAccessibleName("Open the network")
        self.network_button.clicked.connect(self._open_network)
        self.body_layout.addWidget(self.network_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.agenda = self._table(
            "Agenda", ["#", "Item", "Presenter", "Kind", "Minutes"], [1, 9, 4, 3, 2]
        )
        self.attendees = self._table("Attendance", ["Name", "Attendance"], [3, 1])
        self.actions = self._table("Actions", ["Action", "Owner", "Due", "Status"], [8, 4, 2, 2])

    def _table(self, title: str, headers: list[str], widths: list[int]) -> RecordTable:
        section = Section(title, self.body)
        table = self.link(RecordTable(headers, title))
        table.fit_columns(widths)
        section.add(table)
        self.body_layout.addWidget(section)
        return table

    @staticmethod
    def fetch(database: Database, record_id: int) -> MeetingDetail:
        return meeting_detail(database, record_id)

    def populate(self, d: MeetingDetail) -> None:
        self.title.setText(d.title)
        self.subtitle.setText(
            " · ".join(
                x for x in (format_datetime(d.starts_at), d.network.label if d.network else "") if x
            )
        )
        minutes = d.minutes_label + (
            f", published {format_date(d.minutes_published_on)}" if d.minutes_published_on else ""
        )
        self.facts.set_facts(
            [
                ("Starts", format_datetime(d.starts_at)),
                ("Ends", format_datetime(d.ends_at)),
                ("Where", d.location),
                ("Online", d.online_url),
                ("Status", d.status_label),
                ("Minutes", minutes + (f" ({d.minutes_url})" if d.minutes_url else "")),
                ("Notes", d.notes),
            ]
        )
        self.network_button.setVisible(d.network is not None)
        if d.network:
            self.network_button.setText(f"Open {d.network.label} →")
        self.agenda.set_rows(
            [
                LinkedRow(
                    [
                        str(i.position),
                        i.title,
                        i.presenter,
                        i.kind.replace("_", " "),
                        str(i.minutes_allotted or ""),
                    ]
                )
                for i in d.agenda
            ],
            "No agenda recorded",
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

    def _open_network(self) -> None:
        if self.detail is not None and self.detail.network is not None:
            self.open_record.emit("network", self.detail.network.id)
