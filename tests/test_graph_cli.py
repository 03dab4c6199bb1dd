"""``vru-crm export graph`` and ``vru-crm graph``: files and figures from the command line."""

import json

import networkx as nx
from graph_data import add_partnership

from vru_crm.cli.main import main


def test_export_graph_with_filters(database, tmp_path, capsys):
    ids = add_partnership(database)
    out = tmp_path / "charities.graphml"
    code = main(
        [
            "--db",
            database.url,
            "export",
            "graph",
            "-f",
            "graphml",
            "-o",
            str(out),
            "--sector",
            "charity",
            "--borough",
            "Hackney",
            "--as-of",
            "2024-06-30",
        ]
    )
    assert code == 0
    back = nx.read_graphml(out)
    orgs = {d["label"] for _, d in back.nodes(data=True) if d["kind"] == "organisation"}
    assert orgs == {"Hackney CVS"}
    assert "Wrote" in capsys.readouterr().out
    assert back.nodes[f"org:{ids['A']}"]["boroughs"] == "HAC"


def test_export_graph_csv_writes_two_files(database, tmp_path):
    add_partnership(database)
    assert (
        main(
            [
                "--db",
                database.url,
                "export",
                "graph",
                "-f",
                "csv",
                "-o",
                str(tmp_path / "g.csv"),
                "--network",
                "Partnership Reference Group",
            ]
        )
        == 0
    )
    nodes = (tmp_path / "g_nodes.csv").read_text(encoding="utf-8")
    assert "Alice Adams" in nodes and "Hackney CVS" not in nodes
    assert (tmp_path / "g_edges.csv").read_text(encoding="utf-8").count(
        "\n"
    ) == 3  # header + 2 ties


def test_unknown_borough_is_a_plain_error(database, tmp_path, capsys):
    code = main(
        [
            "--db",
            database.url,
            "export",
            "graph",
            "-f",
            "gexf",
            "-o",
            str(tmp_path / "x.gexf"),
            "--borough",
            "Atlantis",
        ]
    )
    assert code == 1
    assert "no borough called Atlantis" in capsys.readouterr().err
    assert not (tmp_path / "x.gexf").exists()


def test_graph_measures_json(database, capsys):
    add_partnership(database)
    assert main(["--db", database.url, "graph", "measures", "--json", "--as-of", "2024-06-30"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reach_next"][0]["label"] == "Youth Club"
    assert any(b["label"] == "Met Police" for b in data["brokers"])
    assert data["nodes"] == 11


def test_graph_measures_text_and_compare(database, capsys):
    add_partnership(database)
    assert main(["--db", database.url, "graph", "measures", "--as-of", "2024-06-30"]) == 0
    text = capsys.readouterr().out
    assert (
        "Who to reach next" in text
        and "Youth Club" in text
        and "Quiet Mosque: Never engaged" in text
    )
    assert (
        main(["--db", database.url, "graph", "compare", "--by", "year", "--as-of", "2024-06-30"])
        == 0
    )
    text = capsys.readouterr().out
    assert "2023-01-01 to 2023-12-31 against 2024-01-01 to 2024-12-31" in text
    assert "Hackney CVS - St Giles Trust" in text or "St Giles Trust - Hackney CVS" in text
