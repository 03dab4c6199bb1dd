"""Generated meetings with agendas, minutes and attendance.

Ten years of meetings of every network, a few in the coming months still
planned, the odd one cancelled; minutes mostly published within weeks, with
recent ones still in draft, which is what the minutes tracker has to show.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from db.models import AgendaItem, Attendance, Meeting
from vru_crm.demo.governance import THEMES
from vru_crm.generate.world import World
from vru_crm.generate.writer import Writer, table_of
from vru_crm.london import LONDON

AHEAD_DAYS = 150
STARTS = [time(10), time(14), time(18, 30)]


def meetings(writer: Writer, world: World, count: int) -> None:
    rng = world.rng
    weights = [
        0.3 if name.startswith("Partnership Reference") else 1.0 for _, name, _ in world.networks
    ]
    days = sorted(
        _weekday(world.start + timedelta(days=rng.randint(0, world.span + AHEAD_DAYS)))
        for _ in range(count)
    )
    first, first_item = writer.next_id(table_of(Meeting)), writer.next_id(table_of(AgendaItem))
    rows: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    attendance: list[dict[str, Any]] = []
    for n, day in enumerate(days):
        network = rng.choices(world.networks, weights=weights)[0] if rng.random() > 0.02 else None
        row = _meeting(world, first + n, day, network)
        rows.append(row)
        for position, (title, kind) in enumerate(_agenda(world), start=1):
            items.append(
                {
                    "id": first_item + len(items),
                    "meeting_id": row["id"],
                    "position": position,
                    "title": title,
                    "presenter": None,
                    "minutes_allotted": rng.choice([5, 10, 15, 20, 30]),
                    "paper_url": None,
                    "kind": kind,
                    "notes": "",
                }
            )
        if row["status"] == "held" and network is not None:
            attendance += _attendance(world, row["id"], network[0])
    writer.insert(table_of(Meeting), rows)
    writer.insert(table_of(AgendaItem), items)
    writer.insert(table_of(Attendance), attendance)


def _weekday(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _meeting(world: World, meeting_id: int, day: date, network: Any) -> dict[str, Any]:
    rng = world.rng
    starts = datetime.combine(day, rng.choice(STARTS), LONDON)
    title = f"{network[1]} - {day.day} {day:%B %Y}" if network else "Community event"
    status = "planned" if day >= world.today else ("cancelled" if rng.random() < 0.04 else "held")
    minutes, published, approved = _minutes(world, day, status)
    return {
        "id": meeting_id,
        "network_id": network[0] if network else None,
        "title": title,
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=rng.choice([90, 120])),
        "location": rng.choice(["City Hall", "online (Microsoft Teams)", "Borough offices"]),
        "online_url": None,
        "status": status,
        "minutes_status": minutes,
        "minutes_url": None,
        "minutes_published_on": published,
        "minutes_approved_on": approved,
        "notes": "Generated meeting (synthetic data).",
        "uid": f"gen-{world.seed}-{meeting_id}@vru-crm",
        "sequence": 0,
        "version": 1,
        "created_at": world.now,
        "updated_at": world.now,
    }


def _minutes(world: World, day: date, status: str) -> tuple[str, date | None, date | None]:
    """(minutes status, published on, approved on): recent ones in draft, older mostly published."""
    if status != "held":
        return "none", None, None
    roll = world.rng.random()
    if (world.today - day).days <= 45:
        return ("draft" if roll < 0.5 else "none"), None, None
    approved = day + timedelta(days=world.rng.randint(7, 40))
    if roll < 0.85:
        return "published", approved + timedelta(days=world.rng.randint(0, 10)), approved
    return ("approved", None, approved) if roll < 0.93 else ("draft", None, None)


def _agenda(world: World) -> list[tuple[str, str]]:
    rng = world.rng
    topics = [
        (rng.choice(THEMES), rng.choice(["update", "discussion", "paper"]))
        for _ in range(rng.randint(1, 3))
    ]
    return [
        ("Welcome and apologies", "standing"),
        ("Minutes of the previous meeting", "minutes"),
        *topics,
        ("Any other business", "aob"),
    ]


def _attendance(world: World, meeting_id: int, network_id: int) -> list[dict[str, Any]]:
    members = world.network_people.get(network_id, [])
    chosen = world.rng.sample(members, min(len(members), world.rng.randint(8, 15)))
    statuses = world.rng.choices(
        ["present", "apologies", "absent"], weights=[80, 15, 5], k=len(chosen)
    )
    return [
        {"meeting_id": meeting_id, "person_id": person_id, "status": status}
        for person_id, status in zip(chosen, statuses, strict=True)
    ]
