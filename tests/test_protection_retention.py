"""Retention: policies, what is due, and applying it in one step with a report."""

from datetime import date

import pytest
from sqlmodel import select

from db.models import AuditEntry, Engagement, Person, SubjectAccessRequest
from vru_crm.protection import retention
from vru_crm.protection.counts import people_linked
from vru_crm.protection.subject_access import log_request, mark_answered
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.people import PersonInput, create_person

TODAY = date(2026, 11, 24)


def _engagement(database, day, people, summary="Visit to the youth club with Jake"):
    return create_engagement(
        database,
        EngagementInput(
            kind="visit",
            occurred_on=day,
            person_ids=people,
            summary=summary,
            outcome="They will host the next forum",
            people_reached=40,
        ),
    ).id


def _policy(database, kind):
    return next(p for p in retention.list_policies(database) if p.record_kind == kind)


def test_default_policies_are_seeded_with_people_and_audit_off(database):
    policies = {p.record_kind: p for p in retention.list_policies(database)}
    assert set(policies) == {"engagement", "person", "subject_access_request", "audit_entry"}
    assert policies["engagement"].is_active and policies["engagement"].keep_years == 6
    assert not policies["person"].is_active and not policies["audit_entry"].is_active
    assert policies["person"].label == "People: anonymise after 6 years (off)"


def test_old_engagements_are_listed_then_anonymised_with_counts_kept(database):
    jake = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    amara = create_person(database, PersonInput(full_name="Amara Okafor")).id
    old = _engagement(database, date(2019, 5, 1), [jake, amara])
    edge = _engagement(database, date(2020, 11, 24), [jake])  # exactly six years: kept
    new = _engagement(database, date(2025, 1, 10), [amara])

    due = retention.due(database, TODAY)
    assert due.ids("engagement") == [old]
    assert due.items[0].label == "01/05/2019 visit"

    report = retention.apply(database, due)

    assert report.engagements_anonymised == 1 and report.people_unlinked == 2
    assert "1 engagements anonymised (2 links to people now anonymous counts)." in report.lines()
    assert people_linked(database, [old, edge, new]) == 4
    with database.session() as s:
        row = s.get(Engagement, old)
        assert (row.summary, row.outcome, row.people_reached) == ("[anonymised]", "", 40)
        assert s.get(Engagement, edge).summary.startswith("Visit")
        trail = [
            e for e in s.exec(select(AuditEntry)) if e.entity in ("engagement", "engagement_person")
        ]
        summary = s.exec(select(AuditEntry).where(AuditEntry.action == "retention")).one()
    old_entries = [e for e in trail if e.entity_id == old]
    assert old_entries and all("youth club" not in e.changes + e.summary for e in old_entries)
    assert all(
        '"person_id": "[anonymised]"' in e.changes
        for e in old_entries
        if e.entity == "engagement_person"
    )
    assert "1 engagements anonymised" in summary.summary
    assert retention.due(database, TODAY).items == []  # nothing left to do: applying is idempotent


def test_apply_touches_only_what_was_reviewed(database):
    jake = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    reviewed = retention.due(database, TODAY)
    assert reviewed.items == []
    late = _engagement(database, date(2018, 1, 1), [jake])  # became due after the review
    assert retention.apply(database, reviewed).changed == 0
    with database.session() as s:
        assert s.get(Engagement, late).summary.startswith("Visit")


def test_people_policy_anonymises_those_not_seen_or_past_review(database):
    from vru_crm.protection.consent import ProtectionInput, save_protection

    policy = _policy(database, "person")
    retention.update_policy(database, policy.id, 1, True, policy.version)
    seen = create_person(database, PersonInput(full_name="Amara Okafor")).id
    reviewed = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    save_protection(database, reviewed, ProtectionInput("consent", review_on=date(2026, 1, 1)))
    _engagement(database, date(2026, 6, 1), [seen])

    due = retention.due(database, TODAY)
    people = {i.record_id: i.reason for i in due.items if i.kind == "person"}
    assert people == {reviewed: "review date 01/01/2026 has passed"}
    report = retention.apply(database, due)
    assert report.people_anonymised == 1
    with database.session() as s:
        assert s.get(Person, reviewed).full_name == "Anonymised person"
        assert s.get(Person, seen).full_name == "Amara Okafor"


def test_answered_requests_are_deleted_after_their_time(database):
    jake = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    old = log_request(database, jake, date(2022, 1, 10), requested_by="Jake Ferguson")
    mark_answered(database, old.id, date(2022, 2, 1))
    recent = log_request(database, jake, date(2026, 10, 1))
    due = retention.due(database, TODAY)
    assert due.ids("subject_access_request") == [old.id]
    assert retention.apply(database, due).requests_deleted == 1
    with database.session() as s:
        assert [r.id for r in s.exec(select(SubjectAccessRequest))] == [recent.id]


def test_stopping_midway_changes_nothing(database):
    jake = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    ids = [_engagement(database, date(2015, 1, d), [jake]) for d in range(1, 4)]
    due = retention.due(database, TODAY)
    with pytest.raises(retention.RetentionStopped, match="nothing was changed"):
        retention.apply(database, due, should_stop=lambda: True)
    with database.session() as s:
        assert all(s.get(Engagement, e).summary.startswith("Visit") for e in ids)
    assert people_linked(database, ids) == 3


def test_progress_reaches_the_total(database):
    jake = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    for d in range(1, 4):
        _engagement(database, date(2015, 1, d), [jake])
    seen: list[tuple[int, int]] = []
    retention.apply(
        database, retention.due(database, TODAY), progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (3, 3)


def test_policy_years_are_checked(database):
    policy = _policy(database, "engagement")
    with pytest.raises(Exception, match="between 1 and 100 years"):
        retention.update_policy(database, policy.id, 0, True)
