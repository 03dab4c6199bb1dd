"""A person's page: where they work, the networks they sit on, meetings attended, engagements."""

from __future__ import annotations

from db.session import Database
from ui.style import days_ago, format_date, format_datetime
from ui.views.detail_page import DetailPage
from ui.views.organisation_page import period, role_words
from ui.views.widgets import FactGrid, LinkedRow, RecordTable, Section
from vru_crm.london import today_in_london
from vru_crm.queries.person_detail import PersonDetail, person_detail

ATTENDANCE_WORDS = {"present": "Present", "apologies": "Apologies", "absent": "Absent"}


class PersonPage(DetailPage):
    kind = "person"
    noun = "person"
    editable = True
    deletable = True

    def build(self) -> None:
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        self.affiliations = self._table(
            "Organisations", ["Organisation", "Role", "From", "To"], [5, 4, 2, 2]
        )
        self.memberships = self._table(
            "Networks", ["Network", "Role", "Represents", "From", "To"], [5, 2, 4, 2, 2]
        )
        self.meetings = self._table(
            "Meetings attended", ["Date", "Meeting", "Network", "Attendance"], [3, 5, 4, 2]
        )
        self.recent_section = Section("Recent engagements", self.body)
        self.recent = self.link(
            RecordTable(["Date", "Kind", "Organisations", "Summary"], "Recent engagements")
        )
        self.recent.fit_columns([2, 2, 4, 6])
        self.recent_section.add(self.recent)
        self.body_layout.addWidget(self.recent_section)

    def _table(self, title: str, headers: list[str], widths: list[int]) -> RecordTable:
        section = Section(title, self.body)
        table = self.link(RecordTable(headers, title))
        table.fit_columns(widths)
        section.add(table)
        self.body_layout.addWidget(section)
        return table

    @staticmethod
    def fetch(database: Database, record_id: int) -> PersonDetail:
        return person_detail(database, record_id)

    def populate(self, d: PersonDetail) -> None:
        today = today_in_london()
        self.title.setText(d.full_name)
        current = [
            a.organisation
            for a in d.affiliations
            if a.current and a.organisation not in d.job_title
        ]
        self.subtitle.setText(
            " · ".join(x for x in (d.job_title, ", ".join(current)) if x) or "Person"
        )
        last = (
            f"{format_date(d.last_contact)} ({days_ago(d.last_contact, today)})"
            if d.last_contact
            else "never"
        )
        young = (
            f"Yes ({d.age_band})"
            if d.is_young_person and d.age_band
            else ("Yes" if d.is_young_person else "No")
        )
        self.facts.set_facts(
            [
                ("Last contact", last),
                ("Engagements", f"{d.engagement_total:,}"),
                ("E-mail", d.email),
                ("Phone", d.phone),
                ("Borough", d.borough),
                ("Young person", young),
                ("Notes", d.notes),
            ]
        )
        self.affiliations.set_rows(
            [
                LinkedRow(
                    [a.organisation, a.role, *period(a.start_date, a.end_date)],
                    "organisation",
                    a.organisation_id,
                    not a.current,
                )
                for a in d.affiliations
            ],
            "No organisation recorded",
        )
        self.memberships.set_rows(
            [
                LinkedRow(
                    [
                        m.network,
                        role_words(m.role),
                        m.represents,
                        *period(m.start_date, m.end_date),
                    ],
                    "network",
                    m.network_id,
                    not m.current,
                )
                for m in d.memberships
            ],
            "Not a member of any network",
        )
        self.meetings.set_rows(
            [
                LinkedRow(
                    [
                        format_datetime(m.starts_at),
                        m.title,
                        m.network,
                        ATTENDANCE_WORDS.get(m.status, m.status),
                    ],
                    "meeting",
                    m.meeting_id,
                )
                for m in d.meetings
            ],
            "No meetings recorded",
        )
        self.recent.set_rows(
            [
                LinkedRow(
                    [format_date(e.occurred_on), e.kind_label, e.organisations, e.summary],
                    "engagement",
                    e.id,
                )
                for e in d.recent
            ],
            "No engagements yet",
        )
        shown = len(d.recent)
        self.recent_section.set_note(
            f"The latest {shown} of {d.engagement_total:,}" if d.engagement_total > shown else ""
        )
