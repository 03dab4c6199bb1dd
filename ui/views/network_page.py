"""A network's page: members with roles and dates, its meetings, and its cadence in words."""

from __future__ import annotations

from db.session import Database
from ui.style import format_datetime
from ui.views.detail_page import DetailPage
from ui.views.organisation_page import period, role_words
from ui.views.widgets import FactGrid, LinkedRow, RecordTable, Section
from vru_crm.queries.meetings import MEETING_STATUS_LABELS, MINUTES_STATUS_LABELS
from vru_crm.queries.network_detail import NetworkDetail, network_detail


class NetworkPage(DetailPage):
    kind = "network"
    noun = "network"

    def build(self) -> None:
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        self.members_section = Section("Members", self.body)
        self.members = self.link(
            RecordTable(
                ["Name", "Type", "Role", "Represents", "From", "To"], "Members of this network"
            )
        )
        self.members.fit_columns([5, 2, 2, 4, 2, 2])
        self.members_section.add(self.members)
        self.body_layout.addWidget(self.members_section)
        self.meetings_section = Section("Meetings", self.body)
        self.meetings = self.link(
            RecordTable(
                ["Date", "Title", "Status", "Minutes", "Attendees"], "Meetings of this network"
            )
        )
        self.meetings.fit_columns([3, 6, 2, 2, 2])
        self.meetings_section.add(self.meetings)
        self.body_layout.addWidget(self.meetings_section)

    @staticmethod
    def fetch(database: Database, record_id: int) -> NetworkDetail:
        return network_detail(database, record_id)

    def populate(self, d: NetworkDetail) -> None:
        self.title.setText(d.name)
        self.subtitle.setText(
            f"{d.kind_label} · meets {d.cadence}"
            if d.cadence_rule
            else f"{d.kind_label} · no set cadence"
        )
        cadence = d.cadence
        published = (
            f"within {d.minutes_publication_days} days"
            if d.minutes_publication_days is not None
            else ""
        )
        self.facts.set_facts(
            [
                ("Cadence", cadence),
                ("Current members", f"{d.current_members} (of {len(d.members)} ever)"),
                ("Quorum", str(d.quorum) if d.quorum is not None else ""),
                ("Minutes published", published),
                ("Engagements linked", f"{d.engagement_total:,}"),
                ("Description", d.description),
            ]
        )
        self.members.set_rows(
            [
                LinkedRow(
                    [
                        m.name,
                        "Person" if m.kind == "person" else "Organisation",
                        role_words(m.role),
                        m.represents,
                        *period(m.start_date, m.end_date),
                    ],
                    m.kind,
                    m.member_id,
                    not m.current,
                )
                for m in d.members
            ],
            "No members recorded",
        )
        self.members_section.set_note(
            "Former members are shown faded." if any(not m.current for m in d.members) else ""
        )
        self.meetings.set_rows(
            [
                LinkedRow(
                    [
                        format_datetime(m.starts_at),
                        m.title,
                        MEETING_STATUS_LABELS.get(m.status, m.status),
                        MINUTES_STATUS_LABELS.get(m.minutes_status, m.minutes_status),
                        str(m.attendees),
                    ],
                    "meeting",
                    m.id,
                )
                for m in d.meetings
            ],
            "No meetings recorded",
        )
