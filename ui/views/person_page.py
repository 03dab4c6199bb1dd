"""A person's page: where they work, the networks they sit on, meetings attended, engagements.

A young person's page opens with the safeguarding notice, and every page says
why the VRU holds the person's data and how they may be contacted, so nobody
has to open a menu to learn that before picking up the phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from db.session import Database
from ui.protection.common import Notice
from ui.style import days_ago, format_date, format_datetime
from ui.team.status import contact_note
from ui.views.detail_page import DetailPage
from ui.views.organisation_page import period, role_words
from ui.views.widgets import FactGrid, LinkedRow, RecordTable, Section
from vru_crm.london import today_in_london
from vru_crm.protection import vocab
from vru_crm.protection.consent import ProtectionRecord, get_protection
from vru_crm.queries.person_detail import PersonDetail, person_detail

ATTENDANCE_WORDS = {"present": "Present", "apologies": "Apologies", "absent": "Absent"}


@dataclass(frozen=True)
class PersonPageData:
    """What the page shows, read together off the UI thread."""

    detail: PersonDetail
    protection: ProtectionRecord

    @property
    def version(self) -> int | None:
        return self.detail.version


def contact_words(record: ProtectionRecord) -> str:
    """ "Any channel", or the channels the person asked us not to use."""
    refused = [
        channel
        for channel, no in (
            ("e-mail", record.no_email),
            ("phone", record.no_phone),
            ("post", record.no_post),
        )
        if no
    ]
    return f"Not by {', '.join(refused)}" if refused else "Any channel"


def consent_words(record: ProtectionRecord, today: date) -> str:
    active = [c for c in record.consents if c.is_active(today)]
    if not record.consents:
        return "None recorded"
    purposes = sorted({vocab.label(vocab.PURPOSES, c.purpose) for c in active})
    return f"{len(active)} active ({', '.join(purposes)})" if active else "None active (withdrawn)"


class PersonPage(DetailPage):
    kind = "person"
    noun = "person"
    editable = True
    deletable = True

    def build(self) -> None:
        self.safeguarding = Notice(kind="safeguarding", parent=self.body)
        self.body_layout.addWidget(self.safeguarding)
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        self._protection_section()
        self.affiliations = self._table(
            "Organisations", ["Organisation", "Role", "From", "To"], [5, 4, 2, 2]
        )
        self.memberships = self._table(
            "Networks", ["Network", "Role", "Represents", "From", "To"], [5, 2, 4, 2, 2]
        )
        self.meetings = self._table(
            "Meetings attended", ["Date", "Meeting", "Network", "Attendance"], [3, 5, 4, 2]
        )
        self.add_recent_engagements(
            ["Date", "Kind", "Organisations", "Summary"], [2, 2, 4, 6], "Recent engagements"
        )

    def _protection_section(self) -> None:
        section = Section("Data protection", self.body)
        self.protection_warnings = Notice(kind="warning", parent=section)
        self.protection = FactGrid(section)
        self.consent_button = QPushButton("Consent and contact preferences…", section)
        self.consent_button.setAccessibleName("Open this person's consent and contact preferences")
        self.consent_button.clicked.connect(self._open_consent)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.consent_button)
        section.add(self.protection_warnings)
        section.add(self.protection)
        section.layout().addLayout(row)
        self.body_layout.addWidget(section)

    def _open_consent(self) -> None:
        from ui.feature_menus import show_panel

        if self.record_id is not None:
            show_panel(
                self.window(),
                "ui.protection.consent_panel.ConsentPanel",
                "Consent and contact preferences",
                person_id=self.record_id,
            )

    def _table(self, title: str, headers: list[str], widths: list[int]) -> RecordTable:
        section = Section(title, self.body)
        table = self.link(RecordTable(headers, title))
        table.fit_columns(widths)
        section.add(table)
        self.body_layout.addWidget(section)
        return table

    def team_needs(self) -> list[tuple[QWidget | None, str]]:
        """Edit and Delete, and the page's own buttons (consent is the data protection role's)."""
        return super().team_needs() + [(self.consent_button, "consent")]

    @staticmethod
    def fetch(database: Database, record_id: int) -> PersonPageData:
        return PersonPageData(
            person_detail(database, record_id), get_protection(database, record_id)
        )

    def populate(self, data: PersonPageData) -> None:
        d, record = data.detail, data.protection
        today = today_in_london()
        self.safeguarding.show_text(record.safeguarding_notice or "")
        self.protection_warnings.show_text("\n".join(record.warnings))
        basis = vocab.label(vocab.LAWFUL_BASES, record.lawful_basis)
        self.protection.set_facts(
            [
                (
                    "Lawful basis",
                    f"{basis}: {record.lawful_basis_note}" if record.lawful_basis_note else basis,
                ),
                ("Consent", consent_words(record, today)),
                ("Contact", contact_words(record)),
                ("Review by", format_date(record.review_on) if record.review_on else "not set"),
            ]
        )
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
                ("E-mail", d.email or contact_note(self.database)),
                ("Phone", d.phone or contact_note(self.database)),
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
        self.show_recent_engagements(
            [
                LinkedRow(
                    [format_date(e.occurred_on), e.kind_label, e.organisations, e.summary],
                    "engagement",
                    e.id,
                )
                for e in d.recent
            ],
            d.engagement_total,
        )
