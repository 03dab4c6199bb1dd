"""The public facts: organisations, people, networks, meetings and recommendations.

Everything here comes from ``vru_crm/resources/demo/*.json``, which cite the published
documents they were taken from. Nothing in this module invents a fact.
"""

from typing import Any

from sqlmodel import Session

from db.models import (
    Affiliation,
    AgendaItem,
    Letter,
    Meeting,
    Membership,
    Network,
    Organisation,
    OrganisationBorough,
    OrganisationTag,
    Person,
    Recommendation,
    StandingItem,
)
from vru_crm.demo import data
from vru_crm.demo.refs import Refs, add_missing, add_tags, get_or_add_all


def load_organisations(session: Session, refs: Refs) -> None:
    items = data.load("organisations")
    ids = get_or_add_all(
        session,
        refs,
        "organisations",
        Organisation,
        [
            (
                {"name": item["name"]},
                {
                    "sector": item["sector"],
                    "website": item.get("website"),
                    "notes": item.get("notes", ""),
                    "is_priority": bool(item.get("is_priority")),
                },
            )
            for item in items
        ],
    )
    add_tags(session, refs, [tag for item in items for tag in item.get("tags", [])])
    for item, org_id in zip(items, ids, strict=True):
        refs.organisations[item["name"]] = org_id
        refs.organisation_sectors[org_id] = item["sector"]
        boroughs = [refs.boroughs[name] for name in item.get("boroughs", [])]
        refs.organisation_boroughs[org_id] = boroughs
        for borough_id in boroughs:
            add_missing(
                session,
                refs,
                "organisation boroughs",
                OrganisationBorough,
                {"organisation_id": org_id, "borough_id": borough_id},
            )
        for tag in item.get("tags", []):
            add_missing(
                session,
                refs,
                "organisation tags",
                OrganisationTag,
                {"organisation_id": org_id, "tag_id": refs.tags[tag]},
            )


def load_people(session: Session, refs: Refs) -> None:
    """People and their affiliation to the organisation they are listed with."""
    items = data.load("people")
    ids = get_or_add_all(
        session,
        refs,
        "people",
        Person,
        [
            (
                {"full_name": item["name"]},
                {
                    "job_title": item.get("job_title"),
                    "notes": item.get("notes", ""),
                    "borough_id": refs.boroughs[item["borough"]] if item.get("borough") else None,
                },
            )
            for item in items
        ],
    )
    for item, person_id in zip(items, ids, strict=True):
        refs.people[item["name"]] = person_id
        if item.get("organisation"):
            org_id = refs.organisations[item["organisation"]]
            add_missing(
                session,
                refs,
                "affiliations",
                Affiliation,
                {"person_id": person_id, "organisation_id": org_id},
                role=item.get("job_title"),
            )
            refs.contacts.setdefault(org_id, []).append(person_id)


def load_networks(session: Session, refs: Refs) -> None:
    """Networks and the memberships the published documents name."""
    items = data.load("networks")
    ids = get_or_add_all(
        session,
        refs,
        "networks",
        Network,
        [
            (
                {"name": item["name"]},
                {
                    "kind": item["kind"],
                    "description": item.get("description", ""),
                    "short_name": item.get("short_name"),
                    "cadence_rrule": item.get("cadence_rrule"),
                    "meeting_minutes": item.get("meeting_minutes"),
                    "minutes_publication_days": item.get("minutes_publication_days"),
                    "quorum": item.get("quorum"),
                },
            )
            for item in items
        ],
    )
    for item, network_id in zip(items, ids, strict=True):
        refs.networks[item["name"]] = network_id
        for member in item.get("members", []):
            _add_member(session, refs, network_id, member)
        for position, standing in enumerate(item.get("standing_items", []), start=1):
            add_missing(
                session,
                refs,
                "standing items",
                StandingItem,
                {"network_id": network_id, "position": position},
                title=standing["title"],
                presenter=standing.get("presenter"),
                minutes_allotted=standing.get("minutes"),
                kind=standing.get("kind", "standing"),
            )


def _add_member(session: Session, refs: Refs, network_id: int, member: dict[str, Any]) -> None:
    if member.get("person"):
        key = {"network_id": network_id, "person_id": refs.people[member["person"]]}
    else:
        org_id = refs.organisations[member["organisation"]]
        key = {"network_id": network_id, "organisation_id": org_id}
        refs.organisation_networks.setdefault(org_id, []).append(network_id)
    add_missing(
        session,
        refs,
        "memberships",
        Membership,
        key,
        role=member.get("role", "member"),
        represents=member.get("represents"),
        start_date=data.day(member.get("start")),
    )


def load_meetings(session: Session, refs: Refs) -> None:
    """Meetings with their agendas; times in the files are London wall-clock times."""
    items = data.load("meetings")
    ids = get_or_add_all(
        session,
        refs,
        "meetings",
        Meeting,
        [
            (
                {"title": item["title"], "starts_at": data.london_time(item["start"])},
                {
                    "network_id": refs.networks[item["network"]] if item.get("network") else None,
                    "ends_at": data.london_time(item["end"]),
                    "location": item.get("location"),
                    "online_url": item.get("online_url"),
                    "status": item["status"],
                    "minutes_status": item.get("minutes_status", "none"),
                    "minutes_url": item.get("minutes_url"),
                    "minutes_published_on": data.day(item.get("minutes_published_on")),
                    "notes": item.get("notes", ""),
                },
            )
            for item in items
        ],
    )
    for item, meeting_id in zip(items, ids, strict=True):
        for position, agenda in enumerate(item.get("agenda", []), start=1):
            add_missing(
                session,
                refs,
                "agenda items",
                AgendaItem,
                {"meeting_id": meeting_id, "position": position},
                title=agenda["title"],
                presenter=agenda.get("presenter"),
                minutes_allotted=agenda.get("minutes"),
                kind=agenda.get("kind", "discussion"),
                paper_url=agenda.get("paper_url"),
            )


# Reply-by dates the letters give (seed 000: "by 30 April 2020"); the others name none.
LETTER_REPLY_DUE = {"2020-04-07": "2020-04-30"}


def load_recommendations(session: Session, refs: Refs) -> None:
    items = data.load("recommendations")
    letters = sorted({(item["sender"], item["letter_date"]) for item in items}, key=lambda x: x[1])
    letter_ids = get_or_add_all(
        session,
        refs,
        "letters",
        Letter,
        [
            (
                {"sender": sender, "letter_date": data.day(day)},
                {"reply_due": data.day(LETTER_REPLY_DUE.get(day)), "text": ""},
            )
            for sender, day in letters
        ],
    )
    letter_of = dict(zip(letters, letter_ids, strict=True))
    for item in items:
        add_missing(
            session,
            refs,
            "recommendations",
            Recommendation,
            {
                "sender": item["sender"],
                "letter_date": data.day(item["letter_date"]),
                "number": item["number"],
            },
            letter_id=letter_of[(item["sender"], item["letter_date"])],
            text=item["text"],
            due_date=data.day(item.get("due_date")),
            status=item.get("status", "open"),
            response_date=data.day(item.get("response_date")),
            response=item.get("response"),
        )


def prg_members() -> list[dict[str, Any]]:
    """The PRG's members as published (section 1B of the March 2021 report)."""
    prg = next(n for n in data.load("networks") if n["name"] == "Partnership Reference Group")
    members: list[dict[str, Any]] = prg["members"]
    return members


def load_public_facts(session: Session, refs: Refs) -> None:
    load_organisations(session, refs)
    load_people(session, refs)
    load_networks(session, refs)
    load_meetings(session, refs)
    load_recommendations(session, refs)
