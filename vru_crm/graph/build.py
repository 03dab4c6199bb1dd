"""The partnership graph, built from the database with the user's filters.

Nodes are organisations, people, networks and (optionally) boroughs, keyed
``org:12``, ``person:5``, ``network:3``, ``borough:7`` so a key names its record.
Edges join what the records join: membership of a network (with its role), a
person's affiliation to an organisation, two organisations met in the same
engagement (``co_engagement``: weight is the count, each engagement's share
halved every ``half_life_days`` of age so old contact fades), and attendance at
a network's meetings. One edge per pair: ``kinds`` lists every relation behind it.

Everything is read in a handful of queries as plain rows (no ORM objects), the
engagement links straight into integer arrays; the ties are paired, summed and
merged per pair with numpy, and the graph is filled with one bulk call for the
nodes and one for the edges. Every query is ordered by ids and the graph gets
its nodes and ties in a fixed order: without ORDER BY,
SQLite and PostgreSQL hand rows back in different orders, and the communities
(Louvain visits nodes in graph order), the colours and the exports followed the
row order (68 communities on one, 66 on the other on the same data).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import Session, col

from db.models import (
    Affiliation,
    Attendance,
    Borough,
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementOrganisation,
    EngagementPerson,
    Meeting,
    Membership,
    Network,
    Organisation,
    OrganisationBorough,
    Person,
)
from db.session import Database
from vru_crm.graph.engine import no_cycle_collection
from vru_crm.london import london_date, today_in_london

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]
    Floats = NDArray[np.float64]

ORG, PERSON, NETWORK, BOROUGH = "org", "person", "network", "borough"
KIND_NAMES = {ORG: "organisation", PERSON: "person", NETWORK: "network", BOROUGH: "borough"}
ROLE_WEIGHT = {"chair": 2.0, "deputy": 1.5, "secretariat": 1.5}
# Ties that come from the engagement log (the rest come from memberships, jobs and meetings).
ENGAGEMENT_KINDS = frozenset({"co_engagement", "engaged_through", "met_with"})
# Every kind of tie, alphabetical: bit i of a tie's mask is TIE_KINDS[i], so masks list them sorted.
TIE_KINDS = (
    "affiliation", "attendance", "based_in", "co_engagement",
    "engaged_in", "engaged_through", "membership", "met_with",
)  # fmt: skip
_BIT = {kind: 1 << i for i, kind in enumerate(TIE_KINDS)}
_EPOCH = date(1970, 1, 1).toordinal()  # numpy counts days from 1970, Python from year 1


def node_key(kind: str, entity_id: int) -> str:
    return f"{kind}:{entity_id}"


def split_key(key: str) -> tuple[str, int]:
    """``("organisation", 12)`` for ``"org:12"``: the record a node stands for."""
    kind, _, number = key.partition(":")
    return KIND_NAMES[kind], int(number)


@dataclass(frozen=True)
class GraphFilters:
    """What to draw. Empty sets mean "all"; dates are inclusive."""

    start: date | None = None
    end: date | None = None
    sectors: frozenset[str] = frozenset()
    boroughs: frozenset[str] = frozenset()  # borough codes, e.g. "HAC"
    network_ids: frozenset[int] = frozenset()
    min_weight: float = 0.0
    include_people: bool = True
    include_boroughs: bool = False
    half_life_days: float = 365.0
    as_of: date | None = None  # the day ages are counted from (default: end of window, else today)

    @property
    def reference_day(self) -> date:
        return self.as_of or self.end or today_in_london()

    def scope(self) -> str:
        """A short stable name for this view, under which its positions are stored."""
        if self == GraphFilters(half_life_days=self.half_life_days, as_of=self.as_of):
            return "all"
        import hashlib

        text = repr(
            (
                self.start,
                self.end,
                sorted(self.sectors),
                sorted(self.boroughs),
                sorted(self.network_ids),
                self.min_weight,
                self.include_people,
                self.include_boroughs,
            )
        )
        return "f:" + hashlib.sha1(text.encode()).hexdigest()[:16]


def build_graph(database: Database, filters: GraphFilters | None = None) -> nx.Graph[str]:
    """The partnership graph for ``filters`` (one read-only unit of work)."""
    import networkx as nx

    filters = filters or GraphFilters()
    graph: nx.Graph[str] = nx.Graph(name="VRU partnership", as_of=filters.reference_day.isoformat())
    with database.session() as session, no_cycle_collection():
        _Builder(session, filters, graph).run()
    return graph


@dataclass
class _Ties:
    """Ties gathered as columns (node numbers, kind bit, weight, day ordinal; 0 is no day)."""

    a: list[Ints]
    b: list[Ints]
    bits: list[Ints]
    weights: list[Floats]
    days: list[Ints]
    loose: list[tuple[int, int, int, float, int]] = field(default_factory=list)

    def add(self, a: Ints, b: Ints, kind: str, weight: Floats | float, day: Ints | int = 0) -> None:
        import numpy as np

        n = len(a)
        if n == 0:
            return
        self.a.append(np.asarray(a, np.int64))
        self.b.append(np.asarray(b, np.int64))
        self.bits.append(np.full(n, _BIT[kind], np.int64))
        self.weights.append(np.broadcast_to(np.asarray(weight, np.float64), (n,)))
        self.days.append(np.broadcast_to(np.asarray(day, np.int64), (n,)))

    def one(self, a: int, b: int, kind: str, weight: float, day: int = 0) -> None:
        """One tie from a Python loop (memberships, jobs, meetings), made an array later."""
        self.loose.append((a, b, _BIT[kind], weight, day))

    def columns(self) -> tuple[Ints, Ints, Ints, Floats, Ints]:
        import numpy as np

        if self.loose:
            a, b, bits, weights, days = (list(c) for c in zip(*self.loose, strict=True))
            self.loose = []
            self.a.append(np.array(a, np.int64))
            self.b.append(np.array(b, np.int64))
            self.bits.append(np.array(bits, np.int64))
            self.weights.append(np.array(weights, np.float64))
            self.days.append(np.array(days, np.int64))
        if not self.a:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty, np.zeros(0), empty
        return (
            np.concatenate(self.a),
            np.concatenate(self.b),
            np.concatenate(self.bits),
            np.concatenate(self.weights),
            np.concatenate(self.days),
        )


class _Builder:
    """Reads plain rows, numbers the nodes, gathers ties as arrays, then fills the graph once."""

    def __init__(self, session: Session, filters: GraphFilters, graph: nx.Graph[str]) -> None:
        self.s = session
        self.f = filters
        self.g = graph
        self.ties = _Ties([], [], [], [], [])
        self.roles: dict[tuple[int, int], str] = {}
        self.nodes: list[tuple[str, dict[str, Any]]] = []
        self.number: dict[str, dict[int, int]] = {ORG: {}, PERSON: {}, NETWORK: {}, BOROUGH: {}}
        self.present: list[bool] = []
        self.borough_codes: dict[int, str] = {}
        self.org_boroughs: dict[int, list[str]] = defaultdict(list)
        self._decay_cache: dict[int, float] = {}
        self._days: tuple[Ints, Ints, NDArray[np.bool_]] | None = None
        self._links: dict[str, Ints] = {}

    def run(self) -> None:
        self._boroughs()
        orgs = self._organisations()
        self._networks()
        affiliations = self._affiliation_rows()
        if self.f.include_people:
            self._people(orgs, affiliations)
        self._memberships()
        self._attendance()
        if self.f.network_ids:
            self._keep_network_members()
        self._affiliations(affiliations)
        self._co_engagements()
        if self.f.include_boroughs:
            self._borough_edges()
        self._fill()

    def _rows(self, statement: Any) -> Any:
        """Plain row tuples (SQLAlchemy Core, iterable or ``fetchall()``), not ORM objects."""
        return self.s.connection().execute(statement).fetchall()

    # ---- nodes -------------------------------------------------------------
    def _node(self, kind: str, entity_id: int, attrs: dict[str, Any]) -> None:
        self.number[kind][entity_id] = len(self.nodes)
        self.nodes.append((node_key(kind, entity_id), attrs))
        self.present.append(True)

    def _has(self, kind: str, entity_id: int | None) -> bool:
        if entity_id is None:
            return False
        number = self.number[kind].get(entity_id)
        return number is not None and self.present[number]

    def _boroughs(self) -> None:
        catalogue = self.g.graph.setdefault("boroughs", {})
        for bid, code, name, priority in self._rows(
            select(
                col(Borough.id), col(Borough.code), col(Borough.name), col(Borough.is_priority)
            ).order_by(col(Borough.id))
        ):
            self.borough_codes[bid] = code
            catalogue[code] = {"id": bid, "name": name, "is_priority": priority}
            if self.f.include_boroughs and (not self.f.boroughs or code in self.f.boroughs):
                self._node(
                    BOROUGH,
                    bid,
                    {
                        "kind": "borough",
                        "entity_id": bid,
                        "label": name,
                        "code": code,
                        "is_priority": priority,
                    },
                )
        link = OrganisationBorough
        for org_id, borough_id in self._rows(
            select(col(link.organisation_id), col(link.borough_id)).order_by(
                col(link.organisation_id), col(link.borough_id)
            )
        ):
            self.org_boroughs[org_id].append(self.borough_codes[borough_id])

    def _organisations(self) -> set[int]:
        kept: set[int] = set()
        o = Organisation
        for oid, name, sector, priority in self._rows(
            select(col(o.id), col(o.name), col(o.sector), col(o.is_priority)).order_by(col(o.id))
        ):
            codes = sorted(self.org_boroughs.get(oid, []))
            if self.f.sectors and sector not in self.f.sectors:
                continue
            if self.f.boroughs and not self.f.boroughs.intersection(codes):
                continue
            kept.add(oid)
            self._node(
                ORG,
                oid,
                {
                    "kind": "organisation",
                    "entity_id": oid,
                    "label": name,
                    "sector": sector,
                    "boroughs": codes,
                    "is_priority": priority,
                },
            )
        return kept

    def _networks(self) -> None:
        n = Network
        for nid, name, kind in self._rows(
            select(col(n.id), col(n.name), col(n.kind)).order_by(col(n.id))
        ):
            if self.f.network_ids and nid not in self.f.network_ids:
                continue
            self._node(
                NETWORK,
                nid,
                {
                    "kind": "network",
                    "entity_id": nid,
                    "label": name,
                    "network_kind": kind,
                    "sector": "network",
                },
            )

    def _affiliation_rows(self) -> list[tuple[int, int, str]]:
        """(person, organisation, role) of every affiliation in force in the window, by id."""
        a = Affiliation
        rows = self._rows(
            select(
                col(a.person_id),
                col(a.organisation_id),
                col(a.role),
                col(a.start_date),
                col(a.end_date),
            ).order_by(col(a.id))
        )
        return [(p, o, role or "") for p, o, role, s, e in rows if self._overlaps(s, e)]

    def _people(self, orgs: set[int], affiliations: list[tuple[int, int, str]]) -> None:
        """People in the view: all, or under a sector/borough filter those tied to a kept place."""
        linked: dict[int, set[int]] = defaultdict(set)
        for person_id, org_id, _ in affiliations:
            linked[person_id].add(org_id)
        narrowed = bool(self.f.sectors or self.f.boroughs)
        p = Person
        for pid, name, borough_id, young in self._rows(
            select(col(p.id), col(p.full_name), col(p.borough_id), col(p.is_young_person)).order_by(
                col(p.id)
            )
        ):
            borough = self.borough_codes.get(borough_id or -1)
            if narrowed and not (
                linked[pid] & orgs or (self.f.boroughs and borough in self.f.boroughs)
            ):
                continue
            self._node(
                PERSON,
                pid,
                {
                    "kind": "person",
                    "entity_id": pid,
                    "label": name,
                    "sector": "person",
                    "boroughs": [borough] if borough else [],
                    "young_person": young,
                },
            )

    def _keep_network_members(self) -> None:
        """Under a network filter, only the chosen networks and their members remain."""
        a, b, *_ = self.ties.columns()
        members = set(a.tolist()) | set(b.tolist())
        for number, (_, data) in enumerate(self.nodes):
            if data["kind"] in ("organisation", "person") and number not in members:
                self.present[number] = False

    # ---- dates and weights -------------------------------------------------
    def _overlaps(self, start: date | None, end: date | None) -> bool:
        """Whether a dated link was in force during the window (or is now, with no window)."""
        window_start = self.f.start
        window_end = self.f.end or (None if self.f.start else self.f.reference_day)
        if window_end is not None and start is not None and start > window_end:
            return False
        reference = window_start or window_end
        return not (end is not None and reference is not None and end < reference)

    def _decay(self, ordinal: int) -> float:
        """An engagement's weight: 1 today, halved every half-life (cached per day: many share one)."""
        weight = self._decay_cache.get(ordinal)
        if weight is None:
            age = max(self.f.reference_day.toordinal() - ordinal, 0)
            weight = 0.5 ** (age / self.f.half_life_days) if self.f.half_life_days > 0 else 1.0
            self._decay_cache[ordinal] = weight
        return weight

    def _decays(self, ordinals: Ints) -> Floats:
        import numpy as np

        unique, inverse = np.unique(ordinals, return_inverse=True)
        table = np.array([self._decay(int(d)) for d in unique.tolist()], dtype=np.float64)
        return table[inverse.reshape(-1)] if len(unique) else np.zeros(0)

    def _in_window(self, when: date) -> bool:
        return (self.f.start is None or when >= self.f.start) and (
            self.f.end is None or when <= self.f.end
        )

    # ---- ties --------------------------------------------------------------
    def _tie(self, a: int, b: int, kind: str, weight: float, day: int = 0, role: str = "") -> None:
        """One tie from a Python loop (memberships, jobs, meetings: thousands, not millions)."""
        self.ties.one(a, b, kind, weight, day)
        pair = (a, b) if a < b else (b, a)
        if role and pair not in self.roles:
            self.roles[pair] = role

    def _memberships(self) -> None:
        m = Membership
        for net, org, person, role, start, end in self._rows(
            select(
                col(m.network_id),
                col(m.organisation_id),
                col(m.person_id),
                col(m.role),
                col(m.start_date),
                col(m.end_date),
            ).order_by(col(m.id))
        ):
            if not self._has(NETWORK, net) or not self._overlaps(start, end):
                continue
            if self._has(ORG, org):
                member = self.number[ORG][org]
            elif self._has(PERSON, person):
                member = self.number[PERSON][person]
            else:
                continue
            network = self.number[NETWORK][net]
            self._tie(network, member, "membership", ROLE_WEIGHT.get(role, 1.0), role=role)

    def _attendance(self) -> None:
        rows = self._rows(
            select(col(Attendance.person_id), col(Meeting.network_id), col(Meeting.starts_at))
            .join(Meeting, col(Meeting.id) == col(Attendance.meeting_id))
            .where(col(Attendance.status) == "present")
            .order_by(col(Attendance.meeting_id), col(Attendance.person_id))
        )
        days: dict[datetime, date] = {}
        for person, net, starts_at in rows:
            day = days.get(starts_at)
            if day is None:
                day = days[starts_at] = london_date(starts_at)
            if self._has(NETWORK, net) and self._has(PERSON, person) and self._in_window(day):
                ordinal = day.toordinal()
                self._tie(
                    self.number[PERSON][person],
                    self.number[NETWORK][net],
                    "attendance",
                    self._decay(ordinal),
                    ordinal,
                )

    def _affiliations(self, affiliations: list[tuple[int, int, str]]) -> None:
        for person, org, role in affiliations:
            if self._has(PERSON, person) and self._has(ORG, org):
                a, b = self.number[PERSON][person], self.number[ORG][org]
                self._tie(a, b, "affiliation", 1.0, role=role)

    def _raw(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a fixed statement straight from the driver: millions of link rows, so not
        even SQLAlchemy's row objects (the statement takes no parameters, only table names)."""
        cursor = self.s.connection().connection.cursor()
        try:
            cursor.execute(sql)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def _engagement_days(self) -> tuple[Ints, Ints, NDArray[np.bool_]]:
        """Ids (ascending) and day ordinals of every engagement, and which are in the window."""
        import numpy as np

        if self._days is None:
            rows = self._raw(f"SELECT id, occurred_on FROM {Engagement.__tablename__} ORDER BY id")
            ids = np.array([r[0] for r in rows], np.int64)
            days = np.array([r[1] for r in rows], "datetime64[D]").astype(np.int64) + _EPOCH
            inside = np.ones(len(ids), bool)
            if self.f.start is not None:
                inside &= days >= self.f.start.toordinal()
            if self.f.end is not None:
                inside &= days <= self.f.end.toordinal()
            self._days = ids, days, inside
        return self._days

    def _link_rows(self, link: Any, column: str) -> Ints:
        """(engagement id, entity id) of one link table, ordered by both (read once)."""
        import numpy as np

        table = str(link.__tablename__)
        found = self._links.get(table)
        if found is None:
            rows = self._raw(
                f"SELECT engagement_id, {column} FROM {table} ORDER BY engagement_id, {column}"
            )
            found = np.array(rows, np.int64).reshape(-1, 2)
            self._links[table] = found
        return found

    def _lookup(self, kind: str, present: bool = True) -> Ints:
        """Node number by entity id for one kind (-1: not in the graph)."""
        import numpy as np

        numbers = self.number[kind]
        table = np.full(max(numbers, default=0) + 1, -1, np.int64)
        for entity_id, number in numbers.items():
            if self.present[number] or not present:
                table[entity_id] = number
        return table

    def _linked(
        self, link: Any, column: str, kind: str, *, window: bool = True, present: bool = True
    ) -> tuple[Ints, Ints]:
        """(engagement position, node number) of one link table's rows whose node is in the
        graph (or was numbered, with ``present`` False) and, with ``window``, whose
        engagement is in the window; ordered by engagement then entity."""
        import numpy as np

        ids, _, inside = self._engagement_days()
        flat = self._link_rows(link, column)
        if not len(ids) or not len(flat):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        where = np.minimum(np.searchsorted(ids, flat[:, 0]), len(ids) - 1)
        lookup = self._lookup(kind, present)
        entity = flat[:, 1]
        known = entity < len(lookup)
        node = np.where(known, lookup[np.where(known, entity, 0)], -1)
        keep = (node >= 0) & (ids[where] == flat[:, 0])
        if window:
            keep &= inside[where]
        return where[keep], node[keep]

    def _co_engagements(self) -> None:
        """Ties from the log: organisations met together, through a network, or with a person."""
        _, days, _ = self._engagement_days()
        eng, orgs = self._linked(EngagementOrganisation, "organisation_id", ORG)
        shift = 1
        while shift < len(eng):
            same = eng[:-shift] == eng[shift:]
            if not same.any():
                break
            when = days[eng[:-shift][same]]
            a, b = orgs[:-shift][same], orgs[shift:][same]
            self.ties.add(a, b, "co_engagement", self._decays(when), when)
            shift += 1
        for table, column, kind, tie in (
            (EngagementNetwork, "network_id", NETWORK, "engaged_through"),
            (EngagementPerson, "person_id", PERSON, "met_with"),
        ):
            other_eng, others = self._linked(table, column, kind)
            a, b, at = _cross(eng, orgs, other_eng, others)
            self.ties.add(a, b, tie, self._decays(days[at]), days[at])

    def _borough_edges(self) -> None:
        import numpy as np

        code_to_id = {code: bid for bid, code in self.borough_codes.items()}
        for number in self.number[ORG].values():
            if not self.present[number]:
                continue
            for code in self.nodes[number][1]["boroughs"]:
                if self._has(BOROUGH, code_to_id[code]):
                    self._tie(number, self.number[BOROUGH][code_to_id[code]], "based_in", 1.0)
        _, days, _ = self._engagement_days()
        eng, orgs = self._linked(EngagementOrganisation, "organisation_id", ORG)
        borough_eng, boroughs = self._linked(EngagementBorough, "borough_id", BOROUGH)
        a, b, at = _cross(eng, orgs, borough_eng, boroughs)
        self.ties.add(a, b, "engaged_in", self._decays(days[at]), np.asarray(days[at]))

    # ---- the graph ---------------------------------------------------------
    def _fill(self) -> None:
        """Nodes in their order, then one edge per pair in key order, each with its merged tie."""
        import numpy as np

        from vru_crm.graph import engine

        kept = [i for i, here in enumerate(self.present) if here]
        self._engagement_dates(kept)
        self.g.add_nodes_from(self.nodes[i] for i in kept)
        keys = [self.nodes[i][0] for i in kept]
        by_key = sorted(range(len(kept)), key=keys.__getitem__)
        rank = np.full(len(self.nodes), -1, np.int64)
        rank[np.array(kept, np.int64)[by_key]] = np.arange(len(kept))
        a, b, bits, weights, days = self.ties.columns()
        ra, rb = rank[a], rank[b]
        ok = (ra >= 0) & (rb >= 0) & (a != b)
        lo, hi = np.minimum(ra, rb)[ok], np.maximum(ra, rb)[ok]
        code = lo * max(len(kept), 1) + hi
        order = np.argsort(code, kind="stable")
        code = code[order]
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else code
        summed = np.add.reduceat(weights[ok][order], starts) if len(code) else np.zeros(0)
        counts = np.diff(np.r_[starts, len(code)])
        masks = np.bitwise_or.reduceat(bits[ok][order], starts) if len(code) else starts
        lasts = np.maximum.reduceat(days[ok][order], starts) if len(code) else starts
        heavy = summed >= self.f.min_weight
        pair_lo, pair_hi = lo[order][starts][heavy], hi[order][starts][heavy]
        node_at = np.array(kept, np.int64)[by_key]
        rounded = [round(w, 6) for w in summed[heavy].tolist()]
        _add_new_edges(
            self.g,
            self._edges(
                pair_lo, pair_hi, node_at, rounded, counts[heavy], masks[heavy], lasts[heavy]
            ),
        )
        order_in_graph = np.array(by_key, np.int64)  # rank -> position in the node order
        ends = np.stack([order_in_graph[pair_lo], order_in_graph[pair_hi]], axis=1)
        engine.remember(self.g, keys, ends.reshape(-1, 2), np.array(rounded, np.float64))

    def _edges(
        self,
        lo: Ints,
        hi: Ints,
        node_at: Ints,
        weights: list[float],
        counts: Ints,
        masks: Ints,
        lasts: Ints,
    ) -> Iterable[tuple[str, str, dict[str, Any]]]:
        names: dict[int, list[str]] = {}
        days: dict[int, str] = {0: ""}
        for i, (x, y, count, mask, last) in enumerate(
            zip(
                node_at[lo].tolist(),
                node_at[hi].tolist(),
                counts.tolist(),
                masks.tolist(),
                lasts.tolist(),
                strict=True,
            )
        ):
            kinds = names.get(mask)
            if kinds is None:
                kinds = names[mask] = [k for k in TIE_KINDS if mask & _BIT[k]]
            text = days.get(last)
            if text is None:
                text = days[last] = date.fromordinal(last).isoformat()
            yield (
                self.nodes[x][0],
                self.nodes[y][0],
                {
                    "kinds": list(kinds),
                    "weight": weights[i],
                    "count": count,
                    "role": self.roles.get((x, y) if x < y else (y, x), ""),
                    "last": text,
                },
            )

    def _engagement_dates(self, kept: list[int]) -> None:
        """Each partner's last engagement up to the view's end, and its count in the window,
        from the link rows already read (a GROUP BY join cost seconds of the database's time)."""
        import numpy as np

        _, days, inside = self._engagement_days()
        end = (self.f.end or self.f.reference_day).toordinal()
        last = np.zeros(len(self.nodes), np.int64)
        count = np.zeros(len(self.nodes), np.int64)
        for kind, link, column in (
            (ORG, EngagementOrganisation, "organisation_id"),
            (PERSON, EngagementPerson, "person_id"),
        ):
            if not self.number[kind]:
                continue
            eng, node = self._linked(link, column, kind, window=False)
            early = days[eng] <= end
            np.maximum.at(last, node[early], days[eng][early])
            count += np.bincount(node[inside[eng]], minlength=len(self.nodes))
        texts: dict[int, str] = {0: ""}
        for number, day, engaged in zip(
            kept, last[kept].tolist(), count[kept].tolist(), strict=True
        ):
            text = texts.get(day)
            if text is None:
                text = texts[day] = date.fromordinal(day).isoformat()
            data = self.nodes[number][1]
            data["last_engaged"] = text
            data["engagements"] = engaged


def _add_new_edges(graph: nx.Graph[str], edges: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    """``graph.add_edges_from`` for ties known to be new and between existing nodes.

    NetworkX's own call looks up and merges each edge's attribute dict, about
    two thirds of its time on 100,000 ties; here each dict is put on both ends
    of its adjacency directly, as ``add_edges_from`` would leave it.
    """
    import networkx as nx

    adjacency = graph._adj  # type: ignore[attr-defined]  # the documented adjacency store
    for a, b, data in edges:
        adjacency[a][b] = data
        adjacency[b][a] = data
    nx._clear_cache(graph)


def _cross(eng: Ints, orgs: Ints, other_eng: Ints, others: Ints) -> tuple[Ints, Ints, Ints]:
    """Every (organisation, other) pair met in the same engagement, with its engagement.

    Both sides are ordered by engagement, so each organisation row's partners
    are one contiguous run of the other side, found by binary search.
    """
    import numpy as np

    first = np.searchsorted(other_eng, eng, "left")
    counts = np.searchsorted(other_eng, eng, "right") - first
    total = int(counts.sum())
    row = np.repeat(np.arange(len(eng)), counts)
    offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    match = np.repeat(first, counts) + offset
    return orgs[row], others[match], eng[row]


def _as_date(value: date | str) -> date:
    """SQLite hands back MAX() of a date column as text; PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
