"""Home and detail figures, on both backends."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from perf.sample import seed_sample

from vru_crm.errors import NotFound
from vru_crm.governance.rule_words import describe_rule
from vru_crm.queries.engagement_detail import engagement_detail
from vru_crm.queries.home import home_figures
from vru_crm.queries.meeting_detail import meeting_detail
from vru_crm.queries.network_detail import network_detail
from vru_crm.queries.organisation_detail import organisation_detail
from vru_crm.queries.person_detail import person_detail


@pytest.fixture
def sample(database):
    return seed_sample(database)


def test_home_lists_my_follow_ups_overdue_first(database, sample):
    figures = home_figures(database, username="tester", today=sample.today)
    assert figures.staff_known
    assert [f.engagement_id for f in figures.follow_ups] == [
        sample.engagement["recent_hackney"],
        sample.engagement["lambeth_call"],
    ]
    assert [f.overdue for f in figures.follow_ups] == [True, False]
    assert figures.follow_ups[0].organisations == "Hackney CVS"


def test_home_follow_ups_are_only_mine(database, sample):
    assert home_figures(database, username="amira", today=sample.today).follow_ups == []
    stranger = home_figures(database, username="nobody", today=sample.today)
    assert not stranger.staff_known and stranger.follow_ups == []


def test_home_recent_engagements_and_next_meetings(database, sample):
    figures = home_figures(database, username="tester", today=sample.today)
    assert figures.recent[0].id == sample.engagement["recent_hackney"]
    assert [m.id for m in figures.meetings] == [
        sample.meeting["next_ypf"],
        sample.meeting["next_prg"],
    ]
    assert figures.meetings[0].network == "Youth Practitioners Forum"


def test_home_partners_and_boroughs_gone_quiet(database, sample):
    figures = home_figures(database, username="tester", today=sample.today, quiet_days=90)
    assert [p.name for p in figures.quiet_partners] == ["Quiet Partners Trust"]
    assert figures.quiet_partner_total == 1
    quiet = {b.name: b.last_contact for b in figures.quiet_boroughs}
    assert quiet["Croydon"] == sample.today - timedelta(days=200)
    assert quiet["Newham"] is None  # a priority borough never engaged
    assert "Hackney" not in quiet and "Lambeth" not in quiet
    assert (
        list(quiet)[0] != "Croydon"
    )  # never-engaged boroughs come before the one last seen 200 days ago
    shorter = home_figures(database, username="tester", today=sample.today, quiet_days=30)
    assert {p.name for p in shorter.quiet_partners} == {
        "Quiet Partners Trust",
        "Mayor's Office for Policing And Crime (MOPAC)",
    }


def test_quiet_boroughs_follow_new_and_deleted_engagements(database, sample):
    # The last contact per borough is read from the trigger-kept rollup: it must move
    # with every engagement logged, moved or deleted.
    from vru_crm.services import engagements as eng

    def quiet() -> dict:
        figures = home_figures(database, username="tester", today=sample.today, quiet_days=90)
        return {b.name: b.last_contact for b in figures.quiet_boroughs}

    croydon, newham = sample.borough["Croydon"], sample.borough["Newham"]
    eng.delete_engagement(database, sample.engagement["quiet_event"])
    assert quiet()["Croydon"] is None  # its only engagement is gone
    two_years = eng.create_engagement(
        database,
        eng.EngagementInput(
            kind="visit",
            occurred_on=sample.today - timedelta(days=730),
            borough_ids=[croydon],
            summary="Old visit",
        ),
    )
    assert quiet()["Croydon"] == sample.today - timedelta(days=730)
    eng.create_engagement(
        database,
        eng.EngagementInput(
            kind="call",
            occurred_on=sample.today - timedelta(days=3),
            borough_ids=[croydon, newham],
            summary="Recent call",
        ),
    )
    assert "Croydon" not in quiet() and "Newham" not in quiet()
    eng.update_engagement(
        database,
        two_years.id,
        eng.EngagementInput(
            kind="visit",
            occurred_on=sample.today - timedelta(days=10),
            borough_ids=[croydon],
            summary="Old visit, moved",
        ),
        version=two_years.version,
    )
    assert "Croydon" not in quiet()


def test_organisation_detail(database, sample):
    detail = organisation_detail(database, sample.org["Hackney CVS"])
    assert (detail.name, detail.sector_label, detail.boroughs, detail.is_priority) == (
        "Hackney CVS",
        "Charity / VCS",
        ["Hackney"],
        True,
    )
    assert [(p.name, p.current) for p in detail.people] == [
        ("Jake Ferguson", True),
        ("Former Volunteer", False),
    ]
    assert [(n.network, n.role, n.via) for n in detail.networks] == [
        ("Partnership Reference Group", "member", ""),  # the organisation itself
        ("Youth Practitioners Forum", "member", "Jake Ferguson"),  # through someone who works there
    ]
    assert detail.engagement_total == 2 and sum(m.count for m in detail.by_month) == 2
    assert detail.by_month[-1].month == (sample.today - timedelta(days=3)).strftime("%Y-%m")
    assert detail.last_contact == sample.today - timedelta(days=3)
    assert [e.id for e in detail.recent] == [
        sample.engagement["recent_hackney"],
        sample.engagement["old_hackney"],
    ]
    assert [(a.influence, a.support) for a in detail.assessments] == [(3, 3), (5, 5)]


def test_person_detail(database, sample):
    detail = person_detail(database, sample.person["Jake Ferguson"])
    assert [(a.organisation, a.role) for a in detail.affiliations] == [
        ("Hackney CVS", "Coordinator")
    ]
    assert [m.network for m in detail.memberships] == ["Youth Practitioners Forum"]
    assert [(m.meeting_id, m.status) for m in detail.meetings] == [
        (sample.meeting["ofsted"], "apologies")
    ]
    assert detail.engagement_total == 1 and detail.borough == "Hackney"


def test_network_detail_members_meetings_cadence(database, sample):
    detail = network_detail(database, sample.network["PRG"])
    assert detail.cadence == "quarterly" and detail.kind_label == "Board"
    assert [(m.name, m.kind, m.role) for m in detail.members] == [
        ("Priya Nair", "person", "chair"),
        ("Hackney CVS", "organisation", "member"),
    ]
    assert [m.id for m in detail.meetings] == [sample.meeting["next_prg"], sample.meeting["ofsted"]]
    ypf = network_detail(database, sample.network["YPF"])
    assert [(m.name, m.current) for m in ypf.members] == [
        ("Jake Ferguson", True),
        ("Zoë Adebayo", False),
    ]


def test_meeting_and_engagement_detail(database, sample):
    meeting = meeting_detail(database, sample.meeting["ofsted"])
    assert [i.title for i in meeting.agenda] == ["Ofsted discussion"]
    assert [(a.name, a.status) for a in meeting.attendees] == [
        ("Priya Nair", "present"),
        ("Jake Ferguson", "apologies"),
    ]
    assert meeting.network is not None and meeting.network.label == "Partnership Reference Group"
    engagement = engagement_detail(database, sample.engagement["recent_hackney"])
    assert [o.label for o in engagement.organisations] == ["Hackney CVS"]
    assert engagement.objectives == ["4. Enabling communities to be strong, safe and resilient"]
    assert [n.label for n in engagement.networks] == ["Youth Practitioners Forum"]


def test_a_missing_record_says_so_in_words(database, sample):
    with pytest.raises(NotFound, match="no longer exists"):
        organisation_detail(database, 99999)


@pytest.mark.parametrize(
    "rule, words",
    [
        (None, "no set cadence"),
        ("FREQ=MONTHLY;INTERVAL=3", "quarterly"),
        ("FREQ=WEEKLY;INTERVAL=6", "every six weeks"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "fortnightly, on Tuesdays"),
        ("RRULE:FREQ=MONTHLY;BYDAY=2WE", "monthly, on the second Wednesday"),
        ("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1", "monthly, on the last Thursday"),
        ("FREQ=YEARLY;COUNT=3", "yearly, 3 times"),
        ("FREQ=SOMETIMES", "custom rule: FREQ=SOMETIMES"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU", "quarterly, on the last Tuesday"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "monthly, on the last day of the month"),
        ("FREQ=WEEKLY;INTERVAL=4", "every 4 weeks"),
    ],
)
def test_cadence_rules_in_words(rule, words):
    assert describe_rule(rule) == words


def test_quiet_priority_partners_come_first(database, sample):
    with database.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE organisation SET is_priority = :t WHERE id = :i"),
            {"t": True, "i": sample.org["Quiet Partners Trust"]},
        )
    figures = home_figures(database, username="tester", today=sample.today, quiet_days=30)
    assert [(p.name, p.is_priority) for p in figures.quiet_partners] == [
        ("Quiet Partners Trust", True),
        ("Mayor's Office for Policing And Crime (MOPAC)", False),
    ]
    assert figures.quiet_partner_total == 2
