"""The read side: list queries filter, sort and page in SQL, on both backends."""

from datetime import timedelta

import pytest
from perf.sample import seed_sample

from vru_crm.queries.common import Filters, Sort
from vru_crm.queries.engagements import EngagementQuery
from vru_crm.queries.meetings import MeetingQuery
from vru_crm.queries.networks import NetworkQuery
from vru_crm.queries.organisations import OrganisationQuery
from vru_crm.queries.people import PersonQuery


@pytest.fixture
def sample(database):
    return seed_sample(database)


def names(rows):
    return [r.name for r in rows]


def test_organisations_are_listed_by_name_with_their_figures(database, sample):
    query = OrganisationQuery(database)
    rows = query.page(0, 50)
    assert query.count() == 5
    assert names(rows) == sorted(names(rows), key=str.casefold)
    hackney = next(r for r in rows if r.name == "Hackney CVS")
    assert (hackney.sector, hackney.boroughs, hackney.engagements) == (
        "Charity / VCS",
        "Hackney",
        2,
    )
    assert hackney.last_contact == sample.today - timedelta(days=3)
    church = next(r for r in rows if r.name == "St Mary's Church")
    assert church.boroughs == "Lambeth, Southwark" and church.last_contact is None


def test_organisation_filters_narrow_the_rows(database, sample):
    def listed(**filters):
        return set(names(OrganisationQuery(database, Filters(**filters)).page(0, 50)))

    assert listed(sector="charity") == {"Hackney CVS", "Quiet Partners Trust"}
    assert listed(borough_id=sample.borough["Lambeth"]) == {
        "Café Rouge Youth Club",
        "St Mary's Church",
    }
    assert listed(network_id=sample.network["PRG"]) == {"Hackney CVS"}
    assert listed(objective_id=sample.objective[8]) == {
        "Mayor's Office for Policing And Crime (MOPAC)"
    }
    assert listed(date_from=sample.today - timedelta(days=30)) == {
        "Hackney CVS",
        "Café Rouge Youth Club",
    }
    assert listed(text="mary") == {"St Mary's Church"}
    assert listed(text="100%") == set()  # a % typed by the user is not a wildcard
    assert listed(status="never") == {"St Mary's Church"}
    assert listed(status="priority") == {"Hackney CVS"}


def test_organisations_sort_by_last_contact_in_sql(database, sample):
    rows = OrganisationQuery(database, sort=Sort("last_contact", descending=True)).page(0, 50)
    assert names(rows)[:2] == ["Hackney CVS", "Café Rouge Youth Club"]
    assert rows[-1].last_contact is None  # never contacted goes last, whichever the direction
    ascending = OrganisationQuery(database, sort=Sort("last_contact")).page(0, 50)
    assert names(ascending)[0] == "Quiet Partners Trust" and ascending[-1].last_contact is None


def test_pages_do_not_overlap_and_cover_every_row(database, sample):
    query = EngagementQuery(database)
    pages = [query.page(offset, 2) for offset in (0, 2, 4)]
    ids = [r.id for page in pages for r in page]
    assert len(ids) == len(set(ids)) == query.count() == 5
    dates = [r.occurred_on for page in pages for r in page]
    assert dates == sorted(dates, reverse=True)
    assert query.page(10, 2) == []


def test_engagement_rows_join_partners_as_text(database, sample):
    row = EngagementQuery(database).page(0, 1)[0]
    assert row.id == sample.engagement["recent_hackney"]
    assert (row.kind_label, row.organisations, row.boroughs, row.logged_by) == (
        "Visit",
        "Hackney CVS",
        "Hackney",
        "Test User",
    )


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"kind": "visit"}, {"recent_hackney", "old_hackney"}),
        ({"status": "follow_up_overdue"}, {"recent_hackney"}),
        ({"status": "follow_up_open"}, {"recent_hackney", "lambeth_call"}),
        ({"text": "zoë"}, {"lambeth_call"}),
        ({"text": "mopac"}, {"mopac_online"}),
        ({"sector": "grassroots"}, {"lambeth_call"}),
    ],
)
def test_engagement_filters(database, sample, filters, expected):
    by_id = {v: k for k, v in sample.engagement.items()}
    rows = EngagementQuery(database, Filters(**filters)).page(0, 50)
    assert {by_id[r.id] for r in rows} == expected


def test_engagement_filters_by_link_tables(database, sample):
    by_id = {v: k for k, v in sample.engagement.items()}

    def listed(**filters):
        return {by_id[r.id] for r in EngagementQuery(database, Filters(**filters)).page(0, 50)}

    assert listed(borough_id=sample.borough["Hackney"]) == {"recent_hackney", "old_hackney"}
    assert listed(network_id=sample.network["PRG"]) == {"mopac_online"}
    assert listed(
        objective_id=sample.objective[4], date_from=sample.today - timedelta(days=30)
    ) == {"recent_hackney"}


def test_engagements_sort_by_follow_up_with_missing_dates_last(database, sample):
    rows = EngagementQuery(database, sort=Sort("follow_up")).page(0, 50)
    assert [r.id for r in rows][:2] == [
        sample.engagement["recent_hackney"],
        sample.engagement["lambeth_call"],
    ]
    assert rows[-1].follow_up_on is None


def test_joined_name_columns_are_not_sortable(database, sample):
    """Sorting 100,000 rows by a per-row aggregate is too slow; the query keeps its own order."""
    query = EngagementQuery(database, sort=Sort("organisations"))
    assert query.sort == EngagementQuery.default_sort


def test_unknown_sort_column_falls_back_to_the_default(database, sample):
    query = EngagementQuery(database, sort=Sort("no_such_column"))
    assert query.sort == EngagementQuery.default_sort


def test_people_show_current_organisations_and_filter(database, sample):
    rows = {r.full_name: r for r in PersonQuery(database).page(0, 50)}
    assert rows["Jake Ferguson"].organisations == "Hackney CVS"
    assert rows["Former Volunteer"].organisations == ""  # the affiliation ended
    assert rows["Zoë Adebayo"].borough == "Lambeth"
    young_or_lambeth = PersonQuery(database, Filters(borough_id=sample.borough["Lambeth"])).page(
        0, 50
    )
    assert [r.full_name for r in young_or_lambeth] == ["Zoë Adebayo"]
    in_prg = PersonQuery(database, Filters(network_id=sample.network["PRG"])).page(0, 50)
    assert [r.full_name for r in in_prg] == ["Priya Nair"]
    by_contact = PersonQuery(database, sort=Sort("last_contact", descending=True)).page(0, 50)
    assert by_contact[0].full_name == "Jake Ferguson"
    on_objective_8 = PersonQuery(database, Filters(objective_id=sample.objective[8])).page(0, 50)
    assert [r.full_name for r in on_objective_8] == ["Priya Nair"]  # met at the MOPAC meeting
    lately = Filters(date_from=sample.today - timedelta(days=20))
    assert [r.full_name for r in PersonQuery(database, lately).page(0, 50)] == [
        "Jake Ferguson",
        "Zoë Adebayo",
    ]


def test_networks_show_current_members_meetings_and_cadence(database, sample):
    rows = {r.name: r for r in NetworkQuery(database).page(0, 50)}
    prg, ypf = rows["Partnership Reference Group"], rows["Youth Practitioners Forum"]
    assert (prg.members, prg.meetings, prg.cadence) == (2, 2, "quarterly")
    assert (ypf.members, ypf.cadence) == (1, "monthly")  # Zoë's membership ended
    assert ypf.next_meeting is not None and ypf.next_meeting.date() == sample.today + timedelta(
        days=10
    )
    assert NetworkQuery(database, Filters(kind="forum")).count() == 1


def test_meetings_filter_by_network_status_and_date(database, sample):
    assert MeetingQuery(database).count() == 3
    held = MeetingQuery(database, Filters(status="held")).page(0, 10)
    assert [r.id for r in held] == [sample.meeting["ofsted"]] and held[0].attendees == 1
    future = MeetingQuery(database, Filters(date_from=sample.today)).page(0, 10)
    assert {r.id for r in future} == {sample.meeting["next_prg"], sample.meeting["next_ypf"]}
    ypf = MeetingQuery(database, Filters(network_id=sample.network["YPF"])).page(0, 10)
    assert [r.network for r in ypf] == ["Youth Practitioners Forum"]
    by_date = MeetingQuery(database).page(0, 10)
    assert by_date[0].id == sample.meeting["next_prg"]  # latest first
