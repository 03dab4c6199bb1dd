"""Two periods side by side: the ties gained and lost, the partners who joined or dropped out.

A tie is an edge in one period's graph and not the other's; a partner "joined"
when it had no tie in the earlier period and has one in the later, and
"dropped" the other way round. Each period's graph is built with the same
filters, its window set to the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from db.session import Database
from vru_crm.graph.build import GraphFilters, build_graph

if TYPE_CHECKING:
    import networkx as nx

Period = tuple[date, date]


@dataclass(frozen=True)
class Tie:
    a: str
    b: str
    a_label: str
    b_label: str
    kinds: str
    weight: float


@dataclass(frozen=True)
class Partner:
    key: str
    kind: str
    entity_id: int
    label: str


@dataclass
class PeriodComparison:
    before: Period
    after: Period
    gained: list[Tie] = field(default_factory=list)
    lost: list[Tie] = field(default_factory=list)
    joined: list[Partner] = field(default_factory=list)
    dropped: list[Partner] = field(default_factory=list)


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def this_quarter_and_last(as_of: date) -> tuple[Period, Period]:
    """(last quarter, this quarter) around ``as_of``."""
    this = quarter_of(as_of)
    return quarter_of(this[0] - timedelta(days=1)), this


def this_year_and_last(as_of: date) -> tuple[Period, Period]:
    """(last calendar year, this calendar year)."""
    return (date(as_of.year - 1, 1, 1), date(as_of.year - 1, 12, 31)), (
        date(as_of.year, 1, 1),
        date(as_of.year, 12, 31),
    )


def compare_periods(
    database: Database, before: Period, after: Period, filters: GraphFilters | None = None
) -> PeriodComparison:
    base = filters or GraphFilters()
    old = build_graph(database, replace(base, start=before[0], end=before[1], as_of=None))
    new = build_graph(database, replace(base, start=after[0], end=after[1], as_of=None))
    return compare_graphs(old, new, before, after)


def compare_graphs(
    old: nx.Graph[str], new: nx.Graph[str], before: Period, after: Period
) -> PeriodComparison:
    """The differences between two graphs of the same partnership."""
    old_ties, new_ties = _ties(old), _ties(new)
    result = PeriodComparison(before, after)
    result.gained = [_tie(new, pair) for pair in sorted(new_ties - old_ties)]
    result.lost = [_tie(old, pair) for pair in sorted(old_ties - new_ties)]
    old_active, new_active = _active(old), _active(new)
    result.joined = [_partner(new, key) for key in sorted(new_active - old_active)]
    result.dropped = [_partner(old, key) for key in sorted(old_active - new_active)]
    return result


def _ties(graph: nx.Graph[str]) -> set[tuple[str, str]]:
    return {(a, b) if a < b else (b, a) for a, b in graph.edges()}


def _active(graph: nx.Graph[str]) -> set[str]:
    """Organisations and people with at least one tie in the period."""
    return {
        n
        for n, d in graph.nodes(data=True)
        if d["kind"] in ("organisation", "person") and graph.degree(n)
    }


def _tie(graph: nx.Graph[str], pair: tuple[str, str]) -> Tie:
    a, b = pair
    data = graph.edges[a, b]
    return Tie(
        a,
        b,
        graph.nodes[a]["label"],
        graph.nodes[b]["label"],
        ", ".join(data["kinds"]),
        float(data["weight"]),
    )


def _partner(graph: nx.Graph[str], key: str) -> Partner:
    data = graph.nodes[key]
    return Partner(key, data["kind"], int(data["entity_id"]), str(data["label"]))
