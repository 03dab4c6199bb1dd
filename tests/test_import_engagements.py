"""Importing the engagement log on both backends: lookups, bulk writing, one audit entry."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from db.models import AuditEntry, Engagement, Network, Objective, StaffUser
from vru_crm.io.importer import import_file
from vru_crm.services import engagements as eng
from vru_crm.services import people
from vru_crm.services.reference import find_borough

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "date,kind,organisations,borough,summary"


@pytest.fixture
def partners(database):
    for kind in ("organisations", "people"):
        assert import_file(database, kind, FIXTURES / f"{kind}.csv").ok
    return database


def _engagements(database) -> list[eng.EngagementRecord]:
    with database.session() as s:
        ids = s.exec(select(Engagement.id).order_by(Engagement.occurred_on)).all()
    return [eng.get_engagement(database, i) for i in ids]


def _write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "engagements.csv"
    path.write_text(header + "\n" + body)
    return path


def test_fixture_imports_with_every_link(partners):
    database = partners
    report = import_file(database, "engagements", FIXTURES / "engagements.csv")
    assert report.ok and report.imported == 3
    workshop, event, call = _engagements(database)
    assert (workshop.occurred_on, workshop.kind, workshop.people_reached) == (
        date(2018, 12, 20),
        "visit",
        35,
    )
    assert workshop.logged_by == "tester"  # blank logged_by: whoever ran the import
    hackney, lambeth, southwark = (
        find_borough(database, n).id for n in ("Hackney", "Lambeth", "Southwark")
    )
    assert set(event.borough_ids) == {
        hackney,
        lambeth,
        southwark,
    }  # inferred from the two organisations
    assert len(event.organisation_ids) == 2 and event.is_notable and event.logged_by == "amina.khan"
    assert event.follow_up_on == date(2019, 2, 1) and event.outcome == "200+ signed up"
    with database.session() as s:
        numbers = s.exec(
            select(Objective.number).where(col(Objective.id).in_(event.objective_ids))
        ).all()
    assert sorted(numbers) == [3, 4]
    [amira] = people.person_index(database).find("Amira Khan", None, [])
    assert event.person_ids == (amira.id,)
    assert call.kind == "online_meeting" and call.borough_ids == (
        find_borough(database, "Croydon").id,
    )


def test_one_audit_entry_for_the_whole_import(partners):
    database = partners
    with database.session() as s:
        before = s.exec(select(func.count()).select_from(AuditEntry)).one()
    import_file(database, "engagements", FIXTURES / "engagements.csv")
    with database.session() as s:
        entries = s.exec(select(AuditEntry).order_by(AuditEntry.id)).all()[before:]
        assert [(e.action, e.entity, e.summary) for e in entries] == [
            ("create", "engagement", "imported 3 engagements")
        ]
        assert s.exec(select(StaffUser).where(StaffUser.username == "amina.khan")).one()


def test_every_bad_cell_is_named(partners, tmp_path):
    path = _write(
        tmp_path,
        "12/13/2020,lunch,Hackney CSV,Hackny,,Nobody,Gangs network,9,-4,2019-01-01\n"
        "2020-01-01,call,,,Fine\n",
        header=HEADER + ",people,networks,objectives,people_reached,follow_up",
    )
    report = import_file(partners, "engagements", path)
    assert report.imported == 0 and _engagements(partners) == []
    assert [p.column for p in report.problems] == [
        "date", "kind", "organisations", "borough", "summary", "people", "networks", "objectives",
        "people_reached",
    ]  # fmt: skip
    messages = {p.column: p.message for p in report.problems}
    assert (
        messages["organisations"]
        == "there is no organisation called 'Hackney CSV'. Did you mean 'Hackney CVS'?"
    )
    assert (
        messages["kind"]
        == "'lunch' is not a kind of engagement. Use one of: visit, online_meeting, call, event, email"
    )
    assert (
        messages["objectives"]
        == "'9' is not one of the objectives: use a number from 1 to 8 or a title."
    )
    assert report.valid == 1


def test_follow_up_before_the_engagement_and_missing_date(partners, tmp_path):
    path = _write(
        tmp_path, "2020-05-01,call,,,x,2020-04-01\n,call,,,y,\n", header=HEADER + ",follow_up"
    )
    by_cell = {
        (p.row, p.column): p.message for p in import_file(partners, "engagements", path).problems
    }
    assert by_cell == {
        (2, "follow_up"): "the follow-up date is before the engagement",
        (3, "date"): "a date is required (YYYY-MM-DD or DD/MM/YYYY)",
    }


def test_duplicates_in_the_file_and_in_the_database(partners, tmp_path):
    path = _write(
        tmp_path, "2020-01-01,call,Redthread,,Checked in\n2020-01-01,CALL,Redthread,, checked  in\n"
    )
    [problem] = import_file(partners, "engagements", path).problems
    assert str(problem) == (
        "row 3, column 'summary': this engagement repeats row 2 (same date, kind, organisations and summary)"
    )
    path = _write(tmp_path, "2020-01-01,call,Redthread,,Checked in\n")
    assert import_file(partners, "engagements", path).ok
    [again] = import_file(partners, "engagements", path).problems
    assert "is already in the database" in again.message
    assert len(_engagements(partners)) == 1


def test_people_with_the_same_name_need_an_email(partners, tmp_path):
    people.create_person(partners, people.PersonInput(full_name="Amira Khan", email="other@x.org"))
    path = _write(
        tmp_path,
        "2020-01-01,call,,,x,Amira Khan\n2020-01-02,call,,,y,other@x.org\n",
        header=HEADER + ",people",
    )
    report = import_file(partners, "engagements", path, skip_invalid=True)
    [problem] = report.problems
    assert (
        problem.message
        == "2 people are called 'Amira Khan': rename one of them first, or give their e-mail address instead"
    )
    [made] = _engagements(partners)
    assert people.get_person(partners, made.person_ids[0]).email == "other@x.org"


def test_networks_by_name(partners, tmp_path):
    with partners.session() as s:
        s.add(Network(name="Youth Practitioners Forum", kind="forum"))
    path = _write(
        tmp_path,
        "2020-01-01,event,,,Forum,youth practitioners forum\n",
        header=HEADER + ",networks",
    )
    assert import_file(partners, "engagements", path).ok
    assert len(_engagements(partners)[0].network_ids) == 1


def test_thousands_of_rows_in_batches(partners, tmp_path):
    rows = "".join(
        f"2021-02-{1 + i % 28:02d},visit,Hackney CVS;Redthread,,Visit {i},1;2\n"
        for i in range(2500)
    )
    path = _write(tmp_path, rows, header=HEADER + ",objectives")
    progress: list[int] = []
    report = import_file(
        partners, "engagements", path, progress=lambda done, total: progress.append(done)
    )
    assert report.imported == 2500 and progress[-1] == 5000
    with partners.session() as s:
        assert s.exec(select(func.count()).select_from(Engagement)).one() == 2500
    with partners.session() as s:
        last_id = s.exec(select(func.max(Engagement.id))).one()
    last = eng.get_engagement(partners, last_id)
    assert (
        len(last.organisation_ids) == 2
        and len(last.objective_ids) == 2
        and len(last.borough_ids) == 3
    )


def test_cancel_during_the_writing_leaves_nothing(partners, tmp_path):
    rows = "".join(f"2021-03-01,call,Redthread,,Call {i}\n" for i in range(2500))
    path = _write(tmp_path, rows)
    polls = []
    report = import_file(
        partners, "engagements", path, cancelled=lambda: polls.append(1) or len(polls) > 26
    )
    assert report.cancelled and report.imported == 0
    with partners.session() as s:
        assert s.exec(select(func.count()).select_from(Engagement)).one() == 0
        assert (
            s.exec(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity == "engagement")
            ).one()
            == 0
        )
