"""Shared builders for the governance tests: a network, its meetings, people and records.

Everything goes through the services where one exists, so the tests see what a
user of the app would.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from db.models import (
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    Membership,
    Network,
    Person,
)
from db.session import Database
from vru_crm.governance.meetings import create_meeting

LONDON = ZoneInfo("Europe/London")
QUARTERLY_LAST_TUESDAY = "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU"


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A London wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def make_network(
    database: Database,
    name: str = "Partnership Reference Group",
    rule: str | None = QUARTERLY_LAST_TUESDAY,
    window: int | None = 28,
    quorum: int | None = None,
    tolerance: int = 14,
) -> int:
    with database.session() as s:
        network = Network(
            name=name,
            kind="board",
            cadence_rrule=rule,
            minutes_publication_days=window,
            quorum=quorum,
            cadence_tolerance_days=tolerance,
        )
        s.add(network)
        s.flush()
        return network.id


def meeting(
    database: Database,
    network_id: int | None,
    start: datetime,
    status: str = "planned",
    hours: int = 2,
    title: str = "Partnership Reference Group",
    **values,
) -> int:
    return create_meeting(
        database,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        network_id=network_id,
        status=status,
        **values,
    ).id


def set_minutes(database: Database, meeting_id: int, status: str, **values) -> None:
    """Put minutes straight into a state (history set-up, not the workflow under test)."""
    from db.models import Meeting

    with database.session() as s:
        row = s.get(Meeting, meeting_id)
        row.minutes_status = status
        for key, value in values.items():
            setattr(row, key, value)


def person(
    database: Database,
    name: str,
    network_id: int | None = None,
    role: str = "member",
    email: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> int:
    with database.session() as s:
        row = Person(full_name=name, email=email)
        s.add(row)
        s.flush()
        if network_id is not None:
            s.add(
                Membership(
                    network_id=network_id,
                    person_id=row.id,
                    role=role,
                    start_date=start,
                    end_date=end,
                )
            )
        return row.id


def engagement(
    database: Database,
    day: date,
    boroughs=(),
    networks=(),
    objectives=(),
    notable: bool = False,
    summary: str = "Visit",
    reached: int = 10,
) -> int:
    """An engagement linked by names (boroughs, networks) and objective numbers."""
    from sqlmodel import select

    from db.models import Borough, Objective

    with database.session() as s:
        row = Engagement(
            occurred_on=day,
            kind="visit",
            summary=summary,
            is_notable=notable,
            people_reached=reached,
            is_synthetic=True,
        )
        s.add(row)
        s.flush()
        for name in boroughs:
            b = s.exec(select(Borough).where(Borough.name == name)).one()
            s.add(EngagementBorough(engagement_id=row.id, borough_id=b.id))
        for name in networks:
            n = s.exec(select(Network).where(Network.name == name)).one()
            s.add(EngagementNetwork(engagement_id=row.id, network_id=n.id))
        for number in objectives:
            o = s.exec(select(Objective).where(Objective.number == number)).one()
            s.add(EngagementObjective(engagement_id=row.id, objective_id=o.id))
        return row.id
