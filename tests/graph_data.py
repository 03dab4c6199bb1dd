"""Small hand-built partnership data for the graph tests (answers known by hand)."""

from datetime import UTC, date, datetime

from sqlmodel import select

from db.models import (
    Affiliation,
    Attendance,
    Borough,
    Engagement,
    EngagementBorough,
    EngagementOrganisation,
    Meeting,
    Membership,
    Network,
    Organisation,
    OrganisationBorough,
    Person,
)

AS_OF = date(2024, 6, 30)


def add_partnership(database) -> dict[str, int]:
    """Six organisations, three people, two networks, one PRG meeting, three engagements.

    A Hackney CVS (charity, HAC), B Met Police (police), C St Giles (charity, SWK),
    D Quiet Mosque (faith, no ties), E Old Partner (grassroots, engaged 2020 alone),
    F Youth Club (grassroots, HAC, met with A, B and C, in no network).
    Alice works at A and chairs the PRG; Bob works at B; B is a PRG member;
    A and C are in the Charities Network. Alice attended the PRG on 1 March 2024,
    Bob sent apologies. Engagements: 10 Jan 2024 (A, B, C, F), 10 Jan 2023 (A, B),
    1 June 2020 (E).
    """
    ids: dict[str, int] = {}
    with database.session() as s:
        hac = s.exec(select(Borough).where(Borough.code == "HAC")).one().id
        swk = s.exec(select(Borough).where(Borough.code == "SWK")).one().id
        orgs = {
            "A": ("Hackney CVS", "charity"),
            "B": ("Met Police", "police"),
            "C": ("St Giles Trust", "charity"),
            "D": ("Quiet Mosque", "faith"),
            "E": ("Old Partner", "grassroots"),
            "F": ("Youth Club", "grassroots"),
        }
        for name, (label, sector) in orgs.items():
            org = Organisation(name=label, sector=sector)
            s.add(org)
            s.flush()
            ids[name] = org.id
        for org, borough in (("A", hac), ("C", swk), ("F", hac)):
            s.add(OrganisationBorough(organisation_id=ids[org], borough_id=borough))
        for name, full in (("alice", "Alice Adams"), ("bob", "Bob Brown")):
            person = Person(full_name=full)
            s.add(person)
            s.flush()
            ids[name] = person.id
        young = Person(full_name="Yasmin Young", is_young_person=True, age_band="16_17")
        s.add(young)
        s.flush()
        ids["young"] = young.id
        s.add(Affiliation(person_id=ids["alice"], organisation_id=ids["A"], role="Director"))
        s.add(Affiliation(person_id=ids["bob"], organisation_id=ids["B"], role="Commander"))
        prg = Network(name="Partnership Reference Group", kind="board")
        charities = Network(name="Charities Network", kind="network")
        s.add(prg)
        s.add(charities)
        s.flush()
        ids["prg"], ids["charities"] = prg.id, charities.id
        s.add(Membership(network_id=prg.id, person_id=ids["alice"], role="chair"))
        s.add(Membership(network_id=prg.id, organisation_id=ids["B"]))
        s.add(Membership(network_id=charities.id, organisation_id=ids["A"]))
        s.add(Membership(network_id=charities.id, organisation_id=ids["C"]))
        start = datetime(2024, 3, 1, 10, tzinfo=UTC)
        meeting = Meeting(network_id=prg.id, title="PRG", starts_at=start, ends_at=start)
        s.add(meeting)
        s.flush()
        s.add(Attendance(meeting_id=meeting.id, person_id=ids["alice"], status="present"))
        s.add(Attendance(meeting_id=meeting.id, person_id=ids["bob"], status="apologies"))
        for day, members in (
            (date(2024, 1, 10), "ABCF"),
            (date(2023, 1, 10), "AB"),
            (date(2020, 6, 1), "E"),
        ):
            engagement = Engagement(occurred_on=day, kind="visit")
            s.add(engagement)
            s.flush()
            for org in members:
                s.add(EngagementOrganisation(engagement_id=engagement.id, organisation_id=ids[org]))
            if members == "ABCF":
                s.add(EngagementBorough(engagement_id=engagement.id, borough_id=hac))
        ids["hac"], ids["swk"] = hac, swk
    return ids
