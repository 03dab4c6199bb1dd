"""What every part of the generator shares: the seeded generator, the dates and the ids.

Plain lists indexed by position, not ORM objects: half a million engagements
look up their organisation's boroughs and contacts here, and list indexing is
the cheapest lookup Python has.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, select

from db.models import Borough, Objective
from vru_crm.generate.writer import table_of

YEARS = 10


@dataclass
class Org:
    id: int
    name: str
    sector: str
    boroughs: list[int]
    first_day: int  # days after World.start when the VRU first met them
    last_day: int  # after this they went quiet
    people: list[int] = field(default_factory=list)
    networks: list[int] = field(default_factory=list)


@dataclass
class World:
    rng: random.Random
    seed: int
    today: date
    boroughs: list[int] = field(default_factory=list)
    borough_names: dict[int, str] = field(default_factory=dict)
    priority: set[int] = field(default_factory=set)
    objectives: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)
    orgs: list[Org] = field(default_factory=list)
    org_weights: list[float] = field(default_factory=list)  # cumulative, Zipf-like
    people_by_borough: dict[int, list[int]] = field(default_factory=dict)
    networks: list[tuple[int, str, int | None]] = field(default_factory=list)  # id, name, borough
    network_people: dict[int, list[int]] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    start: date = field(init=False)  # the first day of the ten years
    span: int = field(init=False)  # days from start to today

    def __post_init__(self) -> None:
        self.start = self.today - timedelta(days=365 * YEARS + YEARS // 4)
        self.span = (self.today - self.start).days

    def borough_weights(self) -> list[float]:
        """Priority boroughs see twice the activity; the City of London very little."""
        return [
            2.0
            if b in self.priority
            else (0.2 if self.borough_names[b] == "City of London" else 1.0)
            for b in self.boroughs
        ]


def read_reference(conn: Connection, world: World) -> None:
    for borough in conn.execute(select(table_of(Borough)).order_by(table_of(Borough).c.code)):
        world.boroughs.append(borough.id)
        world.borough_names[borough.id] = borough.name
        if borough.is_priority:
            world.priority.add(borough.id)
    world.objectives = list(
        conn.execute(
            select(table_of(Objective).c.id).order_by(table_of(Objective).c.number)
        ).scalars()
    )
