"""The same data gives the same graph, communities and files on SQLite and PostgreSQL.

Louvain and sampled betweenness visit nodes and neighbours in graph order, so a
graph built in row order gave 68 communities on one database and 66 on the
other. Each test here builds the graph on the backend under test and compares
it with the same data on a SQLite file of reference, or with the same data
after its rows were stored again in another order (on PostgreSQL that changes
the order a query without ORDER BY returns; SQLite returns index order).
"""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from db.migrate import open_database
from vru_crm.generate import Counts, generate
from vru_crm.graph import measures
from vru_crm.graph.build import GraphFilters, build_graph
from vru_crm.graph.export import export_graph

TODAY = date(2026, 11, 23)
DATA = Counts(organisations=60, people=200, engagements=1000, meetings=20)
FILTERS = GraphFilters(as_of=TODAY, include_boroughs=True)
# Tables whose rows are stored again in reverse order (links first, then records).
REORDERED = (
    "engagement_organisation", "engagement_person", "engagement_network", "engagement_borough",
    "organisation_borough", "attendance", "affiliation", "membership",
)  # fmt: skip


def _fingerprint(database, folder: Path) -> dict:
    """Everything that must not depend on the database: communities, measures and the files."""
    graph = build_graph(database, FILTERS)
    report = measures.measure_all(graph)
    folder.mkdir()
    files = {}
    for fmt in ("graphml", "gexf", "csv"):
        for path in export_graph(graph, fmt, folder / f"vru.{fmt}", report=report):
            files[path.name] = path.read_bytes()
    return {
        "nodes": list(graph.nodes),
        "communities": report.community,
        "count": len(set(report.community.values())),
        "betweenness": report.betweenness,
        "files": files,
    }


def _reverse_rows(database) -> None:
    """Store every row of the link tables again, last first (a new physical order)."""
    with database.engine.begin() as conn:
        for table in REORDERED:
            rows = [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {table}"))]
            if not rows:
                continue
            columns = list(rows[0])
            conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(
                text(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(':' + c for c in columns)})"
                ),
                list(reversed(rows)),
            )
        if database.engine.dialect.name == "postgresql":  # an UPDATE moves a row to the end
            for table in ("organisation", "person", "network", "engagement"):
                conn.execute(text(f"UPDATE {table} SET id = id WHERE id % 2 = 0"))


@pytest.fixture(autouse=True)
def _plain_sqlite(monkeypatch):
    """The generator's SQLite cache settings only change its speed; putting them back fails on
    a migrated file here (``PRAGMA temp_store`` inside a transaction), so they are left out."""
    import contextlib

    import vru_crm.generate.runner as runner

    monkeypatch.setattr(runner, "fast_sqlite", lambda conn: contextlib.nullcontext())


@pytest.fixture
def generated(database):
    generate(database, DATA, 7, today=TODAY)
    return database


def test_same_data_same_communities_and_files_as_sqlite(generated, tmp_path):
    reference = open_database(f"sqlite:///{tmp_path / 'reference.sqlite3'}", username="tester")
    try:
        generate(reference, DATA, 7, today=TODAY)
        expected = _fingerprint(reference, tmp_path / "reference")
    finally:
        reference.dispose()
    found = _fingerprint(generated, tmp_path / "found")
    assert found["count"] == expected["count"]
    assert found["communities"] == expected["communities"]
    assert found["nodes"] == expected["nodes"]
    assert found["betweenness"] == expected["betweenness"]
    for name, data in expected["files"].items():
        assert found["files"][name] == data, f"{name} differs between the databases"


def test_row_order_does_not_change_the_graph(generated, tmp_path):
    before = _fingerprint(generated, tmp_path / "before")
    _reverse_rows(generated)
    after = _fingerprint(generated, tmp_path / "after")
    assert after["communities"] == before["communities"]
    assert after["files"] == before["files"]
