"""CSV exports read back by Python's csv module, and round trips into a fresh database."""

import csv
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from db.migrate import open_database
from db.models import Engagement, Meeting, Network, Organisation, Person
from vru_crm.io.export_csv import export_csv
from vru_crm.io.importer import columns, import_file
from vru_crm.services import engagements as eng
from vru_crm.services import organisations as orgs
from vru_crm.services import people
from vru_crm.services.reference import find_borough

FIXTURES = Path(__file__).parent / "fixtures"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _load_fixtures(database) -> None:
    for kind in ("organisations", "people", "engagements"):
        assert import_file(database, kind, FIXTURES / f"{kind}.csv").ok


def _sorted(rows) -> list:
    return sorted(rows, key=repr)  # None and str do not compare; their repr does


def _snapshot(database) -> dict[str, list]:
    """Every organisation, person and engagement by value (ids replaced by names)."""
    with database.session() as s:
        org_ids = s.exec(select(Organisation.id)).all()
        person_ids = s.exec(select(Person.id)).all()
        engagement_ids = s.exec(select(Engagement.id)).all()
    org_records = [orgs.get_organisation(database, i) for i in org_ids]
    org_names = {o.id: o.name for o in org_records}
    person_records = [people.get_person(database, i) for i in person_ids]
    person_names = {p.id: p.full_name for p in person_records}
    return {
        "organisations": _sorted(
            (o.name, o.sector, o.borough_names, o.website, o.email, o.phone, o.notes, o.tags, o.is_priority)
            for o in org_records
        ),
        "people": _sorted(
            (
                p.full_name, p.job_title, p.email, p.phone, p.borough_name, p.is_young_person, p.age_band, p.notes,
                tuple(sorted((a.organisation_name, a.role or "", str(a.start_date), str(a.end_date)) for a in p.affiliations)),
            )
            for p in person_records
        ),
        "engagements": _sorted(
            (
                e.occurred_on, e.kind, e.summary, e.outcome, e.people_reached, e.follow_up_on, e.follow_up_done,
                e.is_notable, e.logged_by, len(e.borough_ids), len(e.objective_ids),
                tuple(sorted(org_names[i] for i in e.organisation_ids)),
                tuple(sorted(person_names[i] for i in e.person_ids)),
            )
            for e in (eng.get_engagement(database, i) for i in engagement_ids)
        ),
    }  # fmt: skip


def test_exports_have_the_import_headers_and_plain_values(database, tmp_path):
    _load_fixtures(database)
    for kind in ("organisations", "people", "engagements"):
        count = export_csv(database, kind, tmp_path / f"{kind}.csv")
        with (tmp_path / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        assert tuple(header) == columns(kind)
        assert count == (5 if kind == "organisations" else 3)
    organisations = {r["name"]: r for r in _read(tmp_path / "organisations.csv")}
    assert organisations["Redthread"]["borough"] == "Lambeth;Southwark"
    assert organisations["London Borough of Croydon"]["sector"] == "local_authority"
    assert organisations["Hackney CVS"]["tags"] == "infrastructure;vcs"
    assert organisations["Redthread"]["notes"] == "Youth workers in A&E\r\nsince 2005"
    assert organisations["St Giles Trust"]["phone"] == "+44 20 7708 8000"  # as typed: cannot run
    sam = {r["name"]: r for r in _read(tmp_path / "people.csv")}["Sam Lee"]
    assert (sam["organisation"], sam["role"], sam["since"]) == (
        "Hackney CVS;Redthread",
        "Trustee;Volunteer",
        "2020-09-01;2020-10-01",
    )
    assert sam["young_person"] == "yes" and sam["age_band"] == "16-17"
    event = {r["summary"]: r for r in _read(tmp_path / "engagements.csv")}[
        "Community event (synthetic)"
    ]
    assert (
        event["date"] == "2019-01-14" and event["objectives"] == "3;4" and event["notable"] == "yes"
    )
    assert event["borough"] == "Hackney;Lambeth;Southwark" and event["logged_by"] == "amina.khan"


def test_formula_injection_is_defused_and_comes_back_intact(database, tmp_path):
    orgs.create_organisation(
        database,
        orgs.OrganisationInput(
            name='=HYPERLINK("http://evil","click")', sector="other", notes="@SUM(1)"
        ),
    )
    export_csv(database, "organisations", tmp_path / "o.csv")
    [row] = _read(tmp_path / "o.csv")
    assert row["name"] == '\'=HYPERLINK("http://evil","click")' and row["notes"] == "'@SUM(1)"
    fresh = open_database(str(tmp_path / "fresh.sqlite3"), username="tester")
    try:
        assert import_file(fresh, "organisations", tmp_path / "o.csv").ok
        [record] = orgs.organisation_index(fresh).find(
            '=HYPERLINK("http://evil","click")', None, []
        )
        assert orgs.get_organisation(fresh, record.id).notes == "@SUM(1)"
    finally:
        fresh.dispose()


def test_round_trip_into_a_fresh_database_gives_the_same_records(database, tmp_path):
    _load_fixtures(database)
    people.create_person(
        database,
        people.PersonInput(
            full_name="Amira Khan",
            email="amira.two@x.org",
            borough_id=find_borough(database, "Brent").id,
        ),
    )
    [two] = people.find_duplicate_people(
        database, people.PersonInput(full_name="x", email="amira.two@x.org")
    )
    made = eng.create_engagement(
        database, eng.EngagementInput(kind="call", summary="Which Amira?", person_ids=[two.id])
    )
    assert made.person_ids == (two.id,)
    for kind in ("organisations", "people", "engagements"):
        export_csv(database, kind, tmp_path / f"{kind}.csv")
    fresh = open_database(str(tmp_path / "fresh.sqlite3"), username="tester")
    try:
        for kind in ("organisations", "people", "engagements"):
            report = import_file(fresh, kind, tmp_path / f"{kind}.csv")
            assert report.ok, report.lines()
        assert _snapshot(fresh) == _snapshot(database)
    finally:
        fresh.dispose()


def test_meetings_in_london_time_with_offset(database, tmp_path):
    with database.session() as s:
        prg = Network(name="Partnership Reference Group", kind="board")
        s.add(prg)
        s.flush()
        s.add(
            Meeting(
                network_id=prg.id,
                title="PRG",
                starts_at=datetime(2019, 5, 1, 9, tzinfo=UTC),
                ends_at=datetime(2019, 5, 1, 11, tzinfo=UTC),
                location="City Hall",
                status="held",
                minutes_status="published",
                minutes_url="https://www.london.gov.uk/prg-minutes",
            )
        )
        s.add(
            Meeting(
                title="Community event",
                starts_at=datetime(2019, 1, 14, 18, tzinfo=UTC),
                ends_at=datetime(2019, 1, 14, 20, tzinfo=UTC),
            )
        )
    assert export_csv(database, "meetings", tmp_path / "m.csv") == 2
    event, prg_row = _read(tmp_path / "m.csv")
    assert (event["network"], event["start"]) == ("", "2019-01-14T18:00:00+00:00")
    assert prg_row["network"] == "Partnership Reference Group"
    assert (prg_row["start"], prg_row["end"]) == (
        "2019-05-01T10:00:00+01:00",
        "2019-05-01T12:00:00+01:00",
    )
    assert prg_row["status"] == "held" and prg_row["minutes_status"] == "published"
    assert (
        prg_row["minutes_url"] == "https://www.london.gov.uk/prg-minutes"
        and prg_row["minutes_published"] == ""
    )


def test_a_semicolon_inside_a_name_survives_the_round_trip(database, tmp_path):
    # ';' separates the names in a list cell; one inside a name is written as '\;'.
    forum = orgs.create_organisation(
        database, orgs.OrganisationInput(name="Parents; Carers Forum", sector="grassroots")
    )
    other = orgs.create_organisation(
        database, orgs.OrganisationInput(name=r"Back\slash Trust", sector="charity")
    )
    person = people.create_person(database, people.PersonInput(full_name="Dee Lang"))
    for organisation, role in ((forum, "chair; founder"), (other, "trustee")):
        people.add_affiliation(
            database,
            people.AffiliationInput(
                person_id=person.id, organisation_id=organisation.id, role=role
            ),
        )
    eng.create_engagement(
        database,
        eng.EngagementInput(
            kind="visit",
            summary="Forum evening",
            organisation_ids=[forum.id, other.id],
            person_ids=[person.id],
        ),
    )
    for kind in ("organisations", "people", "engagements"):
        export_csv(database, kind, tmp_path / f"{kind}.csv")
    [row] = _read(tmp_path / "engagements.csv")
    assert row["organisations"] == r"Back\\slash Trust;Parents\; Carers Forum"
    fresh = open_database(str(tmp_path / "fresh.sqlite3"), username="tester")
    try:
        for kind in ("organisations", "people", "engagements"):
            report = import_file(fresh, kind, tmp_path / f"{kind}.csv")
            assert report.ok, report.lines()
        assert _snapshot(fresh) == _snapshot(database)
    finally:
        fresh.dispose()
