"""Team mode enforced by the server: its audit triggers, append-only trail, erasure, refusals.

Each test has its own database (a copy of the migrated template) with ``team init``
run by its owner, and new login roles in the groups it needs; all dropped after.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.migrate import open_database
from db.team_access import PermissionRefused
from vru_crm.cli.main import main
from vru_crm.protection.audit_view import AuditFilter, page_entries
from vru_crm.protection.erasure import erase_person
from vru_crm.queries.people import PersonQuery
from vru_crm.queries.person_detail import person_detail
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.organisations import (
    OrganisationInput,
    create_organisation,
    get_organisation,
    update_organisation,
)
from vru_crm.services.people import PersonInput, create_person, get_person, update_person
from vru_crm.team import roles

pytestmark = pytest.mark.postgres


def _login(database) -> str:
    return str(make_url(database.url).username)


def _entries(owner, entity: str) -> list[tuple[str, str, int | None, str, dict]]:
    with owner.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, username, entity_id, summary, changes FROM audit_entry "
                "WHERE entity = :e ORDER BY id"
            ),
            {"e": entity},
        ).all()
    return [(a, u, i, s, json.loads(c)) for a, u, i, s, c in rows]


def _young_person(database, name: str = "Ayo Bello") -> int:
    return create_person(
        database,
        PersonInput(
            full_name=name,
            email="ayo.bello@example.org",
            phone="07700 900123",
            is_young_person=True,
            age_band="16_17",
        ),
    ).id


def _raw(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql))
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def test_server_writes_one_entry_per_change_signed_with_the_login(owner, as_login):
    staff = as_login("engagement", user="Sadiq Khan")
    org = create_organisation(staff, OrganisationInput(name="Brixton Boxing", sector="charity"))
    current = get_organisation(staff, org.id)
    update_organisation(
        staff,
        org.id,
        OrganisationInput(name="Brixton Boxing Club", sector="charity"),
        current.version,
    )
    entries = _entries(owner, "organisation")
    assert [e[0] for e in entries] == ["create", "update"]  # one each: not doubled
    assert {e[1] for e in entries} == {_login(staff)}  # not "Sadiq Khan"
    created, updated = entries
    assert created[2] == org.id and created[3] == "Brixton Boxing"
    assert created[4]["name"] == "Brixton Boxing" and "version" not in created[4]
    assert updated[4] == {"name": ["Brixton Boxing", "Brixton Boxing Club"]}


def test_audit_view_reads_the_servers_entries_in_words(owner, as_login):
    staff = as_login("engagement")
    org = create_organisation(staff, OrganisationInput(name="Peckham Pathways", sector="charity"))
    create_engagement(
        staff, EngagementInput(kind="visit", organisation_ids=[org.id], summary="first visit")
    )
    dpo = as_login("protection")
    rows = page_entries(dpo, AuditFilter(username=_login(staff)))
    kinds = {(r.action, r.entity) for r in rows}
    assert ("create", "organisation") in kinds and ("create", "engagement") in kinds
    made = next(r for r in rows if r.entity == "organisation")
    assert made.action_words and "Peckham Pathways" in made.changes_text


def test_an_entry_written_by_hand_is_signed_by_the_server(owner, logins):
    url = logins.make("viewer")
    _raw(
        url,
        "INSERT INTO audit_entry (at, username, action, entity, summary, changes) "
        "VALUES ('2001-01-01', 'Sadiq Khan', 'update', 'organisation', 'forged', '{}')",
    )
    with owner.engine.connect() as conn:
        who, year = conn.execute(
            text("SELECT username, extract(year FROM at) FROM audit_entry WHERE summary = 'forged'")
        ).one()
    assert who == make_url(url).username and int(year) > 2001


@pytest.mark.parametrize("role", roles.ROLES)
def test_no_role_rewrites_the_trail_with_raw_sql(owner, logins, role):
    create_organisation(owner, OrganisationInput(name="Hackney Youth Hub", sector="charity"))
    url = logins.make(role)
    for sql in (
        "UPDATE audit_entry SET summary = ''",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
        "DELETE FROM vru_team.erasing",
        "DROP TRIGGER vru_audit ON organisation",
        "ALTER TABLE organisation DISABLE TRIGGER vru_audit",
    ):
        with pytest.raises(ProgrammingError) as caught:
            _raw(url, sql)
        message = str(caught.value.orig)
        assert "permission denied" in message or "must be owner" in message


def test_only_protection_and_admin_may_call_the_scrub(owner, logins):
    for role in ("viewer", "engagement", "governance"):
        with pytest.raises(ProgrammingError, match="permission denied"):
            _raw(logins.make(role), "SELECT vru_team.scrub_audit('{}', '{}', '{}')")


def test_erasure_by_the_dpo_scrubs_the_trail_through_the_recorded_function(owner, as_login):
    staff = as_login("engagement")
    person_id = _young_person(staff)
    org = create_organisation(staff, OrganisationInput(name="Brixton Boxing", sector="charity"))
    create_engagement(
        staff,
        EngagementInput(
            kind="visit", organisation_ids=[org.id], person_ids=[person_id], summary="met Ayo Bello"
        ),
    )
    dpo = as_login("protection")
    report = erase_person(dpo, person_id)
    assert report.audit_entries_scrubbed >= 2
    with owner.engine.connect() as conn:
        trail = conn.execute(text("SELECT summary || ' ' || changes FROM audit_entry")).scalars()
        text_of_trail = "\n".join(trail)
        scrubs = conn.execute(
            text("SELECT username, changes FROM audit_entry WHERE action = 'scrub'")
        ).all()
        erase = conn.execute(
            text("SELECT username FROM audit_entry WHERE action = 'erase'")
        ).scalar_one()
    assert "Ayo" not in text_of_trail and "07700" not in text_of_trail
    assert len(scrubs) == 1 and scrubs[0][0] == _login(dpo)
    assert json.loads(scrubs[0][1])["entries_scrubbed"] == report.audit_entries_scrubbed
    assert erase == _login(dpo)


def test_erasure_below_protection_is_refused_in_words(owner, as_login):
    person_id = _young_person(owner)
    staff = as_login("governance")
    with pytest.raises(PermissionRefused) as caught:
        erase_person(staff, person_id)
    assert str(caught.value).startswith("Your role (governance) cannot")
    assert get_person(owner, person_id).full_name == "Ayo Bello"


@pytest.mark.parametrize("role", ["viewer", "engagement", "governance"])
def test_below_protection_no_raw_sql_reads_contact_details(owner, logins, role):
    _young_person(owner)
    url = logins.make(role)
    for sql in (
        "SELECT email FROM person",
        "SELECT phone FROM person",
        "SELECT * FROM person",
        "SELECT changes FROM audit_entry",  # the entries hold the values too
        "SELECT requested_by FROM subject_access_request",
        "SELECT given_by_name FROM consent_record",
    ):
        with pytest.raises(ProgrammingError, match="permission denied"):
            _raw(url, sql)
    assert _raw(url, "SELECT full_name FROM person") == "Ayo Bello"


def test_people_pages_read_as_a_viewer_without_contact_details(owner, as_login):
    person_id = _young_person(owner)
    viewer = as_login("viewer")
    assert get_person(viewer, person_id).email is None
    detail = person_detail(viewer, person_id)
    assert (detail.full_name, detail.email, detail.phone) == ("Ayo Bello", "", "")
    rows = PersonQuery(viewer).page(0, 10)
    assert [(r.full_name, r.email) for r in rows] == [("Ayo Bello", "")]
    dpo = as_login("protection")
    assert person_detail(dpo, person_id).email == "ayo.bello@example.org"


def test_engagement_edit_of_a_person_keeps_the_contact_details_it_cannot_see(owner, as_login):
    person_id = _young_person(owner)
    staff = as_login("engagement")
    shown = get_person(staff, person_id)
    update_person(
        staff,
        person_id,
        PersonInput(
            full_name="Ayo B.",
            email=shown.email,
            phone=shown.phone,
            is_young_person=True,
            age_band="16_17",
        ),
        shown.version,
    )
    kept = get_person(owner, person_id)
    assert (kept.full_name, kept.email, kept.phone) == (
        "Ayo B.",
        "ayo.bello@example.org",
        "07700 900123",
    )


def test_viewer_reads_but_every_write_is_refused_in_words(owner, as_login):
    org = create_organisation(owner, OrganisationInput(name="Hackney Youth Hub", sector="charity"))
    viewer = as_login("viewer")
    assert get_organisation(viewer, org.id).name == "Hackney Youth Hub"
    attempts = {
        "organisations": lambda: create_organisation(
            viewer, OrganisationInput(name="Nope", sector="charity")
        ),
        "people": lambda: create_person(viewer, PersonInput(full_name="Nope")),
        "engagements": lambda: create_engagement(
            viewer, EngagementInput(kind="visit", organisation_ids=[org.id], summary="a visit")
        ),
    }
    for words, attempt in attempts.items():
        with pytest.raises(PermissionRefused) as caught:
            attempt()
        assert str(caught.value) == f"Your role (viewer) cannot change {words}."
    assert _entries(owner, "organisation")[-1][0] == "create"  # nothing else was recorded


def test_cli_refusal_exits_1_in_words(owner, logins, capsys):
    url = logins.make("viewer")
    code = main(["--db", url, "organisation", "add", "Nope", "--sector", "charity"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Your role (viewer) cannot change organisations" in err
    assert "Traceback" not in err and "INSERT" not in err


def test_removed_user_cannot_connect_and_their_entries_remain(owner, logins):
    url = logins.make("engagement")
    name = str(make_url(url).username)
    staff = open_database(url, username="someone")
    create_organisation(staff, OrganisationInput(name="Kept Org", sector="charity"))
    staff.dispose()
    roles.remove_user(owner, name)
    with pytest.raises(OperationalError):
        _raw(url, "SELECT 1")
    assert [e[1] for e in _entries(owner, "organisation")] == [name]


def test_migrations_keep_grants_triggers_and_policies(owner, logins, pg_url):
    from alembic import command

    from db.migrate import alembic_config, known_revisions, upgrade

    viewer = logins.make("viewer")
    staff = open_database(logins.make("engagement"), username="x")
    create_organisation(staff, OrganisationInput(name="Before", sector="charity"))
    previous = known_revisions()[-2]
    command.downgrade(alembic_config(pg_url), previous)
    upgrade(owner, backup=False)
    roles.init(owner)  # run again after the upgrade, as the set-up steps say
    create_organisation(staff, OrganisationInput(name="After", sector="charity"))
    staff.dispose()
    assert _raw(viewer, "SELECT count(*) FROM organisation") == 2
    with pytest.raises(ProgrammingError, match="permission denied"):
        _raw(viewer, "SELECT email FROM person")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _raw(viewer, "DELETE FROM audit_entry")
    signed = [e[1] for e in _entries(owner, "organisation")]
    assert len(signed) == 2 and len(set(signed)) == 1 and signed[0].startswith("t_enga")


def test_viewer_reads_people_on_the_command_line_without_contact_details(owner, logins, capsys):
    person_id = _young_person(owner)
    url = logins.make("viewer")
    assert main(["--db", url, "person", "list"]) == 0
    assert main(["--db", url, "person", "show", str(person_id)]) == 0
    out = capsys.readouterr().out
    assert "Ayo Bello" in out and "ayo.bello@example.org" not in out and "07700" not in out


def test_retention_by_the_dpo_goes_through_the_recorded_functions(owner, as_login):
    from datetime import date

    from vru_crm.protection import retention

    with owner.engine.begin() as conn:  # the owner's own entry keeps its stated time
        conn.execute(
            text(
                "INSERT INTO audit_entry (at, username, action, entity, summary, changes) "
                "VALUES ('2010-01-01', 'old', 'create', 'organisation', 'very old', '{}')"
            )
        )
    staff = as_login("engagement")
    person_id = _young_person(staff)
    create_engagement(
        staff,
        EngagementInput(
            kind="visit",
            occurred_on=date(2019, 5, 1),
            person_ids=[person_id],
            summary="Visit to the youth club with Ayo",
        ),
    )
    dpo = as_login("protection")
    policy = next(p for p in retention.list_policies(dpo) if p.record_kind == "audit_entry")
    retention.update_policy(dpo, policy.id, 6, True)
    report = retention.apply(dpo, retention.due(dpo, date(2026, 11, 24)))
    assert report.engagements_anonymised == 1 and report.audit_entries_deleted == 1
    with owner.engine.connect() as conn:
        trail = conn.execute(text("SELECT summary || changes FROM audit_entry")).scalars().all()
        made = conn.execute(
            text("SELECT action, username FROM audit_entry WHERE action IN ('scrub', 'expire')")
        ).all()
    assert not any("youth club" in entry or "very old" in entry for entry in trail)
    assert {action for action, _ in made} == {"scrub", "expire"}
    assert {who for _, who in made} == {_login(dpo)}


def test_a_change_is_undone_whole_on_a_team_database(owner, as_login):
    """The server's entries of one unit of work share its instant, so `vru-crm undo` takes them
    back together; the undo is signed by the login that made it."""
    from vru_crm.history.changes import recent_changes
    from vru_crm.history.undo import undo_change

    staff = as_login("engagement")
    org = create_organisation(staff, OrganisationInput(name="Brixton Boxing", sector="charity"))
    current = get_organisation(staff, org.id)
    update_organisation(
        staff,
        org.id,
        OrganisationInput(name="Brixton Boxing Club", sector="charity"),
        current.version,
    )
    admin = as_login("admin")  # the trail is read by protection and admin only
    edit = recent_changes(admin, 5)[0]
    assert edit.username == _login(staff)
    assert edit.describe() == 'updated organisation "Brixton Boxing Club" (name)'

    undo_change(admin, edit.number)

    assert get_organisation(staff, org.id).name == "Brixton Boxing"
    latest = recent_changes(admin, 1)[0]
    assert latest.undoes == edit.number and latest.username == _login(admin)
    assert len(latest.rows) == 1  # the update put back, in the same instant as its marker
