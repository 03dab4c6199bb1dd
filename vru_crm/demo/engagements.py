"""A few hundred synthetic engagements with a realistic trail, marked ``is_synthetic``.

The trail is what makes the demo's screens worth looking at: more visits in the
priority boroughs, online meetings during the 2020-21 lockdowns, a handful of
partners who have gone quiet for months, follow-ups that are done, due or
overdue, and a few notes flagged for the next PRG. Same seed and same day give
the same log.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, SQLModel, col, select

from db.models import (
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    EngagementPerson,
    Organisation,
    Person,
    saved_id,
)
from vru_crm.demo import phrases
from vru_crm.demo.partners import MARK
from vru_crm.demo.refs import Refs

FIRST_DAY = date(2018, 11, 1)
LOCKDOWN = (date(2020, 3, 23), date(2021, 7, 19))
KIND_WEIGHTS = {  # visit, online meeting, call, event, email
    "normal": [40, 18, 15, 12, 15],
    "lockdown": [8, 57, 20, 2, 13],
}
KINDS = ["visit", "online_meeting", "call", "event", "email"]
COMMUNITY_SECTORS = {"grassroots", "faith", "education", "charity", "local_authority", "csp"}
QUIET_PARTNERS = 6


@dataclass
class Planned:
    """One engagement before it is written: the note and everything it links to."""

    occurred_on: date
    kind: str
    organisation_id: int
    logged_by_id: int | None
    summary: str
    outcome: str
    people_reached: int
    borough_ids: list[int]
    person_ids: list[int] = field(default_factory=list)
    network_ids: list[int] = field(default_factory=list)
    objective_numbers: list[int] = field(default_factory=list)
    follow_up_on: date | None = None
    follow_up_done: bool = False
    is_notable: bool = False


class Planner:
    """Draws engagements from one seeded random generator, so the log is reproducible."""

    def __init__(self, refs: Refs, people: dict[int, str], rng: random.Random, today: date):
        self.refs, self.rng, self.today = refs, rng, today
        self.names = {org_id: name for name, org_id in refs.organisations.items()}
        self.people = people
        self.orgs = [
            o
            for o in refs.organisations.values()
            if refs.organisation_sectors[o] in COMMUNITY_SECTORS
        ]
        self.weights = [self._weight(o) for o in self.orgs]
        synthetic = [o for o in self.orgs if self.names[o].endswith(MARK)]
        quiet = rng.sample(synthetic, min(QUIET_PARTNERS, len(synthetic)))
        self.quiet_since = {o: today - timedelta(days=rng.randint(120, 420)) for o in quiet}

    def _weight(self, org_id: int) -> float:
        boroughs = self.refs.organisation_boroughs.get(org_id, [])
        if not boroughs:
            return 0.6
        if any(b in self.refs.priority_boroughs for b in boroughs):
            return 3.0
        return 1.5

    def plan(self, count: int) -> list[Planned]:
        """``count`` engagements: one with each local group first, then by weight."""
        first = [o for o in self.orgs if self.refs.organisation_boroughs.get(o)][:count]
        rest = self.rng.choices(self.orgs, weights=self.weights, k=max(0, count - len(first)))
        planned = [self._one(org_id) for org_id in first + rest]
        planned.sort(key=lambda p: p.occurred_on)
        return planned

    def _date(self, org_id: int) -> date:
        last = self.quiet_since.get(org_id, self.today)
        while True:
            day = FIRST_DAY + timedelta(days=self.rng.randint(0, (last - FIRST_DAY).days))
            busy = 0.35 if day < date(2019, 3, 1) else 1.0  # the VRU started work in March 2019
            if self.rng.random() < busy:
                return day

    def _kind(self, day: date) -> str:
        period = "lockdown" if LOCKDOWN[0] <= day <= LOCKDOWN[1] else "normal"
        return self.rng.choices(KINDS, weights=KIND_WEIGHTS[period])[0]

    def _boroughs(self, org_id: int) -> list[int]:
        boroughs = self.refs.organisation_boroughs.get(org_id)
        if boroughs:
            return list(boroughs)
        pool = (
            sorted(self.refs.priority_boroughs)
            if self.rng.random() < 0.7
            else sorted(self.refs.boroughs.values())
        )
        return [self.rng.choice(pool)]

    def _one(self, org_id: int) -> Planned:
        rng = self.rng
        day = self._date(org_id)
        kind = self._kind(day)
        objective = rng.randint(1, 8)
        objectives = [objective] + ([rng.randint(1, 8)] if rng.random() < 0.25 else [])
        # Only made-up contacts: a synthetic note never puts words in a real person's mouth.
        contacts = [p for p in self.refs.contacts.get(org_id, []) if p in self.people]
        people = rng.sample(contacts, min(len(contacts), rng.choice([0, 1, 1, 1, 2])))
        topic = rng.choice(phrases.TOPICS[objective])
        boroughs = self._boroughs(org_id)
        planned = Planned(
            occurred_on=day,
            kind=kind,
            organisation_id=org_id,
            logged_by_id=self._logger(boroughs[0]),
            summary=self._summary(kind, org_id, people, topic),
            outcome=rng.choice(phrases.OUTCOMES),
            people_reached=self._reached(kind),
            borough_ids=boroughs,
            person_ids=people,
            objective_numbers=sorted(set(objectives)),
            network_ids=self._networks(org_id),
            is_notable=rng.random() < 0.06,
        )
        self._follow_up(planned)
        return planned

    def _logger(self, borough_id: int) -> int | None:
        staff = self.refs.staff
        if not staff:
            return None
        patch = staff[borough_id % len(staff)]  # each lead covers a patch of boroughs
        return patch if self.rng.random() < 0.8 else self.rng.choice(staff)

    def _networks(self, org_id: int) -> list[int]:
        own = self.refs.organisation_networks.get(org_id, [])
        if own and self.rng.random() < 0.5:
            return [self.rng.choice(own)]
        return []

    def _reached(self, kind: str) -> int:
        low, high = {
            "visit": (5, 40),
            "online_meeting": (2, 15),
            "call": (1, 1),
            "event": (20, 250),
            "email": (0, 0),
        }[kind]
        return self.rng.randint(low, high)

    def _follow_up(self, planned: Planned) -> None:
        """Some follow-ups done, some still to come, a few overdue."""
        if self.rng.random() > 0.45:
            return
        planned.follow_up_on = planned.occurred_on + timedelta(days=self.rng.randint(7, 42))
        age = (self.today - planned.follow_up_on).days
        if age > 30:
            planned.follow_up_done = self.rng.random() < 0.9
        elif age >= 0:
            planned.follow_up_done = self.rng.random() < 0.4

    def _summary(self, kind: str, org_id: int, people: list[int], topic: str) -> str:
        rng = self.rng
        org = self.names[org_id].removesuffix(MARK)
        who = self.people[people[0]].split()[0] if people else "the team"
        sector = self.refs.organisation_sectors[org_id]
        observation = f" {who.capitalize()} said {rng.choice(phrases.OBSERVATIONS)}."
        if kind == "visit":
            session = rng.choice(phrases.SESSIONS.get(sector, phrases.SESSIONS["other"]))
            return f"Visited {org}'s {session}; discussed {topic}.{observation}"
        if kind == "online_meeting":
            return f"Online catch-up with {who} at {org}; talked through {topic}.{observation}"
        if kind == "call":
            return f"Phone call with {who} ({org}) about {topic}."
        if kind == "event":
            return (
                f"Attended {org}'s {rng.choice(phrases.EVENTS)}; {topic} came up "
                f"again and again.{observation}"
            )
        return f"Emailed {who} at {org} with {rng.choice(phrases.SENT)}, following up on {topic}."


def write(session: Session, refs: Refs, planned: list[Planned]) -> None:
    rows = [
        Engagement(
            occurred_on=p.occurred_on,
            kind=p.kind,
            logged_by_id=p.logged_by_id,
            summary=p.summary,
            outcome=p.outcome,
            people_reached=p.people_reached,
            follow_up_on=p.follow_up_on,
            follow_up_done=p.follow_up_done,
            is_notable=p.is_notable,
            is_synthetic=True,
        )
        for p in planned
    ]
    session.add_all(rows)
    session.flush()
    for row, p in zip(rows, planned, strict=True):
        eid = saved_id(row)
        links: list[SQLModel] = [
            EngagementOrganisation(engagement_id=eid, organisation_id=p.organisation_id)
        ]
        links += [EngagementBorough(engagement_id=eid, borough_id=b) for b in p.borough_ids]
        links += [EngagementPerson(engagement_id=eid, person_id=x) for x in p.person_ids]
        links += [EngagementNetwork(engagement_id=eid, network_id=n) for n in p.network_ids]
        links += [
            EngagementObjective(engagement_id=eid, objective_id=refs.objectives[n])
            for n in p.objective_numbers
        ]
        session.add_all(links)
    refs.added["engagements"] += len(rows)


def has_demo_log(session: Session) -> bool:
    """Whether the demo's engagements are there: those with its made-up local groups.

    Not merely any synthetic engagement: ``vru-crm generate`` writes those too,
    and the demo must still load onto a generated database.
    """
    statement = (
        select(EngagementOrganisation.engagement_id)
        .join(Organisation, col(Organisation.id) == EngagementOrganisation.organisation_id)
        .where(col(Organisation.name).endswith(MARK))
        .limit(1)
    )
    return session.exec(statement).first() is not None


def load_engagements(
    session: Session, refs: Refs, rng: random.Random, today: date, count: int
) -> None:
    """Add ``count`` synthetic engagements, unless the demo's log is already there."""
    if has_demo_log(session):
        return
    people = {
        saved_id(p): p.full_name for p in session.exec(select(Person)) if p.full_name.endswith(MARK)
    }
    write(session, refs, Planner(refs, people, rng, today).plan(count))
