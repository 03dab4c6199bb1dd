"""The graph written for other tools: GraphML and GEXF (Gephi, yEd, Cytoscape) and CSV lists.

GraphML and GEXF hold only strings, numbers and booleans, one type per
attribute, so every value is made safe first: lists are joined with "; ", dates
become ISO text, ``None`` becomes "" and an attribute that is a number on one
node is a float on all. Young people's names never leave the app in a file:
their label is replaced by "Young person <id>" unless the caller says otherwise.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from vru_crm.graph.measures import MeasureReport

FORMATS = ("graphml", "gexf", "csv")
SECTOR_COLOURS: dict[str, tuple[int, int, int]] = {
    "police": (31, 78, 160),
    "health": (0, 150, 136),
    "local_authority": (121, 85, 72),
    "csp": (141, 110, 99),
    "education": (255, 160, 0),
    "probation": (94, 53, 177),
    "charity": (216, 27, 96),
    "grassroots": (67, 160, 71),
    "faith": (251, 192, 45),
    "academic": (3, 155, 229),
    "business": (96, 125, 139),
    "funder": (0, 172, 193),
    "government": (57, 73, 171),
    "other": (158, 158, 158),
    "network": (30, 30, 30),
    "person": (176, 190, 197),
    "borough": (200, 200, 200),
}


def safe_value(value: Any) -> str | int | float | bool:
    """A value GraphML and GEXF can hold."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return "; ".join(str(safe_value(v)) for v in items)
    if hasattr(value, "item"):  # numpy scalars
        return safe_value(value.item())
    return str(value)


def export_graph(
    graph: nx.Graph[str],
    fmt: str,
    path: Path,
    *,
    report: MeasureReport | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    young_names: bool = False,
) -> list[Path]:
    """Write ``graph`` as ``fmt``; returns the files written (CSV writes two)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    if fmt == "graphml":  # streamed: no copy of the graph, no XML tree in memory
        rows = _Rows(graph, report, positions, young_names)
        write_graphml(rows, path)
        return [path]
    clean = prepare(graph, report=report, positions=positions, young_names=young_names)
    if fmt == "csv":
        return write_csv(clean, path)
    _add_viz(clean)
    write_gexf(clean, path)
    return [path]


GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


class _Rows:
    """The export's nodes and ties with safe values, made one at a time as they are written.

    The same values ``prepare`` gives, without a copy of the graph: a file of
    60,000 nodes and 100,000 ties is written in a few tens of MB, whatever its size.
    """

    def __init__(
        self,
        graph: nx.Graph[str],
        report: MeasureReport | None,
        positions: Mapping[str, tuple[float, float]] | None,
        young_names: bool,
    ) -> None:
        self.graph, self.report, self.positions = graph, report, positions
        self.young_names = young_names

    def graph_data(self) -> dict[str, str | int | float | bool]:
        items = self.graph.graph.items()
        return {k: safe_value(v) for k, v in items if not isinstance(v, dict)}

    def nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        report, positions = self.report, self.positions
        for key, data in self.graph.nodes(data=True):
            attrs = {name: safe_value(v) for name, v in data.items()}
            if data.get("young_person") and not self.young_names:
                attrs["label"] = f"Young person {data['entity_id']}"
            if report is not None:
                attrs["degree"] = int(report.degree.get(key, 0))
                attrs["weighted_degree"] = float(report.weighted_degree.get(key, 0.0))
                attrs["betweenness"] = float(report.betweenness.get(key, 0.0))
                attrs["community"] = int(report.community.get(key, -1))
            if positions is not None and key in positions:
                attrs["x"], attrs["y"] = (float(c) for c in positions[key])
            yield key, attrs

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for a, b, data in self.graph.edges(data=True):
            yield a, b, {name: safe_value(v) for name, v in data.items()}


def _domains(rows: Iterable[dict[str, Any]]) -> dict[str, type]:
    """Each attribute's one type, as ``_unify_types`` settles it (first seen first)."""
    found: dict[str, set[type]] = {}
    for data in rows:
        for name, value in data.items():
            found.setdefault(name, set()).add(type(value))
    return {name: _common_type(types) for name, types in found.items()}


def write_graphml(rows: _Rows, path: Path) -> Path:
    """GraphML as NetworkX writes it (``named_key_ids``), streamed element by element.

    Two passes over the graph: one to learn each attribute's type (GraphML
    declares its keys first), one to write. Every element gets every attribute
    of its kind, an empty value where it has none, as ``prepare`` makes it.
    """
    from xml.sax.saxutils import escape, quoteattr

    graph_data = rows.graph_data()
    scopes = {
        "graph": _domains([graph_data]),
        "node": _domains(attrs for _, attrs in rows.nodes()),
        "edge": _domains(attrs for _, _, attrs in rows.edges()),
    }
    names = [name for domain in scopes.values() for name in domain]
    key_of = {
        (scope, name): name if names.count(name) == 1 else f"{scope}_{name}"
        for scope, domain in scopes.items()
        for name in domain
    }

    def data(scope: str, attrs: dict[str, Any]) -> str:
        parts = []
        for name, kind in scopes[scope].items():
            value = attrs.get(name, _EMPTY[kind])
            value = value if type(value) is kind else kind(value)
            key = key_of[scope, name]
            parts.append(f"<data key={quoteattr(key)}>{escape(str(value))}</data>")
        return "".join(parts)

    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        out.write(GRAPHML_HEAD)
        for (scope, name), key in key_of.items():
            kind = GRAPHML_TYPES[scopes[scope][name]]
            out.write(
                f'  <key id={quoteattr(key)} for="{scope}" attr.name={quoteattr(name)} '
                f'attr.type="{kind}" />\n'
            )
        out.write(f'  <graph edgedefault="undirected">{data("graph", graph_data)}\n')
        for key, attrs in rows.nodes():
            out.write(f"    <node id={quoteattr(key)}>{data('node', attrs)}</node>\n")
        for a, b, attrs in rows.edges():
            out.write(
                f"    <edge source={quoteattr(a)} target={quoteattr(b)}>"
                f"{data('edge', attrs)}</edge>\n"
            )
        out.write("  </graph>\n</graphml>\n")
    return Path(path)


_EMPTY: dict[type, Any] = {str: "", float: 0.0, int: 0, bool: False}


GEXF_VERSIONS = ("1.2draft", "1.3")
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def write_gexf(graph: nx.Graph[str], path: Path, version: str = "1.2draft") -> Path:
    """GEXF that the published schema accepts (gexf.net, 1.2draft or 1.3).

    NetworkX's writer is used for the body, then two things it gets wrong are
    put right before the file is written: it gives ``<graph>`` a ``name``
    attribute the schema does not allow (the name goes into ``<meta>`` as the
    description instead), and for 1.3 it declares the XML Schema instance
    namespace without its ``www.``, so validators see an unknown attribute.
    """
    from networkx.readwrite.gexf import GEXFWriter

    if version not in GEXF_VERSIONS:
        raise ValueError(f"unknown GEXF version {version!r}; choose {' or '.join(GEXF_VERSIONS)}")
    writer = GEXFWriter(version=version)
    writer.add_graph(graph)
    root = writer.xml
    root.set("xmlns:xsi", XSI)
    element = root.find("graph")
    name = element.attrib.pop("name", "") if element is not None else ""
    meta = root.find("meta")
    if name and meta is not None:
        as_of = graph.graph.get("as_of")
        description = meta.makeelement("description", {})
        description.text = f"{name} (as of {as_of})" if as_of else str(name)
        meta.append(description)
    with Path(path).open("wb") as handle:
        writer.write(handle)
    return Path(path)


def prepare(
    graph: nx.Graph[str],
    *,
    report: MeasureReport | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    young_names: bool = False,
) -> nx.Graph[str]:
    """A copy with safe attribute values, the measures and positions added."""
    import networkx as nx

    clean: nx.Graph[str] = nx.Graph()
    clean.graph.update(
        {k: safe_value(v) for k, v in graph.graph.items() if not isinstance(v, dict)}
    )
    for key, data in graph.nodes(data=True):
        attrs = {name: safe_value(v) for name, v in data.items()}
        if data.get("young_person") and not young_names:
            attrs["label"] = f"Young person {data['entity_id']}"
        if report is not None:
            attrs["degree"] = int(report.degree.get(key, 0))
            attrs["weighted_degree"] = float(report.weighted_degree.get(key, 0.0))
            attrs["betweenness"] = float(report.betweenness.get(key, 0.0))
            attrs["community"] = int(report.community.get(key, -1))
        if positions is not None and key in positions:
            attrs["x"], attrs["y"] = (float(c) for c in positions[key])
        clean.add_node(key, **attrs)
    for a, b, data in graph.edges(data=True):
        clean.add_edge(a, b, **{name: safe_value(v) for name, v in data.items()})
    _unify_types(clean)
    return clean


def _unify_types(graph: nx.Graph[str]) -> None:
    """One type per attribute: mixed int/float becomes float, anything else mixed becomes text;
    nodes without an attribute others have get its empty value (GraphML wants one domain)."""
    for items in (graph.nodes.values(), [d for _, _, d in graph.edges(data=True)]):
        rows = list(items)
        types: dict[str, set[type]] = {}
        for data in rows:
            for name, value in data.items():
                types.setdefault(name, set()).add(type(value))
        for name, found in types.items():
            target = _common_type(found)
            empty = {str: "", float: 0.0, int: 0, bool: False}[target]
            for data in rows:
                value = data.get(name, empty)
                data[name] = value if type(value) is target else target(value)


def _common_type(found: set[type]) -> type:
    if len(found) == 1:
        return next(iter(found))
    if found <= {int, float}:
        return float
    return str


def _add_viz(graph: nx.Graph[str]) -> None:
    """Gephi's own position, colour and size for each node (GEXF viz module)."""
    for _, data in graph.nodes(data=True):
        r, g, b = SECTOR_COLOURS.get(str(data.get("sector", "")), SECTOR_COLOURS["other"])
        viz: dict[str, Any] = {
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "size": 4.0 + 2.0 * float(data.get("degree", 0)) ** 0.5,
        }
        if "x" in data:
            viz["position"] = {"x": data["x"], "y": data["y"], "z": 0.0}
        data["viz"] = viz


def write_csv(graph: nx.Graph[str], path: Path) -> list[Path]:
    """Two files beside ``path``: ``<stem>_nodes.csv`` and ``<stem>_edges.csv``."""
    stem = path.with_suffix("")
    nodes_path = stem.parent / f"{stem.name}_nodes.csv"
    edges_path = stem.parent / f"{stem.name}_edges.csv"
    node_fields = ["id", *sorted({k for _, d in graph.nodes(data=True) for k in d})]
    with nodes_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=node_fields)
        writer.writeheader()
        for key in sorted(graph):
            writer.writerow({"id": key, **graph.nodes[key]})
    edge_fields = [
        "source",
        "target",
        *sorted({k for _, _, d in graph.edges(data=True) for k in d}),
    ]
    with edges_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=edge_fields)
        writer.writeheader()
        for a, b in sorted(graph.edges()):
            writer.writerow({"source": a, "target": b, **graph.edges[a, b]})
    return [nodes_path, edges_path]
