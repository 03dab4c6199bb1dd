"""The demo data set: public facts about the PRG, marked synthetic data, safe to run twice."""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import select

from db.models import (
    Attendance,
    Borough,
    Engagement,
    Meeting,
    Membership,
    Network,
    Organisation,
    OrganisationBorough,
    Person,
    Recommendation,
    metadata,
)
from main import main
from vru_crm.demo import load_demo

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)  # the day conftest.py loads the shared demo database on (DEMO_TODAY)
PRG = "Partnership Reference Group"


def _prg_id(s) -> int:
    return s.exec(select(Network.id).where(Network.name == PRG)).one()


def _row_counts(database) -> dict[str, int]:
    with database.engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
            if table.name != "audit_entry"
        }


def test_prg_has_its_28_published_members_with_the_mayor_in_the_chair(demo_database):
    with demo_database.session() as s:
        members = s.exec(
            select(Person.full_name, Membership.role)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.network_id == _prg_id(s))
        ).all()
    assert len(members) == 28
    assert ("Sadiq Khan", "chair") in members
    assert "Lib Peck" in {name for name, _ in members}


def test_dated_prg_meetings_are_at_ten_london_time(demo_database):
    with demo_database.session() as s:
        meetings = s.exec(select(Meeting).where(Meeting.network_id == _prg_id(s))).all()
    local = {
        m.starts_at.astimezone(LONDON).date(): m.starts_at.astimezone(LONDON) for m in meetings
    }
    for day in (date(2019, 1, 22), date(2019, 3, 6), date(2019, 5, 1)):
        assert local[day].hour == 10 and local[day].minute == 0
    # 1 May 2019 was in British Summer Time: 10:00 in London is 09:00 UTC.
    assert next(m for m in meetings if "1 May 2019" in m.title).starts_at.hour == 9
    assert next(m for m in meetings if "8 December 2026" in m.title).status == "planned"


def test_recommendations_keep_their_due_dates(demo_database):
    with demo_database.session() as s:
        letter = s.exec(
            select(Recommendation)
            .where(Recommendation.letter_date == date(2020, 4, 7))
            .order_by(Recommendation.number)
        ).all()
    assert len(letter) == 10
    assert letter[0].due_date == date(2020, 4, 30)
    assert {r.due_date for r in letter} == {
        date(2020, 4, 30),
        date(2020, 5, 31),
        date(2020, 12, 31),
    }


def test_every_engagement_is_synthetic_and_every_borough_has_partners(database):
    summary = load_demo(database, today=TODAY)
    with database.session() as s:
        total = s.exec(select(func.count()).select_from(Engagement)).one()
        real = s.exec(select(func.count()).where(Engagement.is_synthetic.is_(False))).one()
        lonely = s.exec(
            select(Borough.name).where(
                ~Borough.id.in_(select(OrganisationBorough.borough_id).distinct())
            )
        ).all()
    assert total == summary.totals["engagements"] >= 300
    assert real == 0
    assert lonely == []


def test_the_log_has_a_realistic_trail(demo_database):
    with demo_database.session() as s:
        engagements = s.exec(select(Engagement)).all()
    overdue = [
        e for e in engagements if e.follow_up_on and e.follow_up_on < TODAY and not e.follow_up_done
    ]
    assert overdue and any(e.follow_up_done for e in engagements)
    assert any(e.is_notable for e in engagements)
    assert min(e.occurred_on for e in engagements) < date(2019, 6, 1)
    assert max(e.occurred_on for e in engagements) <= TODAY
    assert all(e.summary.endswith(".") and len(e.summary) > 40 for e in engagements)


def test_held_prg_meetings_have_mostly_present_attendance_marked_synthetic(demo_database):
    with demo_database.session() as s:
        held = s.exec(
            select(Meeting).where(Meeting.network_id == _prg_id(s), Meeting.status == "held")
        ).all()
        statuses = s.exec(select(Attendance.status)).all()
    assert held and all("synthetic" in m.notes for m in held)
    assert statuses.count("present") > 0.7 * len(statuses)
    assert "apologies" in statuses


def test_running_the_demo_twice_changes_nothing(database, capsys):
    assert main(["--db", database.url, "demo"]) == 0
    first = capsys.readouterr().out
    before = _row_counts(database)
    assert main(["--db", database.url, "demo"]) == 0
    second = capsys.readouterr().out
    assert "organisations" in first and "engagements" in first
    assert "The demo data is already loaded" in second
    assert _row_counts(database) == before


def test_demo_tops_up_without_duplicating_a_partner_already_entered(database):
    with database.session() as s:
        s.add(Organisation(name="London Youth", sector="charity"))
    summary = load_demo(database, today=TODAY)
    with database.session() as s:
        count = s.exec(select(func.count()).where(Organisation.name == "London Youth")).one()
    assert count == 1
    assert not summary.already_loaded


def test_same_seed_same_log(tmp_path):
    from db.migrate import open_database

    logs = []
    for name in ("a", "b"):
        database = open_database(str(tmp_path / f"{name}.sqlite3"), username="tester")
        load_demo(database, today=TODAY, seed=7)
        with database.session() as s:
            logs.append(
                s.exec(
                    select(Engagement.occurred_on, Engagement.summary)
                    .order_by(Engagement.id)
                    .limit(50)
                ).all()
            )
        database.dispose()
    assert logs[0] == logs[1]


def test_every_demo_person_has_a_lawful_basis_and_young_people_have_consent(demo_database):
    from vru_crm.protection.consent import get_protection

    with demo_database.session() as s:
        people = s.exec(select(Person.id, Person.is_young_person)).all()
    records = [
        (young, get_protection(demo_database, pid, date(2026, 11, 23))) for pid, young in people
    ]
    assert all(r.lawful_basis for _, r in records)
    assert all(r.consents and r.lawful_basis == "consent" for young, r in records if young)
    assert not any("no parent or carer" in w for _, r in records for w in r.warnings)
    assert any(
        r.review_on < date(2026, 11, 23) for _, r in records
    )  # the retention review has work


def test_the_ypag_has_its_ten_young_members_marked_synthetic_with_age_bands(demo_database):
    from vru_crm.protection.consent import get_protection

    with demo_database.session() as s:
        ypag = s.exec(select(Network).where(Network.short_name == "YPAG")).one()
        young = s.exec(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.network_id == ypag.id, Person.is_young_person)
        ).all()
    assert len(young) == 10
    assert all("(synthetic)" in p.full_name and "Synthetic" in p.notes for p in young)
    assert all(p.age_band and not p.email and not p.phone for p in young)
    under_13 = [p for p in young if p.age_band == "under_13"]
    assert under_13
    for person in under_13:
        consent = get_protection(demo_database, person.id, TODAY).consents[0]
        assert consent.given_by == "parent_carer"


def test_networks_have_short_names_ordinal_cadences_and_meetings(demo_database):
    from db.models import StandingItem

    with demo_database.session() as s:
        networks = s.exec(select(Network)).all()
        prg = next(n for n in networks if n.name == PRG)
        standing = s.exec(select(StandingItem.title).where(StandingItem.network_id == prg.id)).all()
        forum = next(n for n in networks if n.short_name == "YPF")
        forum_meetings = s.exec(select(Meeting).where(Meeting.network_id == forum.id)).all()
    assert prg.short_name == "PRG" and all(n.short_name for n in networks)
    monthly = [n.cadence_rrule for n in networks if "FREQ=MONTHLY" in (n.cadence_rrule or "")]
    # Ordinal weekdays ("BYDAY=2WE"), never a bare weekday in a monthly rule.
    assert monthly and all("BYDAY=" in r and r.split("BYDAY=")[1][0] in "-1234" for r in monthly)
    assert {"VRU Director's update", "Thematic discussion", "Papers for decision"} <= set(standing)
    assert any(m.status == "held" for m in forum_meetings)
    assert any(m.status == "planned" for m in forum_meetings)
