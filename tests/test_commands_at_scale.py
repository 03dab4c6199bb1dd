"""The read paths the log-sized commands took to stay fast at 2,000,000 engagements.

Each test pins one of them to what the plain way of reading gives: the CSV export read
in chunks by (date, id) ranges, its cell checks done once a row, the mailing list read
as plain rows, the subject access search's lighter SQL pre-filter and retention's due list.
"""

import csv
from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import (
    Affiliation,
    Borough,
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    EngagementPerson,
    Network,
    Objective,
    Organisation,
    Person,
)
from vru_crm.io import export_csv as export_module
from vru_crm.io import tables
from vru_crm.london import today_in_london
from vru_crm.protection import mailing, retention
from vru_crm.protection.consent import ConsentInput, record_consent
from vru_crm.protection.matching import _broadest, matcher
from vru_crm.protection.scrub import mentions
from vru_crm.validation import join_cell

DAY = date(2019, 5, 1)
ORGANISATIONS = ["Alpha Trust", "Beta; Hub", "Cedar \\ House", "Delta Works"]
PEOPLE = ["Ann Ray", "Ben Cole", "Ann Ray", "Cara Diaz"]  # two share a name: told by e-mail


def _fill(database) -> None:
    """Engagements on few dates (ties in the order), with 0 to 4 links of each kind."""
    with database.session() as s:
        orgs = [Organisation(name=n, sector="charity") for n in ORGANISATIONS]
        people = [Person(full_name=n, email=f"p{i}@example.org") for i, n in enumerate(PEOPLE)]
        network = Network(name="Youth Forum", kind="network")
        s.add_all([*orgs, *people, network])
        s.flush()
        boroughs = s.exec(select(Borough).order_by(Borough.id)).all()[:3]
        objectives = s.exec(select(Objective).order_by(Objective.id)).all()[:2]
        for i in range(23):
            e = Engagement(
                occurred_on=DAY + timedelta(days=i % 4),
                kind="meeting",
                summary=f"=cmd {i}" if i == 5 else f"Summary {i}\x07" if i == 6 else f"Talk {i}",
                outcome="+44 20 7946 0018" if i == 7 else "",
                people_reached=i,
                follow_up_on=DAY + timedelta(days=30) if i % 3 == 0 else None,
                follow_up_done=i % 2 == 0,
                is_notable=i % 5 == 0,
            )
            s.add(e)
            s.flush()
            for org in orgs[: i % 5]:
                s.add(EngagementOrganisation(engagement_id=e.id, organisation_id=org.id))
            for person in people[: i % 5]:
                s.add(EngagementPerson(engagement_id=e.id, person_id=person.id))
            for b in boroughs[: i % 4]:
                s.add(EngagementBorough(engagement_id=e.id, borough_id=b.id))
            for o in objectives[: i % 3]:
                s.add(EngagementObjective(engagement_id=e.id, objective_id=o.id))
            if i % 2:
                s.add(EngagementNetwork(engagement_id=e.id, network_id=network.id))


def _expected(database) -> list[list[str]]:
    """Each engagement read on its own, the way the export read them before chunking."""
    out = []
    with database.session() as s:
        people = s.exec(select(Person)).all()
        label = {
            p.id: (p.email if sum(q.full_name == p.full_name for q in people) > 1 else p.full_name)
            for p in people
        }
        for e in s.exec(select(Engagement).order_by(Engagement.occurred_on, Engagement.id)):

            def names(link, column, target, attribute, e=e):
                rows = s.exec(
                    select(getattr(target, attribute))
                    .join(link, getattr(link, column) == target.id)
                    .where(link.engagement_id == e.id)
                ).all()
                return join_cell(sorted(rows))

            met = s.exec(
                select(EngagementPerson.person_id).where(EngagementPerson.engagement_id == e.id)
            ).all()
            out.append([
                e.occurred_on.isoformat(), e.kind,
                names(EngagementOrganisation, "organisation_id", Organisation, "name"),
                names(EngagementBorough, "borough_id", Borough, "name"), e.summary,
                join_cell(sorted(label[p] for p in met)),
                names(EngagementNetwork, "network_id", Network, "name"),
                names(EngagementObjective, "objective_id", Objective, "number"), e.outcome,
                str(e.people_reached), e.follow_up_on.isoformat() if e.follow_up_on else "",
                "yes" if e.follow_up_done else "no", "yes" if e.is_notable else "no", "",
            ])  # fmt: skip
    return [[tables.defuse(tables._printable(c)) for c in row] for row in out]


@pytest.mark.parametrize("chunk", [1, 4, 5_000])
def test_engagements_export_in_chunks_is_the_engagements_read_one_by_one(
    database, tmp_path, monkeypatch, chunk
):
    _fill(database)
    monkeypatch.setattr(export_module, "CHUNK", chunk)
    path = tmp_path / "e.csv"
    assert export_module.export_csv(database, "engagements", path) == 23
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1:] == _expected(database)
    assert any("Beta\\; Hub" in cell for row in rows for cell in row)  # escaped, not split


@pytest.mark.parametrize(
    "row",
    [
        ["plain", "", "=SUM(A1)", "+44 20 7946 0018", "-", "@x", "\tx", "\rx", "-12.5"],
        ["bell\x07", "\x00=1", "ok", "x\x7fy"],
        [date(2020, 1, 2), 3, 4.5, None, True, "a;b"],
        ["first line\n=second line", "x\n", "\n-3", "ok"],
        ["line\n=two", "bell\x07\n=x", "=y"],
    ],
)
def test_cells_are_checked_once_a_row_with_the_same_result_as_cell_by_cell(row):
    expected = [tables.defuse(tables._printable(tables._csv_text(c))) for c in row]
    assert tables._csv_cells(row) == expected


def test_only_patterns_another_does_not_cover_are_kept():
    patterns = ["%james%", "%james.lewis@example.org%", "%0%2%0%7%", "%lewis%", "%a\\%b%"]
    assert _broadest(patterns) == ["%james%", "%0%2%0%7%", "%lewis%", "%a\\%b%"]
    found = matcher(["James Lewis", "james.lewis@example.org"])
    assert _broadest(found.like_patterns) == ["%james%"]


def test_mentions_in_any_case_or_accents_are_found_through_the_lighter_filter(database):
    with database.session() as s:
        texts = ["Met JAMES LEWIS today", "Jámes Lewis called", "Nobody here", "james lewisham"]
        for text in texts:
            s.add(Engagement(occurred_on=DAY, kind="meeting", summary=text, outcome=""))
        s.add(Engagement(occurred_on=DAY, kind="meeting", summary="", outcome="met James  Lewis"))
    with database.session() as s:
        found = matcher(["James Lewis", "james.lewis@example.org"])
        hits = [
            row.get("summary") or row.get("outcome")
            for table, _keys, row, _columns in mentions(s, found)
            if table.name == "engagement"
        ]
    assert sorted(hits) == sorted(
        ["Met JAMES LEWIS today", "Jámes Lewis called", "met James  Lewis"]
    )


def test_the_mailing_list_names_each_recipients_latest_current_organisation(database):
    today = today_in_london()
    consent = ConsentInput("newsletter", today - timedelta(days=3), channel="any")
    with database.session() as s:
        orgs = [Organisation(name=n, sector="charity") for n in ("Old Co", "New Co", "Undated")]
        borough = s.exec(select(Borough).order_by(Borough.name)).first()
        assert borough is not None
        people = [
            Person(full_name="Zoe Ng", email="zoe@example.org", borough_id=borough.id),
            Person(full_name="Abe Lim", email="abe@example.org"),
            Person(full_name="Cy No", email=None),
        ]
        s.add_all([*orgs, *people])
        s.flush()
        zoe, abe, _ = people
        s.add_all([
            Affiliation(person_id=zoe.id, organisation_id=orgs[0].id, start_date=date(2015, 1, 1)),
            Affiliation(person_id=zoe.id, organisation_id=orgs[1].id, start_date=date(2020, 1, 1)),
            Affiliation(person_id=zoe.id, organisation_id=orgs[2].id),
            Affiliation(
                person_id=abe.id, organisation_id=orgs[1].id, start_date=date(2021, 1, 1),
                end_date=today - timedelta(days=1),
            ),
            Affiliation(person_id=abe.id, organisation_id=orgs[2].id),
        ])  # fmt: skip
        ids = [zoe.id, abe.id]
    for pid in ids:
        record_consent(database, pid, consent)
    result = mailing.build_list(database, mailing.ListRequest())
    assert [(r.full_name, r.organisation, r.borough) for r in result.recipients] == [
        ("Abe Lim", "Undated", None),
        ("Zoe Ng", "New Co", borough.name),
    ]
    assert result.left_out == {"no e-mail address or number": 1}


def test_retention_lists_old_engagements_with_the_day_written_out(database):
    with database.session() as s:
        s.add(Engagement(occurred_on=date(2001, 2, 3), kind="visit", summary="Old talk"))
        s.add(Engagement(occurred_on=date(2001, 2, 4), kind="visit", summary=""))  # nothing held
    due = retention.due(database, today=date(2026, 6, 30))
    items = [i for i in due.items if i.kind == "engagement"]
    assert [(i.label, i.reason) for i in items] == [("03/02/2001 visit", "older than 30/06/2020")]
