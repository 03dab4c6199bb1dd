"""Generated engagements: the large log, skewed and dated the way a real one is.

Who is visited follows the organisations' Zipf-like weights; when falls inside
each partner's active years (so quiet partners show up as quiet); the notes
reuse the demo's phrases. Rows are written in date order, in batches, so half
a million engagements never sit in memory at once.
"""

from collections.abc import Callable
from datetime import date, timedelta

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
from vru_crm.generate.writer import Writer

BATCH = 20_000
REACHED = {
    "visit": (5, 40),
    "online_meeting": (2, 15),
    "call": (1, 1),
    "event": (20, 250),
    "email": (0, 0),
}
LINKS = {
    "organisation": EngagementOrganisation,
    "borough": EngagementBorough,
    "person": EngagementPerson,
    "network": EngagementNetwork,
    "objective": EngagementObjective,
}


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
    first = writer.next_id(Engagement.__table__)
    for start in range(0, count, BATCH):
        rows: list[dict] = []
        links: dict[str, list[dict]] = {name: [] for name in LINKS}
        for offset, (day_number, index) in enumerate(draws[start : start + BATCH]):
            org = world.orgs[index] if index >= 0 else None
            row = _engagement(world, first + start + offset, day_number, org, links)
            rows.append(row)
        writer.insert(Engagement.__table__, rows)
        for name, model in LINKS.items():
            writer.insert(model.__table__, links[name])
        if progress:
            progress(min(count, start + BATCH))


def _engagement(
    world: World, engagement_id: int, day_number: int, org: Org | None, links: dict[str, list[dict]]
) -> dict:
    rng = world.rng
    day = world.start + timedelta(days=day_number)
    lockdown = LOCKDOWN[0] <= day <= LOCKDOWN[1]
    kind = rng.choices(KINDS, weights=KIND_WEIGHTS["lockdown" if lockdown else "normal"])[0]
    objective = rng.randrange(8)
    boroughs = org.boroughs if org and org.boroughs else [rng.choice(world.boroughs)]
    people = _people(world, org)
    _link(
        links,
        engagement_id,
        org,
        boroughs,
        people,
        _network(world, org, boroughs),
        objective,
        world,
    )
    follow_up, done = _follow_up(world, day)
    low, high = REACHED[kind]
    return {
        "id": engagement_id,
        "occurred_on": day,
        "kind": kind,
        "logged_by_id": _logger(world, boroughs[0]),
        "summary": _summary(world, kind, org, objective + 1),
        "outcome": rng.choice(phrases.OUTCOMES),
        "people_reached": rng.randint(low, high),
        "follow_up_on": follow_up,
        "follow_up_done": done,
        "is_notable": rng.random() < 0.03,
        "is_synthetic": True,
        "version": 1,
        "created_at": world.now,
        "updated_at": world.now,
    }


def _people(world: World, org: Org | None) -> list[int]:
    if org is None or not org.people:
        return []
    roll = world.rng.random()
    if roll < 0.3:
        return []
    return (
        [world.rng.choice(org.people)]
        if roll < 0.9 or len(org.people) < 2
        else world.rng.sample(org.people, 2)
    )


def _network(world: World, org: Org | None, boroughs: list[int]) -> int | None:
    if world.rng.random() > 0.25:
        return None
    if org and org.networks:
        return org.networks[0]
    return world.rng.choice(world.networks)[0] if world.networks else None


def _link(
    links: dict[str, list[dict]],
    engagement_id: int,
    org: Org | None,
    boroughs: list[int],
    people: list[int],
    network: int | None,
    objective: int,
    world: World,
) -> None:
    if org:
        links["organisation"].append({"engagement_id": engagement_id, "organisation_id": org.id})
    links["borough"] += [{"engagement_id": engagement_id, "borough_id": b} for b in boroughs]
    links["person"] += [{"engagement_id": engagement_id, "person_id": p} for p in people]
    if network:
        links["network"].append({"engagement_id": engagement_id, "network_id": network})
    objectives = {objective, world.rng.randrange(8)} if world.rng.random() < 0.3 else {objective}
    links["objective"] += [
        {"engagement_id": engagement_id, "objective_id": world.objectives[o]}
        for o in sorted(objectives)
    ]


def _logger(world: World, borough: int) -> int | None:
    if not world.staff:
        return None
    if world.rng.random() < 0.8:  # each lead covers a patch of boroughs
        return world.staff[borough % len(world.staff)]
    return world.rng.choice(world.staff)


def _follow_up(world: World, day: date) -> tuple[date | None, bool]:
    rng = world.rng
    if rng.random() > 0.4:
        return None, False
    due = day + timedelta(days=rng.randint(7, 42))
    age = (world.today - due).days
    return due, (age > 30 and rng.random() < 0.93) or (0 <= age <= 30 and rng.random() < 0.4)


def _summary(world: World, kind: str, org: Org | None, objective: int) -> str:
    rng = world.rng
    topic = rng.choice(phrases.TOPICS[objective])
    name = org.name if org else "residents"
    if kind == "visit":
        session = rng.choice(
            phrases.SESSIONS.get(org.sector if org else "other", phrases.SESSIONS["other"])
        )
        return (
            f"Visited {name}'s {session}; discussed {topic}. "
            f"They said {rng.choice(phrases.OBSERVATIONS)}."
        )
    if kind == "online_meeting":
        return f"Online catch-up with {name}; talked through {topic}."
    if kind == "call":
        return f"Phone call with {name} about {topic}."
    if kind == "event":
        return f"Attended {name}'s {rng.choice(phrases.EVENTS)}; {topic} came up again and again."
    return f"Emailed {name} with {rng.choice(phrases.SENT)}, following up on {topic}."
