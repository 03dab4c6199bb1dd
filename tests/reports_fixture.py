"""A small, hand-counted data set for the report and dashboard tests.

The expected figures for 2020 Q4 (1 October to 31 December 2020) are written
out in ``EXPECTED`` and were counted by hand from the rows below, so a test
compares the query layer with arithmetic a reader can check.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from db.models import (
    Action,
    Borough,
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    Meeting,
    Network,
    Objective,
    Organisation,
    OrganisationBorough,
    Recommendation,
    StakeholderAssessment,
)
from db.session import Database

LONDON = ZoneInfo("Europe/London")
TODAY = date(2021, 6, 1)

EXPECTED = {
    "engagements": 5,
    "people_reached": 138,
    "boroughs_covered": 3,
    "organisations_engaged": 3,
    "meetings_held": 2,
    "minutes_published": 1,
    "boroughs": {"HAC": (2, 10), "LAM": (2, 120), "CRO": (1, 5)},
    "objectives": {1: (1, 10), 3: (2, 10)},
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON).astimezone(UTC)


def build(database: Database) -> dict[str, int]:
    """Insert the data set; returns ids by short name."""
    ids: dict[str, int] = {}
    with database.session() as s:
        boroughs = {b.code: b.id for b in s.exec(select(Borough))}
        objectives = {o.number: o.id for o in s.exec(select(Objective))}
        orgs = {
            "A": Organisation(name="Hackney Youth Trust", sector="charity", is_priority=True),
            "B": Organisation(name="St Mary's Church", sector="faith"),
            "C": Organisation(name="Croydon PRU", sector="education"),
            "D": Organisation(name="Quiet Partners Ltd", sector="business"),
        }
        nets = {
            "N1": Network(
                name="Partnership Reference Group",
                kind="board",
                cadence_rrule="FREQ=MONTHLY;INTERVAL=3",
                minutes_publication_days=28,
            ),
            "N2": Network(name="Charities network", kind="network"),
        }
        s.add_all([*orgs.values(), *nets.values()])
        s.flush()
        ids.update({k: v.id for k, v in orgs.items()} | {k: v.id for k, v in nets.items()})
        for key, code in (("A", "HAC"), ("B", "LAM"), ("C", "CRO")):
            s.add(OrganisationBorough(organisation_id=orgs[key].id, borough_id=boroughs[code]))
        ids.update({f"borough_{code}": boroughs[code] for code in ("HAC", "LAM", "CRO", "BEX")})
        _engagements(s, orgs, nets, boroughs, objectives, ids)
        _assessments(s, orgs)
        _governance(s, nets, ids)
    return ids


# (name, day, kind, people, orgs, boroughs, networks, objectives, follow-up, done)
ENGAGEMENTS = [
    ("e1", date(2020, 10, 5), "visit", 10, "A", ["HAC"], ["N1"], [1, 3], None, False),
    ("e2", date(2020, 10, 20), "call", 0, "AB", ["HAC", "LAM"], [], [3], None, False),
    (
        "e3",
        date(2020, 11, 2),
        "event",
        120,
        "B",
        ["LAM"],
        ["N1", "N2"],
        [],
        date(2020, 11, 20),
        False,
    ),
    ("e4", date(2020, 12, 31), "visit", 5, "C", ["CRO"], [], [], date(2021, 1, 10), False),
    ("e5", date(2020, 9, 30), "visit", 50, "D", ["HAC"], [], [], None, False),
    ("e6", date(2021, 1, 1), "call", 7, "A", ["HAC"], [], [], None, False),
    ("e7", date(2020, 7, 15), "visit", 1, "D", ["BRO"], [], [], None, False),
    ("e8", date(2020, 11, 10), "online_meeting", 3, "", [], [], [], date(2020, 11, 15), True),
]


def _engagements(s, orgs, nets, boroughs, objectives, ids) -> None:
    for (
        name,
        day,
        kind,
        people,
        org_keys,
        b_codes,
        n_keys,
        obj_numbers,
        follow,
        done,
    ) in ENGAGEMENTS:
        e = Engagement(
            occurred_on=day,
            kind=kind,
            people_reached=people,
            summary=f"Engagement {name}",
            follow_up_on=follow,
            follow_up_done=done,
            is_synthetic=True,
        )
        s.add(e)
        s.flush()
        ids[name] = e.id
        s.add_all(
            [
                EngagementOrganisation(engagement_id=e.id, organisation_id=orgs[k].id)
                for k in org_keys
            ]
        )
        s.add_all([EngagementBorough(engagement_id=e.id, borough_id=boroughs[c]) for c in b_codes])
        s.add_all([EngagementNetwork(engagement_id=e.id, network_id=nets[k].id) for k in n_keys])
        s.add_all(
            [
                EngagementObjective(engagement_id=e.id, objective_id=objectives[n])
                for n in obj_numbers
            ]
        )


def _assessments(s, orgs) -> None:
    rows = [
        ("A", date(2020, 3, 1), 2, 3), ("A", date(2020, 11, 1), 4, 5),
        ("A", date(2021, 2, 1), 5, 5), ("B", date(2020, 12, 1), 3, 2),
    ]  # fmt: skip
    for key, day, influence, interest in rows:
        s.add(StakeholderAssessment(
            organisation_id=orgs[key].id, assessed_on=day, influence=influence, interest=interest, support=3,
        ))  # fmt: skip


def _meeting(s, net, title, day, status="held", minutes="none", published=None) -> Meeting:
    m = Meeting(
        network_id=net.id,
        title=title,
        starts_at=_at(day),
        ends_at=_at(day, 12),
        status=status,
        minutes_status=minutes,
        minutes_published_on=published,
    )
    s.add(m)
    s.flush()
    return m


def _governance(s, nets, ids) -> None:
    n1, n2 = nets["N1"], nets["N2"]
    m1 = _meeting(
        s, n1, "PRG July", date(2020, 7, 15), minutes="published", published=date(2020, 8, 1)
    )
    m2 = _meeting(
        s, n1, "PRG October", date(2020, 10, 15), minutes="published", published=date(2020, 11, 20)
    )
    m3 = _meeting(s, n1, "PRG December", date(2020, 12, 10))
    _meeting(s, n2, "Charities network November", date(2020, 11, 5), status="cancelled")
    m5 = _meeting(s, n1, "PRG February", date(2021, 2, 1))
    ids.update(m1=m1.id, m2=m2.id, m3=m3.id)
    s.add_all([
        Action(meeting_id=m2.id, text="Share the needs assessment", due_date=date(2020, 11, 30)),
        Action(meeting_id=m2.id, text="Write to schools", due_date=date(2021, 1, 31), status="in_progress"),
        Action(meeting_id=m1.id, text="Done long ago", due_date=date(2020, 9, 1), status="done",
               closed_on=date(2020, 9, 1)),
        Action(meeting_id=m2.id, text="Closed in January", due_date=date(2020, 12, 1), status="done",
               closed_on=date(2021, 1, 5)),
        Action(meeting_id=m5.id, text="Raised after the quarter", due_date=date(2020, 12, 1)),
    ])  # fmt: skip
    letter = date(2020, 4, 7)
    committee = "Police and Crime Committee"
    s.add_all([
        Recommendation(sender=committee, letter_date=letter, number=1, text="Publish KPIs", due_date=date(2020, 5, 31)),
        Recommendation(sender=committee, letter_date=letter, number=2, text="Report by December",
                       due_date=date(2020, 12, 31)),
        Recommendation(sender=committee, letter_date=letter, number=3, text="Answered", status="accepted",
                       response_date=date(2020, 6, 1)),
        Recommendation(sender=committee, letter_date=date(2021, 3, 1), number=1, text="A later letter"),
        Recommendation(sender=committee, letter_date=letter, number=4, text="Answered in February",
                       status="responded", response_date=date(2021, 2, 1), due_date=date(2020, 10, 31)),
    ])  # fmt: skip
