"""The graph as columns (``GraphFrame``) answers as the NetworkX graph does: measures, files, map.

The Graph page and ``export graph`` work on the frame at the real size; the
NetworkX graph stays the model. Each test builds both from the same database and
compares what a user sees: the report, the files read back by independent
parsers (NetworkX's GraphML and GEXF readers, csv), the snapshot the view draws
and the stored positions.
"""

import contextlib
import csv
from dataclasses import asdict
from datetime import date
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from graph_data import AS_OF, add_partnership

from vru_crm.generate import Counts, generate
from vru_crm.graph import measures
from vru_crm.graph.build import GraphFilters, build_frame, build_graph
from vru_crm.graph.export import export_frame, export_graph
from vru_crm.graph.frame_measures import measure_frame
from vru_crm.graph.positions import frame_positions, load_positions, place_frame, place_graph
from vru_crm.graph.service import apply_report, snapshot_from_frame, snapshot_from_graph

TODAY = date(2026, 11, 23)
VIEWS = {
    "all": GraphFilters(as_of=TODAY),
    "boroughs, from 2024": GraphFilters(as_of=TODAY, include_boroughs=True, start=date(2024, 1, 1)),
    "charities, heavier ties": GraphFilters(
        as_of=TODAY, sectors=frozenset({"charity"}), min_weight=0.3
    ),
    "no people": GraphFilters(as_of=TODAY, include_people=False),
}


@pytest.fixture
def generated(sqlite_database, monkeypatch):
    import vru_crm.generate.runner as runner

    # The generator's SQLite cache settings only change its speed (see test_graph_parity).
    monkeypatch.setattr(runner, "fast_sqlite", lambda conn: contextlib.nullcontext())
    generate(
        sqlite_database,
        Counts(organisations=60, people=200, engagements=1500, meetings=20),
        5,
        today=TODAY,
    )
    return sqlite_database


def _read(fmt: str, written: list[Path]):
    if fmt == "csv":
        tables = []
        for path in written:
            with path.open(newline="", encoding="utf-8") as handle:
                tables.append(list(csv.DictReader(handle)))
        return tables
    back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(written[0])
    edges = {frozenset((a, b)): data for a, b, data in back.edges(data=True)}
    return dict(back.graph), dict(back.nodes(data=True)), edges, list(back.nodes)


@pytest.mark.parametrize("view", list(VIEWS))
def test_the_frame_is_the_graph_and_measures_the_same(generated, view):
    graph = build_graph(generated, VIEWS[view])
    frame = build_frame(generated, VIEWS[view])
    keys = frame.keys()
    assert keys == list(graph)
    assert [frame.node_data(i) for i in range(len(frame))] == [graph.nodes[k] for k in keys]
    assert [(keys[a], keys[b], d) for a, b, d in frame.edges()] == list(graph.edges(data=True))
    expected = measures.measure_all(graph)
    found = measure_frame(frame)
    report = asdict(found.report)
    for name in ("degree", "weighted_degree", "betweenness", "community"):
        assert report.pop(name) == {}
        assert dict(zip(keys, getattr(found.nodes, name).tolist(), strict=True)) == getattr(
            expected, name
        ), name
    wanted = asdict(expected)
    for name in ("degree", "weighted_degree", "betweenness", "community"):
        wanted.pop(name)
    assert report == wanted


def test_the_partnership_measures_the_same(database):
    add_partnership(database)
    graph = build_graph(database, GraphFilters(as_of=AS_OF, include_boroughs=True))
    found = measure_frame(build_frame(database, GraphFilters(as_of=AS_OF, include_boroughs=True)))
    expected = measures.measure_all(graph)
    assert found.report.reach_next == expected.reach_next
    assert found.report.by_borough == expected.by_borough
    assert found.report.quiet == expected.quiet and found.report.prg == expected.prg
    assert found.report.brokers == expected.brokers


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
@pytest.mark.parametrize("young_names", [False, True])
def test_the_files_read_back_the_same(generated, tmp_path, fmt, young_names):
    filters = VIEWS["boroughs, from 2024"]
    graph, frame = build_graph(generated, filters), build_frame(generated, filters)
    positions = {k: (float(i), -i / 3) for i, k in enumerate(sorted(graph)) if i % 3}
    one = export_graph(
        graph,
        fmt,
        tmp_path / f"graph.{fmt}",
        report=measures.measure_all(graph),
        positions=positions,
        young_names=young_names,
    )
    two = export_frame(
        frame,
        fmt,
        tmp_path / f"frame.{fmt}",
        measures=measures.node_measures(frame),
        positions=positions,
        young_names=young_names,
    )
    assert _read(fmt, two) == _read(fmt, one)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_stored_positions_as_columns_write_the_same_files(generated, tmp_path, fmt):
    graph, frame = build_graph(generated, VIEWS["all"]), build_frame(generated, VIEWS["all"])
    graph.remove_node(next(k for k in graph if graph.degree(k)))  # one node with no position
    place_graph(generated, graph)
    positions = {k: (x, y) for k, (x, y, _) in load_positions(generated, "all").items()}
    xy, placed = frame_positions(generated, frame, "all")
    assert 0 < int(placed.sum()) == len(frame) - 1
    node_measures = measures.node_measures(frame)
    one = export_frame(
        frame, fmt, tmp_path / f"dict.{fmt}", measures=node_measures, positions=positions
    )
    two = export_frame(
        frame, fmt, tmp_path / f"cols.{fmt}", measures=node_measures, places=(xy, placed)
    )
    assert [p.read_bytes() for p in two] == [p.read_bytes() for p in one]


def test_a_changed_map_is_laid_out_where_it_changed(generated):
    graph, frame = build_graph(generated, VIEWS["all"]), build_frame(generated, VIEWS["all"])
    gone = next(k for k in graph if graph.degree(k))
    touched = set(graph.adj[gone]) | {gone}
    graph.remove_node(gone)  # stored without one partner: it and its neighbours must move
    before = place_graph(generated, graph).positions
    placed = place_frame(generated, frame, frame.keys())
    assert placed.in_key_order is None and 0 < placed.moved < len(frame)
    assert placed.positions.keys() == set(frame.keys())
    still = [k for k in before if k not in touched]
    assert sum(placed.positions[k] == before[k] for k in still) > 0.9 * len(still)


def test_the_snapshot_and_the_stored_map_are_the_same(generated):
    filters = VIEWS["all"]
    graph, frame = build_graph(generated, filters), build_frame(generated, filters)
    keys = frame.keys()
    first = place_graph(generated, graph)
    again = place_frame(generated, frame, keys)
    assert again.moved == 0 and again.positions == {}  # nothing changed: one array, key order
    assert again.in_key_order.tolist() == [list(first.positions[k]) for k in sorted(keys)]
    again.positions = first.positions
    expected = snapshot_from_graph(graph, measures.measure_all(graph), first.positions)
    found = snapshot_from_frame(
        frame, keys, measure_frame(frame), again.positions, again.in_key_order
    )
    found.frame = frame
    for name in ("keys", "kinds", "entity_ids", "labels", "sectors", "networks"):
        assert list(getattr(found, name)) == getattr(expected, name), name
    assert np.array_equal(found.positions, expected.positions)
    assert sorted(map(tuple, np.sort(found.edges, axis=1).tolist())) == sorted(
        map(tuple, np.sort(expected.edges, axis=1).tolist())
    )
    apply_report(found, measure_frame(frame))
    assert found.frame is None
    assert list(found.communities) == expected.communities
    for name, values in expected.measures.items():
        assert list(found.measures[name]) == values, name


def test_node_numbers_by_id_take_dense_and_far_ids():
    from vru_crm.graph.build import _Numbers

    numbers = _Numbers()
    for number, entity_id in enumerate([3, 7, 10**12, 12]):
        numbers[entity_id] = number
    assert len(numbers) == 4 and numbers[7] == 1 and numbers[10**12] == 2
    assert numbers.get(4) is None and numbers.get(-1) is None and numbers.get(10**13) is None
    assert numbers.items() == [(3, 0), (7, 1), (12, 3), (10**12, 2)]
    with pytest.raises(KeyError):
        numbers[5]
