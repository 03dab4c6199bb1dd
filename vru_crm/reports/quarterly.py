"""The quarterly engagement and governance report to the PRG, as plain data.

The report is the dashboard's figures for one calendar quarter, read from the
same query layer (``figures.dashboard``), plus the previous quarter's totals
for comparison. Renderers (HTML, CSV, PDF) only lay it out; none computes a
number of its own, so the files and the screen agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.session import Database
from vru_crm.london import today_in_london
from vru_crm.reports import figures as f
from vru_crm.reports.period import Period, PeriodFilter

TITLE = "Quarterly engagement and governance report"
ORGANISATION = "London Violence Reduction Unit"
AUDIENCE = "Partnership Reference Group"

# The charts a report carries, in order, with the words under each.
CHARTS: dict[str, str] = {
    "over_time": "Engagements per week, by kind",
    "boroughs": "Engagements per borough (tile map; priority boroughs outlined in black, no engagement hatched)",
    "objectives": "Engagements per objective",
    "stakeholders": "Stakeholder map: latest influence and interest, arrows from the previous assessment",
}


@dataclass(frozen=True)
class QuarterlyReport:
    quarter: Period
    generated_on: date
    figures: f.Dashboard
    previous: f.Totals
    synthetic: int  # engagements in the quarter that are generated demo data

    @property
    def totals(self) -> f.Totals:
        return self.figures.totals

    @property
    def is_empty(self) -> bool:
        return self.totals.engagements == 0

    @property
    def boroughs_reached(self) -> list[f.BoroughFigure]:
        """Boroughs with at least one engagement, most engaged first."""
        reached = [b for b in self.figures.boroughs if b.engagements]
        return sorted(reached, key=lambda b: (-b.engagements, b.name))

    @property
    def priority_not_reached(self) -> list[f.BoroughFigure]:
        return [b for b in self.figures.boroughs if b.is_priority and not b.engagements]

    @property
    def priority_reached(self) -> int:
        return sum(1 for b in self.figures.boroughs if b.is_priority and b.engagements)

    @property
    def priority_count(self) -> int:
        return sum(1 for b in self.figures.boroughs if b.is_priority)


def as_quarter(value: Period | str) -> Period:
    period = Period.parse(value) if isinstance(value, str) else value
    if period.unit != "quarter":
        raise ValueError(f"{period.code} is not a quarter: write it as 2020Q4")
    return period


def build_quarterly(
    database: Database, quarter: Period | str, *, today: date | None = None
) -> QuarterlyReport:
    """Every figure of the report for ``quarter`` (e.g. "2020Q4")."""
    period = as_quarter(quarter)
    today = today or today_in_london()
    current = PeriodFilter.single(period)
    figures = f.dashboard(database, current, split="kind", unit="week", today=today)
    before = PeriodFilter.single(period.previous())
    with database.engine.connect() as conn:
        previous = f.totals(conn, before)
        synthetic = f.synthetic_count(conn, current)
    return QuarterlyReport(period, today, figures, previous, synthetic)
