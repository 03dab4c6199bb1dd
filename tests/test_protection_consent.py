"""Lawful basis, consent and contact preferences, on both backends."""

from datetime import date, timedelta

import pytest

from db.errors import ConcurrentEditError
from vru_crm.errors import ValidationError
from vru_crm.london import today_in_london
from vru_crm.protection.consent import (
    ConsentInput,
    ProtectionInput,
    consent_problems,
    get_protection,
    record_consent,
    save_protection,
    withdraw_consent,
)
from vru_crm.services.people import PersonInput, create_person

TODAY = today_in_london()


def _young(database, band="under_13"):
    return create_person(
        database, PersonInput(full_name="Tayo Young", is_young_person=True, age_band=band)
    ).id


def test_under_13_cannot_consent_for_themselves(database):
    pid = _young(database)
    with pytest.raises(ValidationError) as caught:
        record_consent(database, pid, ConsentInput("newsletter", TODAY, given_by="self"))
    assert "under 13 cannot consent for themselves" in caught.value.fields["given_by"]
    assert get_protection(database, pid).consents == ()


def test_parent_consent_needs_a_name_and_relationship(database):
    pid = _young(database)
    with pytest.raises(ValidationError) as caught:
        record_consent(database, pid, ConsentInput("newsletter", TODAY, given_by="parent_carer"))
    assert set(caught.value.fields) == {"given_by_name", "given_by_relationship"}


def test_under_13_record_shows_who_gave_consent_and_their_relationship(database):
    pid = _young(database)
    record_consent(
        database,
        pid,
        ConsentInput(
            "photos",
            TODAY - timedelta(days=3),
            channel="any",
            given_by="parent_carer",
            given_by_name="Ngozi Young",
            given_by_relationship="mother",
            method="written",
        ),
    )
    record = get_protection(database, pid)
    assert record.safeguarding_notice and "Young person" in record.safeguarding_notice
    assert record.needs_parental_consent
    [consent] = record.consents
    assert consent.given_by_text == "Ngozi Young (mother), parent or carer"
    assert "Photos and film" in consent.summary and "active" in consent.summary
    assert not any("parent or carer's consent" in w for w in record.warnings)


def test_older_young_person_may_consent_themselves(database):
    pid = _young(database, "16_17")
    view = record_consent(database, pid, ConsentInput("newsletter", TODAY, channel="email"))
    assert view.given_by == "self" and view.given_by_name is None
    assert not get_protection(database, pid).needs_parental_consent


def test_young_person_without_age_band_is_treated_as_under_13():
    problems = consent_problems(ConsentInput("newsletter", TODAY), True, None)
    assert "age band is not recorded" in problems["given_by"]


def test_consent_in_the_future_or_out_of_range_is_refused():
    future = consent_problems(ConsentInput("newsletter", TODAY + timedelta(days=1)), False, None)
    assert future == {"given_on": "consent cannot be given in the future"}
    ancient = consent_problems(ConsentInput("newsletter", date(1900, 1, 1)), False, None)
    assert "out of range" in ancient["given_on"]
    unknown = consent_problems(ConsentInput("spam", TODAY, channel="fax"), False, None)
    assert set(unknown) == {"purpose", "channel"}


def test_withdrawal_keeps_the_record_and_ends_it(database):
    pid = create_person(database, PersonInput(full_name="Amara Okafor")).id
    view = record_consent(database, pid, ConsentInput("newsletter", TODAY - timedelta(days=10)))
    withdrawn = withdraw_consent(database, view.id, TODAY)
    assert withdrawn.withdrawn_on == TODAY and not withdrawn.is_active(TODAY)
    with pytest.raises(ValidationError, match="before it was given"):
        withdraw_consent(database, view.id, TODAY - timedelta(days=30))
    [kept] = get_protection(database, pid).consents
    assert kept.withdrawn_on == TODAY


def test_protection_record_is_saved_and_a_stale_save_is_refused(database):
    pid = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    blank = get_protection(database, pid)
    assert blank.version is None and blank.lawful_basis is None
    assert "No lawful basis" in blank.warnings[0]
    saved = save_protection(
        database,
        pid,
        ProtectionInput(
            "legitimate_interests",
            "partner contact",
            no_email=True,
            review_on=TODAY - timedelta(days=1),
        ),
        version=None,
    )
    assert saved.no_email and saved.lawful_basis == "legitimate_interests"
    assert any("review date" in w for w in saved.warnings)
    save_protection(database, pid, ProtectionInput("public_task"), version=saved.version)
    with pytest.raises(ConcurrentEditError):
        save_protection(database, pid, ProtectionInput("consent"), version=saved.version)
    assert get_protection(database, pid).lawful_basis == "public_task"


def test_unknown_lawful_basis_is_refused_in_words(database):
    pid = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    with pytest.raises(ValidationError, match="not a lawful basis"):
        save_protection(database, pid, ProtectionInput("because"))


def test_merging_people_keeps_the_merged_persons_consent_and_requests(database):
    from datetime import date

    from sqlmodel import select

    from db.models.protection import ConsentRecord, SubjectAccessRequest
    from vru_crm.services.people import PersonInput, create_person, merge_people

    keep = create_person(database, PersonInput(full_name="Amara Okafor"))
    other = create_person(database, PersonInput(full_name="Amara Okafor (old)"))
    with database.session() as s:
        s.add(
            ConsentRecord(
                person_id=other.id, purpose="newsletter", channel="email", given_on=date(2024, 1, 5)
            )
        )
        s.add(
            SubjectAccessRequest(
                person_id=other.id, received_on=date(2025, 2, 1), due_on=date(2025, 3, 1)
            )
        )
    merge_people(database, keep.id, other.id)
    with database.session() as s:
        consents = s.exec(select(ConsentRecord)).all()
        requests = s.exec(select(SubjectAccessRequest)).all()
    assert [c.person_id for c in consents] == [keep.id]
    assert [r.person_id for r in requests] == [keep.id]
