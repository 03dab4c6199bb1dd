"""Subject access: requests with their due dates, and everything held about one person."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from db.models import Attendance, Meeting, Organisation
from vru_crm.errors import ValidationError
from vru_crm.london import today_in_london
from vru_crm.protection.consent import ConsentInput, record_consent
from vru_crm.protection.subject_access import (
    due_date,
    export_person,
    list_requests,
    log_request,
    mark_answered,
)
from vru_crm.reliability.files import mode_of
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.people import PersonInput, create_person, update_person


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2025, 3, 15), date(2025, 4, 15)),
        (date(2025, 12, 20), date(2026, 1, 20)),
    ],
)
def test_due_date_is_one_calendar_month_later(received, due):
    assert due_date(received) == due


def test_requests_are_shown_until_answered(database):
    jake = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    today = today_in_london()
    late = log_request(database, jake, today - timedelta(days=40), requested_by="Jake Ferguson")
    fresh = log_request(database, jake, today)
    open_now = list_requests(database, open_only=True)
    assert [r.id for r in open_now] == [late.id, fresh.id]
    assert late.is_overdue(today) and late.status(today).startswith("OVERDUE by")
    assert fresh.status(today).endswith("days left") and fresh.person_name == "Jake Ferguson"
    mark_answered(database, late.id, today)
    assert [r.id for r in list_requests(database, open_only=True)] == [fresh.id]
    assert list_requests(database)[0].status(today) == f"answered {today:%d/%m/%Y}"


def test_a_request_from_the_future_is_refused(database):
    jake = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    with pytest.raises(ValidationError, match="cannot be received in the future"):
        log_request(database, jake, today_in_london() + timedelta(days=2))


def test_export_holds_records_engagements_meetings_and_audit_entries(database, tmp_path):
    jake = create_person(
        database, PersonInput(full_name="Jake <Ferguson>", email="jake@example.org")
    )
    update_person(
        database,
        jake.id,
        PersonInput(
            full_name="Jake <Ferguson>", email="jake@example.org", notes="prefers evenings"
        ),
        jake.version,
    )
    other = create_person(database, PersonInput(full_name="Amara Okafor")).id
    record_consent(database, jake.id, ConsentInput("newsletter", date(2025, 1, 2), channel="email"))
    with database.session() as s:
        org = Organisation(name="Hackney CVS", sector="charity")
        start = datetime(2025, 2, 1, 18, tzinfo=UTC)
        meeting = Meeting(title="Youth Practitioners Forum", starts_at=start, ends_at=start)
        s.add_all([org, meeting])
        s.flush()
        s.add(Attendance(meeting_id=meeting.id, person_id=jake.id, status="apologies"))
        org_id = org.id
    create_engagement(
        database,
        EngagementInput(
            kind="visit",
            occurred_on=date(2025, 2, 3),
            organisation_ids=[org_id],
            person_ids=[jake.id, other],
            summary="Talked about the summer programme",
        ),
    )
    log_request(database, jake.id, today_in_london(), requested_by="Jake")

    files = export_person(database, jake.id, tmp_path / "sar")

    data = json.loads(files.json.read_text(encoding="utf-8"))
    assert data["person"]["email"] == "jake@example.org"
    assert data["consents"][0]["given_by"] == "the person themselves"
    [engagement] = data["engagements"]
    assert engagement["summary"] == "Talked about the summer programme"
    assert engagement["organisations"] == ["Hackney CVS"]
    assert data["meetings_attended"] == [
        {
            "title": "Youth Practitioners Forum",
            "starts_at": "2025-02-01T18:00:00+00:00",
            "network": None,
            "attendance": "apologies",
        }
    ]
    records = {(e["record"], e["action"]) for e in data["audit_entries"]}
    assert {
        ("person", "create"),
        ("person", "update"),
        ("consent_record", "create"),
        ("engagement_person", "create"),
        ("attendance", "create"),
    } <= records
    update = next(e for e in data["audit_entries"] if e["action"] == "update")
    assert update["changes"]["notes"] == ["", "prefers evenings"]
    assert "Amara" not in files.json.read_text(encoding="utf-8")  # third parties are left out
    html = files.html.read_text(encoding="utf-8")
    assert "Jake &lt;Ferguson&gt;" in html and "<Ferguson>" not in html
    assert "Talked about the summer programme" in html and "Youth Practitioners Forum" in html
    assert mode_of(files.html) == mode_of(files.json) == 0o600
