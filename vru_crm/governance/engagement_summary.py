"""What the engagement log says since the last meeting, for the Director's update item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, select

from db.models import (
    Borough,
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    Network,
    Objective,
    table_of,
)

NOTABLE_SHOWN = 10


@dataclass
class EngagementSummary:
    start: date
    end: date
    count: int = 0
    people_reached: int = 0
    by_borough: list[tuple[str, int]] = field(default_factory=list)
    by_network: list[tuple[str, int]] = field(default_factory=list)
    by_objective: list[tuple[str, int]] = field(default_factory=list)
    notable: list[tuple[date, str]] = field(default_factory=list)

    def as_notes(self) -> str:
        """Plain lines for the agenda item (lines starting "- " become bullets)."""
        period = f"{self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"
        if self.count == 0:
            return f"No engagements logged from {period}."
        noun = "engagement" if self.count == 1 else "engagements"
        lines = [
            f"{self.count} {noun} logged from {period}, reaching {self.people_reached} people."
        ]
        for label, counts in (
            ("By borough", self.by_borough),
            ("By network", self.by_network),
            ("By objective", self.by_objective),
        ):
            if counts:
                lines.append(f"{label}: " + ", ".join(f"{name} {n}" for name, n in counts))
        if self.notable:
            lines.append("Notable engagements:")
            lines += [f"- {day:%d/%m/%Y}: {text}" for day, text in self.notable]
        return "\n".join(lines)


def _counts(
    session: Session,
    link: type[SQLModel],
    link_column: Mapped[int],
    named: type[SQLModel],
    name_column: Mapped[str],
    start: date,
    end: date,
) -> list[tuple[str, int]]:
    """Engagements in the period per name of a linked record (``link`` joins them to ``named``)."""
    query = (
        select(name_column, func.count(func.distinct(Engagement.id)))
        .select_from(Engagement)
        .join(link, table_of(link).c.engagement_id == Engagement.id)
        .join(named, link_column == table_of(named).c.id)
        .where(Engagement.occurred_on >= start, Engagement.occurred_on <= end)
        .group_by(name_column)
    )
    rows = [(str(name), int(n)) for name, n in session.exec(query).all()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def summarise_in(session: Session, start: date, end: date) -> EngagementSummary:
    """Counts by borough, network and objective, people reached, and the notable engagements."""
    in_period = (Engagement.occurred_on >= start, Engagement.occurred_on <= end)
    count, reached = session.exec(
        select(
            func.count(col(Engagement.id)),
            func.coalesce(func.sum(Engagement.people_reached), 0),
        ).where(*in_period)
    ).one()
    notable = session.exec(
        select(col(Engagement.occurred_on), col(Engagement.summary))
        .where(*in_period, Engagement.is_notable)
        .order_by(col(Engagement.occurred_on), col(Engagement.id))
        .limit(NOTABLE_SHOWN)
    ).all()
    objectives = _counts(
        session,
        EngagementObjective,
        col(EngagementObjective.objective_id),
        Objective,
        col(Objective.title),
        start,
        end,
    )
    return EngagementSummary(
        start=start,
        end=end,
        count=int(count),
        people_reached=int(reached),
        by_borough=_counts(
            session,
            EngagementBorough,
            col(EngagementBorough.borough_id),
            Borough,
            col(Borough.name),
            start,
            end,
        ),
        by_network=_counts(
            session,
            EngagementNetwork,
            col(EngagementNetwork.network_id),
            Network,
            col(Network.name),
            start,
            end,
        ),
        by_objective=objectives,
        notable=[(day, (text or "").strip() or "(no summary)") for day, text in notable],
    )
