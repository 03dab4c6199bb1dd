"""The layout: finite, no two nodes on one spot, reproducible; positions stored and reused."""

import math

import networkx as nx
import pytest
from graph_data import AS_OF, add_partnership

from db.models import EngagementOrganisation, Organisation
from vru_crm.graph.build import GraphFilters, build_graph
from vru_crm.graph.layout import LayoutCancelled, LayoutOptions, fr_layout
from vru_crm.graph.positions import load_positions, place_graph


def clustered(n_groups: int = 8, size: int = 40) -> tuple[list, list]:
    g = nx.random_partition_graph([size] * n_groups, 0.2, 0.005, seed=5)
    g.add_nodes_from(["lonely-1", "lonely-2"])
    return list(g.nodes()), [(u, v, 1.0) for u, v in g.edges()]


def test_positions_are_finite_distinct_and_reproducible():
    nodes, edges = clustered()
    first = fr_layout(nodes, edges, options=LayoutOptions(seed=3))
    again = fr_layout(nodes, edges, options=LayoutOptions(seed=3))
    other = fr_layout(nodes, edges, options=LayoutOptions(seed=4))
    assert set(first) == set(nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
    assert first == again
    assert first != other
    rounded = {(round(x, 2), round(y, 2)) for x, y in first.values()}
    assert len(rounded) == len(nodes), "two nodes drawn on the same spot"


def test_groups_are_drawn_together_and_isolates_stay_near():
    nodes, edges = clustered()
    pos = fr_layout(nodes, edges)
    dist = lambda a, b: math.dist(pos[a], pos[b])  # noqa: E731
    same = [dist(u, v) for u, v, _ in edges if u // 40 == v // 40]
    xs = [p[0] for p in pos.values()]
    width = max(xs) - min(xs)
    assert sum(same) / len(same) < 0.25 * width
    core = [pos[n] for n in nodes if not isinstance(n, str)]
    core_width = max(p[0] for p in core) - min(p[0] for p in core)
    assert width < 1.6 * core_width, "isolated nodes flung far away shrink the rest to a dot"


def test_duplicates_with_identical_neighbours_are_separated():
    nodes = ["hub", *[f"leaf{i}" for i in range(30)]]
    edges = [("hub", f"leaf{i}", 1.0) for i in range(30)]
    pos = fr_layout(nodes, edges, initial={n: (0.0, 0.0) for n in nodes})
    assert len({(round(x, 2), round(y, 2)) for x, y in pos.values()}) == len(nodes)


def test_incremental_layout_moves_only_the_new_nodes():
    nodes, edges = clustered()
    base = fr_layout(nodes, edges)
    new_edges = [*edges, ("newcomer", 0, 1.0)]
    moved = fr_layout([*nodes, "newcomer"], new_edges, initial=base, fixed=set(nodes))
    assert all(moved[n] == base[n] for n in nodes)
    assert math.dist(moved["newcomer"], moved[0]) < math.dist(moved["newcomer"], moved[200]) + 5


def test_cancel_stops_the_layout():
    nodes, edges = clustered()
    with pytest.raises(LayoutCancelled):
        fr_layout(nodes, edges, cancelled=lambda: True)


def test_progress_is_reported():
    nodes, edges = clustered(2, 10)
    seen = []
    fr_layout(nodes, edges, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and len(seen) > 2


def test_positions_are_stored_and_reused(database):
    add_partnership(database)
    graph = build_graph(database, GraphFilters(as_of=AS_OF))
    first = place_graph(database, graph)
    assert first.full and first.moved == graph.number_of_nodes()
    stored = load_positions(database, "all")
    assert set(stored) == set(graph)
    again = place_graph(database, build_graph(database, GraphFilters(as_of=AS_OF)))
    assert again.moved == 0 and again.positions == first.positions


def test_a_new_tie_moves_only_the_nodes_it_touches(database):
    ids = add_partnership(database)
    graph = build_graph(database, GraphFilters(as_of=AS_OF))
    for n in range(20):  # enough partners that one newcomer is a small change
        graph.add_node(f"org:{1000 + n}", kind="organisation", entity_id=1000 + n, label=str(n))
        graph.add_edge(
            f"org:{1000 + n}", f"network:{ids['charities']}", weight=1.0, kinds=["membership"]
        )
    before = place_graph(database, graph).positions
    with database.session() as s:
        newcomer = Organisation(name="New Youth Trust", sector="charity")
        s.add(newcomer)
        s.flush()
        engagement_id = s.exec(EngagementOrganisation.__table__.select()).first().engagement_id
        s.add(EngagementOrganisation(engagement_id=engagement_id, organisation_id=newcomer.id))
    graph2 = build_graph(database, GraphFilters(as_of=AS_OF))
    graph2.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if n.startswith("org:10"))
    graph2.add_edges_from(
        (a, b, d)
        for a, b, d in graph.edges(data=True)
        if a.startswith("org:10") or b.startswith("org:10")
    )
    after = place_graph(database, graph2)
    assert not after.full
    unchanged = [
        n for n in graph if n in graph2 and set(graph.neighbors(n)) == set(graph2.neighbors(n))
    ]
    assert unchanged and all(after.positions[n] == before[n] for n in unchanged)
    assert f"org:{newcomer.id}" in after.positions
    assert after.moved == graph2.number_of_nodes() - len(unchanged)


def test_migration_0005_adds_and_removes_the_positions_table(db_url):
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from db.migrate import alembic_config, upgrade
    from db.session import Database

    database = Database(db_url, username="tester")
    config = alembic_config(db_url)
    before = ScriptDirectory.from_config(config).get_revision("0005").down_revision
    try:
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, before)
        assert "graph_node_position" not in inspect(database.engine).get_table_names()
        upgrade(database, backup=False)
        assert "graph_node_position" in inspect(database.engine).get_table_names()
    finally:
        database.dispose()
