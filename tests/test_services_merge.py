"""Merging duplicates keeps every link of both records, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from db.models import Action, Attendance, Meeting, Membership, Network
from vru_crm.errors import NotFound, ValidationError
from vru_crm.services import engagements as eng
from vru_crm.services import organisations as orgs
from vru_crm.services import people
from vru_crm.services.reference import find_borough


def _network_and_meetings(database) -> tuple[int, list[int]]:
    with database.session() as s:
        network = Network(name="PRG", kind="board")
        s.add(network)
        s.flush()
        meetings = [
            Meeting(
                network_id=network.id,
                title=f"PRG {n}",
                starts_at=datetime(2019, n, 1, 10, tzinfo=UTC),
                ends_at=datetime(2019, n, 1, 12, tzinfo=UTC),
            )
            for n in (1, 2, 3)
        ]
        s.add_all(meetings)
        s.flush()
        return network.id, [m.id for m in meetings]


def test_merge_organisations_keeps_everything_once(database):
    hackney, lambeth = find_borough(database, "Hackney").id, find_borough(database, "Lambeth").id
    keep = orgs.create_organisation(
        database,
        orgs.OrganisationInput(
            name="Hackney CVS", sector="charity", borough_ids=[hackney], tags=["vcs"]
        ),
    )
    other = orgs.create_organisation(
        database,
        orgs.OrganisationInput(
            name="Hackney C.V.S.",
            sector="charity",
            borough_ids=[hackney, lambeth],
            tags=["vcs", "umbrella"],
            email="info@hcvs.org",
            notes="from the import",
        ),
    )
    person = people.create_person(database, people.PersonInput(full_name="Jo"))
    for org in (keep, other):  # the same job recorded on both: kept once
        people.add_affiliation(
            database, people.AffiliationInput(person.id, org.id, "Chair", date(2019, 1, 1))
        )
    people.add_affiliation(
        database,
        people.AffiliationInput(person.id, other.id, "Trustee", date(2017, 1, 1), date(2018, 1, 1)),
    )
    network_id, _ = _network_and_meetings(database)
    with database.session() as s:
        s.add(
            Membership(
                network_id=network_id,
                organisation_id=other.id,
                role="member",
                start_date=date(2018, 10, 1),
            )
        )
    shared = eng.create_engagement(
        database,
        eng.EngagementInput(kind="visit", summary="both", organisation_ids=[keep.id, other.id]),
    )
    only_other = eng.create_engagement(
        database, eng.EngagementInput(kind="call", summary="other", organisation_ids=[other.id])
    )
    orgs.add_assessment(
        database, orgs.AssessmentInput(other.id, 3, 3, 3, assessed_on=date(2020, 1, 1))
    )

    result = orgs.merge_organisations(database, keep.id, other.id)

    assert result.moved == {
        "affiliations": 1,
        "memberships": 1,
        "assessments": 1,
        "engagements": 1,
        "boroughs": 1,
        "tags": 1,
    }
    with pytest.raises(NotFound):
        orgs.get_organisation(database, other.id)
    merged = orgs.get_organisation(database, keep.id)
    assert set(merged.borough_ids) == {hackney, lambeth} and merged.tags == ("umbrella", "vcs")
    assert merged.email == "info@hcvs.org" and merged.notes == "from the import"
    roles = sorted(
        (a.role, a.start_date, a.end_date)
        for a in people.get_person(database, person.id).affiliations
    )
    assert roles == [
        ("Chair", date(2019, 1, 1), None),
        ("Trustee", date(2017, 1, 1), date(2018, 1, 1)),
    ]
    assert eng.get_engagement(database, shared.id).organisation_ids == (keep.id,)
    assert eng.get_engagement(database, only_other.id).organisation_ids == (keep.id,)
    assert len(orgs.assessment_history(database, keep.id)) == 1
    with database.session() as s:
        membership = s.exec(select(Membership)).one()
        assert (membership.organisation_id, membership.start_date) == (keep.id, date(2018, 10, 1))


def test_merge_people_keeps_attendance_memberships_and_actions(database):
    keep = people.create_person(database, people.PersonInput(full_name="Amira Khan", notes="A"))
    other = people.create_person(
        database, people.PersonInput(full_name="Amira Kahn", email="ak@x.org", notes="B")
    )
    network_id, meetings = _network_and_meetings(database)
    with database.session() as s:
        s.add(Attendance(meeting_id=meetings[0], person_id=keep.id, status="apologies"))
        s.add(Attendance(meeting_id=meetings[0], person_id=other.id, status="present"))
        s.add(Attendance(meeting_id=meetings[1], person_id=other.id, status="absent"))
        s.add(Membership(network_id=network_id, person_id=keep.id, role="member"))
        s.add(Membership(network_id=network_id, person_id=other.id, role="member"))
        s.add(
            Membership(
                network_id=network_id, person_id=other.id, role="chair", start_date=date(2020, 1, 1)
            )
        )
        s.add(Action(text="Send the paper", owner_person_id=other.id))
    e = eng.create_engagement(
        database, eng.EngagementInput(kind="call", summary="x", person_ids=[other.id])
    )

    result = people.merge_people(database, keep.id, other.id)

    assert result.moved == {
        "affiliations": 0,
        "memberships": 1,
        "attendance": 1,
        "engagements": 1,
        "actions": 1,
    }
    merged = people.get_person(database, keep.id)
    assert merged.email == "ak@x.org" and merged.notes == "A\n\nB"
    assert eng.get_engagement(database, e.id).person_ids == (keep.id,)
    with database.session() as s:
        attendance = {a.meeting_id: a.status for a in s.exec(select(Attendance))}
        assert attendance == {meetings[0]: "present", meetings[1]: "absent"}
        assert sorted(m.role for m in s.exec(select(Membership))) == ["chair", "member"]
        assert s.exec(select(Action)).one().owner_person_id == keep.id


def test_merge_refuses_itself_and_missing_records(database):
    made = people.create_person(database, people.PersonInput(full_name="A"))
    with pytest.raises(ValidationError, match="two different records"):
        people.merge_people(database, made.id, made.id)
    with pytest.raises(NotFound):
        people.merge_people(database, made.id, 9999)
    assert people.get_person(database, made.id).full_name == "A"
