"""Measures on the partnership graph: who connects, who brokers, who is left out.

Each function takes the graph made by ``build.build_graph`` and returns plain
values (dicts keyed by node key, or lists of ``Ranked`` rows with a reason in
words), so the side panel, the command line and the exports share them.
Randomised algorithms (Louvain, sampled betweenness) run with a fixed seed: the
same data gives the same answer every time it is asked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from vru_crm.london import today_in_london

if TYPE_CHECKING:
    import networkx as nx

    from vru_crm.graph.engine import Indexed
    from vru_crm.graph.export import NodeMeasures
    from vru_crm.graph.frame import GraphFrame

SEED = 42
EXACT_BETWEENNESS_LIMIT = 1500  # above this many nodes, betweenness is estimated from samples
BETWEENNESS_SAMPLES = 100  # 1.2 s of CPU in igraph at 60,000 nodes and 110,000 ties
PARTNER_KINDS = ("organisation",)


@dataclass(frozen=True)
class Ranked:
    """One row of a ranked list: the record, a figure, and why it is there."""

    key: str
    kind: str
    entity_id: int
    label: str
    value: float
    reason: str = ""


@dataclass(frozen=True)
class Connectedness:
    """How close one borough's (or sector's) partners are to the PRG."""

    group: str
    label: str
    partners: int
    on_prg: int  # the organisation, or someone from it, sits on the PRG
    near_prg: int  # two steps away (shares a network, an engagement or a person with a PRG member)
    unlinked: int  # in no network at all
    is_priority: bool = False

    @property
    def score(self) -> float:
        """Share of partners on the PRG, near ones counted half (0 when there are none)."""
        return (self.on_prg + 0.5 * self.near_prg) / self.partners if self.partners else 0.0


# ---- centrality ------------------------------------------------------------
def degree(graph: nx.Graph[str]) -> dict[str, int]:
    return dict(graph.degree())


def weighted_degree(graph: nx.Graph[str]) -> dict[str, float]:
    return {n: round(float(d), 6) for n, d in graph.degree(weight="weight")}


def betweenness(graph: nx.Graph[str], indexed: Indexed | None = None) -> dict[str, float]:
    """Normalised betweenness by hops: the share of shortest paths that pass through a node.

    Exact up to ``EXACT_BETWEENNESS_LIMIT`` nodes, then estimated from a fixed
    sample of sources (Brandes' algorithm is O(nodes × edges)). Computed in C
    (``engine``) with NetworkX's own sampling and scaling.
    """
    from vru_crm.graph import engine

    n = graph.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS_LIMIT else BETWEENNESS_SAMPLES
    return engine.betweenness(indexed or engine.index_graph(graph), k, SEED)


def communities(graph: nx.Graph[str], indexed: Indexed | None = None) -> dict[str, int]:
    """Louvain communities (weighted, fixed seed), numbered from the largest."""
    from vru_crm.graph import engine

    if graph.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(graph))}
    groups = engine.communities(indexed or engine.index_graph(graph), SEED)
    ordered = sorted(groups, key=lambda g: (-len(g), min(g)))
    return {node: number for number, group in enumerate(ordered) for node in group}


def bridges(graph: nx.Graph[str], indexed: Indexed | None = None) -> list[tuple[str, str]]:
    """Ties whose loss would split the partnership in two."""
    from vru_crm.graph import engine

    return engine.bridges(indexed or engine.index_graph(graph))


def articulation_points(graph: nx.Graph[str], indexed: Indexed | None = None) -> list[str]:
    """Nodes whose loss would split the partnership: single points of failure."""
    from vru_crm.graph import engine

    return engine.articulation_points(indexed or engine.index_graph(graph))


def isolates(graph: nx.Graph[str]) -> list[str]:
    return sorted(n for n, d in graph.degree() if d == 0)


# ---- gaps ------------------------------------------------------------------
def quiet_partners(
    graph: nx.Graph[str], months: int = 6, as_of: date | None = None
) -> list[Ranked]:
    """Organisations with no engagement in the last ``months`` months, the longest silent first."""
    from dateutil.relativedelta import relativedelta

    today = as_of or _as_of(graph)
    cutoff = (today - relativedelta(months=months)).isoformat()
    rows = []
    for key, data in graph.nodes(data=True):
        if data["kind"] not in PARTNER_KINDS:
            continue
        last = data.get("last_engaged", "")
        if last and last >= cutoff:
            continue
        days = (today - date.fromisoformat(last)).days if last else 10**6
        reason = f"No engagement since {last}" if last else "Never engaged"
        rows.append(_ranked(graph, key, float(days), reason))
    return sorted(rows, key=lambda r: (-r.value, r.label))


def find_prg(graph: nx.Graph[str]) -> str | None:
    """The Partnership Reference Group's node: by name, else the board with most members."""
    boards = []
    for key, data in graph.nodes(data=True):
        if data["kind"] != "network":
            continue
        name = data["label"].lower()
        if "partnership reference group" in name or name.strip() == "prg":
            return key
        if data.get("network_kind") == "board":
            boards.append((graph.degree(key), key))
    return max(boards)[1] if boards else None


def prg_connectedness(
    graph: nx.Graph[str],
    by: str = "borough",
    prg: str | None = None,
    *,
    circles: tuple[set[str], set[str]] | None = None,
    networked: set[str] | None = None,
) -> list[Connectedness]:
    """For each borough (or sector), how many of its partners sit on or near the PRG.

    ``circles`` and ``networked`` (from ``_prg_circles`` and ``_in_any_network``)
    may be passed in when several tables are made from one graph.
    """
    prg = prg or find_prg(graph)
    on, near = circles if circles is not None else _prg_circles(graph, prg)
    networked = networked if networked is not None else _in_any_network(graph)
    groups: dict[str, list[str]] = defaultdict(list)
    for key, data in graph.nodes(data=True):
        if data["kind"] in PARTNER_KINDS:
            for group in (
                data.get("boroughs") or [] if by == "borough" else [data.get("sector", "")]
            ):
                groups[group].append(key)
    catalogue = _group_catalogue(graph, by)
    rows = []
    for group in sorted(set(groups) | set(catalogue)):
        members = groups.get(group, [])
        label, priority = catalogue.get(group, (group, False))
        rows.append(
            Connectedness(
                group=group,
                label=label,
                partners=len(members),
                on_prg=sum(m in on for m in members),
                near_prg=sum(m in near for m in members),
                unlinked=sum(m not in networked for m in members),
                is_priority=priority,
            )
        )
    return rows


def _prg_circles(graph: nx.Graph[str], prg: str | None) -> tuple[set[str], set[str]]:
    """Organisations on the PRG (directly or through their people), and those one step further."""
    if prg is None or prg not in graph:
        return set(), set()
    on: set[str] = set()
    for member in graph.neighbors(prg):
        kind = graph.nodes[member]["kind"]
        if kind == "organisation":
            on.add(member)
        elif kind == "person":
            on.update(
                n for n in graph.neighbors(member) if graph.nodes[n]["kind"] == "organisation"
            )
    reached = set(on) | {prg} | set(graph.neighbors(prg))
    near = set()
    for node in reached:
        for n in graph.neighbors(node):
            if graph.nodes[n]["kind"] == "organisation" and n not in on:
                near.add(n)
    return on, near


def _in_any_network(graph: nx.Graph[str]) -> set[str]:
    """Organisations in some network, themselves or through one of their people."""
    found = set()
    for key, data in graph.nodes(data=True):
        if data["kind"] != "network":
            continue
        for member in graph.neighbors(key):
            if "membership" not in graph.edges[key, member]["kinds"]:
                continue
            if graph.nodes[member]["kind"] == "organisation":
                found.add(member)
            else:
                found.update(
                    n for n in graph.neighbors(member) if graph.nodes[n]["kind"] == "organisation"
                )
    return found


def _group_catalogue(graph: nx.Graph[str], by: str) -> dict[str, tuple[str, bool]]:
    if by == "borough":
        return {
            code: (b["name"], b["is_priority"])
            for code, b in graph.graph.get("boroughs", {}).items()
        }
    from db.enums import SECTOR_LABELS

    return {code: (label, False) for code, label in SECTOR_LABELS.items()}


# ---- who to reach next -----------------------------------------------------
def reach_next(
    graph: nx.Graph[str],
    *,
    between: dict[str, float] | None = None,
    months: int = 6,
    limit: int = 25,
    networked: set[str] | None = None,
    by_borough: list[Connectedness] | None = None,
    quiet: list[Ranked] | None = None,
) -> list[Ranked]:
    """Who to reach next, each with the reason in words.

    Three kinds of gap, each ranked by its own figure and taken in turn so no
    kind crowds out the others: partners central in the engagement log but in
    no network; priority boroughs whose partners are far from the PRG; brokers
    (high betweenness) that have gone quiet.
    """
    between = between if between is not None else betweenness(graph)
    networked = networked if networked is not None else _in_any_network(graph)
    kinds = [
        _central_outsiders(graph, networked),
        _thin_priority_boroughs(graph, by_borough),
        _quiet_brokers(graph, between, months, quiet),
    ]
    queues = [sorted(rows, key=lambda r: (-r.value, r.label)) for rows in kinds]
    merged: list[Ranked] = []
    seen: set[str] = set()
    for turn in range(max((len(q) for q in queues), default=0)):  # one of each kind in turn
        for queue in queues:
            if turn < len(queue) and queue[turn].key not in seen:
                merged.append(queue[turn])
                seen.add(queue[turn].key)
    return merged[:limit]


def _central_outsiders(graph: nx.Graph[str], networked: set[str]) -> list[Ranked]:
    """Organisations with the strongest ties in the engagement log that belong to no network."""
    from vru_crm.graph.build import ENGAGEMENT_KINDS

    partners = {n for n, d in graph.nodes(data=True) if d["kind"] in PARTNER_KINDS}
    strength: dict[str, float] = defaultdict(float)
    for a, b, data in graph.edges(data=True):
        if not ENGAGEMENT_KINDS.isdisjoint(data["kinds"]):
            if a in partners:
                strength[a] += data["weight"]
            if b in partners:
                strength[b] += data["weight"]
    top = max(strength.values(), default=0.0)
    rows = []
    for key, value in strength.items():
        if key in networked or top <= 0:
            continue
        count = graph.nodes[key].get("engagements", 0)
        reason = f"Met in {_plural(count, 'engagement')}, but sits in no network"
        rows.append(_ranked(graph, key, round(0.5 + 0.5 * value / top, 4), reason))
    return rows


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def _thin_priority_boroughs(
    graph: nx.Graph[str], by_borough: list[Connectedness] | None = None
) -> list[Ranked]:
    catalogue = graph.graph.get("boroughs", {})
    rows = []
    for row in by_borough if by_borough is not None else prg_connectedness(graph, "borough"):
        if not row.is_priority or row.group not in catalogue or row.score >= 0.5:
            continue
        b = catalogue[row.group]
        reason = (
            f"Priority borough: {row.on_prg} of {row.partners} partners on the PRG, "
            f"{row.near_prg} near it, {row.unlinked} in no network"
        )
        if row.partners == 0:
            reason = "Priority borough with no partners on record"
        rows.append(
            Ranked(
                f"borough:{b['id']}",
                "borough",
                b["id"],
                b["name"],
                round(0.3 + 0.45 * (1 - row.score), 4),
                reason,
            )
        )
    return rows


def _quiet_brokers(
    graph: nx.Graph[str], between: dict[str, float], months: int, quiet_rows: list[Ranked] | None
) -> list[Ranked]:
    """Quiet organisations whose betweenness is at least a tenth of the graph's highest."""
    rows_in = quiet_rows if quiet_rows is not None else quiet_partners(graph, months)
    quiet = {r.key: r for r in rows_in}
    top = max(between.values(), default=0.0)
    rows = []
    for key, row in quiet.items():
        value = between.get(key, 0.0)
        if top <= 0 or value < 0.1 * top:
            continue
        reason = (
            f"A broker between groups (betweenness {value:.3f}) gone quiet: {row.reason.lower()}"
        )
        rows.append(_ranked(graph, key, round(0.3 + 0.6 * value / top, 4), reason))
    return rows


# ---- everything at once ----------------------------------------------------
@dataclass
class MeasureReport:
    """All measures of one graph, for the side panel, the CLI and the exports."""

    nodes: int
    edges: int
    components: int
    prg: str | None
    degree: dict[str, int] = field(default_factory=dict)
    weighted_degree: dict[str, float] = field(default_factory=dict)
    betweenness: dict[str, float] = field(default_factory=dict)
    community: dict[str, int] = field(default_factory=dict)
    brokers: list[Ranked] = field(default_factory=list)
    bridges: list[tuple[str, str]] = field(default_factory=list)
    articulation_points: list[str] = field(default_factory=list)
    isolates: list[str] = field(default_factory=list)
    quiet: list[Ranked] = field(default_factory=list)
    by_borough: list[Connectedness] = field(default_factory=list)
    by_sector: list[Connectedness] = field(default_factory=list)
    reach_next: list[Ranked] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The lists without the per-node tables: what ``graph measures --json`` prints."""
        data = asdict(self)
        for name in ("degree", "weighted_degree", "betweenness", "community"):
            data.pop(name)
        data["communities"] = len(set(self.community.values()))
        for name in ("by_borough", "by_sector"):
            data[name] = [
                {**asdict(row), "score": round(row.score, 3)} for row in getattr(self, name)
            ]
        data["bridges"] = [list(b) for b in self.bridges]
        return data


def node_measures(frame: GraphFrame, indexed: Indexed | None = None) -> NodeMeasures:
    """Degree, weighted degree, betweenness and community of every node of a frame, as
    arrays in node order: the same figures ``measure_all`` gives, for the files."""
    import numpy as np

    from vru_crm.graph import engine
    from vru_crm.graph.export import NodeMeasures

    indexed = indexed or engine.index_frame(frame)
    n = len(frame)
    k = None if n <= EXACT_BETWEENNESS_LIMIT else BETWEENNESS_SAMPLES
    weighted = [round(w, 6) for w in frame.weighted_degrees().tolist()]
    return NodeMeasures(
        degree=frame.degrees(),
        weighted_degree=np.array(weighted, np.float64),
        betweenness=engine.betweenness_values(indexed, k, SEED),
        community=community_numbers(frame, indexed),
    )


def community_numbers(frame: GraphFrame, indexed: Indexed) -> Any:
    """``communities`` for a frame: each node's community, numbered from the largest (ties
    between equal sizes broken by the first key, as ``communities`` does)."""
    import numpy as np

    from vru_crm.graph import engine

    if frame.edge_count == 0:
        return np.asarray(frame.rank, np.int64).copy()
    groups = engine.membership(indexed, SEED)
    count = int(groups.max()) + 1 if len(groups) else 0
    sizes = np.bincount(groups, minlength=count)
    first = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(first, groups, frame.rank)
    order = np.lexsort((first, -sizes))  # group numbers, largest first
    number = np.empty(count, np.int64)
    number[order] = np.arange(count)
    return number[groups]


def quick_report(graph: nx.Graph[str]) -> MeasureReport:
    """Only what costs nothing (counts and degrees): enough to draw before the rest is measured."""
    from vru_crm.graph import engine

    return MeasureReport(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        components=engine.components(engine.index_graph(graph)),
        prg=find_prg(graph),
        degree=degree(graph),
        weighted_degree=weighted_degree(graph),
    )


def measure_all(graph: nx.Graph[str], months: int = 6, top: int = 15) -> MeasureReport:
    """Every measure, the heavy ones in C on one conversion of the graph."""
    from vru_crm.graph import engine

    with engine.no_cycle_collection():
        return _measure_all(graph, engine.index_graph(graph), months, top)


def _measure_all(graph: nx.Graph[str], indexed: Indexed, months: int, top: int) -> MeasureReport:
    from vru_crm.graph import engine

    between = betweenness(graph, indexed)
    report = MeasureReport(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        components=engine.components(indexed),
        prg=find_prg(graph),
        degree=degree(graph),
        weighted_degree=weighted_degree(graph),
        betweenness=between,
        community=communities(graph, indexed),
        bridges=bridges(graph, indexed),
        articulation_points=articulation_points(graph, indexed),
        isolates=isolates(graph),
        quiet=quiet_partners(graph, months),
    )
    ranked = sorted(between.items(), key=lambda kv: (-kv[1], graph.nodes[kv[0]]["label"]))
    report.brokers = [
        _ranked(graph, k, round(v, 4), _broker_reason(graph, k, report.community))
        for k, v in ranked[:top]
        if v > 0
    ]
    circles, networked = _prg_circles(graph, report.prg), _in_any_network(graph)
    for by in ("borough", "sector"):
        rows = prg_connectedness(graph, by, report.prg, circles=circles, networked=networked)
        setattr(report, f"by_{by}", rows)
    report.reach_next = reach_next(
        graph,
        between=between,
        months=months,
        networked=networked,
        by_borough=report.by_borough,
        quiet=report.quiet,
    )
    return report


def _broker_reason(graph: nx.Graph[str], key: str, community: dict[str, int]) -> str:
    groups = {community[n] for n in graph.neighbors(key)}
    return f"Links {_plural(graph.degree(key), 'neighbour')} across {_plural(len(groups), 'community', 'communities')}"


def _ranked(graph: nx.Graph[str], key: str, value: float, reason: str) -> Ranked:
    data = graph.nodes[key]
    return Ranked(key, data["kind"], int(data["entity_id"]), str(data["label"]), value, reason)


def _as_of(graph: nx.Graph[str]) -> date:
    text = graph.graph.get("as_of")
    return date.fromisoformat(text) if text else today_in_london()
