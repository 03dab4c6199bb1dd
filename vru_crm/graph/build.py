"""The partnership graph, built from the database with the user's filters.

Nodes are organisations, people, networks and (optionally) boroughs, keyed
``org:12``, ``person:5``, ``network:3``, ``borough:7`` so a key names its record.
Edges join what the records join: membership of a network (with its role), a
person's affiliation to an organisation, two organisations met in the same
engagement (``co_engagement``: weight is the count, each engagement's share
halved every ``half_life_days`` of age so old contact fades), and attendance at
a network's meetings. One edge per pair: ``kinds`` lists every relation behind it.

Everything is read in a handful of queries, then assembled in memory, so the
cost grows with the rows and not with round trips. Every query is ordered by
ids and the graph gets its nodes and ties in a fixed order: without ORDER BY,
SQLite and PostgreSQL hand rows back in different orders, and the communities
(Louvain visits nodes in graph order), the colours and the exports followed the
row order (68 communities on one, 66 on the other on the same data).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

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
from vru_crm.london import london_date, today_in_london

if TYPE_CHECKING:
    import networkx as nx

ORG, PERSON, NETWORK, BOROUGH = "org", "person", "network", "borough"
KIND_NAMES = {ORG: "organisation", PERSON: "person", NETWORK: "network", BOROUGH: "borough"}
ROLE_WEIGHT = {"chair": 2.0, "deputy": 1.5, "secretariat": 1.5}
# Ties that come from the engagement log (the rest come from memberships, jobs and meetings).
ENGAGEMENT_KINDS = frozenset({"co_engagement", "engaged_through", "met_with"})


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


@dataclass
class _Edges:
    """Edge attributes gathered per pair before they become a graph."""

    data: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def add(self, a: str, b: str, kind: str, weight: float, **extra: Any) -> None:
        pair = (a, b) if a < b else (b, a)
        edge = self.data.setdefault(
            pair, {"kinds": set(), "weight": 0.0, "count": 0, "role": "", "last": ""}
        )
        edge["kinds"].add(kind)
        edge["weight"] += weight
        edge["count"] += 1
        if extra.get("role") and not edge["role"]:
            edge["role"] = extra["role"]
        last = extra.get("last", "")
        if last and last > edge["last"]:
            edge["last"] = last


def build_graph(database: Database, filters: GraphFilters | None = None) -> nx.Graph:
    """The partnership graph for ``filters`` (one read-only unit of work)."""
    import networkx as nx

    filters = filters or GraphFilters()
    with database.session() as session:
        graph = nx.Graph(name="VRU partnership", as_of=filters.reference_day.isoformat())
        _Builder(session, filters, graph).run()
    return graph


class _Builder:
    def __init__(self, session: Session, filters: GraphFilters, graph: nx.Graph) -> None:
        self.s = session
        self.f = filters
        self.g = graph
        self.edges = _Edges()
        self.borough_codes: dict[int, str] = {}
        self.org_boroughs: dict[int, list[str]] = defaultdict(list)
        self._decay_cache: dict[date, float] = {}

    def run(self) -> None:
        self._boroughs()
        orgs = self._organisations()
        networks = self._networks()
        people = self._people(orgs) if self.f.include_people else set()
        self._memberships(networks, orgs, people)
        self._attendance(networks, people)
        if self.f.network_ids:
            self._keep_network_members()
        self._affiliations(orgs, people)
        self._co_engagements()
        if self.f.include_boroughs:
            self._borough_edges()
        self._engagement_dates()
        self._add_edges()

    # ---- nodes -------------------------------------------------------------
    def _boroughs(self) -> None:
        catalogue = self.g.graph.setdefault("boroughs", {})
        for b in self.s.exec(select(Borough).order_by(col(Borough.id))):
            self.borough_codes[b.id] = b.code
            catalogue[b.code] = {"id": b.id, "name": b.name, "is_priority": b.is_priority}
            if self.f.include_boroughs and (not self.f.boroughs or b.code in self.f.boroughs):
                self.g.add_node(
                    node_key(BOROUGH, b.id),
                    kind="borough",
                    entity_id=b.id,
                    label=b.name,
                    code=b.code,
                    is_priority=b.is_priority,
                )
        for link in self.s.exec(
            select(OrganisationBorough).order_by(
                col(OrganisationBorough.organisation_id), col(OrganisationBorough.borough_id)
            )
        ):
            self.org_boroughs[link.organisation_id].append(self.borough_codes[link.borough_id])

    def _organisations(self) -> set[int]:
        kept: set[int] = set()
        for org in self.s.exec(select(Organisation).order_by(col(Organisation.id))):
            codes = sorted(self.org_boroughs.get(org.id, []))
            if self.f.sectors and org.sector not in self.f.sectors:
                continue
            if self.f.boroughs and not self.f.boroughs.intersection(codes):
                continue
            kept.add(org.id)
            self.g.add_node(
                node_key(ORG, org.id),
                kind="organisation",
                entity_id=org.id,
                label=org.name,
                sector=org.sector,
                boroughs=codes,
                is_priority=org.is_priority,
            )
        return kept

    def _networks(self) -> set[int]:
        kept: set[int] = set()
        for net in self.s.exec(select(Network).order_by(col(Network.id))):
            if self.f.network_ids and net.id not in self.f.network_ids:
                continue
            kept.add(net.id)
            self.g.add_node(
                node_key(NETWORK, net.id),
                kind="network",
                entity_id=net.id,
                label=net.name,
                network_kind=net.kind,
                sector="network",
            )
        return kept

    def _people(self, orgs: set[int]) -> set[int]:
        """People in the view: all, or under a sector/borough filter those tied to a kept place."""
        linked: dict[int, set[int]] = defaultdict(set)
        for aff in self.s.exec(select(Affiliation).order_by(col(Affiliation.id))):
            if self._overlaps(aff.start_date, aff.end_date):
                linked[aff.person_id].add(aff.organisation_id)
        kept: set[int] = set()
        narrowed = bool(self.f.sectors or self.f.boroughs)
        for person in self.s.exec(select(Person).order_by(col(Person.id))):
            borough = self.borough_codes.get(person.borough_id or -1)
            if narrowed and not (
                linked[person.id] & orgs or (self.f.boroughs and borough in self.f.boroughs)
            ):
                continue
            kept.add(person.id)
            self.g.add_node(
                node_key(PERSON, person.id),
                kind="person",
                entity_id=person.id,
                label=person.full_name,
                sector="person",
                boroughs=[borough] if borough else [],
                young_person=person.is_young_person,
            )
        return kept

    def _keep_network_members(self) -> None:
        """Under a network filter, only the chosen networks and their members remain."""
        members = {n for pair in self.edges.data for n in pair}
        drop = [
            n
            for n, d in self.g.nodes(data=True)
            if d["kind"] in ("organisation", "person") and n not in members
        ]
        self.g.remove_nodes_from(drop)

    # ---- edges -------------------------------------------------------------
    def _overlaps(self, start: date | None, end: date | None) -> bool:
        """Whether a dated link was in force during the window (or is now, with no window)."""
        window_start = self.f.start
        window_end = self.f.end or (None if self.f.start else self.f.reference_day)
        if window_end is not None and start is not None and start > window_end:
            return False
        reference = window_start or window_end
        return not (end is not None and reference is not None and end < reference)

    def _decay(self, when: date) -> float:
        """An engagement's weight: 1 today, halved every half-life (cached per day: many share one)."""
        weight = self._decay_cache.get(when)
        if weight is None:
            age = max((self.f.reference_day - when).days, 0)
            weight = 0.5 ** (age / self.f.half_life_days) if self.f.half_life_days > 0 else 1.0
            self._decay_cache[when] = weight
        return weight

    def _in_window(self, when: date) -> bool:
        return (self.f.start is None or when >= self.f.start) and (
            self.f.end is None or when <= self.f.end
        )

    def _memberships(self, networks: set[int], orgs: set[int], people: set[int]) -> None:
        for m in self.s.exec(select(Membership).order_by(col(Membership.id))):
            if m.network_id not in networks or not self._overlaps(m.start_date, m.end_date):
                continue
            if m.organisation_id is not None and m.organisation_id in orgs:
                member = node_key(ORG, m.organisation_id)
            elif m.person_id is not None and m.person_id in people:
                member = node_key(PERSON, m.person_id)
            else:
                continue
            self.edges.add(
                node_key(NETWORK, m.network_id),
                member,
                "membership",
                ROLE_WEIGHT.get(m.role, 1.0),
                role=m.role,
            )

    def _affiliations(self, orgs: set[int], people: set[int]) -> None:
        for aff in self.s.exec(select(Affiliation).order_by(col(Affiliation.id))):
            a, b = node_key(PERSON, aff.person_id), node_key(ORG, aff.organisation_id)
            if (
                aff.person_id in people
                and aff.organisation_id in orgs
                and self._present(a, b)
                and self._overlaps(aff.start_date, aff.end_date)
            ):
                self.edges.add(a, b, "affiliation", 1.0, role=aff.role or "")

    def _present(self, *keys: str) -> bool:
        return all(k in self.g for k in keys)

    def _engagements(self) -> dict[int, date]:
        rows = self.s.exec(
            select(Engagement.id, Engagement.occurred_on).order_by(col(Engagement.id))
        )
        return {eid: day for eid, day in rows if self._in_window(day)}

    def _co_engagements(self) -> None:
        """Ties from the log: organisations met together, through a network, or with a person."""
        days = self._engagements()
        orgs = self._engaged(EngagementOrganisation, "organisation_id", ORG, days)
        networks = self._engaged(EngagementNetwork, "network_id", NETWORK, days)
        people = self._engaged(EngagementPerson, "person_id", PERSON, days)
        for eid, keys in orgs.items():
            day = days[eid]
            weight, last = self._decay(day), day.isoformat()
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    self.edges.add(a, b, "co_engagement", weight, last=last)
                for other, kind in [(n, "engaged_through") for n in networks.get(eid, [])] + [
                    (p, "met_with") for p in people.get(eid, [])
                ]:
                    self.edges.add(a, other, kind, weight, last=last)

    def _engaged(self, link, column: str, kind: str, days: dict[int, date]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = defaultdict(list)
        for engagement_id, entity_id in self.s.exec(
            select(link.engagement_id, getattr(link, column)).order_by(
                link.engagement_id, getattr(link, column)
            )
        ):
            key = node_key(kind, entity_id)
            if engagement_id in days and key in self.g:
                found[engagement_id].append(key)
        return found

    def _attendance(self, networks: set[int], people: set[int]) -> None:
        rows = self.s.exec(
            select(Attendance.person_id, Meeting.network_id, Meeting.starts_at)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.status == "present")
            .order_by(col(Attendance.meeting_id), col(Attendance.person_id))
        )
        for person_id, network_id, starts_at in rows:
            day = london_date(starts_at)
            if network_id in networks and person_id in people and self._in_window(day):
                a, b = node_key(PERSON, person_id), node_key(NETWORK, network_id)
                if self._present(a, b):
                    self.edges.add(a, b, "attendance", self._decay(day), last=day.isoformat())

    def _borough_edges(self) -> None:
        code_to_id = {code: bid for bid, code in self.borough_codes.items()}
        for key, data in list(self.g.nodes(data=True)):
            if data["kind"] == "organisation":
                for code in data["boroughs"]:
                    target = node_key(BOROUGH, code_to_id[code])
                    if target in self.g:
                        self.edges.add(key, target, "based_in", 1.0)
        days = self._engagements()
        orgs_of: dict[int, list[str]] = defaultdict(list)
        for link in self.s.exec(
            select(EngagementOrganisation).order_by(
                col(EngagementOrganisation.engagement_id),
                col(EngagementOrganisation.organisation_id),
            )
        ):
            orgs_of[link.engagement_id].append(node_key(ORG, link.organisation_id))
        for link in self.s.exec(
            select(EngagementBorough).order_by(
                col(EngagementBorough.engagement_id), col(EngagementBorough.borough_id)
            )
        ):
            target = node_key(BOROUGH, link.borough_id)
            if link.engagement_id not in days or target not in self.g:
                continue
            day = days[link.engagement_id]
            for org in orgs_of[link.engagement_id]:
                if org in self.g:
                    self.edges.add(
                        org, target, "engaged_in", self._decay(day), last=day.isoformat()
                    )

    def _engagement_dates(self) -> None:
        """Each partner's last engagement up to the view's end, and its count in the window.

        Counted by the database (GROUP BY): a decade of engagements is hundreds
        of thousands of link rows, too many to carry into Python for two numbers.
        """
        end = self.f.end or self.f.reference_day
        for kind, link in ((ORG, EngagementOrganisation), (PERSON, EngagementPerson)):
            column = link.organisation_id if kind == ORG else link.person_id
            joined = select(column, func.max(Engagement.occurred_on)).join(
                Engagement, Engagement.id == link.engagement_id
            )
            for entity_id, last in self.s.exec(
                joined.where(Engagement.occurred_on <= end).group_by(column)
            ):
                node = self.g.nodes.get(node_key(kind, entity_id))
                if node is not None and last is not None:
                    node["last_engaged"] = _as_date(last).isoformat()
            counted = select(column, func.count()).join(
                Engagement, Engagement.id == link.engagement_id
            )
            if self.f.start is not None:
                counted = counted.where(Engagement.occurred_on >= self.f.start)
            if self.f.end is not None:
                counted = counted.where(Engagement.occurred_on <= self.f.end)
            for entity_id, count in self.s.exec(counted.group_by(column)):
                node = self.g.nodes.get(node_key(kind, entity_id))
                if node is not None:
                    node["engagements"] = int(count)

    def _add_edges(self) -> None:
        """Ties in sorted order: each node's neighbours then come in the same order on every
        database, which is what Louvain and sampled betweenness walk."""
        for (a, b), data in sorted(self.edges.data.items()):
            if a not in self.g or b not in self.g or data["weight"] < self.f.min_weight:
                continue
            self.g.add_edge(
                a,
                b,
                kinds=sorted(data["kinds"]),
                weight=round(data["weight"], 6),
                count=data["count"],
                role=data["role"],
                last=data["last"],
            )
        for _, data in self.g.nodes(data=True):
            data.setdefault("last_engaged", "")
            data.setdefault("engagements", 0)


def _as_date(value: date | str) -> date:
    """SQLite hands back MAX() of a date column as text; PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
