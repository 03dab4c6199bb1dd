"""``measure_all`` for a ``GraphFrame``: the same report, from the columns and a CSR adjacency.

At 250,000 nodes a NetworkX graph and the report's four per-node dicts alone
would take the Graph page past its memory budget; here the per-node figures
stay arrays (``NodeMeasures``) and the lists (brokers, quiet partners, PRG
reach, who to reach next) are made from numpy columns and node numbers. The
figures are ``measure_all``'s own: ``tests/test_graph_frame.py`` compares the
two reports on the hand-built partnership and on generated data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from vru_crm.graph import measures as m
from vru_crm.graph.frame import (
    ENGAGEMENT_BITS,
    MEMBERSHIP_BIT,
    NETWORK,
    ORGANISATION,
    PERSON,
    GraphFrame,
)
from vru_crm.london import today_in_london

if TYPE_CHECKING:
    from vru_crm.graph.engine import Indexed
    from vru_crm.graph.export import NodeMeasures


@dataclass
class FrameReport:
    """The report (its per-node dicts left empty) and the per-node figures as arrays."""

    report: m.MeasureReport
    nodes: NodeMeasures


def quick_frame_report(frame: GraphFrame) -> FrameReport:
    """Only what costs nothing (counts, degrees, components): enough to draw."""
    import numpy as np

    from vru_crm.graph import engine
    from vru_crm.graph.export import NodeMeasures

    n = len(frame)
    weighted = [round(w, 6) for w in frame.weighted_degrees().tolist()]
    report = m.MeasureReport(
        nodes=n,
        edges=frame.edge_count,
        components=_components(engine.index_frame(frame)),
        prg=_key_or_none(frame, find_prg(frame)),
    )
    nodes = NodeMeasures(
        degree=frame.degrees(),
        weighted_degree=np.array(weighted, np.float64),
        betweenness=np.zeros(n),
        community=np.full(n, -1, np.int64),
    )
    return FrameReport(report, nodes)


def measure_frame(frame: GraphFrame, months: int = 6, top: int = 15) -> FrameReport:
    """Every measure of ``measure_all``, the heavy ones in C on one conversion."""
    from vru_crm.graph import engine

    with engine.no_cycle_collection():
        indexed = engine.index_frame(frame)
        nodes = m.node_measures(frame, indexed)
        return FrameReport(_report(frame, indexed, nodes, months, top), nodes)


def _report(
    frame: GraphFrame, indexed: Indexed, nodes: NodeMeasures, months: int, top: int
) -> m.MeasureReport:
    prg = find_prg(frame)
    degree = nodes.degree
    report = m.MeasureReport(
        nodes=len(frame),
        edges=frame.edge_count,
        components=_components(indexed),
        prg=_key_or_none(frame, prg),
        bridges=_bridges(frame, indexed),
        articulation_points=sorted(frame.key(i) for i in indexed.igraph.articulation_points()),
        isolates=sorted(frame.key(i) for i in (degree == 0).nonzero()[0].tolist()),
        quiet=_quiet(frame, months),
    )
    report.brokers = _brokers(frame, nodes, top)
    circles, networked = _prg_circles(frame, prg), _in_any_network(frame)
    report.by_borough = _connectedness(frame, "borough", circles, networked)
    report.by_sector = _connectedness(frame, "sector", circles, networked)
    kinds = [
        _central_outsiders(frame, networked),
        m._thin_priority_boroughs(_catalogue_graph(frame), report.by_borough),
        _quiet_brokers(frame, nodes, report.quiet),
    ]
    report.reach_next = _merge(kinds)
    return report


def _components(indexed: Indexed) -> int:
    return len(indexed.igraph.connected_components()) if indexed.igraph.vcount() else 0


def _key_or_none(frame: GraphFrame, i: int | None) -> str | None:
    return None if i is None else frame.key(i)


def _ranked(frame: GraphFrame, i: int, value: float, reason: str) -> m.Ranked:
    return m.Ranked(
        frame.key(i), frame.kind(i), int(frame.entity_ids[i]), frame.labels[i], value, reason
    )


def find_prg(frame: GraphFrame) -> int | None:
    """``measures.find_prg``: the PRG by name, else the board with most members (a number)."""
    degree = frame.degrees()
    boards = []
    for i in (frame.kinds == NETWORK).nonzero()[0].tolist():
        name = frame.labels[i].lower()
        if "partnership reference group" in name or name.strip() == "prg":
            return int(i)
        if frame.extra.get(i) == "board":
            boards.append((int(degree[i]), frame.key(i), int(i)))
    return max(boards)[2] if boards else None


def _bridges(frame: GraphFrame, indexed: Indexed) -> list[tuple[str, str]]:
    found = []
    for edge in indexed.igraph.bridges():
        a, b = frame.key(int(indexed.edges[edge, 0])), frame.key(int(indexed.edges[edge, 1]))
        found.append((a, b) if a < b else (b, a))
    return sorted(found)


def _quiet(frame: GraphFrame, months: int) -> list[m.Ranked]:
    from dateutil.relativedelta import relativedelta

    today = date.fromisoformat(frame.as_of) if frame.as_of else today_in_london()
    cutoff = (today - relativedelta(months=months)).toordinal()
    rows = []
    for i in (frame.kinds == ORGANISATION).nonzero()[0].tolist():
        last = int(frame.last_engaged[i])
        if last and last >= cutoff:
            continue
        text = date.fromordinal(last).isoformat() if last else ""
        days = today.toordinal() - last if last else 10**6
        reason = f"No engagement since {text}" if last else "Never engaged"
        rows.append(_ranked(frame, i, float(days), reason))
    return sorted(rows, key=lambda r: (-r.value, r.label))


def _brokers(frame: GraphFrame, nodes: NodeMeasures, top: int) -> list[m.Ranked]:
    """The ``top`` highest betweenness (ties by label), each with its reason."""
    import numpy as np

    between = nodes.betweenness
    if not len(between):
        return []
    cut = np.sort(between)[-min(top, len(between))]
    candidates = (between >= cut).nonzero()[0].tolist()
    ranked = sorted(candidates, key=lambda i: (-between[i], frame.labels[i]))[:top]
    return [
        _ranked(frame, i, round(float(between[i]), 4), _broker_reason(frame, nodes, i))
        for i in ranked
        if between[i] > 0
    ]


def _broker_reason(frame: GraphFrame, nodes: NodeMeasures, i: int) -> str:
    neighbours = frame.neighbours(i)
    groups = len(set(nodes.community[neighbours].tolist()))
    return (
        f"Links {m._plural(len(neighbours), 'neighbour')} across "
        f"{m._plural(groups, 'community', 'communities')}"
    )


def _organisations_among(frame: GraphFrame, numbers: Any) -> set[int]:
    return {int(j) for j in numbers[frame.kinds[numbers] == ORGANISATION].tolist()}


def _prg_circles(frame: GraphFrame, prg: int | None) -> tuple[set[int], set[int]]:
    """``measures._prg_circles`` in node numbers."""
    if prg is None:
        return set(), set()
    members = frame.neighbours(prg)
    on = _organisations_among(frame, members)
    for person in members[frame.kinds[members] == PERSON].tolist():
        on |= _organisations_among(frame, frame.neighbours(person))
    reached = set(on) | {prg} | set(members.tolist())
    near: set[int] = set()
    for node in reached:
        near |= _organisations_among(frame, frame.neighbours(node))
    return on, near - on


def _in_any_network(frame: GraphFrame) -> set[int]:
    """``measures._in_any_network`` in node numbers."""
    starts, others, ties = frame.csr()
    found: set[int] = set()
    for net in (frame.kinds == NETWORK).nonzero()[0].tolist():
        span = slice(starts[net], starts[net + 1])
        members = others[span][(frame.masks[ties[span]] & MEMBERSHIP_BIT) != 0]
        for member in members.tolist():
            if frame.kinds[member] == ORGANISATION:
                found.add(member)
            else:
                found |= _organisations_among(frame, frame.neighbours(member))
    return found


def _connectedness(
    frame: GraphFrame, by: str, circles: tuple[set[int], set[int]], networked: set[int]
) -> list[m.Connectedness]:
    on, near = circles
    groups: dict[str, list[int]] = {}
    for i in (frame.kinds == ORGANISATION).nonzero()[0].tolist():
        for group in frame.places[i] if by == "borough" else (frame.sectors[i],):
            groups.setdefault(group, []).append(i)
    catalogue = m._group_catalogue(_catalogue_graph(frame), by)
    rows = []
    for group in sorted(set(groups) | set(catalogue)):
        members = groups.get(group, [])
        label, priority = catalogue.get(group, (group, False))
        rows.append(
            m.Connectedness(
                group=group,
                label=label,
                partners=len(members),
                on_prg=sum(x in on for x in members),
                near_prg=sum(x in near for x in members),
                unlinked=sum(x not in networked for x in members),
                is_priority=priority,
            )
        )
    return rows


class _CatalogueOnly:
    """What ``measures._group_catalogue`` and ``_thin_priority_boroughs`` read of a graph."""

    def __init__(self, boroughs: dict[str, dict[str, Any]]) -> None:
        self.graph = {"boroughs": boroughs}


def _catalogue_graph(frame: GraphFrame) -> Any:
    return _CatalogueOnly(frame.boroughs)


def _central_outsiders(frame: GraphFrame, networked: set[int]) -> list[m.Ranked]:
    """``measures._central_outsiders``: summed in the same order, so to the same floats."""
    import numpy as np

    engaged = (frame.masks & ENGAGEMENT_BITS) != 0
    ends = np.stack([frame.a[engaged], frame.b[engaged]], axis=1).ravel()
    weights = np.repeat(frame.weights[engaged], 2)
    partner = frame.kinds[ends] == ORGANISATION
    ends, weights = ends[partner], weights[partner]
    strength = np.bincount(ends, weights, minlength=len(frame))
    present = np.zeros(len(frame), bool)
    present[ends] = True
    top = float(strength[present].max()) if present.any() else 0.0
    rows: list[m.Ranked] = []
    if top <= 0:
        return rows
    for i in present.nonzero()[0].tolist():
        if i in networked:
            continue
        count = int(frame.engagements[i])
        reason = f"Met in {m._plural(count, 'engagement')}, but sits in no network"
        rows.append(_ranked(frame, i, round(0.5 + 0.5 * float(strength[i]) / top, 4), reason))
    return rows


def _quiet_brokers(frame: GraphFrame, nodes: NodeMeasures, quiet: list[m.Ranked]) -> list[m.Ranked]:
    between = nodes.betweenness
    top = float(between.max()) if len(between) else 0.0
    number = {frame.key(i): i for i in (frame.kinds == ORGANISATION).nonzero()[0].tolist()}
    rows = []
    for row in quiet:
        i = number[row.key]
        value = float(between[i])
        if top <= 0 or value < 0.1 * top:
            continue
        reason = (
            f"A broker between groups (betweenness {value:.3f}) gone quiet: {row.reason.lower()}"
        )
        rows.append(_ranked(frame, i, round(0.3 + 0.6 * value / top, 4), reason))
    return rows


def _merge(kinds: list[list[m.Ranked]], limit: int = 25) -> list[m.Ranked]:
    """``measures.reach_next``'s merge: one of each kind in turn, each ranked by its figure."""
    queues = [sorted(rows, key=lambda r: (-r.value, r.label)) for rows in kinds]
    merged: list[m.Ranked] = []
    seen: set[str] = set()
    for turn in range(max((len(q) for q in queues), default=0)):
        for queue in queues:
            if turn < len(queue) and queue[turn].key not in seen:
                merged.append(queue[turn])
                seen.add(queue[turn].key)
    return merged[:limit]
