"""Generated partners: staff users, organisations, people, their affiliations and tags.

Organisation sizes are skewed the way a real log is: a Zipf-like weight per
organisation decides both how many people work there and how often it is
visited, so a few partners dominate and a long tail is seen once or twice.
"""

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from db.models import (
    Affiliation,
    Organisation,
    OrganisationBorough,
    OrganisationTag,
    Person,
    StaffUser,
    Tag,
)
from vru_crm.generate import words
from vru_crm.generate.world import Org, World
from vru_crm.generate.writer import Writer, table_of

ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 5  # Zipf-Mandelbrot: the top 1% get about 40% of visits, the top 10% about 70%
QUIET_SHARE = 0.15  # partners who stopped engaging some time ago
STAFF = 12
NAMED_BY_BOROUGH = {"local_authority", "csp"}


def staff(writer: Writer, world: World) -> None:
    """Engagement leads A, B, C...; the demo's leads are reused if present."""
    table = table_of(StaffUser)
    wanted = [(f"lead.{chr(97 + i)}", f"Engagement lead {chr(65 + i)}") for i in range(STAFF)]
    existing = dict(writer.conn.execute(select(table.c.username, table.c.id)).all())
    first = writer.next_id(table)
    rows = [
        {"id": first + n, "username": u, "display_name": d, "is_active": True}
        for n, (u, d) in enumerate((u, d) for u, d in wanted if u not in existing)
    ]
    writer.insert(table, rows)
    ids = {**existing, **{r["username"]: r["id"] for r in rows}}
    world.staff = [ids[u] for u, _ in wanted]


def synthetic_tag(writer: Writer) -> int:
    table = table_of(Tag)
    found = writer.conn.execute(select(table.c.id).where(table.c.name == "synthetic")).scalar()
    if found:
        return int(found)
    tag_id = writer.next_id(table)
    writer.insert(table, [{"id": tag_id, "name": "synthetic"}])
    return tag_id


def organisations(writer: Writer, world: World, count: int) -> None:
    rng = world.rng
    sectors = rng.choices(
        list(words.SECTOR_SHARES), weights=list(words.SECTOR_SHARES.values()), k=count
    )
    borough_weights = world.borough_weights()
    used: set[str] = set(writer.conn.execute(select(table_of(Organisation).c.name)).scalars())
    first_id, span, tag = writer.next_id(table_of(Organisation)), world.span, synthetic_tag(writer)
    rows, links, tags = [], [], []
    for n, sector in enumerate(sectors):
        boroughs = _boroughs(world, borough_weights, sector)
        name = _unique(world, sector, boroughs, used)
        first_day = int(span * 0.9 * rng.random() ** 0.5)  # more partners each year
        quiet = rng.random() < QUIET_SHARE
        last_day = rng.randint(first_day + 30, span) if quiet and first_day + 30 < span else span
        org = Org(first_id + n, name, sector, boroughs, first_day, last_day)
        world.orgs.append(org)
        rows.append(_org_row(world, org, rng.random()))
        links += [{"organisation_id": org.id, "borough_id": b} for b in boroughs]
        tags.append({"organisation_id": org.id, "tag_id": tag})
    writer.insert(table_of(Organisation), rows)
    writer.insert(table_of(OrganisationBorough), links)
    writer.insert(table_of(OrganisationTag), tags)
    _zipf(world)


def _boroughs(world: World, weights: list[float], sector: str) -> list[int]:
    roll = world.rng.random()
    if roll < 0.06 and sector not in NAMED_BY_BOROUGH:
        return []  # pan-London
    picks = world.rng.choices(world.boroughs, weights=weights, k=2 if roll > 0.92 else 1)
    return sorted(set(picks))


def _name(world: World, sector: str, boroughs: list[int]) -> str:
    rng = world.rng
    kind = rng.choice(words.KINDS[sector])
    borough = world.borough_names[boroughs[0]] if boroughs else "London"
    if sector in NAMED_BY_BOROUGH or rng.random() < 0.3:
        return f"{borough} {kind}"
    return f"{rng.choice(words.PLACES)} {kind}"


def _unique(world: World, sector: str, boroughs: list[int], used: set[str]) -> str:
    """A name not used yet: a few fresh draws, then a number as a last resort."""
    for _ in range(5):
        name = _name(world, sector, boroughs)
        if name not in used:
            break
    candidate, number = name, 2
    while candidate in used:
        candidate, number = f"{name} ({number})", number + 1
    used.add(candidate)
    return candidate


def _org_row(world: World, org: Org, roll: float) -> dict[str, Any]:
    slug = "".join(ch for ch in org.name.lower() if ch.isalnum())[:40]
    return {
        "id": org.id,
        "name": org.name,
        "sector": org.sector,
        "website": None,
        "email": f"info@{slug}.example.org" if roll < 0.5 else None,
        "phone": None,
        "notes": "",
        "is_priority": roll > 0.97,
        "version": 1,
        "created_at": world.now,
        "updated_at": world.now,
    }


def _zipf(world: World) -> None:
    """Cumulative weights: the organisation at random rank r gets 1 / (r + q) ** s."""
    ranks = list(range(len(world.orgs)))
    world.rng.shuffle(ranks)
    weights = [1.0 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in ranks]
    world.org_weights = list(itertools.accumulate(weights))


def people(writer: Writer, world: World, count: int) -> None:
    rng, orgs = world.rng, world.orgs
    first_id = writer.next_id(table_of(Person))
    first_aff = writer.next_id(table_of(Affiliation))
    employers = _employers(world, count)
    rows: list[dict[str, Any]] = []
    affiliations: list[dict[str, Any]] = []
    for n in range(count):
        person_id = first_id + n
        org = orgs[employers[n]] if orgs else None
        borough = org.boroughs[0] if org and org.boroughs else rng.choice(world.boroughs)
        rows.append(_person_row(world, person_id, org, borough))
        world.people_by_borough.setdefault(borough, []).append(person_id)
        if org is None:
            continue
        org.people.append(person_id)
        role = rows[-1]["job_title"]
        start = world.start + timedelta(days=org.first_day + rng.randint(0, 400))
        affiliations.append(
            {
                "id": first_aff + len(affiliations),
                "person_id": person_id,
                "organisation_id": org.id,
                "role": role,
                "start_date": start,
                "end_date": None,
            }
        )
        if rng.random() < 0.12:  # an earlier job elsewhere
            earlier = orgs[rng.randrange(len(orgs))]
            affiliations.append(
                {
                    "id": first_aff + len(affiliations),
                    "person_id": person_id,
                    "organisation_id": earlier.id,
                    "role": role,
                    "start_date": start - timedelta(days=rng.randint(400, 2000)),
                    "end_date": start - timedelta(days=rng.randint(1, 60)),
                }
            )
    writer.insert(table_of(Person), rows)
    writer.insert(table_of(Affiliation), affiliations)


def _employers(world: World, count: int) -> list[int]:
    """Half by the organisation's weight (big partners employ more), half evenly."""
    if not world.orgs:
        return []
    indexes = range(len(world.orgs))
    skewed = world.rng.choices(indexes, cum_weights=world.org_weights, k=count // 2)
    even = [world.rng.randrange(len(world.orgs)) for _ in range(count - len(skewed))]
    return skewed + even


def _person_row(world: World, person_id: int, org: Org | None, borough: int) -> dict[str, Any]:
    rng = world.rng
    first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.SURNAMES)
    young = rng.random() < 0.06
    jobs = words.JOBS.get(org.sector if org else "other", words.JOBS["other"])
    email = None if young or rng.random() > 0.45 else f"{first}.{last}{person_id}@example.org"
    return {
        "id": person_id,
        "full_name": f"{first} {last}",
        "job_title": "Young person" if young else rng.choice(jobs),
        "email": email.lower() if email else None,
        "phone": None,
        "borough_id": borough,
        "is_young_person": young,
        "age_band": rng.choice(["16_17", "18_24"]) if young else None,
        "notes": "",
        "version": 1,
        "created_at": world.now,
        "updated_at": world.now,
    }
