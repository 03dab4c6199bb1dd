"""One engagement in full, with links to the partners, people and networks involved."""

from __future__ import annotations

from db.session import Database
from ui.style import format_date, warning_colour
from ui.views.detail_page import DetailPage
from ui.views.widgets import FactGrid, LinkedRow, RecordTable, Section
from vru_crm.london import today_in_london
from vru_crm.queries.engagement_detail import EngagementDetail, engagement_detail


class EngagementPage(DetailPage):
    kind = "engagement"
    noun = "engagement"
    editable = True
    deletable = True

    def build(self) -> None:
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        section = Section("Who and where", self.body)
        self.links = self.link(
            RecordTable(["Type", "Name"], "Organisations, people and networks involved")
        )
        self.links.fit_columns([1, 4])
        section.add(self.links)
        self.body_layout.addWidget(section)

    @staticmethod
    def fetch(database: Database, record_id: int) -> EngagementDetail:
        return engagement_detail(database, record_id)

    def label(self) -> str:
        d = self.detail
        return f"{d.kind_label.lower()} on {format_date(d.occurred_on)}" if d else "engagement"

    def populate(self, d: EngagementDetail) -> None:
        self.title.setText(f"{d.kind_label} on {format_date(d.occurred_on)}")
        self.subtitle.setText(
            ", ".join(o.label for o in d.organisations) or "No organisation recorded"
        )
        follow = "none"
        if d.follow_up_on:
            overdue = not d.follow_up_done and d.follow_up_on < today_in_london()
            follow = format_date(d.follow_up_on) + (
                " (done)" if d.follow_up_done else " (overdue)" if overdue else ""
            )
        self.facts.set_facts(
            [
                ("Summary", d.summary),
                ("Outcome", d.outcome),
                ("Follow-up", follow),
                ("People reached", f"{d.people_reached:,}"),
                ("Boroughs", ", ".join(d.boroughs)),
                ("Objectives", "\n".join(d.objectives)),
                ("Logged by", d.logged_by),
                ("For the PRG", "Flagged for the next PRG agenda" if d.is_notable else ""),
                ("Data", "Synthetic demo record" if d.is_synthetic else ""),
            ]
        )
        if d.follow_up_on and "overdue" in follow:
            self.facts.values["Follow-up"].setStyleSheet(f"color: {warning_colour().name()}")
        else:
            self.facts.values["Follow-up"].setStyleSheet("")
        rows = [LinkedRow(["Organisation", r.label], "organisation", r.id) for r in d.organisations]
        rows += [LinkedRow(["Person", r.label], "person", r.id) for r in d.people]
        rows += [LinkedRow(["Network", r.label], "network", r.id) for r in d.networks]
        self.links.set_rows(rows, "No one linked")
