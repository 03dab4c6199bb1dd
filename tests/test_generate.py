"""The large-data generator: realistic, skewed, reproducible for a seed, and its command line."""

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from db.migrate import open_database
from db.models import (
    AuditEntry,
    Engagement,
    EngagementBorough,
    EngagementOrganisation,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
)
from main import main
from vru_crm.demo import load_demo
from vru_crm.generate import Counts, generate

TODAY = date(2026, 11, 23)
SMALL = Counts(organisations=60, people=300, engagements=3000, meetings=40)


def _count(s, model) -> int:
    return s.exec(select(func.count()).select_from(model)).one()


def _first_rows(database) -> dict[str, list]:
    with database.session() as s:
        return {
            "organisations": s.exec(
                select(Organisation.name, Organisation.sector).order_by(Organisation.id).limit(10)
            ).all(),
            "people": s.exec(select(Person.full_name).order_by(Person.id).limit(10)).all(),
            "engagements": s.exec(
                select(Engagement.occurred_on, Engagement.kind, Engagement.summary)
                .order_by(Engagement.id)
                .limit(20)
            ).all(),
            "meetings": s.exec(select(Meeting.title).order_by(Meeting.id).limit(10)).all(),
        }


def _generated(tmp_path, name: str, seed: int):
    database = open_database(str(tmp_path / f"{name}.sqlite3"), username="tester")
    summary = generate(database, SMALL, seed, today=TODAY)
    rows = _first_rows(database)
    database.dispose()
    return summary.rows, rows


def test_same_seed_gives_the_same_data_and_another_seed_other_data(tmp_path):
    counts_a, rows_a = _generated(tmp_path, "a", seed=5)
    counts_b, rows_b = _generated(tmp_path, "b", seed=5)
    counts_c, rows_c = _generated(tmp_path, "c", seed=6)
    assert counts_a == counts_b and rows_a == rows_b
    assert rows_c["organisations"] != rows_a["organisations"]
    assert rows_c["engagements"] != rows_a["engagements"]


def test_generated_data_has_what_was_asked_on_each_backend(database):
    generate(database, SMALL, 1, today=TODAY)
    with database.session() as s:
        assert _count(s, Organisation) == SMALL.organisations
        assert _count(s, Person) == SMALL.people
        assert _count(s, Meeting) == SMALL.meetings
        assert _count(s, Engagement) == SMALL.engagements
        assert s.exec(select(func.count()).where(Engagement.is_synthetic.is_(False))).one() == 0
        days = s.exec(
            select(func.min(Engagement.occurred_on), func.max(Engagement.occurred_on))
        ).one()
        without_borough = s.exec(
            select(func.count())
            .select_from(Engagement)
            .where(~Engagement.id.in_(select(EngagementBorough.engagement_id)))
        ).one()
        audit = s.exec(select(AuditEntry.entity, AuditEntry.summary)).all()
        held = s.exec(select(Meeting).where(Meeting.status == "held")).all()
    assert TODAY - timedelta(days=3653) <= days[0] and days[1] <= TODAY
    assert days[1] - days[0] > timedelta(days=365 * 8)  # about ten years of history
    assert without_borough == 0
    assert len(audit) == 1 and audit[0][0] == "generate"
    published = [m for m in held if m.minutes_status == "published"]
    assert len(published) > len(held) / 2
    assert all(m.minutes_published_on > m.starts_at.date() for m in published)


def test_a_few_partners_get_most_visits(database):
    generate(
        database,
        Counts(organisations=200, people=400, engagements=6000, meetings=0),
        3,
        today=TODAY,
    )
    with database.session() as s:
        visits = Counter(s.exec(select(EngagementOrganisation.organisation_id)).all())
    ranked = [count for _, count in visits.most_common()]
    ranked += [0] * (200 - len(ranked))  # organisations never visited
    assert sum(ranked[:40]) > 0.5 * sum(ranked)  # the busiest fifth get most visits
    assert sum(ranked[100:]) < 0.25 * sum(ranked)  # the quieter half, a small share


def test_the_log_keeps_its_indexes(sqlite_database):
    """The generator rebuilds indexes at the end on SQLite; a lost one would slow every list."""

    def indexes() -> set[str]:
        with sqlite_database.engine.connect() as conn:
            return set(conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index'").scalars())  # fmt: skip

    before = indexes()
    generate(sqlite_database, SMALL, 1, today=TODAY)
    assert indexes() == before and any(name.startswith("ix_engagement") for name in before)


def test_the_app_can_add_records_after_a_generation(database):
    """Ids were handed out by the generator; the database's own must carry on after them."""
    generate(database, SMALL, 2, today=TODAY)
    with database.session() as s:
        s.add(Organisation(name="Added by hand", sector="charity"))
        s.add(Engagement(occurred_on=TODAY, kind="visit", summary="Dropped in."))
    with database.session() as s:
        assert _count(s, Organisation) == SMALL.organisations + 1
        assert _count(s, Engagement) == SMALL.engagements + 1


def test_generating_onto_the_demo_keeps_its_prg(demo_database):
    database = demo_database  # the demo loaded on TODAY (conftest.DEMO_TODAY)
    generate(database, SMALL, 4, today=TODAY)
    with database.session() as s:
        prg = s.exec(select(Network.id).where(Network.name == "Partnership Reference Group")).one()
        members = s.exec(
            select(func.count()).where(
                Membership.network_id == prg, Membership.person_id.is_not(None)
            )
        ).one()
    assert members == 28


def test_the_demo_still_loads_onto_a_generated_database(database):
    generate(database, SMALL, 4, today=TODAY)
    summary = load_demo(database, today=TODAY)
    with database.session() as s:
        prg = s.exec(select(Network.id).where(Network.name == "Partnership Reference Group")).one()
        members = s.exec(
            select(func.count()).where(
                Membership.network_id == prg, Membership.person_id.is_not(None)
            )
        ).one()
    assert not summary.already_loaded
    assert summary.added["engagements"] == 400
    assert members == 28  # the published members only, none made up by the generator


def test_generate_refuses_a_database_with_real_engagements(database, capsys):
    with database.session() as s:
        s.add(Engagement(occurred_on=TODAY, kind="call", summary="A real call."))
    code = main(
        [
            "--db",
            database.url,
            "generate",
            "--organisations",
            "5",
            "--people",
            "5",
            "--engagements",
            "5",
            "--meetings",
            "0",
        ]
    )
    assert code == 1
    assert "real engagement records" in capsys.readouterr().err
    with database.session() as s:
        assert _count(s, Engagement) == 1


def test_cli_generates_and_reports(database, capsys):
    code = main(
        [
            "--db",
            database.url,
            "generate",
            "--organisations",
            "20",
            "--people",
            "50",
            "--engagements",
            "500",
            "--meetings",
            "10",
            "--seed",
            "9",
            "--until",
            "2026-11-23",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "500 engagement" in captured.out
    assert "generate: engagements 500/500" in captured.err


@pytest.mark.parametrize("argument", ["--engagements", "--organisations"])
def test_cli_negative_count_is_a_usage_error(sqlite_database, capsys, argument):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(sqlite_database.path), "generate", argument, "-5"])
    assert exit_info.value.code == 2
    assert "negative" in capsys.readouterr().err
