"""Erasure: a person goes everywhere, the figures stay true, the audit trail keeps no trace."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from db.models import (
    Action,
    Affiliation,
    Attendance,
    AuditEntry,
    Engagement,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    SubjectAccessRequest,
)
from vru_crm.errors import NotFound, ValidationError
from vru_crm.protection.consent import ConsentInput, record_consent
from vru_crm.protection.counts import attendance_by_status, people_linked
from vru_crm.protection.erasure import ANONYMOUS_NAME, erase_person, preview_erasure
from vru_crm.protection.subject_access import log_request
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.people import PersonInput, create_person, update_person

SECRETS = ("Jake Ferguson", "Jake Fergusen", "jake@example.org", "020 7983 4000", "Ngozi Ferguson")


def _world(database):
    """Jake (to be erased) and Amara (to be kept), sharing an engagement and a meeting."""
    jake = create_person(
        database,
        PersonInput(
            full_name="Jake Fergusen",
            email="jake@example.org",
            phone="020 7983 4000",
            is_young_person=True,
            age_band="under_13",
        ),
    )
    update_person(
        database,
        jake.id,
        PersonInput(
            full_name="Jake Ferguson",
            email="jake@example.org",
            phone="020 7983 4000",
            is_young_person=True,
            age_band="under_13",
        ),
        jake.version,
    )
    amara = create_person(
        database, PersonInput(full_name="Amara Okafor", email="amara@example.org")
    )
    record_consent(
        database,
        jake.id,
        ConsentInput(
            "newsletter",
            date(2024, 1, 5),
            given_by="parent_carer",
            given_by_name="Ngozi Ferguson",
            given_by_relationship="mother",
        ),
    )
    log_request(database, jake.id, date(2024, 3, 1), requested_by="Ngozi Ferguson")
    with database.session() as s:
        org = Organisation(name="Hackney CVS", sector="charity")
        network = Network(name="Young People's Action Group", kind="youth_group")
        start = datetime(2024, 2, 1, 10, tzinfo=UTC)
        meeting = Meeting(title="YPAG", starts_at=start, ends_at=start, notes="Jake Ferguson spoke")
        s.add_all([org, network, meeting])
        s.flush()
        s.add_all(
            [
                Affiliation(person_id=jake.id, organisation_id=org.id, role="youth member"),
                Membership(network_id=network.id, person_id=jake.id),
                Attendance(meeting_id=meeting.id, person_id=jake.id, status="present"),
                Attendance(meeting_id=meeting.id, person_id=amara.id, status="present"),
                Action(
                    text="Jake Ferguson to draft the poster",
                    owner="Jake Ferguson",
                    owner_person_id=jake.id,
                    meeting_id=meeting.id,
                ),
            ]
        )
        org_id, meeting_id = org.id, meeting.id
    shared = create_engagement(
        database,
        EngagementInput(
            kind="visit",
            occurred_on=date(2024, 2, 2),
            organisation_ids=[org_id],
            person_ids=[jake.id, amara.id],
            summary="Met Jake Ferguson and Amara at the CVS",
            people_reached=12,
        ),
    )
    alone = create_engagement(
        database,
        EngagementInput(
            kind="call",
            occurred_on=date(2024, 2, 3),
            person_ids=[jake.id],
            summary="Call with jake@example.org about the poster",
        ),
    )
    return jake.id, amara.id, meeting_id, [shared.id, alone.id]


def _trail(database) -> str:
    with database.session() as s:
        return "\n".join(f"{e.summary} {e.changes}" for e in s.exec(select(AuditEntry)))


def test_erasure_removes_the_person_everywhere_and_keeps_the_figures(database):
    jake, amara, meeting, engagements = _world(database)
    before_people = people_linked(database, engagements)
    before_attendance = attendance_by_status(database, meeting)
    assert all(secret in _trail(database) for secret in SECRETS)  # the trail held them all

    report = erase_person(database, jake, "delete")

    assert people_linked(database, engagements) == before_people == 3
    assert attendance_by_status(database, meeting) == before_attendance == {"present": 2}
    assert report.engagements_counted == 2 and report.attendances_counted == 1
    with database.session() as s:
        assert s.get(Person, jake) is None
        assert s.get(Person, amara).full_name == "Amara Okafor"
        reached = [s.get(Engagement, e).people_reached for e in engagements]
        summaries = [s.get(Engagement, e).summary for e in engagements]
        sar = s.exec(select(SubjectAccessRequest)).one()
        action = s.exec(select(Action)).one()
        meeting_notes = s.get(Meeting, meeting).notes
        memberships = s.exec(select(Membership)).all()
    assert reached == [12, 0]
    assert summaries == ["Met [erased] and Amara at the CVS", "Call with [erased] about the poster"]
    assert sar.person_id is None and sar.requested_by == "[erased]" and sar.due_on
    assert action.owner_person_id is None and "Jake" not in action.text + (action.owner or "")
    assert meeting_notes == "[erased] spoke" and memberships == []
    trail = _trail(database)
    assert not [secret for secret in SECRETS if secret.lower() in trail.lower()]
    assert "Amara Okafor" in trail  # the others' history is untouched


def test_the_erasure_itself_is_audited_without_the_erased_data(database):
    jake, *_ = _world(database)
    erase_person(database, jake)
    with database.session() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "erase")).one()
    assert entry.entity == "person" and entry.entity_id == jake and entry.username == "tester"
    assert "2 engagements and 1 meeting attendances now count them anonymously" in entry.summary
    assert entry.changes == "{}"
    assert "Jake" not in entry.summary


def test_anonymise_keeps_the_record_and_its_links_without_identity(database):
    jake, _, meeting, engagements = _world(database)
    preview = preview_erasure(database, jake)
    assert preview.is_young_person and preview.links["engagement_person"] == 2
    erase_person(database, jake, "anonymise")
    with database.session() as s:
        person = s.get(Person, jake)
        affiliations = s.exec(select(Affiliation).where(Affiliation.person_id == jake)).all()
    assert (person.full_name, person.email, person.phone) == (ANONYMOUS_NAME, None, None)
    assert person.age_band == "under_13"  # counts of young people reached stay true
    assert affiliations == []
    assert people_linked(database, engagements) == 3
    assert attendance_by_status(database, meeting) == {"present": 2}
    assert "jake@example.org" not in _trail(database)
    with pytest.raises(ValidationError, match="already been anonymised"):
        erase_person(database, jake, "anonymise")


def test_erasing_someone_who_is_not_there_says_so(database):
    with pytest.raises(NotFound, match="no person with id 999"):
        erase_person(database, 999)


def test_a_failed_erasure_changes_nothing(database, monkeypatch):
    jake, *_ = _world(database)
    trail = _trail(database)
    from vru_crm.protection import erasure

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure.scrub, "scrub_free_text", broken)
    with pytest.raises(RuntimeError):
        erase_person(database, jake)
    with database.session() as s:
        assert s.get(Person, jake).full_name == "Jake Ferguson"
    assert _trail(database) == trail


def test_erased_values_are_not_left_in_the_sqlite_file(sqlite_database):
    for i in range(100):
        create_person(sqlite_database, PersonInput(full_name=f"Other Person {i}", notes="x" * 200))
    jake = create_person(
        sqlite_database, PersonInput(full_name="Zebedee Quarrington", email="zebedee@example.org")
    )
    create_engagement(
        sqlite_database,
        EngagementInput(
            kind="visit",
            occurred_on=date(2025, 3, 1),
            person_ids=[jake.id],
            summary="Met Zebedee Quarrington",
        ),
    )
    erase_person(sqlite_database, jake.id)
    folder = sqlite_database.path.parent
    raw = b"".join(f.read_bytes() for f in folder.iterdir() if f.is_file()).lower()
    assert (
        b"zebedee" not in raw and b"quarrington" not in raw
    )  # not even in free pages or the index
