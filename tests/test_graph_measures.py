"""Measures on small graphs whose answers are known by hand, and on the hand-built partnership."""

import networkx as nx
import pytest
from graph_data import AS_OF, add_partnership

from vru_crm.graph import measures
from vru_crm.graph.build import GraphFilters, build_graph


def labelled(graph: nx.Graph, kind: str = "organisation") -> nx.Graph:
    for i, node in enumerate(graph):
        graph.nodes[node].update(kind=kind, entity_id=i + 1, label=str(node), last_engaged="")
    for _, _, data in graph.edges(data=True):
        data.update(weight=1.0, kinds=["co_engagement"])
    return graph


def test_betweenness_of_a_path():
    g = labelled(nx.path_graph(["a", "b", "c", "d", "e"]))
    b = measures.betweenness(g)
    # c lies on the 4 shortest paths between {a, b} and {d, e}: 4 of the 6 pairs not involving it
    assert b["c"] == pytest.approx(4 / 6)
    assert b["b"] == pytest.approx(3 / 6)
    assert b["a"] == 0 and b["e"] == 0


def test_a_bridge_between_two_triangles():
    g = labelled(
        nx.Graph(
            [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")]
        )
    )
    assert measures.bridges(g) == [("c", "d")]
    assert measures.articulation_points(g) == ["c", "d"]
    community = measures.communities(g)
    assert community["a"] == community["b"] == community["c"]
    assert community["d"] == community["e"] == community["f"] != community["a"]


def test_isolates_and_degrees():
    g = labelled(nx.Graph([("a", "b"), ("a", "c")]))
    g.add_node("lonely", kind="organisation", entity_id=9, label="lonely", last_engaged="")
    assert measures.isolates(g) == ["lonely"]
    assert measures.degree(g) == {"a": 2, "b": 1, "c": 1, "lonely": 0}
    g.edges["a", "b"]["weight"] = 2.5
    assert measures.weighted_degree(g)["a"] == pytest.approx(3.5)


def test_communities_are_the_same_every_time():
    g = labelled(nx.random_partition_graph([10, 10, 10], 0.6, 0.02, seed=3))
    assert measures.communities(g) == measures.communities(g.copy())


@pytest.fixture
def report(database):
    ids = add_partnership(database)
    graph = build_graph(database, GraphFilters(as_of=AS_OF))
    return ids, graph, measures.measure_all(graph, months=6)


def test_partnership_measures_name_the_gaps(report):
    ids, graph, r = report
    org = lambda n: f"org:{ids[n]}"  # noqa: E731
    assert r.prg == f"network:{ids['prg']}"
    assert org("D") in r.isolates and org("E") in r.isolates
    quiet = [row.key for row in r.quiet]
    assert quiet[0] == org("D") and row_reason(r.quiet, org("D")) == "Never engaged"
    assert row_reason(r.quiet, org("E")) == "No engagement since 2020-06-01"
    assert org("A") not in quiet  # engaged in January, within six months of 30 June
    assert r.articulation_points == [org("B")]  # Bob's only tie runs through the Met Police
    assert (org("B"), f"person:{ids['bob']}") in r.bridges or (
        f"person:{ids['bob']}",
        org("B"),
    ) in r.bridges


def test_prg_connectedness_by_borough_and_sector(report):
    ids, _, r = report
    hackney = next(row for row in r.by_borough if row.group == "HAC")
    assert (hackney.partners, hackney.on_prg, hackney.near_prg, hackney.unlinked) == (2, 1, 1, 1)
    assert hackney.is_priority and hackney.score == pytest.approx(0.75)
    police = next(row for row in r.by_sector if row.group == "police")
    assert (police.partners, police.on_prg) == (1, 1)
    faith = next(row for row in r.by_sector if row.group == "faith")
    assert (faith.partners, faith.on_prg, faith.near_prg, faith.score) == (1, 0, 0, 0.0)


def test_reach_next_names_the_central_outsider_with_a_reason(report):
    ids, _, r = report
    first = r.reach_next[0]
    assert (first.kind, first.entity_id) == ("organisation", ids["F"])
    assert first.reason == "Met in 1 engagement, but sits in no network"
    assert r.reach_next[1].kind == "borough"  # the kinds of gap take turns
    boroughs = [row for row in r.reach_next if row.kind == "borough"]
    assert boroughs and all("Priority borough" in row.reason for row in boroughs)
    assert ids["hac"] not in {row.entity_id for row in boroughs}  # Hackney is well connected
    summary = r.summary()
    assert summary["communities"] >= 2 and summary["reach_next"][0]["label"] == "Youth Club"


def row_reason(rows, key):
    return next(row.reason for row in rows if row.key == key)
