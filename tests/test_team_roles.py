"""Team mode on the real PostgreSQL server: group roles, grants and the signed audit trail.

Each test creates login roles with unique names and drops them afterwards. Group
roles (vru_viewer...) belong to the whole server and are shared by every test
database; their grants belong to each database. Needs a test role with CREATEROLE
(``.ci/run`` grants it to vru_ci); without it the tests skip, saying why.
"""

import io
import json
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from team_support import PASSWORD

from db.migrate import open_database
from vru_crm.cli.main import main
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.organisations import OrganisationInput, create_organisation
from vru_crm.services.people import PersonInput, create_person
from vru_crm.team import roles

pytestmark = pytest.mark.postgres


def _person(owner) -> None:
    create_person(
        owner, PersonInput(full_name="Ayo", email="ayo@example.org", phone="07700 900123")
    )


def _scalar(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def _refused(url: str, sql: str) -> str:
    with pytest.raises(ProgrammingError) as caught:
        _scalar(url, sql)
    return str(caught.value.orig)


def test_viewer_reads_organisations_but_not_contact_details_and_never_rewrites_audit(owner, login):
    create_organisation(owner, OrganisationInput(name="Hackney Youth Hub", sector="charity"))
    _person(owner)
    viewer = login("viewer")
    assert _scalar(viewer, "SELECT name FROM organisation") == "Hackney Youth Hub"
    assert _scalar(viewer, "SELECT full_name FROM person") == "Ayo"
    assert "permission denied" in _refused(viewer, "SELECT email FROM person")
    assert "permission denied" in _refused(viewer, "SELECT phone FROM person")
    assert "permission denied" in _refused(viewer, "UPDATE audit_entry SET username = 'x'")
    assert "permission denied" in _refused(viewer, "DELETE FROM audit_entry")
    assert "permission denied" in _refused(viewer, "UPDATE organisation SET name = 'x'")


@pytest.mark.parametrize("role", roles.ROLES)
def test_no_role_updates_or_deletes_audit_entries(owner, login, role):
    url = login(role)
    for sql in ("UPDATE audit_entry SET summary = ''", "DELETE FROM audit_entry"):
        assert "permission denied" in _refused(url, sql)
    assert "permission denied" in _refused(url, "TRUNCATE audit_entry")


def test_only_protection_and_admin_read_contact_details(owner, login):
    _person(owner)
    for role in ("engagement", "governance"):
        assert "permission denied" in _refused(login(role), "SELECT email FROM person")
    for role in ("protection", "admin"):
        assert _scalar(login(role), "SELECT email FROM person") == "ayo@example.org"


def test_engagement_user_logs_an_engagement_signed_with_their_login(owner, login):
    url = login("engagement")
    name = make_url(url).username
    staff = open_database(url, username="Sadiq Khan")  # --user is not believed
    try:
        org = create_organisation(staff, OrganisationInput(name="Brixton Boxing", sector="charity"))
        made = create_engagement(
            staff, EngagementInput(kind="visit", organisation_ids=[org.id], summary="intro")
        )
    finally:
        staff.dispose()
    with owner.engine.connect() as conn:
        signed = set(
            conn.execute(
                text(
                    "SELECT username FROM audit_entry WHERE entity IN ('organisation', 'engagement')"
                )
            ).scalars()
        )
        kept = conn.execute(text(f"SELECT count(*) FROM engagement WHERE id = {made.id}")).scalar()
    assert kept == 1
    assert signed == {name}


def test_after_init_even_the_owner_is_signed_by_the_server(owner):
    create_organisation(owner, OrganisationInput(name="Peckham Pathways", sector="charity"))
    with owner.engine.connect() as conn:
        signed = conn.execute(text("SELECT username FROM audit_entry")).scalars().all()
        login = conn.execute(text("SELECT session_user")).scalar()
    assert signed and set(signed) == {login}  # not the stated "tester"


def test_viewer_write_through_the_app_is_refused_in_words(owner, login):
    from db.team_access import PermissionRefused

    viewer = open_database(login("viewer"), username="tester")
    try:
        with pytest.raises(PermissionRefused, match=r"^Your role \(viewer\) cannot change"):
            create_organisation(viewer, OrganisationInput(name="Nope", sector="charity"))
    finally:
        viewer.dispose()


def test_init_twice_is_safe(owner, login):
    roles.init(owner)
    assert _scalar(login("viewer"), "SELECT count(*) FROM organisation") == 0


def test_cli_add_list_set_role_remove(owner, pg_url, monkeypatch, capsys):
    name = f"t_cli_{uuid.uuid4().hex[:8]}"
    assert main(["--db", pg_url, "team", "init"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(["--db", pg_url, "team", "add-user", name, "--role", "viewer", "--password-stdin"])
        == 0
    )
    try:
        capsys.readouterr()
        assert main(["--db", pg_url, "team", "list", "--json"]) == 0
        listed = {m["login"]: m["roles"] for m in json.loads(capsys.readouterr().out)}
        assert listed[name] == ["viewer"]
        url = (
            make_url(pg_url)
            .set(username=name, password=PASSWORD)
            .render_as_string(hide_password=False)
        )
        assert "permission denied" in _refused(url, "SELECT email FROM person")
        assert main(["--db", pg_url, "team", "set-role", name, "--role", "protection"]) == 0
        assert _scalar(url, "SELECT count(email) FROM person") == 0
        assert (
            main(["--db", pg_url, "team", "add-user", name, "--role", "viewer", "--no-password"])
            == 1
        )
        assert "already exists" in capsys.readouterr().err
    finally:
        assert main(["--db", pg_url, "team", "remove-user", name]) == 0
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):
        _scalar(url, "SELECT 1")  # a removed user can no longer connect


def test_cli_refuses_in_words(owner, pg_url, tmp_path, capsys):
    assert (
        main(["--db", pg_url, "team", "add-user", "Bad Name!", "--role", "viewer", "--no-password"])
        == 1
    )
    assert "cannot be a login" in capsys.readouterr().err
    assert main(["--db", pg_url, "team", "remove-user", "t_nobody_here"]) == 1
    assert "no login" in capsys.readouterr().err
    sqlite = str(tmp_path / "solo.sqlite3")
    assert main(["--db", sqlite, "team", "init"]) == 1
    assert "PostgreSQL" in capsys.readouterr().err


def test_audit_grants_are_insert_only():
    statements = roles.grant_statements(["audit_entry", "person"], {"person": ["id", "email"]}, "d")
    audit = [s for s in statements if "audit_entry" in s and s.startswith("GRANT")]
    assert audit and all("UPDATE" not in s and "DELETE" not in s for s in audit)
    person = [s for s in statements if ' ON "person" TO ' in s]
    assert 'GRANT SELECT ("id") ON "person" TO "vru_viewer"' in person
    below = [s for s in person if "vru_engagement" in s or "vru_governance" in s]
    assert below and all("SELECT" not in s for s in below)
