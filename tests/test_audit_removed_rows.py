"""Every row that goes is on the audit record, with its values."""

import json
from datetime import date
from pathlib import Path

from sqlmodel import select

from db.models import AuditEntry
from vru_crm.io.importer import import_file
from vru_crm.protection.consent import ConsentInput, record_consent
from vru_crm.services.engagements import (
    EngagementInput,
    create_engagement,
    get_engagement,
    update_engagement,
)
from vru_crm.services.organisations import (
    OrganisationInput,
    create_organisation,
    delete_organisation,
    update_organisation,
)
from vru_crm.services.people import PersonInput, create_person, delete_person
from vru_crm.services.reference import find_borough

FIXTURES = Path(__file__).parent / "fixtures"


def _deleted(database, entity: str) -> list[dict]:
    with database.session() as s:
        rows = s.exec(
            select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.action == "delete")
        ).all()
    return [json.loads(r.changes) for r in rows]


def test_removing_boroughs_and_tags_from_an_organisation_is_audited(database):
    hackney, camden = find_borough(database, "Hackney").id, find_borough(database, "Camden").id
    data = OrganisationInput(
        name="Hackney CVS", sector="charity", borough_ids=[hackney, camden], tags=["youth", "arts"]
    )
    org = create_organisation(database, data)
    data.borough_ids, data.tags = [hackney], ["youth"]
    update_organisation(database, org.id, data, org.version)
    assert _deleted(database, "organisation_borough") == [
        {"organisation_id": org.id, "borough_id": camden}
    ]
    [tag] = _deleted(database, "organisation_tag")
    assert tag["organisation_id"] == org.id


def test_removing_a_person_from_an_engagement_is_audited(database):
    a = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    b = create_person(database, PersonInput(full_name="Amara Okafor")).id
    data = EngagementInput(
        kind="visit", occurred_on=date(2025, 2, 1), person_ids=[a, b], summary="Met both"
    )
    record = create_engagement(database, data)
    data.person_ids = [a]
    update_engagement(database, record.id, data, get_engagement(database, record.id).version)
    assert _deleted(database, "engagement_person") == [{"engagement_id": record.id, "person_id": b}]


def test_rows_deleted_by_database_cascade_are_audited(database):
    pid = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    record_consent(database, pid, ConsentInput("newsletter", date(2025, 1, 5)))
    delete_person(database, pid)
    [consent] = _deleted(database, "consent_record")
    assert consent["person_id"] == pid and consent["purpose"] == "newsletter"
    org = create_organisation(
        database,
        OrganisationInput(
            name="Camden Youth", sector="charity", borough_ids=[find_borough(database, "Camden").id]
        ),
    )
    delete_organisation(database, org.id)
    assert [r["organisation_id"] for r in _deleted(database, "organisation_borough")] == [org.id]


def test_an_engagement_import_records_the_ids_and_values_it_wrote(database):
    for kind in ("organisations", "people"):
        assert import_file(database, kind, FIXTURES / f"{kind}.csv").ok
    report = import_file(database, "engagements", FIXTURES / "engagements.csv")
    assert report.ok
    with database.session() as s:
        entry = s.exec(
            select(AuditEntry).where(
                AuditEntry.entity == "engagement", AuditEntry.summary.startswith("imported")
            )
        ).one()
    changes = json.loads(entry.changes)
    assert changes["count"] == report.imported and changes["ids"]
    assert len(changes["rows"]) == report.imported and changes["rows"][0]["summary"]


def test_generate_records_which_ids_it_added_and_how_to_make_them_again(database):
    from vru_crm.generate.runner import Counts, generate

    generate(database, Counts(organisations=5, people=10, engagements=20, meetings=2), 3)
    with database.session() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.entity == "generate")).one()
    changes = json.loads(entry.changes)
    assert changes["seed"] == 3 and changes["today"]
    assert changes["ids"]["person"] == [1, 10] and changes["rows"]["engagement"] == 20
