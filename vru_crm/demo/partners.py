"""Synthetic partners: staff users, local groups in every borough, and their contacts.

The published documents name pan-London bodies, so on their own they leave most
boroughs without a single partner and the engagement log would have nobody to
visit. These groups fill that gap. Every name ends in "(synthetic)" and every
organisation is tagged ``synthetic``, so nobody mistakes them for real groups.
"""

import random
from datetime import date, timedelta

from sqlmodel import Session

from db.models import (
    Affiliation,
    Membership,
    Organisation,
    OrganisationBorough,
    OrganisationTag,
    Person,
    StaffUser,
)
from vru_crm.demo.refs import Refs, add_missing, add_tags, get_or_add_all

MARK = " (synthetic)"
STAFF = [
    ("lead.a", "Engagement lead A"),
    ("lead.b", "Engagement lead B"),
    ("lead.c", "Engagement lead C"),
    ("lead.d", "Engagement lead D"),
]

# (name template, sector, tags, job titles of its contacts)
GRASSROOTS = [
    ("{b} Youth Voices Collective", ["youth", "youth-voice"], ["Founder", "Youth worker"]),
    ("{b} Boxing and Mentoring Club", ["youth", "sport", "mentoring"], ["Head coach", "Mentor"]),
    ("{b} Parents Together", ["parents", "families"], ["Parent champion", "Coordinator"]),
    ("{b} Community Kitchen", ["food", "families"], ["Project coordinator", "Volunteer lead"]),
    ("{b} Young Leaders Project", ["youth", "leadership"], ["Programme lead", "Peer mentor"]),
    ("{b} Music and Media Studio", ["youth", "arts"], ["Studio manager", "Youth worker"]),
    ("{b} Estates Football Project", ["youth", "sport"], ["Coach", "Founder"]),
    ("{b} Detached Youth Work Team", ["youth", "youth-work"], ["Senior youth worker"]),
]
FAITH = [
    ("{b} Interfaith Forum", ["faith", "interfaith"], ["Convenor"]),
    ("{b} Pentecostal Fellowship Youth Ministry", ["faith", "church", "youth"], ["Youth pastor"]),
    ("{b} Community Mosque Youth Circle", ["faith", "mosque", "youth"], ["Youth imam", "Trustee"]),
    ("{b} Gurdwara Sewa Group", ["faith", "gurdwara"], ["Sewa coordinator"]),
]
SCHOOLS = [
    ("{b} Pupil Referral Unit", ["pru", "exclusions"], ["Headteacher", "Pastoral lead"]),
    ("{b} Academy", ["school", "transition"], ["Designated safeguarding lead"]),
    ("{b} Alternative Provision Centre", ["alternative-provision"], ["Head of centre"]),
]
FIRST = [
    "Jordan",
    "Amara",
    "Kofi",
    "Priya",
    "Tomasz",
    "Leah",
    "Yusuf",
    "Chloe",
    "Dev",
    "Nadia",
    "Marcus",
    "Ife",
    "Sean",
    "Hana",
    "Rafael",
    "Grace",
    "Bilal",
    "Aisha",
    "Connor",
    "Mei",
]
LAST = [
    "Mensah",
    "Patel",
    "Okoro",
    "Nowak",
    "Hughes",
    "Rahman",
    "Campbell",
    "Silva",
    "Adeyemi",
    "Kaur",
    "Murphy",
    "Osei",
    "Begum",
    "Clarke",
    "Haddad",
    "Reid",
    "Ahmed",
    "Lewis",
]
NETWORK_FOR_TAG = {
    "parents": "Parent/Carer Champion Network",
    "youth": "Grassroots Network",
    "faith": "Grassroots Network",
}


def load_staff(session: Session, refs: Refs) -> None:
    refs.staff = get_or_add_all(
        session,
        refs,
        "staff users",
        StaffUser,
        [({"username": username}, {"display_name": name}) for username, name in STAFF],
    )


def _plan(refs: Refs) -> list[tuple[int, str, str, list[str], list[str]]]:
    """(borough, name, sector, tags, job titles): one group in every borough, three in priority ones."""
    plan = []
    for index, (borough, borough_id) in enumerate(refs.boroughs.items()):
        template, tags, jobs = GRASSROOTS[index % len(GRASSROOTS)]
        plan.append((borough_id, template.format(b=borough), "grassroots", tags, jobs))
        if borough_id in refs.priority_boroughs:
            template, tags, jobs = FAITH[index % len(FAITH)]
            plan.append((borough_id, template.format(b=borough), "faith", tags, jobs))
            template, tags, jobs = SCHOOLS[index % len(SCHOOLS)]
            plan.append((borough_id, template.format(b=borough), "education", tags, jobs))
    return plan


def load_local_groups(session: Session, refs: Refs, rng: random.Random) -> None:
    plan = _plan(refs)
    ids = get_or_add_all(
        session,
        refs,
        "organisations",
        Organisation,
        [
            (
                {"name": name + MARK},
                {"sector": sector, "notes": "Synthetic demo organisation: not a real group."},
            )
            for _, name, sector, _, _ in plan
        ],
    )
    add_tags(session, refs, ["synthetic", *(tag for *_, tags, _ in plan for tag in tags)])
    contacts = []
    for (borough_id, name, sector, tags, jobs), org_id in zip(plan, ids, strict=True):
        refs.organisations[name + MARK] = org_id
        refs.organisation_sectors[org_id] = sector
        refs.organisation_boroughs[org_id] = [borough_id]
        add_missing(
            session,
            refs,
            "organisation boroughs",
            OrganisationBorough,
            {"organisation_id": org_id, "borough_id": borough_id},
        )
        for tag in ["synthetic", *tags]:
            add_missing(
                session,
                refs,
                "organisation tags",
                OrganisationTag,
                {"organisation_id": org_id, "tag_id": refs.tags[tag]},
            )
        joined = date(2019, 3, 1) + timedelta(days=rng.randint(0, 1800))
        contacts += [(org_id, borough_id, job, joined) for job in jobs]
        _join_network(session, refs, org_id, tags, joined)
    _add_contacts(session, refs, contacts)


def contact_name(index: int) -> str:
    """A distinct made-up name for each index below 180 (7 is coprime with 18)."""
    return f"{FIRST[index % len(FIRST)]} {LAST[index * 7 % len(LAST)]}{MARK}"


def _add_contacts(session: Session, refs: Refs, contacts: list[tuple[int, int, str, date]]) -> None:
    """One or two made-up contacts per group, each affiliated to it; youth workers in the forum."""
    names = [contact_name(n) for n in range(len(contacts))]
    ids = get_or_add_all(
        session,
        refs,
        "people",
        Person,
        [
            (
                {"full_name": name},
                {
                    "job_title": job,
                    "borough_id": borough_id,
                    "is_young_person": job == "Peer mentor",
                    "age_band": "18_24" if job == "Peer mentor" else None,
                    "notes": "Synthetic demo contact: not a real person.",
                },
            )
            for name, (_, borough_id, job, _) in zip(names, contacts, strict=True)
        ],
    )
    forum = refs.networks.get("Youth Practitioners Forum")
    for name, person_id, (org_id, _, job, joined) in zip(names, ids, contacts, strict=True):
        refs.people[name] = person_id
        refs.contacts.setdefault(org_id, []).append(person_id)
        add_missing(
            session,
            refs,
            "affiliations",
            Affiliation,
            {"person_id": person_id, "organisation_id": org_id},
            role=job,
            start_date=joined,
        )
        if "youth worker" in job.lower() and forum:
            add_missing(
                session,
                refs,
                "memberships",
                Membership,
                {"network_id": forum, "person_id": person_id},
                start_date=joined,
            )


def _join_network(session: Session, refs: Refs, org_id: int, tags: list[str], joined: date) -> None:
    names = {NETWORK_FOR_TAG[tag] for tag in tags if tag in NETWORK_FOR_TAG}
    for name in sorted(names):
        if name not in refs.networks:
            continue
        network_id = refs.networks[name]
        add_missing(
            session,
            refs,
            "memberships",
            Membership,
            {"network_id": network_id, "organisation_id": org_id},
            start_date=joined,
        )
        refs.organisation_networks.setdefault(org_id, []).append(network_id)
