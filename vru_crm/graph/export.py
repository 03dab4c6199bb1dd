"""The graph written for other tools: GraphML and GEXF (Gephi, yEd, Cytoscape) and CSV lists.

GraphML and GEXF hold only strings, numbers and booleans, one type per
attribute, so every value is made safe first: lists are joined with "; ", dates
become ISO text, ``None`` becomes "" and an attribute that is a number on one
node is a float on all. Young people's names never leave the app in a file:
their label is replaced by "Young person <id>" unless the caller says otherwise.

Every format is streamed, element by element or row by row, from a NetworkX
graph or from a ``GraphFrame`` (the builder's columns): no copy of the graph,
no XML tree. At 250,000 nodes and 420,000 ties NetworkX's GEXF writer held
4 GB; ``export_frame`` writes any of the three in a few tens of MB.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

    from vru_crm.graph.frame import GraphFrame
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
    return write_rows(_Rows(graph, report, positions, young_names), fmt, Path(path))


@dataclass
class NodeMeasures:
    """The measures a file carries for each node, in the frame's node order."""

    degree: NDArray[np.int64]
    weighted_degree: NDArray[np.float64]
    betweenness: NDArray[np.float64]
    community: NDArray[np.int64]


def export_frame(
    frame: GraphFrame,
    fmt: str,
    path: Path,
    *,
    measures: NodeMeasures | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    young_names: bool = False,
    places: tuple[NDArray[np.float64], NDArray[np.bool_]] | None = None,
) -> list[Path]:
    """``export_graph`` for the builder's columns: the same files, without a NetworkX graph.

    ``places`` gives the positions as columns in node order instead, (n, 2) and whether
    each node has one (``positions.frame_positions``): a dict of 250,000 keys and
    tuples was most of an export's memory at the real size."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = _FrameRows(frame, measures, positions, young_names, places)
    return write_rows(rows, fmt, Path(path))


def write_rows(rows: Rows, fmt: str, path: Path) -> list[Path]:
    """Stream ``rows`` as ``fmt`` (CSV writes two files beside ``path``)."""
    if fmt == "graphml":
        return [write_graphml(rows, path)]
    if fmt == "csv":
        return write_csv_rows(rows, path)
    return [stream_gexf(rows, path)]


GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


class Rows(Protocol):
    """What the writers read: the graph's own values, then its nodes and ties one at a time."""

    def graph_data(self) -> dict[str, str | int | float | bool]: ...

    def nodes(self) -> Iterator[tuple[str, dict[str, Any]]]: ...

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]: ...

    def sorted_nodes(self) -> Iterator[tuple[str, dict[str, Any]]]: ...

    def sorted_edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]: ...


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

    def sorted_nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The nodes by key (the CSV files' order)."""
        rows = dict(self.nodes())
        for key in sorted(rows):
            yield key, rows.pop(key)

    def sorted_edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """The ties by their ends' keys, each end as NetworkX walks it."""
        for a, b in sorted(self.graph.edges()):
            yield a, b, {name: safe_value(v) for name, v in self.graph.edges[a, b].items()}


class _FrameRows:
    """``_Rows`` for a ``GraphFrame``: the same values, read from its columns."""

    def __init__(
        self,
        frame: GraphFrame,
        measures: NodeMeasures | None,
        positions: Mapping[str, tuple[float, float]] | None,
        young_names: bool,
        places: tuple[NDArray[np.float64], NDArray[np.bool_]] | None = None,
    ) -> None:
        self.frame, self.measures, self.positions = frame, measures, positions
        self.young_names = young_names
        self.places = places

    def graph_data(self) -> dict[str, str | int | float | bool]:
        return {"name": self.frame.name, "as_of": self.frame.as_of}

    def _node(self, i: int, key: str, days: dict[int, str]) -> dict[str, Any]:
        data = self.frame.node_data(i, days)
        attrs = {name: safe_value(v) for name, v in data.items()}
        if data.get("young_person") and not self.young_names:
            attrs["label"] = f"Young person {data['entity_id']}"
        m = self.measures
        if m is not None:
            attrs["degree"] = int(m.degree[i])
            attrs["weighted_degree"] = float(m.weighted_degree[i])
            attrs["betweenness"] = float(m.betweenness[i])
            attrs["community"] = int(m.community[i])
        if self.places is not None:
            xy, placed = self.places
            if placed[i]:
                attrs["x"], attrs["y"] = float(xy[i, 0]), float(xy[i, 1])
        elif self.positions is not None and key in self.positions:
            attrs["x"], attrs["y"] = (float(c) for c in self.positions[key])
        return attrs

    def nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        days: dict[int, str] = {0: ""}
        for i, key in enumerate(self.frame.keys()):
            yield key, self._node(i, key, days)

    def sorted_nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        import numpy as np

        days: dict[int, str] = {0: ""}
        frame = self.frame
        for i in np.argsort(frame.rank).tolist():
            key = frame.key(i)
            yield key, self._node(i, key, days)

    def _edges(self, order: Any = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
        frame = self.frame
        for a, b, data in frame.edges(order):
            yield frame.key(a), frame.key(b), {name: safe_value(v) for name, v in data.items()}

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        return self._edges()

    def sorted_edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        import numpy as np

        rank = self.frame.rank
        return self._edges(np.lexsort((rank[self.frame.b], rank[self.frame.a])))


def _domains(rows: Iterable[dict[str, Any]]) -> dict[str, type]:
    """Each attribute's one type, as ``_unify_types`` settles it (first seen first)."""
    found: dict[str, set[type]] = {}
    for data in rows:
        for name, value in data.items():
            found.setdefault(name, set()).add(type(value))
    return {name: _common_type(types) for name, types in found.items()}


def write_graphml(rows: Rows, path: Path) -> Path:
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


GEXF_NAMESPACES = {
    "1.2draft": ("http://www.gexf.net/1.2draft", "http://www.gexf.net/1.2draft/viz", "1.2"),
    "1.3": ("http://gexf.net/1.3", "http://gexf.net/1.3/viz", "1.3"),
}
GEXF_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}


def stream_gexf(rows: Rows, path: Path, version: str = "1.2draft") -> Path:
    """GEXF as ``write_gexf`` writes the prepared graph with Gephi's visuals, element by element.

    The same elements, attribute declarations (one type each, every node given
    every attribute, as ``prepare`` makes them), colours, sizes and positions
    as NetworkX's writer produces, with the schema's corrections (no ``name``
    on ``<graph>``: it is the description), written as they are made.
    """
    from xml.sax.saxutils import quoteattr

    if version not in GEXF_NAMESPACES:
        raise ValueError(f"unknown GEXF version {version!r}; choose {' or '.join(GEXF_VERSIONS)}")
    ns, viz, number = GEXF_NAMESPACES[version]
    graph_data = rows.graph_data()
    node_domains = _domains(attrs for _, attrs in rows.nodes())
    node_domains.pop("label", None)
    edge_domains = _domains(attrs for _, _, attrs in rows.edges())
    edge_domains.pop("weight", None)
    ids = iter(range(len(node_domains) + len(edge_domains)))
    node_ids = {name: str(next(ids)) for name in node_domains}
    edge_ids = {name: str(next(ids)) for name in edge_domains}
    placed = "x" in node_domains

    def values(attrs: dict[str, Any], domains: dict[str, type], ids: dict[str, str]) -> str:
        parts = []
        for name, kind in domains.items():
            value = _unified(attrs, name, domains)
            text = str(value).lower() if kind is bool else _gexf_text(value)
            parts.append(f'          <attvalue for="{ids[name]}" value={quoteattr(text)} />\n')
        return "        <attvalues>\n" + "".join(parts) + "        </attvalues>\n"

    def declare(domains: dict[str, type], ids: dict[str, str], kind: str) -> str:
        if not domains:
            return ""
        lines = [f'    <attributes mode="static" class="{kind}">\n']
        lines += [
            f'      <attribute id="{ids[name]}" title={quoteattr(name)} '
            f'type="{GEXF_TYPES[domain]}" />\n'
            for name, domain in domains.items()
        ]
        return "".join(lines) + "    </attributes>\n"

    name, as_of = graph_data.get("name", ""), graph_data.get("as_of")
    description = f"{name} (as of {as_of})" if as_of else str(name)
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            f'<gexf xmlns:viz="{viz}" xmlns="{ns}" xmlns:xsi="{XSI}" '
            f'xsi:schemaLocation="{ns} {ns}/gexf.xsd" version="{number}">\n'
            f'  <meta lastmodifieddate="{time.strftime("%Y-%m-%d")}">\n'
            f"    <creator>VRU partnership CRM</creator>\n"
            + (f"    <description>{_xml_text(description)}</description>\n" if name else "")
            + "  </meta>\n"
            '  <graph defaultedgetype="undirected" mode="static">\n'
        )
        out.write(declare(edge_domains, edge_ids, "edge"))
        out.write(declare(node_domains, node_ids, "node"))
        out.write("    <nodes>\n")
        for key, attrs in rows.nodes():
            label = str(attrs.get("label", key))
            out.write(f"      <node id={quoteattr(key)} label={quoteattr(label)}>\n")
            out.write(_gexf_viz(attrs, node_domains, placed))
            out.write(values(attrs, node_domains, node_ids) if node_domains else "")
            out.write("      </node>\n")
        out.write("    </nodes>\n    <edges>\n")
        for number_, (a, b, attrs) in enumerate(rows.edges()):
            weight = f" weight={quoteattr(str(attrs['weight']))}" if "weight" in attrs else ""
            head = f'      <edge source={quoteattr(a)} target={quoteattr(b)} id="{number_}"{weight}'
            if edge_domains:
                out.write(head + ">\n" + values(attrs, edge_domains, edge_ids) + "      </edge>\n")
            else:
                out.write(head + " />\n")
        out.write("    </edges>\n  </graph>\n</gexf>\n")
    return Path(path)


def _gexf_viz(attrs: dict[str, Any], domains: dict[str, type], placed: bool) -> str:
    """Gephi's colour, size and (when the file carries positions) place of one node."""
    sector = str(_unified(attrs, "sector", domains)) if "sector" in domains else ""
    r, g, b = SECTOR_COLOURS.get(sector, SECTOR_COLOURS["other"])
    degree = float(_unified(attrs, "degree", domains)) if "degree" in domains else 0.0
    text = (
        f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
        f'        <viz:size value="{4.0 + 2.0 * degree**0.5}" />\n'
    )
    if placed:
        x, y = _unified(attrs, "x", domains), _unified(attrs, "y", domains)
        text += f'        <viz:position x="{x}" y="{y}" z="0.0" />\n'
    return text


def _gexf_text(value: Any) -> str:
    text = str(value)
    if isinstance(value, float):
        return {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
    return text


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


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
    return write_csv_rows(_Rows(graph, None, None, young_names=True), path)


def write_csv_rows(rows: Rows, path: Path) -> list[Path]:
    """The node and edge lists, by key, streamed (one pass to learn the columns, one to write)."""
    stem = path.with_suffix("")
    nodes_path = stem.parent / f"{stem.name}_nodes.csv"
    edges_path = stem.parent / f"{stem.name}_edges.csv"
    node_domains = _domains(attrs for _, attrs in rows.nodes())
    with nodes_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        names = sorted(node_domains)
        writer.writerow(["id", *names])
        for key, attrs in rows.sorted_nodes():
            writer.writerow([key, *(_unified(attrs, name, node_domains) for name in names)])
    edge_domains = _domains(attrs for _, _, attrs in rows.edges())
    with edges_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        names = sorted(edge_domains)
        writer.writerow(["source", "target", *names])
        for a, b, attrs in rows.sorted_edges():
            writer.writerow([a, b, *(_unified(attrs, name, edge_domains) for name in names)])
    return [nodes_path, edges_path]


def _unified(attrs: dict[str, Any], name: str, domains: dict[str, type]) -> Any:
    """A value in its attribute's one type (its empty value where the element has none)."""
    kind = domains[name]
    value = attrs.get(name, _EMPTY[kind])
    return value if type(value) is kind else kind(value)
