"""The partnership graph built from a real database (SQLite and PostgreSQL), and its filters."""

from datetime import date

import pytest
from graph_data import AS_OF, add_partnership

from vru_crm.graph.build import GraphFilters, build_graph, split_key


@pytest.fixture
def ids(database):
    return add_partnership(database)


def key(kind: str, entity_id: int) -> str:
    return f"{kind}:{entity_id}"


def test_nodes_and_edges_follow_the_records(database, ids):
    g = build_graph(database, GraphFilters(as_of=AS_OF))
    org, person, net = (
        (lambda n: key("org", ids[n])),
        (lambda n: key("person", ids[n])),
        (lambda n: key("network", ids[n])),
    )
    assert sum(d["kind"] == "organisation" for _, d in g.nodes(data=True)) == 6
    assert sum(d["kind"] == "person" for _, d in g.nodes(data=True)) == 3
    assert g.nodes[net("prg")]["label"] == "Partnership Reference Group"
    assert g.nodes[org("A")]["boroughs"] == ["HAC"] and g.nodes[org("A")]["sector"] == "charity"
    chair = g.edges[net("prg"), person("alice")]
    assert chair["kinds"] == ["attendance", "membership"] and chair["role"] == "chair"
    assert g.edges[net("prg"), org("B")]["kinds"] == ["membership"]
    assert g.edges[person("bob"), org("B")]["kinds"] == ["affiliation"]
    assert not g.has_edge(person("bob"), net("prg")), "apologies are not attendance"
    assert g.degree(org("D")) == 0 and g.degree(org("E")) == 0
    assert split_key(org("F")) == ("organisation", ids["F"])


def test_co_engagement_counts_and_decays_with_a_half_life(database, ids):
    g = build_graph(database, GraphFilters(as_of=AS_OF, half_life_days=365))
    ab = g.edges[key("org", ids["A"]), key("org", ids["B"])]
    recent = 0.5 ** ((AS_OF - date(2024, 1, 10)).days / 365)
    older = 0.5 ** ((AS_OF - date(2023, 1, 10)).days / 365)
    assert ab["count"] == 2 and ab["kinds"] == ["co_engagement"]
    assert ab["weight"] == pytest.approx(recent + older, abs=1e-5)
    assert g.edges[key("org", ids["A"]), key("org", ids["C"])]["count"] == 1
    assert g.nodes[key("org", ids["E"])]["last_engaged"] == "2020-06-01"


def test_date_window_keeps_only_engagements_inside_it(database, ids):
    g = build_graph(database, GraphFilters(start=date(2024, 1, 1), end=date(2024, 12, 31)))
    assert g.edges[key("org", ids["A"]), key("org", ids["B"])]["count"] == 1
    assert g.nodes[key("org", ids["A"])]["engagements"] == 1
    g2020 = build_graph(database, GraphFilters(start=date(2020, 1, 1), end=date(2020, 12, 31)))
    assert not g2020.has_edge(key("org", ids["A"]), key("org", ids["B"]))
    assert (
        not g2020.has_edge(key("person", ids["alice"]), key("network", ids["prg"]))
        or "attendance"
        not in g2020.edges[key("person", ids["alice"]), key("network", ids["prg"])]["kinds"]
    )


def test_sector_filter_keeps_its_organisations_and_their_people(database, ids):
    g = build_graph(database, GraphFilters(sectors=frozenset({"charity"}), as_of=AS_OF))
    orgs = {n for n, d in g.nodes(data=True) if d["kind"] == "organisation"}
    people = {n for n, d in g.nodes(data=True) if d["kind"] == "person"}
    assert orgs == {key("org", ids["A"]), key("org", ids["C"])}
    assert people == {key("person", ids["alice"])}
    assert g.has_edge(key("org", ids["A"]), key("org", ids["C"]))


def test_borough_filter(database, ids):
    g = build_graph(database, GraphFilters(boroughs=frozenset({"SWK"}), as_of=AS_OF))
    assert {n for n, d in g.nodes(data=True) if d["kind"] == "organisation"} == {
        key("org", ids["C"])
    }


def test_network_filter_keeps_the_network_and_its_members(database, ids):
    g = build_graph(database, GraphFilters(network_ids=frozenset({ids["prg"]}), as_of=AS_OF))
    assert set(g) == {key("network", ids["prg"]), key("person", ids["alice"]), key("org", ids["B"])}


def test_minimum_weight_drops_weak_ties_but_keeps_the_partners(database, ids):
    g = build_graph(database, GraphFilters(min_weight=1.0, as_of=AS_OF))
    a, b, c = (key("org", ids[n]) for n in "ABC")
    assert g.has_edge(a, b)  # two engagements: 0.72 + 0.36
    assert not g.has_edge(a, c) and not g.has_edge(b, c)  # one engagement: 0.72
    assert c in g


def test_boroughs_as_nodes(database, ids):
    g = build_graph(database, GraphFilters(include_boroughs=True, as_of=AS_OF))
    hac = key("borough", ids["hac"])
    assert g.nodes[hac]["label"] == "Hackney" and g.nodes[hac]["is_priority"] is True
    assert "based_in" in g.edges[key("org", ids["A"]), hac]["kinds"]
    assert "engaged_in" in g.edges[key("org", ids["B"]), hac]["kinds"]


def test_people_can_be_left_out(database, ids):
    g = build_graph(database, GraphFilters(include_people=False, as_of=AS_OF))
    assert not any(d["kind"] == "person" for _, d in g.nodes(data=True))


def test_engagement_links_to_networks_and_people_become_ties(database, ids):
    from db.models import Engagement, EngagementNetwork, EngagementOrganisation, EngagementPerson

    with database.session() as s:
        visit = Engagement(occurred_on=date(2024, 5, 1), kind="visit")
        s.add(visit)
        s.flush()
        s.add(EngagementOrganisation(engagement_id=visit.id, organisation_id=ids["D"]))
        s.add(EngagementNetwork(engagement_id=visit.id, network_id=ids["charities"]))
        s.add(EngagementPerson(engagement_id=visit.id, person_id=ids["bob"]))
    g = build_graph(database, GraphFilters(as_of=AS_OF))
    mosque = key("org", ids["D"])
    assert g.edges[mosque, key("network", ids["charities"])]["kinds"] == ["engaged_through"]
    assert g.edges[mosque, key("person", ids["bob"])]["kinds"] == ["met_with"]
    assert g.nodes[mosque]["last_engaged"] == "2024-05-01"
