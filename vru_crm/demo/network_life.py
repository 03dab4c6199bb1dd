"""Synthetic members and meetings for the networks other than the PRG.

The seeds describe the networks (the YPAG's ten paid young Londoners, the
charities network of the top VCS organisations, the youth practitioners'
forum) but name none of their members after the PRG's, and give no dates.
The network pages, cadence health and attendance shares need something to
show, so this invents it, each record marked as synthetic:

- the YPAG's ten young members, with age bands and no contact details (a young
  person is reached through the YPAG coordinator); the one under 13 has a
  parent's consent, recorded by ``vru_crm.demo.protection`` like every young
  person's;
- a coordinator for the YPAG and a chair for the forum, drawn from the
  synthetic contacts;
- for each network with a cadence (other than the PRG, whose meetings come from
  the seeds and ``governance``), its meetings over the last two years and the
  next two, held ones with attendance of the people who were members.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr
from sqlmodel import Session, col, select

from db.models import Attendance, Meeting, Membership, Network, Person, saved_id
from vru_crm.demo.governance import PRG
from vru_crm.demo.refs import Refs, add_missing, get_or_add_all
from vru_crm.london import LONDON

YPAG = "Young People's Action Group (YPAG)"
YPAG_JOINED = date(2020, 9, 1)
YOUNG_NOTE = (
    "Synthetic demo young person: not a real member of the YPAG. "
    "Contact through the YPAG coordinator only."
)
# Ten made-up young Londoners: (name, age band, borough).
YPAG_MEMBERS = [
    ("Tayo Adebayo (synthetic)", "18_24", "Southwark"),
    ("Maya Chowdhury (synthetic)", "18_24", "Tower Hamlets"),
    ("Kwame Asante (synthetic)", "18_24", "Lambeth"),
    ("Leah Murphy (synthetic)", "16_17", "Croydon"),
    ("Rhys Campbell (synthetic)", "18_24", "Haringey"),
    ("Zainab Hussain (synthetic)", "16_17", "Newham"),
    ("Dami Okafor (synthetic)", "16_17", "Lewisham"),
    ("Sofia Marques (synthetic)", "13_15", "Brent"),
    ("Jayden Clarke (synthetic)", "13_15", "Enfield"),
    ("Amani Yusuf (synthetic)", "under_13", "Hackney"),
]
HELD_NOTE = "Synthetic demo meeting: date, place and attendance are made up."
LOCATIONS = {
    YPAG: "City Hall, Committee Room 4",
    "Charities Network": "online (Microsoft Teams)",
    "Youth Practitioners Forum": "Copper Box Arena meeting room",
    "Parent/Carer Champion Network": "online (Zoom)",
}


def load_network_life(session: Session, refs: Refs, rng: random.Random, today: date) -> None:
    """YPAG members, a coordinator and chairs, then meetings for each network with a cadence."""
    _ypag_members(session, refs)
    _network_leads(session, refs)
    _sector_members(session, refs)
    session.flush()
    for name, network_id in sorted(refs.networks.items()):
        if name != PRG:
            _meetings(session, refs, rng, network_id, today)


def _ypag_members(session: Session, refs: Refs) -> None:
    network_id = refs.networks.get(YPAG)
    if network_id is None:
        return
    ids = get_or_add_all(
        session,
        refs,
        "people",
        Person,
        [
            (
                {"full_name": name},
                {
                    "job_title": "YPAG member",
                    "borough_id": refs.boroughs.get(borough),
                    "is_young_person": True,
                    "age_band": band,
                    "notes": YOUNG_NOTE,
                },
            )
            for name, band, borough in YPAG_MEMBERS
        ],
    )
    for (name, _, _), person_id in zip(YPAG_MEMBERS, ids, strict=True):
        refs.people[name] = person_id
        add_missing(
            session,
            refs,
            "memberships",
            Membership,
            {"network_id": network_id, "person_id": person_id},
            role="member",
            represents="Young Londoners",
            start_date=YPAG_JOINED,
        )


def _network_leads(session: Session, refs: Refs) -> None:
    """A synthetic coordinator for the YPAG and a chair for the forum and the charities network."""
    contacts = sorted(n for n in refs.people if n.endswith("(synthetic)") and "YPAG" not in n)
    leads = [
        (YPAG, "secretariat", "YPAG coordinator, London VRU"),
        ("Youth Practitioners Forum", "chair", "Youth Practitioners Forum (chair)"),
        ("Charities Network", "chair", "Charities Network (chair)"),
        ("Parent/Carer Champion Network", "chair", "Parent/Carer Champions (chair)"),
    ]
    adults = [
        n for n in contacts if n not in {m[0] for m in YPAG_MEMBERS} and _is_adult(session, refs, n)
    ]
    for (network, role, represents), person in zip(leads, adults[1::7], strict=False):
        if network in refs.networks:
            add_missing(
                session,
                refs,
                "memberships",
                Membership,
                {"network_id": refs.networks[network], "person_id": refs.people[person]},
                role=role,
                represents=represents,
                start_date=date(2020, 9, 1),
            )


# Networks whose members are organisations of one sector: (network, sector, how many).
SECTOR_NETWORKS = [
    ("Charities Network", "charity", 15),
    ("Academic and Research Advisory Network", "academic", 8),
]


def _sector_members(session: Session, refs: Refs) -> None:
    """The charities network's top VCS organisations, the academic network's universities."""
    for network, sector, limit in SECTOR_NETWORKS:
        if network not in refs.networks:
            continue
        network_id = refs.networks[network]
        chosen = sorted(o for o, s in refs.organisation_sectors.items() if s == sector)[:limit]
        for org_id in chosen:
            add_missing(
                session,
                refs,
                "memberships",
                Membership,
                {"network_id": network_id, "organisation_id": org_id},
                role="member",
                start_date=date(2019, 9, 1),
            )
            refs.organisation_networks.setdefault(org_id, []).append(network_id)


def _is_adult(session: Session, refs: Refs, name: str) -> bool:
    person = session.get(Person, refs.people[name])
    return person is not None and not person.is_young_person


def _meetings(
    session: Session, refs: Refs, rng: random.Random, network_id: int, today: date
) -> None:
    network = session.get(Network, network_id)
    if network is None or not network.cadence_rrule:
        return
    if session.exec(select(Meeting.id).where(Meeting.network_id == network_id).limit(1)).first():
        return  # the seeds or a user gave it meetings already: leave them be
    label = network.short_name or network.name
    length = timedelta(minutes=network.meeting_minutes or 120)
    for start in _dates(network.cadence_rrule, today):
        day = start.date()
        held = day < today
        cancelled = held and rng.random() < 0.06
        published = held and not cancelled and (today - day).days > 40 and rng.random() < 0.8
        meeting = Meeting(
            network_id=network_id,
            title=f"{label} meeting, {day.day} {day:%B %Y}",
            starts_at=start,
            ends_at=start + length,
            location=LOCATIONS.get(network.name, "City Hall"),
            status="cancelled" if cancelled else ("held" if held else "planned"),
            cancel_reason="Clashed with a borough emergency briefing (synthetic)"
            if cancelled
            else None,
            minutes_status="published" if published else ("draft" if held else "none"),
            minutes_published_on=day + timedelta(days=21) if published else None,
            minutes_url=f"https://www.london.gov.uk/vru/minutes/{label.lower().replace(' ', '-')}-{day:%Y-%m}"
            if published
            else None,
            notes=HELD_NOTE,
        )
        session.add(meeting)
        session.flush()
        refs.added["meetings"] += 1
        if meeting.status == "held":
            _attendance(session, refs, rng, meeting, network_id, day)


def _dates(rule: str, today: date) -> list[datetime]:
    """The rule's dates from two years back to six months ahead, at its time in London."""
    start = datetime.combine(date(today.year - 2, today.month, 1), time(10), LONDON)
    until = datetime.combine(today + timedelta(days=183), time(23), LONDON)
    return list(rrulestr(rule, dtstart=start).between(start, until, inc=True))


def _attendance(
    session: Session,
    refs: Refs,
    rng: random.Random,
    meeting: Meeting,
    network_id: int,
    day: date,
) -> None:
    members = session.exec(
        select(Membership)
        .where(Membership.network_id == network_id)
        .where(col(Membership.person_id).is_not(None))
    ).all()
    for member in members:
        if member.person_id is None or (member.start_date and member.start_date > day):
            continue
        if member.end_date and member.end_date < day:
            continue
        status = rng.choices(["present", "apologies", "absent"], weights=[75, 18, 7])[0]
        session.add(
            Attendance(meeting_id=saved_id(meeting), person_id=member.person_id, status=status)
        )
        refs.added["attendance"] += 1
