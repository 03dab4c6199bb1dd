"""A small, known data set for query, search and UI tests.

Dates are relative to today so "overdue", "next meetings" and "gone quiet" stay
true whenever the tests run. Rows go in through SQLAlchemy Core, the same way an
import does, so the search triggers are exercised too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from db import models as m
from db.session import Database
from vru_crm.london import today_in_london

NOW = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Sample:
    today: date
    org: dict[str, int] = field(default_factory=dict)
    person: dict[str, int] = field(default_factory=dict)
    network: dict[str, int] = field(default_factory=dict)
    meeting: dict[str, int] = field(default_factory=dict)
    engagement: dict[str, int] = field(default_factory=dict)
    borough: dict[str, int] = field(default_factory=dict)
    objective: dict[int, int] = field(default_factory=dict)


def _stamp() -> dict[str, object]:
    return {"created_at": NOW, "updated_at": NOW, "version": 1}


def _insert(conn: sa.Connection, model: type, **values: object) -> int:
    table = model.__table__  # type: ignore[attr-defined]
    if "version" in table.c:
        values = {**_stamp(), **values}
    return int(conn.execute(sa.insert(table).values(**values)).inserted_primary_key[0])


def seed_sample(database: Database, username: str = "tester", today: date | None = None) -> Sample:
    """Five organisations, four people, two networks, three meetings, five engagements."""
    today = today or today_in_london()
    s = Sample(today=today)
    with database.engine.begin() as conn:
        s.borough = {r.name: r.id for r in conn.execute(sa.text("SELECT id, name FROM borough"))}
        s.objective = {
            r.number: r.id for r in conn.execute(sa.text("SELECT id, number FROM objective"))
        }
        me = _insert(conn, m.StaffUser, username=username, display_name="Test User", is_active=True)
        other = _insert(
            conn, m.StaffUser, username="amira", display_name="Amira Khan", is_active=True
        )
        _organisations(conn, s)
        _people(conn, s)
        _networks(conn, s, today)
        _engagements(conn, s, today, me, other)
    return s


def _organisations(conn: sa.Connection, s: Sample) -> None:
    rows = [
        ("Hackney CVS", "charity", ["Hackney"], True, "info@hackneycvs.example"),
        ("Mayor's Office for Policing And Crime (MOPAC)", "government", [], False, None),
        ("Café Rouge Youth Club", "grassroots", ["Lambeth"], False, None),
        ("St Mary's Church", "faith", ["Southwark", "Lambeth"], False, None),
        ("Quiet Partners Trust", "charity", ["Croydon"], False, None),
    ]
    for name, sector, boroughs, priority, email in rows:
        oid = _insert(
            conn,
            m.Organisation,
            name=name,
            sector=sector,
            notes="",
            is_priority=priority,
            email=email,
        )
        s.org[name] = oid
        for b in boroughs:
            conn.execute(
                sa.insert(m.OrganisationBorough.__table__).values(
                    organisation_id=oid, borough_id=s.borough[b]
                )
            )
    hackney = s.org["Hackney CVS"]
    for day, level in ((date(2023, 1, 10), 3), (date(2024, 6, 1), 5)):
        conn.execute(
            sa.insert(m.StakeholderAssessment.__table__).values(
                organisation_id=hackney,
                assessed_on=day,
                influence=level,
                interest=4,
                support=level,
                assessed_by="tester",
                notes="",
                created_at=NOW,
            )
        )


def _people(conn: sa.Connection, s: Sample) -> None:
    rows = [
        ("Jake Ferguson", "Coordinator", "Hackney CVS", None, "Hackney"),
        ("Zoë Adebayo", "Youth worker", "Café Rouge Youth Club", None, "Lambeth"),
        (
            "Priya Nair",
            "Director of Strategy",
            "Mayor's Office for Policing And Crime (MOPAC)",
            None,
            None,
        ),
        ("Former Volunteer", "Volunteer", "Hackney CVS", date(2020, 5, 1), "Hackney"),
    ]
    for name, job, org, ended, borough in rows:
        pid = _insert(
            conn,
            m.Person,
            full_name=name,
            job_title=job,
            notes="",
            is_young_person=False,
            borough_id=s.borough[borough] if borough else None,
        )
        s.person[name] = pid
        conn.execute(
            sa.insert(m.Affiliation.__table__).values(
                person_id=pid,
                organisation_id=s.org[org],
                role=job,
                start_date=date(2019, 1, 1),
                end_date=ended,
            )
        )


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _networks(conn: sa.Connection, s: Sample, today: date) -> None:
    prg = _insert(
        conn,
        m.Network,
        name="Partnership Reference Group",
        kind="board",
        description="Strategic lead and challenge",
        cadence_rrule="FREQ=MONTHLY;INTERVAL=3",
    )
    ypf = _insert(
        conn,
        m.Network,
        name="Youth Practitioners Forum",
        kind="forum",
        description="",
        cadence_rrule="FREQ=MONTHLY",
    )
    s.network = {"PRG": prg, "YPF": ypf}
    member = m.Membership.__table__
    conn.execute(
        sa.insert(member).values(
            network_id=prg,
            person_id=s.person["Priya Nair"],
            role="chair",
            start_date=date(2018, 10, 1),
        )
    )
    conn.execute(
        sa.insert(member).values(
            network_id=prg,
            organisation_id=s.org["Hackney CVS"],
            role="member",
            start_date=date(2019, 1, 1),
        )
    )
    conn.execute(
        sa.insert(member).values(network_id=ypf, person_id=s.person["Jake Ferguson"], role="member")
    )
    conn.execute(
        sa.insert(member).values(
            network_id=ypf,
            person_id=s.person["Zoë Adebayo"],
            role="member",
            end_date=date(2021, 1, 1),
        )
    )
    meetings = [
        ("ofsted", prg, "Partnership Reference Group", _at(date(2019, 3, 6)), "held"),
        (
            "next_prg",
            prg,
            "Partnership Reference Group",
            _at(today + timedelta(days=30)),
            "planned",
        ),
        ("next_ypf", ypf, "Youth Practitioners Forum", _at(today + timedelta(days=10)), "planned"),
    ]
    for key, network, title, starts, status in meetings:
        s.meeting[key] = _insert(
            conn,
            m.Meeting,
            network_id=network,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            status=status,
            minutes_status="none",
            notes="",
            uid=f"{key}@test",
            sequence=0,
        )
    conn.execute(
        sa.insert(m.AgendaItem.__table__).values(
            meeting_id=s.meeting["ofsted"],
            position=1,
            title="Ofsted discussion",
            kind="discussion",
            notes="",
        )
    )
    attendance = m.Attendance.__table__
    conn.execute(
        sa.insert(attendance).values(
            meeting_id=s.meeting["ofsted"], person_id=s.person["Priya Nair"], status="present"
        )
    )
    conn.execute(
        sa.insert(attendance).values(
            meeting_id=s.meeting["ofsted"], person_id=s.person["Jake Ferguson"], status="apologies"
        )
    )


def _engagements(conn: sa.Connection, s: Sample, today: date, me: int, other: int) -> None:
    rows = [
        (
            "recent_hackney",
            3,
            "visit",
            ["Hackney CVS"],
            ["Jake Ferguson"],
            ["Hackney"],
            me,
            -1,
            [4],
            ["YPF"],
        ),
        (
            "lambeth_call",
            10,
            "call",
            ["Café Rouge Youth Club"],
            ["Zoë Adebayo"],
            ["Lambeth"],
            me,
            5,
            [3],
            [],
        ),
        (
            "quiet_event",
            200,
            "event",
            ["Quiet Partners Trust"],
            [],
            ["Croydon"],
            other,
            None,
            [],
            [],
        ),
        (
            "mopac_online",
            40,
            "online_meeting",
            ["Mayor's Office for Policing And Crime (MOPAC)"],
            ["Priya Nair"],
            [],
            other,
            None,
            [8],
            ["PRG"],
        ),
        ("old_hackney", 400, "visit", ["Hackney CVS"], [], ["Hackney"], me, None, [4], []),
    ]
    for key, ago, kind, orgs, people, boroughs, logged_by, follow, objectives, networks in rows:
        eid = _insert(
            conn,
            m.Engagement,
            occurred_on=today - timedelta(days=ago),
            kind=kind,
            logged_by_id=logged_by,
            summary=f"Sample {key.replace('_', ' ')}",
            outcome="",
            people_reached=5,
            follow_up_on=today + timedelta(days=follow) if follow is not None else None,
            follow_up_done=False,
            is_notable=False,
            is_synthetic=True,
        )
        s.engagement[key] = eid
        _link(conn, m.EngagementOrganisation, eid, "organisation_id", [s.org[o] for o in orgs])
        _link(conn, m.EngagementPerson, eid, "person_id", [s.person[p] for p in people])
        _link(conn, m.EngagementBorough, eid, "borough_id", [s.borough[b] for b in boroughs])
        _link(
            conn, m.EngagementObjective, eid, "objective_id", [s.objective[o] for o in objectives]
        )
        _link(conn, m.EngagementNetwork, eid, "network_id", [s.network[n] for n in networks])


def _link(conn: sa.Connection, model: type, eid: int, key: str, ids: list[int]) -> None:
    if ids:
        conn.execute(sa.insert(model.__table__), [{"engagement_id": eid, key: i} for i in ids])  # type: ignore[attr-defined]
