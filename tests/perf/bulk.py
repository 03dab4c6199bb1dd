"""Fill a database with a large synthetic partnership, fast, through SQLAlchemy Core.

For benchmarks of the read side (not a product feature: ``vru-crm generate``
is the product's generator). Counts are skewed the way real logs are: a few partners get
most of the engagements. Reproducible for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from db import models as m
from db.session import Database
from vru_crm.london import today_in_london

CHUNK = 5000
NOW = datetime(2024, 1, 1, tzinfo=UTC)
WORDS = [
    "youth",
    "community",
    "safety",
    "hackney",
    "lambeth",
    "croydon",
    "newham",
    "trust",
    "project",
    "club",
    "centre",
    "foundation",
    "network",
    "mentoring",
    "sports",
    "arts",
    "faith",
    "school",
    "academy",
    "parents",
    "carers",
    "health",
    "police",
    "council",
    "partnership",
    "voice",
    "future",
    "hope",
    "bridge",
    "unity",
    "harbour",
    "pathways",
    "street",
    "kitchen",
    "music",
    "boxing",
    "football",
]
FIRST = [
    "Amina",
    "Jake",
    "Priya",
    "Zoë",
    "Kwame",
    "Siobhan",
    "Tomás",
    "Ayesha",
    "Daniel",
    "Chloé",
    "Oluwaseun",
    "Marta",
    "Ravi",
    "Grace",
    "Ibrahim",
]
LAST = [
    "Yusuf",
    "Ferguson",
    "Nair",
    "Adebayo",
    "Mensah",
    "O'Brien",
    "García",
    "Khan",
    "Smith",
    "Dubois",
    "Adeyemi",
    "Nowak",
    "Patel",
    "Okafor",
    "Ali",
]
SECTORS = [
    "charity",
    "grassroots",
    "faith",
    "education",
    "health",
    "police",
    "local_authority",
    "academic",
]
KINDS = ["visit", "online_meeting", "call", "event", "email"]


@dataclass
class BulkSizes:
    organisations: int = 10_000
    people: int = 20_000
    engagements: int = 100_000
    meetings: int = 2_000
    networks: int = 40


def _stamp() -> dict[str, object]:
    return {"created_at": NOW, "updated_at": NOW, "version": 1}


def _chunks(rows: list[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(conn: sa.Connection, model: type, rows: list[dict]) -> None:
    table = model.__table__  # type: ignore[attr-defined]
    for chunk in _chunks(rows):
        conn.execute(sa.insert(table), chunk)


def fill(
    database: Database, sizes: BulkSizes | None = None, seed: int = 1, today: date | None = None
) -> BulkSizes:
    """Insert everything in one transaction; ids are assigned here so links need no lookups."""
    sizes = sizes or BulkSizes()
    rng = random.Random(seed)
    today = today or today_in_london()
    with database.engine.begin() as conn:
        boroughs = [r[0] for r in conn.execute(sa.text("SELECT id FROM borough"))]
        objectives = [r[0] for r in conn.execute(sa.text("SELECT id FROM objective"))]

        def base(table: str) -> int:
            return int(conn.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar())

        org0, person0, net0, meet0, eng0 = (
            base(t) for t in ("organisation", "person", "network", "meeting", "engagement")
        )
        staff0 = base("staff_user")
        _insert(
            conn,
            m.StaffUser,
            [
                {
                    "id": staff0 + i + 1,
                    "username": f"bulk{i}",
                    "display_name": f"Staff {i}",
                    "is_active": True,
                }
                for i in range(20)
            ],
        )
        org_ids = _organisations(conn, rng, org0, sizes.organisations, boroughs)
        person_ids = _people(conn, rng, person0, sizes.people, boroughs, org_ids)
        net_ids = _networks(conn, rng, net0, sizes.networks, org_ids, person_ids)
        _meetings(conn, rng, meet0, sizes.meetings, net_ids, person_ids, today)
        _engagements(
            conn,
            rng,
            eng0,
            sizes.engagements,
            org_ids,
            person_ids,
            net_ids,
            boroughs,
            objectives,
            staff0,
            today,
        )
    return sizes


def _organisations(conn, rng, start, count, boroughs) -> list[int]:
    ids = list(range(start + 1, start + count + 1))
    rows = [
        {
            **_stamp(),
            "id": i,
            "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}",
            "sector": rng.choice(SECTORS),
            "notes": "",
            "is_priority": rng.random() < 0.05,
            "email": f"info{i}@example.org",
        }
        for i in ids
    ]
    _insert(conn, m.Organisation, rows)
    _insert(
        conn,
        m.OrganisationBorough,
        [{"organisation_id": i, "borough_id": rng.choice(boroughs)} for i in ids],
    )
    return ids


def _people(conn, rng, start, count, boroughs, org_ids) -> list[int]:
    ids = list(range(start + 1, start + count + 1))
    rows = [
        {
            **_stamp(),
            "id": i,
            "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
            "job_title": rng.choice(WORDS).title(),
            "email": f"p{i}@example.org",
            "borough_id": rng.choice(boroughs),
            "is_young_person": rng.random() < 0.1,
            "notes": "",
        }
        for i in ids
    ]
    _insert(conn, m.Person, rows)
    _insert(
        conn,
        m.Affiliation,
        [{"person_id": i, "organisation_id": rng.choice(org_ids), "role": "Staff"} for i in ids],
    )
    return ids


def _networks(conn, rng, start, count, org_ids, person_ids) -> list[int]:
    ids = list(range(start + 1, start + count + 1))
    _insert(
        conn,
        m.Network,
        [
            {
                **_stamp(),
                "id": i,
                "name": f"Bulk network {i}",
                "kind": "network",
                "description": "",
                "cadence_rrule": "FREQ=MONTHLY;INTERVAL=3",
            }
            for i in ids
        ],
    )
    members = [
        {"network_id": n, "person_id": p, "organisation_id": None, "role": "member"}
        for n in ids
        for p in rng.sample(person_ids, 25)
    ]
    members += [
        {"network_id": n, "person_id": None, "organisation_id": o, "role": "member"}
        for n in ids
        for o in rng.sample(org_ids, 10)
    ]
    _insert(conn, m.Membership, members)
    return ids


def _meetings(conn, rng, start, count, net_ids, person_ids, today) -> None:
    rows, attendance = [], []
    for i in range(start + 1, start + count + 1):
        when = datetime.combine(
            today - timedelta(days=rng.randint(-120, 3650)), datetime.min.time(), UTC
        ) + timedelta(hours=10)
        rows.append(
            {
                **_stamp(),
                "id": i,
                "network_id": rng.choice(net_ids),
                "title": f"Meeting {i}",
                "starts_at": when,
                "ends_at": when + timedelta(hours=2),
                "status": "held" if when.date() < today else "planned",
                "minutes_status": "none",
                "notes": "",
                "uid": f"bulk-{i}@vru-crm",
                "sequence": 0,
            }
        )
        attendance += [
            {"meeting_id": i, "person_id": p, "status": "present"}
            for p in rng.sample(person_ids, 8)
        ]
    _insert(conn, m.Meeting, rows)
    _insert(conn, m.Attendance, attendance)


def _engagements(
    conn, rng, start, count, org_ids, person_ids, net_ids, boroughs, objectives, staff0, today
) -> None:
    rows, links = (
        [],
        {
            m.EngagementOrganisation: [],
            m.EngagementPerson: [],
            m.EngagementBorough: [],
            m.EngagementObjective: [],
            m.EngagementNetwork: [],
        },
    )
    weights = [
        1.0 / (rank + 1) for rank in range(len(org_ids))
    ]  # a few partners get most engagements
    for i in range(start + 1, start + count + 1):
        follow = today + timedelta(days=rng.randint(-30, 30)) if rng.random() < 0.2 else None
        rows.append(
            {
                **_stamp(),
                "id": i,
                "occurred_on": today - timedelta(days=rng.randint(0, 3650)),
                "kind": rng.choice(KINDS),
                "logged_by_id": staff0 + 1 + rng.randrange(20),
                "summary": f"{rng.choice(WORDS)} {rng.choice(WORDS)} conversation {i}",
                "outcome": "",
                "people_reached": rng.randint(0, 40),
                "follow_up_on": follow,
                "follow_up_done": False,
                "is_notable": False,
                "is_synthetic": True,
            }
        )
        for org in set(rng.choices(org_ids, weights, k=rng.randint(1, 2))):
            links[m.EngagementOrganisation].append({"engagement_id": i, "organisation_id": org})
        for person in set(rng.sample(person_ids, rng.randint(0, 2))):
            links[m.EngagementPerson].append({"engagement_id": i, "person_id": person})
        links[m.EngagementBorough].append({"engagement_id": i, "borough_id": rng.choice(boroughs)})
        for objective in set(rng.sample(objectives, rng.randint(1, 2))):
            links[m.EngagementObjective].append({"engagement_id": i, "objective_id": objective})
        if rng.random() < 0.3:
            links[m.EngagementNetwork].append(
                {"engagement_id": i, "network_id": rng.choice(net_ids)}
            )
    _insert(conn, m.Engagement, rows)
    for model, link_rows in links.items():
        _insert(conn, model, link_rows)
