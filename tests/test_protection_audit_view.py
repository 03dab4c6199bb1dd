"""The audit trail as the app shows it: filtered by who, what, when and text, old and new values."""

from datetime import timedelta

from db.session import Database
from vru_crm.london import today_in_london
from vru_crm.protection import audit_view
from vru_crm.protection.audit_view import AuditFilter
from vru_crm.services.organisations import (
    OrganisationInput,
    create_organisation,
    update_organisation,
)
from vru_crm.services.people import PersonInput, create_person


def _changes(db_url):
    """Two users: 'tester' creates and renames an organisation, 'director' adds a person."""
    database = Database(db_url, username="tester")
    org = create_organisation(database, OrganisationInput(name="Hackney CVS", sector="charity"))
    update_organisation(
        database,
        org.id,
        OrganisationInput(name="Hackney Council for Voluntary Service", sector="charity"),
        org.version,
    )
    database.dispose()
    director = Database(db_url, username="director")
    person = create_person(director, PersonInput(full_name="Lib Peck"))
    director.dispose()
    return org.id, person.id


def test_filters_by_user_entity_action_and_text(db_url, database):
    org_id, person_id = _changes(db_url)
    everything = audit_view.page_entries(database, AuditFilter())
    assert audit_view.count_entries(database, AuditFilter()) == len(everything) >= 3
    assert everything[0].entity == "person"  # newest first

    by_director = audit_view.page_entries(database, AuditFilter(username="director"))
    assert {(r.entity, r.entity_id) for r in by_director} == {("person", person_id)}

    [rename] = audit_view.page_entries(
        database, AuditFilter(entity="organisation", action="update")
    )
    assert rename.entity_id == org_id and rename.username == "tester"
    assert "name: Hackney CVS → Hackney Council for Voluntary Service" in rename.changes_text

    found = audit_view.page_entries(database, AuditFilter(text="voluntary service"))
    assert [r.id for r in found] == [rename.id]
    options = audit_view.choices(database)
    assert {"tester", "director"} <= set(options["username"])
    assert {"create", "update"} <= set(options["action"])


def test_date_filter_uses_london_days(db_url, database):
    _changes(db_url)
    today = today_in_london()
    assert audit_view.count_entries(database, AuditFilter(since=today - timedelta(days=1)))
    assert audit_view.count_entries(database, AuditFilter(until=today - timedelta(days=2))) == 0


def test_paging_walks_the_whole_trail_once(db_url, database):
    _changes(db_url)
    total = audit_view.count_entries(database, AuditFilter())
    pages = [
        audit_view.page_entries(database, AuditFilter(), offset, 2) for offset in range(0, total, 2)
    ]
    ids = [r.id for page in pages for r in page]
    assert len(ids) == len(set(ids)) == total


def test_the_audit_view_offers_no_way_to_change_an_entry():
    public = [name for name in dir(audit_view) if not name.startswith("_")]
    assert not [n for n in public if n.split("_")[0] in {"update", "delete", "save", "edit", "set"}]
