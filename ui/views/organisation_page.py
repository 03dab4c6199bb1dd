"""An organisation's page: who works there, its networks, engagements over time, assessments."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from db.session import Database
from ui.style import days_ago, format_date
from ui.views.detail_page import DetailPage
from ui.views.month_bars import MonthBars
from ui.views.widgets import FactGrid, LinkedRow, RecordTable, Section
from vru_crm.london import today_in_london
from vru_crm.queries.organisation_detail import OrganisationDetail, organisation_detail

ROLE_WORDS = {
    "chair": "Chair",
    "deputy": "Deputy chair",
    "member": "Member",
    "observer": "Observer",
    "secretariat": "Secretariat",
    "adviser": "Adviser",
}


def role_words(role: str) -> str:
    return ROLE_WORDS.get(role, role.replace("_", " ").capitalize())


def _month_words(key: str) -> str:
    year, month = (int(x) for x in key.split("-"))
    return date(year, month, 1).strftime("%B %Y")


def period(start, end) -> tuple[str, str]:
    return format_date(start, "—"), format_date(end, "current")


class OrganisationPage(DetailPage):
    kind = "organisation"
    noun = "organisation"
    editable = True
    deletable = True

    assessment_requested = Signal(int)  # organisation id: record a new dated assessment

    def build(self) -> None:
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        self.timeline = Section("Engagements over time", self.body)
        self.bars = self.timeline.add(MonthBars(self.timeline))
        self.body_layout.addWidget(self.timeline)
        pair = QWidget(self.body)
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        self.people_section = Section("People", pair)
        self.people = self.link(
            RecordTable(["Name", "Role", "From", "To"], "People at this organisation")
        )
        self.people.fit_columns([4, 3, 2, 2])
        self.people_section.add(self.people)
        self.networks_section = Section("Networks", pair)
        self.networks = self.link(
            RecordTable(
                ["Network", "Role", "Via", "From", "To"], "Networks it or its people belong to"
            )
        )
        self.networks.fit_columns([4, 2, 3, 2, 2])
        self.networks_section.add(self.networks)
        row.addWidget(self.people_section, 1)
        row.addWidget(self.networks_section, 1)
        self.body_layout.addWidget(pair)
        self.add_recent_engagements(
            ["Date", "Kind", "Summary", "Logged by"],
            [2, 2, 7, 3],
            "Recent engagements with this organisation",
        )
        self.assessment_section = Section("Stakeholder assessments", self.body)
        self.assessments = RecordTable(
            ["Date", "Influence", "Interest", "Support", "By", "Notes"],
            "Stakeholder assessment history",
        )
        self.assessments.fit_columns([2, 2, 2, 2, 2, 5])
        self.assessment_section.add(self.assessments)
        self.assess_button = QPushButton("Add assessment…", self.assessment_section)
        self.assess_button.setToolTip("Record today's view of its influence, interest and support")
        self.assess_button.clicked.connect(
            lambda: self.record_id and self.assessment_requested.emit(self.record_id)
        )
        self.assessment_section.add(self.assess_button)
        self.assess_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.body_layout.addWidget(self.assessment_section)

    def team_needs(self) -> list[tuple[QWidget | None, str]]:
        """Edit and Delete, and the page's own buttons (an assessment changes the organisation)."""
        return super().team_needs() + [(self.assess_button, "organisation")]

    @staticmethod
    def fetch(database: Database, record_id: int) -> OrganisationDetail:
        return organisation_detail(database, record_id)

    def populate(self, d: OrganisationDetail) -> None:
        today = today_in_london()
        self.title.setText(d.name)
        where = ", ".join(d.boroughs) or "no borough recorded"
        self.subtitle.setText(
            " · ".join([d.sector_label, where] + (["Priority partner"] if d.is_priority else []))
        )
        last = (
            f"{format_date(d.last_contact)} ({days_ago(d.last_contact, today)})"
            if d.last_contact
            else "never"
        )
        self.facts.set_facts(
            [
                ("Last contact", last),
                ("Engagements", f"{d.engagement_total:,}"),
                ("E-mail", d.email),
                ("Phone", d.phone),
                ("Website", d.website),
                ("Tags", ", ".join(d.tags)),
                ("Notes", d.notes),
            ]
        )
        self.bars.set_counts({m.month: m.count for m in d.by_month}, today)
        first = f", the first in {_month_words(d.by_month[0].month)}" if d.by_month else ""
        self.timeline.set_note(f"{d.engagement_total:,} in all{first}" if d.by_month else "")
        self.people.set_rows(
            [
                LinkedRow(
                    [p.name, p.role, *period(p.start_date, p.end_date)],
                    "person",
                    p.person_id,
                    not p.current,
                )
                for p in d.people
            ],
            "No one recorded here yet",
        )
        self.networks.set_rows(
            [
                LinkedRow(
                    [
                        n.network,
                        role_words(n.role),
                        n.via or "directly",
                        *period(n.start_date, n.end_date),
                    ],
                    "network",
                    n.network_id,
                    not n.current,
                )
                for n in d.networks
            ],
            "Neither it nor its people are in a network",
        )
        self.show_recent_engagements(
            [
                LinkedRow(
                    [format_date(e.occurred_on), e.kind_label, e.summary, e.logged_by],
                    "engagement",
                    e.id,
                )
                for e in d.recent
            ],
            d.engagement_total,
        )
        self.assessments.set_rows(
            [
                LinkedRow(
                    [
                        format_date(a.assessed_on),
                        *(f"{v} / 5" for v in (a.influence, a.interest, a.support)),
                        a.assessed_by,
                        a.notes,
                    ]
                )
                for a in reversed(d.assessments)
            ],
            "Not assessed yet",
        )
