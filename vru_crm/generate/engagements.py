"""Generated engagements: the large log, skewed and dated the way a real one is.

Who is visited follows the organisations' Zipf-like weights; when falls inside
each partner's active years (so quiet partners show up as quiet); the notes
reuse the demo's phrases. Rows are written in date order, in batches, so half
a million engagements never sit in memory at once.
"""

from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from db import search_index
from db.models import (
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    EngagementPerson,
)
from vru_crm.demo import phrases
from vru_crm.demo.engagements import KIND_WEIGHTS, KINDS, LOCKDOWN
from vru_crm.generate.world import Org, World
from vru_crm.generate.writer import Writer, indexes_built_after, table_of

BATCH = 20_000
REACHED = {
    "visit": (5, 40),
    "online_meeting": (2, 15),
    "call": (1, 1),
    "event": (20, 250),
    "email": (0, 0),
}
COLUMNS = ("id", "occurred_on", "kind", "logged_by_id", "summary", "outcome", "people_reached",
           "follow_up_on", "follow_up_done", "is_notable", "is_synthetic", "version",
           "created_at", "updated_at")  # fmt: skip
LINKS: dict[str, tuple[type[Any], str]] = {
    "organisation": (EngagementOrganisation, "organisation_id"),
    "borough": (EngagementBorough, "borough_id"),
    "person": (EngagementPerson, "person_id"),
    "network": (EngagementNetwork, "network_id"),
    "objective": (EngagementObjective, "objective_id"),
}
CUMULATIVE = {period: list(accumulate(weights)) for period, weights in KIND_WEIGHTS.items()}


def _draw(world: World, count: int) -> list[tuple[int, int]]:
    """(day number, organisation index) for every engagement, in date order."""
    rng, orgs = world.rng, world.orgs
    if not orgs:
        return sorted((rng.randint(0, world.span), -1) for _ in range(count))
    chosen = rng.choices(range(len(orgs)), cum_weights=world.org_weights, k=count)
    draws = []
    for index in chosen:
        org = orgs[index]
        draws.append(
            (org.first_day + int(rng.random() * (org.last_day - org.first_day + 1)), index)
        )
    draws.sort()
    return draws


def engagements(
    writer: Writer, world: World, count: int, progress: Callable[[int], None] | None = None
) -> None:
    draws = _draw(world, count)
    first = writer.next_id(table_of(Engagement))
    log = _Log(world, first)
    tables = [table_of(Engagement)] + [table_of(model) for model, _ in LINKS.values()]
    bulk = count > first
    rebuild = indexes_built_after if bulk else _as_they_are
    text_index = search_index.engagement_text_built_after if bulk else nullcontext
    with rebuild(writer.conn, tables), text_index(writer.conn):
        for start in range(0, count, BATCH):
            rows = [log.engagement(day, index) for day, index in draws[start : start + BATCH]]
            writer.insert(table_of(Engagement), rows, COLUMNS)
            for name, (model, column) in LINKS.items():
                writer.insert(table_of(model), log.links[name], ("engagement_id", column))
                log.links[name] = []
            if progress:
                progress(min(count, start + BATCH))


@contextmanager
def _as_they_are(_conn: Any, _tables: Any) -> Iterator[None]:
    """Adding a few rows to a big log: updating its indexes beats rebuilding them."""
    yield


class _Log:
    """Makes engagement rows (tuples in ``COLUMNS`` order) and collects their link rows.

    The hot loop of the generator: it draws with ``random()`` and indexing
    rather than ``choice``/``choices``, and looks dates up in a table, which
    halves its time at half a million rows.
    """

    def __init__(self, world: World, first_id: int) -> None:
        self.world, self.next_id = world, first_id
        self.random = world.rng.random
        self.days = [world.start + timedelta(days=n) for n in range(world.span + 60)]
        self.lockdown = [LOCKDOWN[0] <= day <= LOCKDOWN[1] for day in self.days]
        self.links: dict[str, list[tuple[int, int]]] = {name: [] for name in LINKS}

    def pick(self, items: Sequence[Any]) -> Any:
        return items[int(self.random() * len(items))]

    def engagement(self, day_number: int, index: int) -> tuple[Any, ...]:
        world, random = self.world, self.random
        org = world.orgs[index] if index >= 0 else None
        engagement_id, self.next_id = self.next_id, self.next_id + 1
        cumulative = CUMULATIVE["lockdown" if self.lockdown[day_number] else "normal"]
        kind = KINDS[bisect(cumulative, random() * cumulative[-1])]
        objective = int(random() * 8)
        boroughs = org.boroughs if org and org.boroughs else [self.pick(world.boroughs)]
        self._link(engagement_id, org, boroughs, objective)
        follow_up, done = self._follow_up(day_number)
        low, high = REACHED[kind]
        return (
            engagement_id, self.days[day_number], kind, self._logger(boroughs[0]),
            self._summary(kind, org, objective + 1), self.pick(phrases.OUTCOMES),
            low + int(random() * (high - low + 1)), follow_up, done, random() < 0.03,
            True, 1, world.now, world.now,
        )  # fmt: skip

    def _link(self, engagement_id: int, org: Org | None, boroughs: list[int], objective: int
              ) -> None:  # fmt: skip
        links, random, world = self.links, self.random, self.world
        if org:
            links["organisation"].append((engagement_id, org.id))
        links["borough"] += [(engagement_id, b) for b in boroughs]
        links["person"] += [(engagement_id, p) for p in self._people(org)]
        network = self._network(org)
        if network:
            links["network"].append((engagement_id, network))
        objectives = {objective, int(random() * 8)} if random() < 0.3 else {objective}
        links["objective"] += [(engagement_id, world.objectives[o]) for o in sorted(objectives)]

    def _people(self, org: Org | None) -> list[int]:
        if org is None or not org.people:
            return []
        roll = self.random()
        if roll < 0.3:
            return []
        if roll < 0.9 or len(org.people) < 2:
            return [self.pick(org.people)]
        return self.world.rng.sample(org.people, 2)

    def _network(self, org: Org | None) -> int | None:
        if self.random() > 0.25:
            return None
        if org and org.networks:
            return org.networks[0]
        return self.pick(self.world.networks)[0] if self.world.networks else None

    def _logger(self, borough: int) -> int | None:
        staff = self.world.staff
        if not staff:
            return None
        if self.random() < 0.8:  # each lead covers a patch of boroughs
            return staff[borough % len(staff)]
        return int(self.pick(staff))

    def _follow_up(self, day_number: int) -> tuple[date | None, bool]:
        """About 40% have one: done if long past, sometimes done if recent, else still due."""
        random = self.random
        if random() > 0.4:
            return None, False
        due = self.days[day_number] + timedelta(days=7 + int(random() * 36))
        age = (self.world.today - due).days
        return due, (age > 30 and random() < 0.93) or (0 <= age <= 30 and random() < 0.4)

    def _summary(self, kind: str, org: Org | None, objective: int) -> str:
        pick = self.pick
        topic = pick(phrases.TOPICS[objective])
        name = org.name if org else "residents"
        if kind == "visit":
            session = pick(phrases.SESSIONS.get(org.sector if org else "other",
                                                phrases.SESSIONS["other"]))  # fmt: skip
            return f"Visited {name}'s {session}; discussed {topic}. They said {pick(phrases.OBSERVATIONS)}."
        if kind == "online_meeting":
            return f"Online catch-up with {name}; talked through {topic}."
        if kind == "call":
            return f"Phone call with {name} about {topic}."
        if kind == "event":
            return f"Attended {name}'s {pick(phrases.EVENTS)}; {topic} came up again and again."
        return f"Emailed {name} with {pick(phrases.SENT)}, following up on {topic}."
