"""Generated networks and memberships.

The VRU's own networks (by the same names as the demo, so both can share a
database), a parenting network in each of the 32 boroughs, and a MyEnds
consortium in each priority borough. People join the network of their
borough; organisations join the network of their sector.
"""

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from db.models import Membership, Network
from vru_crm.generate.world import World
from vru_crm.generate.writer import Writer, table_of

PRG = "Partnership Reference Group"
STANDARD = [  # name, kind, cadence
    (PRG, "board", "FREQ=MONTHLY;INTERVAL=3"),
    ("Charities Network", "network", "FREQ=MONTHLY;INTERVAL=2"),
    ("Grassroots Network", "network", "FREQ=MONTHLY;INTERVAL=2"),
    ("Youth Practitioners Forum", "forum", "FREQ=MONTHLY"),
    ("Parent/Carer Champion Network", "network", "FREQ=MONTHLY;INTERVAL=2"),
    ("Academic and Research Advisory Network", "advisory", "FREQ=MONTHLY;INTERVAL=3"),
]
BY_SECTOR = {
    "charity": "Charities Network",
    "grassroots": "Grassroots Network",
    "academic": "Academic and Research Advisory Network",
}
ROLES = ["chair", "deputy", "secretariat"]


def _wanted(world: World) -> list[tuple[str, str, str, int | None]]:
    wanted: list[tuple[str, str, str, int | None]] = [
        (name, kind, cadence, None) for name, kind, cadence in STANDARD
    ]
    for borough in world.boroughs:
        name = world.borough_names[borough]
        if name != "City of London":
            wanted.append((f"{name} Parenting Network", "network", "FREQ=MONTHLY", borough))
        if borough in world.priority:
            wanted.append((f"MyEnds {name} consortium", "partnership", "FREQ=MONTHLY", borough))
    return wanted


def networks(writer: Writer, world: World) -> None:
    """Find or add each network by name."""
    table = table_of(Network)
    existing = dict(writer.conn.execute(select(table.c.name, table.c.id)).all())
    next_id, rows = writer.next_id(table), []
    for name, kind, cadence, borough in _wanted(world):
        if name not in existing:
            existing[name] = next_id
            rows.append(
                {
                    "id": next_id,
                    "name": name,
                    "kind": kind,
                    "description": "Generated network (synthetic data).",
                    "cadence_rrule": cadence,
                    "minutes_publication_days": 28,
                    "quorum": None,
                    "version": 1,
                    "created_at": world.now,
                    "updated_at": world.now,
                }
            )
            next_id += 1
        world.networks.append((existing[name], name, borough))
    writer.insert(table, rows)


def memberships(writer: Writer, world: World) -> None:
    """People join their borough's network or another open one; organisations their sector's."""
    rng = world.rng
    by_name = {name: net_id for net_id, name, _ in world.networks}
    by_borough = {
        b: net_id
        for net_id, name, b in world.networks
        if b is not None and name.endswith("Parenting Network")
    }
    open_networks = [net_id for net_id, name, _ in world.networks if name != PRG]
    joined: dict[int, list[int]] = {}
    for borough, people in world.people_by_borough.items():
        for person_id in people:
            if rng.random() < 0.12:
                net_id = by_borough.get(borough) if rng.random() < 0.5 else None
                joined.setdefault(net_id or rng.choice(open_networks), []).append(person_id)
    _prg_members(writer, world, by_name[PRG])
    rows = [
        _row(world, net_id, person_id, None, ROLES[n] if n < len(ROLES) else "member")
        for net_id, people in joined.items()
        for n, person_id in enumerate(people)
    ]
    for org in world.orgs:
        if rng.random() < 0.2:
            net_id = by_name.get(BY_SECTOR.get(org.sector, "")) or rng.choice(open_networks)
            org.networks.append(net_id)
            rows.append(_row(world, net_id, None, org.id, "member"))
    first = writer.next_id(table_of(Membership))
    for offset, row in enumerate(rows):
        row["id"] = first + offset
    writer.insert(table_of(Membership), rows)
    for net_id, people in joined.items():
        world.network_people.setdefault(net_id, []).extend(people)


def _prg_members(writer: Writer, world: World, prg_id: int) -> None:
    """The PRG's members are the published ones (``vru-crm demo``), never invented here.

    Made-up members would pass for the real PRG; its generated meetings record
    attendance only from members already in the database.
    """
    table = table_of(Membership)
    world.network_people[prg_id] = list(
        writer.conn.execute(
            select(table.c.person_id)
            .where(table.c.network_id == prg_id)
            .where(table.c.person_id.is_not(None))
            .order_by(table.c.id)
        ).scalars()
    )


def _row(
    world: World, net_id: int, person_id: int | None, org_id: int | None, role: str
) -> dict[str, Any]:
    joined = world.start + timedelta(days=world.rng.randint(0, world.span))
    return {
        "network_id": net_id,
        "person_id": person_id,
        "organisation_id": org_id,
        "role": role,
        "represents": None,
        "start_date": joined,
        "end_date": None,
    }
