"""The measures computed in C (igraph) give NetworkX's answers on graphs small enough for both."""

import networkx as nx
import pytest
from graph_data import AS_OF, add_partnership

from vru_crm.graph import engine, measures
from vru_crm.graph.build import GraphFilters, build_graph


def named(graph: nx.Graph) -> nx.Graph:
    """String keys in a shuffled but fixed order, as the builder's keys are strings."""
    return nx.relabel_nodes(graph, {n: f"n{n:03d}" for n in graph})


@pytest.fixture
def planted() -> nx.Graph:
    """Three dense groups joined by a few ties: any modularity method finds the same three."""
    graph = named(nx.random_partition_graph([25, 30, 35], 0.5, 0.01, seed=5))
    for a, b in graph.edges():
        graph.edges[a, b]["weight"] = 1.0 + (hash((a, b)) % 3 == 0)
    return graph


def test_exact_betweenness_is_networkx_s(planted):
    ours = engine.betweenness(engine.index_graph(planted), None, 42)
    theirs = nx.betweenness_centrality(planted, normalized=True)
    assert ours == pytest.approx(theirs, abs=1e-12)


def test_sampled_betweenness_uses_networkx_s_sources_and_scaling(planted):
    ours = engine.betweenness(engine.index_graph(planted), 20, 42)
    theirs = nx.betweenness_centrality(planted, k=20, normalized=True, seed=42)
    assert ours == pytest.approx(theirs, abs=1e-12)
    top = lambda values: sorted(values, key=lambda k: (-values[k], k))[:10]  # noqa: E731
    assert top(ours) == top(theirs)


def test_communities_are_networkx_s_up_to_numbering(planted):
    ours = {frozenset(group) for group in engine.communities(engine.index_graph(planted), 42)}
    theirs = {
        frozenset(group)
        for group in nx.community.louvain_communities(planted, weight="weight", seed=42)
    }
    assert ours == theirs and len(ours) == 3


def test_modularity_is_as_good_as_networkx_s_on_a_loose_graph():
    graph = named(nx.gnm_random_graph(300, 900, seed=11))
    nx.set_edge_attributes(graph, 1.0, "weight")
    ours = engine.communities(engine.index_graph(graph), 42)
    theirs = nx.community.louvain_communities(graph, weight="weight", seed=42)
    q_ours = nx.community.modularity(graph, ours, weight="weight")
    q_theirs = nx.community.modularity(graph, theirs, weight="weight")
    assert q_ours == pytest.approx(q_theirs, abs=0.02)


def test_communities_are_the_same_every_time(planted):
    first = measures.communities(planted)
    assert all(measures.communities(planted.copy()) == first for _ in range(3))


def test_bridges_articulation_points_and_components_are_networkx_s():
    graph = named(nx.random_partition_graph([8, 8, 8], 0.7, 0.0, seed=2))
    keys = sorted(graph)
    graph.add_edge(keys[0], keys[10])  # one tie between the first two groups
    graph.add_edge(keys[20], "lonely")
    graph.add_node("isolated")
    indexed = engine.index_graph(graph)
    assert engine.bridges(indexed) == sorted(tuple(sorted(e)) for e in nx.bridges(graph))
    assert engine.articulation_points(indexed) == sorted(nx.articulation_points(graph))
    assert engine.components(indexed) == nx.number_connected_components(graph)


def test_the_builder_s_arrays_are_the_graph_s_edges(database):
    add_partnership(database)
    graph = build_graph(database, GraphFilters(as_of=AS_OF, include_boroughs=True))
    remembered, walked = engine.index_graph(graph), engine.index_graph(graph.copy())
    assert remembered.keys == walked.keys == list(graph)
    assert remembered.edges.tolist() == walked.edges.tolist()
    assert remembered.weights.tolist() == walked.weights.tolist()
    graph.add_edge(*list(graph)[:2], weight=3.0)  # changed after the build: read afresh
    assert len(engine.index_graph(graph).edges) == graph.number_of_edges()
