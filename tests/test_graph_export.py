"""Graph files read back by independent readers: NetworkX's GraphML reader, xml.etree, csv."""

import csv
import xml.etree.ElementTree as ET
from datetime import date

import networkx as nx
import pytest
from graph_data import AS_OF, add_partnership

from vru_crm.graph import measures
from vru_crm.graph.build import GraphFilters, build_graph
from vru_crm.graph.compare import (
    compare_periods,
    quarter_of,
    this_quarter_and_last,
    this_year_and_last,
)
from vru_crm.graph.export import export_graph, safe_value


@pytest.fixture
def built(database):
    ids = add_partnership(database)
    graph = build_graph(database, GraphFilters(as_of=AS_OF))
    return ids, graph, measures.measure_all(graph)


def test_graphml_opens_with_its_attributes(built, tmp_path):
    ids, graph, report = built
    path = tmp_path / "vru.graphml"
    export_graph(graph, "graphml", path, report=report, positions={f"org:{ids['A']}": (1.5, -2.0)})
    back = nx.read_graphml(path)
    a = back.nodes[f"org:{ids['A']}"]
    assert a["label"] == "Hackney CVS" and a["sector"] == "charity" and a["boroughs"] == "HAC"
    assert a["x"] == 1.5 and a["y"] == -2.0
    assert a["degree"] == graph.degree(f"org:{ids['A']}")
    assert isinstance(back.nodes[f"org:{ids['D']}"]["betweenness"], float)
    edge = back.edges[f"network:{ids['prg']}", f"person:{ids['alice']}"]
    assert edge["kinds"] == "attendance; membership" and edge["role"] == "chair"
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()


def test_young_people_are_not_named_in_files(built, tmp_path):
    ids, graph, _ = built
    path = tmp_path / "vru.graphml"
    export_graph(graph, "graphml", path)
    assert "Yasmin" not in path.read_text(encoding="utf-8")
    assert (
        nx.read_graphml(path).nodes[f"person:{ids['young']}"]["label"]
        == f"Young person {ids['young']}"
    )


def test_gexf_attributes_and_gephi_visuals(built, tmp_path):
    ids, graph, report = built
    path = tmp_path / "vru.gexf"
    export_graph(graph, "gexf", path, report=report, positions={f"org:{ids['A']}": (3.0, 4.0)})
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    root = ET.parse(path).getroot()
    titles = {
        a.get("id"): (a.get("title"), a.get("type"))
        for a in root.findall("g:graph/g:attributes[@class='node']/g:attribute", ns)
    }
    by_title = {title: (aid, kind) for aid, (title, kind) in titles.items()}
    assert by_title["sector"][1] == "string" and by_title["betweenness"][1] in ("double", "float")
    node = root.find(f"g:graph/g:nodes/g:node[@id='org:{ids['A']}']", ns)
    assert node.get("label") == "Hackney CVS"
    values = {a.get("for"): a.get("value") for a in node.findall("g:attvalues/g:attvalue", ns)}
    assert values[by_title["sector"][0]] == "charity"
    position = node.find("viz:position", ns)
    assert (float(position.get("x")), float(position.get("y"))) == (3.0, 4.0)
    assert node.find("viz:color", ns).get("r") == "216"
    edges = root.findall("g:graph/g:edges/g:edge", ns)
    assert len(edges) == graph.number_of_edges()
    assert nx.read_gexf(path).number_of_nodes() == graph.number_of_nodes()


def test_csv_node_and_edge_lists(built, tmp_path):
    ids, graph, report = built
    nodes_path, edges_path = export_graph(graph, "csv", tmp_path / "vru.csv", report=report)
    with nodes_path.open(newline="", encoding="utf-8") as handle:
        nodes = {row["id"]: row for row in csv.DictReader(handle)}
    with edges_path.open(newline="", encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert nodes[f"org:{ids['F']}"]["label"] == "Youth Club"
    assert nodes[f"org:{ids['F']}"]["kind"] == "organisation"
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    ab = next(
        e for e in edges if {e["source"], e["target"]} == {f"org:{ids['A']}", f"org:{ids['B']}"}
    )
    assert ab["count"] == "2" and ab["kinds"] == "co_engagement"


def test_safe_values():
    assert safe_value(None) == "" and safe_value(["HAC", "SWK"]) == "HAC; SWK"
    assert safe_value(date(2024, 1, 2)) == "2024-01-02" and safe_value({"b", "a"}) == "a; b"


def test_periods():
    assert quarter_of(date(2024, 11, 5)) == (date(2024, 10, 1), date(2024, 12, 31))
    assert this_quarter_and_last(date(2024, 2, 29)) == (
        (date(2023, 10, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 3, 31)),
    )
    assert this_year_and_last(date(2024, 6, 1))[0] == (date(2023, 1, 1), date(2023, 12, 31))


def test_compare_two_years(database):
    ids = add_partnership(database)
    result = compare_periods(
        database, (date(2023, 1, 1), date(2023, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31))
    )
    org = lambda n: f"org:{ids[n]}"  # noqa: E731
    gained = {(t.a, t.b) for t in result.gained}
    assert tuple(sorted((org("A"), org("C")))) in gained  # met together in January 2024 only
    assert (
        tuple(sorted((f"network:{ids['prg']}", f"person:{ids['alice']}"))) not in gained
    )  # chair before too
    assert not result.lost  # the 2023 tie A-B was renewed in 2024
    assert {p.label for p in result.joined} == {"Youth Club"}  # St Giles was in a network before
    assert result.dropped == []
    back = compare_periods(
        database, (date(2024, 1, 1), date(2024, 12, 31)), (date(2023, 1, 1), date(2023, 12, 31))
    )
    assert {p.label for p in back.dropped} == {"Youth Club"}
