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

from array import array
from collections import defaultdict
from collections.abc import Iterator
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
from vru_crm.graph.frame import TIE_KINDS, GraphFrame
from vru_crm.london import london_date, today_in_london

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

    Ints = NDArray[np.integer[Any]]
    Floats = NDArray[np.floating[Any]]

ORG, PERSON, NETWORK, BOROUGH = "org", "person", "network", "borough"
KIND_NAMES = {ORG: "organisation", PERSON: "person", NETWORK: "network", BOROUGH: "borough"}
ROLE_WEIGHT = {"chair": 2.0, "deputy": 1.5, "secretariat": 1.5}
# Ties that come from the engagement log (the rest come from memberships, jobs and meetings).
ENGAGEMENT_KINDS = frozenset({"co_engagement", "engaged_through", "met_with"})
# Every kind of tie is alphabetical in TIE_KINDS: bit i of a tie's mask is TIE_KINDS[i].
_KIND_CODE = {ORG: 0, PERSON: 1, NETWORK: 2, BOROUGH: 3}  # KINDS' order
PREFIXES_BY_CODE = (ORG, PERSON, NETWORK, BOROUGH)
_CHUNK = 100_000  # rows fetched at a time: millions of link rows never sit as Python tuples
_PAIRING = 250_000  # organisation links paired at a time (the pairs come out in the same order)
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
    frame = build_frame(database, filters)
    with no_cycle_collection():
        return frame.to_networkx()


def build_frame(database: Database, filters: GraphFilters | None = None) -> GraphFrame:
    """The same graph as columns (``GraphFrame``): a tenth of the memory, for the real size."""
    from vru_crm.graph.engine import return_freed_memory

    filters = filters or GraphFilters()
    return_freed_memory()
    try:
        with database.session() as session, no_cycle_collection():
            return _Builder(session, filters).run()
    finally:
        return_freed_memory()


class _Numbers:
    """Node number by entity id for one kind of node: an int32 array indexed by id (-1:
    none), not a dict of Python ints (ids are dense; a far-out id goes to a small dict)."""

    def __init__(self) -> None:
        self._table = array("i")
        self._far: dict[int, int] = {}
        self._count = 0

    def __setitem__(self, entity_id: int, number: int) -> None:
        if self.get(entity_id) is None:
            self._count += 1
        if 0 <= entity_id < len(self._table):
            self._table[entity_id] = number
        elif 0 <= entity_id < 2 * self._count + 1_000_000:
            grow = max(entity_id + 1, 2 * len(self._table)) - len(self._table)
            self._table.extend(array("i", [-1]) * grow)
            self._table[entity_id] = number
        else:
            self._far[entity_id] = number

    def get(self, entity_id: int) -> int | None:
        if 0 <= entity_id < len(self._table):
            number = self._table[entity_id]
            return number if number >= 0 else None
        return self._far.get(entity_id)

    def __getitem__(self, entity_id: int) -> int:
        number = self.get(entity_id)
        if number is None:
            raise KeyError(entity_id)
        return number

    def __len__(self) -> int:
        return self._count

    def values(self) -> list[int]:
        """The numbers in order of id (the order the builder numbered them: rows come by id)."""
        return [entity_id_number[1] for entity_id_number in self.items()]

    def items(self) -> list[tuple[int, int]]:
        near = [(i, n) for i, n in enumerate(self._table) if n >= 0]
        return sorted(near + list(self._far.items()))

    def table(self) -> Any:
        """Numbers by id as a fresh numpy array (as long as the largest id needs)."""
        import numpy as np

        table = np.frombuffer(self._table, np.int32).copy() if len(self._table) else None
        far = {i: n for i, n in self._far.items() if i >= 0}  # ids the tables can index
        if far:
            full = np.full(max(max(far) + 1, len(self._table)), -1, np.int32)
            if table is not None:
                full[: len(table)] = table
            for entity_id, number in far.items():
                full[entity_id] = number
            return full
        return table if table is not None else np.full(1, -1, np.int32)


@dataclass
class _Ties:
    """Ties gathered as columns (node numbers, kind bit, weight, day ordinal; 0 is no day)."""

    a: list[Ints]
    b: list[Ints]
    bits: list[Ints]
    weights: list[Floats]
    days: list[Ints]
    loose: list[tuple[int, int, int, float, int]] = field(default_factory=list)
    # ties made in the builder's loops (in order, and after every ``add``): loose rows
    # and whole blocks, so the weights of one pair are summed in the same order
    later: list[tuple[Ints, Ints, Ints, Floats, Ints]] = field(default_factory=list)

    def add(self, a: Ints, b: Ints, kind: str, weight: Floats | float, day: Ints | int = 0) -> None:
        import numpy as np

        n = len(a)
        if n == 0:
            return
        self.a.append(np.asarray(a, np.int32))
        self.b.append(np.asarray(b, np.int32))
        self.bits.append(np.full(n, _BIT[kind], np.int16))
        self.weights.append(np.broadcast_to(np.asarray(weight, np.float64), (n,)))
        self.days.append(np.broadcast_to(np.asarray(day, np.int32), (n,)))

    def one(self, a: int, b: int, kind: str, weight: float, day: int = 0) -> None:
        """One tie from a Python loop (memberships, meetings), made an array later."""
        self.loose.append((a, b, _BIT[kind], weight, day))

    def block(self, a: Ints, b: Ints, kind: str, weight: float) -> None:
        """Ties in the loops' order, as one block (a job per person: hundreds of thousands)."""
        import numpy as np

        self._flush_loose()
        n = len(a)
        self.later.append(
            (
                np.asarray(a, np.int32),
                np.asarray(b, np.int32),
                np.full(n, _BIT[kind], np.int16),
                np.full(n, weight, np.float64),
                np.zeros(n, np.int32),
            )
        )

    def _flush_loose(self) -> None:
        import numpy as np

        if self.loose:
            a, b, bits, weights, days = (list(c) for c in zip(*self.loose, strict=True))
            self.loose = []
            self.later.append(
                (
                    np.array(a, np.int32),
                    np.array(b, np.int32),
                    np.array(bits, np.int16),
                    np.array(weights, np.float64),
                    np.array(days, np.int32),
                )
            )

    def columns(self) -> tuple[Ints, Ints, Ints, Floats, Ints]:
        """The ties as five columns (concatenated once, then kept as one piece each)."""
        import numpy as np

        self._flush_loose()
        for a, b, bits, weights, days in self.later:
            self.a.append(a)
            self.b.append(b)
            self.bits.append(bits)
            self.weights.append(weights)
            self.days.append(days)
        self.later = []
        if not self.a:
            empty = np.zeros(0, np.int32)
            return empty, empty, empty.astype(np.int16), np.zeros(0), empty
        ca = np.concatenate(self.a)
        self.a = [ca]
        cb = np.concatenate(self.b)
        self.b = [cb]
        cbits = np.concatenate(self.bits)
        self.bits = [cbits]
        cweights = np.concatenate(self.weights)
        self.weights = [cweights]
        cdays = np.concatenate(self.days)
        self.days = [cdays]
        return ca, cb, cbits, cweights, cdays


class _Builder:
    """Reads plain rows, numbers the nodes, gathers ties as arrays, then makes the frame once."""

    def __init__(self, session: Session, filters: GraphFilters) -> None:
        self.s = session
        self.f = filters
        self.catalogue: dict[str, dict[str, Any]] = {}
        self.ties = _Ties([], [], [], [], [])
        # each tie's role, the first one met: node pairs and role codes (0 is none), in order
        self.role_pairs: list[tuple[Ints, Ints, Ints]] = []
        self.role_names: dict[str, int] = {"": 0}
        self._loose_roles: list[tuple[int, int, int]] = []
        # the nodes as columns, in the order they are numbered
        # (compact arrays, not lists of Python ints: a quarter of a million nodes at the real size)
        self.kinds = array("b")
        self.ids = array("q")
        self.labels: list[str] = []
        self.sectors: list[str] = []
        self._sector_names: dict[str, str] = {}  # one string per sector, shared by its nodes
        self.places: list[tuple[str, ...]] = []
        self.flags = array("b")
        self.extra: dict[int, Any] = {}
        self.number = {kind: _Numbers() for kind in (ORG, PERSON, NETWORK, BOROUGH)}
        self.present = bytearray()
        self.borough_codes: dict[int, str] = {}
        self.org_boroughs: dict[int, list[str]] = defaultdict(list)
        self._decay_cache: dict[int, float] = {}
        self._days: tuple[Ints, Ints, NDArray[np.bool_]] | None = None
        self._links: dict[str, Ints] = {}
        self._last: Ints | None = None  # per node number, from ``_dated``
        self._count: Ints | None = None

    def run(self) -> GraphFrame:
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
        return self._frame()

    def _rows(self, statement: Any) -> Any:
        """Plain row tuples (SQLAlchemy Core, iterable or ``fetchall()``), not ORM objects."""
        return self.s.connection().execute(statement).fetchall()

    # ---- nodes -------------------------------------------------------------
    def _node(
        self,
        kind: str,
        entity_id: int,
        label: str,
        sector: str = "",
        places: tuple[str, ...] = (),
        flag: bool = False,
        extra: Any = None,
    ) -> None:
        number = len(self.labels)
        self.number[kind][entity_id] = number
        self.kinds.append(_KIND_CODE[kind])
        self.ids.append(entity_id)
        self.labels.append(label)
        self.sectors.append(self._sector_names.setdefault(sector, sector))
        self.places.append(places)
        self.flags.append(1 if flag else 0)
        if kind in (NETWORK, BOROUGH):
            self.extra[number] = extra
        self.present.append(1)

    def _has(self, kind: str, entity_id: int | None) -> bool:
        if entity_id is None:
            return False
        number = self.number[kind].get(entity_id)
        return number is not None and self.present[number] != 0

    def _boroughs(self) -> None:
        catalogue = self.catalogue
        for bid, code, name, priority in self._rows(
            select(
                col(Borough.id), col(Borough.code), col(Borough.name), col(Borough.is_priority)
            ).order_by(col(Borough.id))
        ):
            self.borough_codes[bid] = code
            catalogue[code] = {"id": bid, "name": name, "is_priority": priority}
            if self.f.include_boroughs and (not self.f.boroughs or code in self.f.boroughs):
                self._node(BOROUGH, bid, name, flag=priority, extra=code)
        link = OrganisationBorough
        for org_id, borough_id in self._rows(
            select(col(link.organisation_id), col(link.borough_id)).order_by(
                col(link.organisation_id), col(link.borough_id)
            )
        ):
            self.org_boroughs[org_id].append(self.borough_codes[borough_id])

    def _organisations(self) -> set[int]:
        kept: set[int] = set()
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per set of boroughs
        o = Organisation
        for oid, name, sector, priority in self._rows(
            select(col(o.id), col(o.name), col(o.sector), col(o.is_priority)).order_by(col(o.id))
        ):
            codes = tuple(sorted(self.org_boroughs.get(oid, [])))
            if self.f.sectors and sector not in self.f.sectors:
                continue
            if self.f.boroughs and not self.f.boroughs.intersection(codes):
                continue
            kept.add(oid)
            self._node(ORG, oid, name, sector, shared.setdefault(codes, codes), priority)
        return kept

    def _networks(self) -> None:
        n = Network
        for nid, name, kind in self._rows(
            select(col(n.id), col(n.name), col(n.kind)).order_by(col(n.id))
        ):
            if self.f.network_ids and nid not in self.f.network_ids:
                continue
            self._node(NETWORK, nid, name, "network", extra=kind)

    def _stream(self, statement: Any) -> Any:
        """Plain row tuples one at a time (SQLAlchemy Core; the driver's cursor, not a list)."""
        return self.s.connection().execute(statement)

    def _role(self, role: str | None) -> int:
        return self.role_names.setdefault(role or "", len(self.role_names))

    def _affiliation_rows(self) -> tuple[Ints, Ints, Ints]:
        """(person, organisation, role code) of every affiliation in force in the window, by id."""
        import numpy as np

        a = Affiliation
        rows = self._stream(
            select(
                col(a.person_id),
                col(a.organisation_id),
                col(a.role),
                col(a.start_date),
                col(a.end_date),
            ).order_by(col(a.id))
        )
        people: list[int] = []
        orgs: list[int] = []
        roles: list[int] = []
        for p, o, role, start, end in rows:
            if self._overlaps(start, end):
                people.append(p)
                orgs.append(o)
                roles.append(self._role(role))
        return np.array(people, np.int64), np.array(orgs, np.int64), np.array(roles, np.int16)

    def _people(self, orgs: set[int], affiliations: tuple[Ints, Ints, Ints]) -> None:
        """People in the view: all, or under a sector/borough filter those tied to a kept place."""
        narrowed = bool(self.f.sectors or self.f.boroughs)
        linked: dict[int, set[int]] = defaultdict(set)
        if narrowed:
            for person_id, org_id in zip(
                affiliations[0].tolist(), affiliations[1].tolist(), strict=True
            ):
                linked[person_id].add(org_id)
        places: dict[str, tuple[str, ...]] = {c: (c,) for c in self.borough_codes.values()}
        p = Person
        for pid, name, borough_id, young in self._stream(
            select(col(p.id), col(p.full_name), col(p.borough_id), col(p.is_young_person)).order_by(
                col(p.id)
            )
        ):
            borough = self.borough_codes.get(borough_id or -1)
            if narrowed and not (
                linked[pid] & orgs or (self.f.boroughs and borough in self.f.boroughs)
            ):
                continue
            self._node(PERSON, pid, name, "person", places.get(borough or "", ()), young)

    def _keep_network_members(self) -> None:
        """Under a network filter, only the chosen networks and their members remain."""
        a, b, *_ = self.ties.columns()
        members = set(a.tolist()) | set(b.tolist())
        partners = (_KIND_CODE[ORG], _KIND_CODE[PERSON])
        for number, kind in enumerate(self.kinds):
            if kind in partners and number not in members:
                self.present[number] = 0

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

        if not len(ordinals):
            return np.zeros(0)
        low, high = int(ordinals.min()), int(ordinals.max())
        if high - low < 1_000_000:  # one weight per day of the range, looked up per tie
            table = np.array([self._decay(d) for d in range(low, high + 1)], np.float64)
            return table[ordinals - low]
        unique, inverse = np.unique(ordinals, return_inverse=True)
        table = np.array([self._decay(int(d)) for d in unique.tolist()], dtype=np.float64)
        return table[inverse.reshape(-1)]

    def _in_window(self, when: date) -> bool:
        return (self.f.start is None or when >= self.f.start) and (
            self.f.end is None or when <= self.f.end
        )

    # ---- ties --------------------------------------------------------------
    def _tie(self, a: int, b: int, kind: str, weight: float, day: int = 0, role: str = "") -> None:
        """One tie from a Python loop (memberships, jobs, meetings: thousands, not millions)."""
        self.ties.one(a, b, kind, weight, day)
        if role:
            self._loose_roles.append((a, b, self._role(role)))

    def _flush_roles(self) -> None:
        import numpy as np

        if self._loose_roles:
            a, b, code = (np.array(c, np.int64) for c in zip(*self._loose_roles, strict=True))
            self.role_pairs.append((a, b, code))
            self._loose_roles = []

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

    def _affiliations(self, affiliations: tuple[Ints, Ints, Ints]) -> None:
        """A job ties a person to an organisation (both in the graph), with the job's role."""
        import numpy as np

        people, orgs, roles = affiliations
        a, b = self._numbers(PERSON, people), self._numbers(ORG, orgs)
        both = (a >= 0) & (b >= 0)
        self.ties.block(a[both], b[both], "affiliation", 1.0)
        self._flush_roles()
        named = both & (roles > 0)
        self.role_pairs.append((a[named], b[named], roles[named].astype(np.int64)))

    def _numbers(self, kind: str, entity_ids: Ints) -> Ints:
        """Node numbers of entities of one kind (-1 for those not in the graph)."""
        import numpy as np

        lookup = self._lookup(kind)
        inside = (entity_ids >= 0) & (entity_ids < len(lookup))
        return np.where(inside, lookup[np.where(inside, entity_ids, 0)], -1).astype(np.int64)

    def _raw(self, sql: str) -> Iterator[list[tuple[Any, ...]]]:
        """Rows of a fixed statement straight from the driver, a chunk at a time: millions
        of link rows, so not even SQLAlchemy's row objects, and never all as Python tuples
        at once (the statement takes no parameters, only table names)."""
        cursor = self.s.connection().connection.cursor()
        try:
            cursor.execute(sql)
            while rows := cursor.fetchmany(_CHUNK):
                yield list(rows)
        finally:
            cursor.close()

    def _engagement_days(self) -> tuple[Ints, Ints, NDArray[np.bool_]]:
        """Ids (ascending) and day ordinals of every engagement, and which are in the window."""
        import numpy as np

        if self._days is None:
            id_parts, day_parts = [np.zeros(0, np.int32)], [np.zeros(0, np.int32)]
            sql = f"SELECT id, occurred_on FROM {Engagement.__tablename__} ORDER BY id"
            for rows in self._raw(sql):
                id_parts.append(np.array([r[0] for r in rows], np.int32))
                when = np.array([r[1] for r in rows], "datetime64[D]").astype(np.int32)
                day_parts.append(when + _EPOCH)
            ids, days = np.concatenate(id_parts), np.concatenate(day_parts)
            del id_parts, day_parts
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
            sql = f"SELECT engagement_id, {column} FROM {table} ORDER BY engagement_id, {column}"
            parts = [np.zeros((0, 2), np.int32)]
            parts += [np.array(rows, np.int32).reshape(-1, 2) for rows in self._raw(sql)]
            found = np.concatenate(parts)
            self._links[table] = found
        return found

    def _lookup(self, kind: str, present: bool = True) -> Ints:
        """Node number by entity id for one kind (-1: not in the graph)."""
        import numpy as np

        table: Ints = np.asarray(self.number[kind].table(), np.int32)
        if present:
            known = np.flatnonzero(table >= 0)
            gone = np.frombuffer(self.present, np.uint8)[table[known]] == 0
            table[known[gone]] = -1
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
            return np.zeros(0, np.int64), np.zeros(0, np.int32)
        where = np.minimum(np.searchsorted(ids, flat[:, 0]), len(ids) - 1).astype(np.int32)
        lookup = self._lookup(kind, present)
        entity = flat[:, 1]
        known = entity < len(lookup)
        node = np.where(known, lookup[np.where(known, entity, 0)], -1).astype(np.int32)
        del known
        keep = (node >= 0) & (ids[where] == flat[:, 0])
        if window:
            keep &= inside[where]
        return where[keep], node[keep]

    def _co_engagements(self) -> None:
        """Ties from the log: organisations met together, through a network, or with a person."""
        _, days, inside = self._engagement_days()
        eng, orgs = self._dated(EngagementOrganisation, "organisation_id", ORG)
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
            if kind == PERSON:
                other_eng, others = self._dated(table, column, kind)
            else:
                other_eng, others = self._linked(table, column, kind)
                self._links.pop(str(table.__tablename__), None)
            for start in range(0, len(eng), _PAIRING):  # a range of engagements at a time
                a, b, at = _cross(
                    eng[start : start + _PAIRING], orgs[start : start + _PAIRING], other_eng, others
                )
                when = days[at]
                del at
                self.ties.add(a, b, tie, self._decays(when), when)
                del a, b, when
            del other_eng, others
        if not self.f.include_boroughs:
            self._links.clear()

    def _dated(self, link: Any, column: str, kind: str) -> tuple[Ints, Ints]:
        """``_linked`` in the window, noting on the way each partner's last engagement up to
        the view's end and its count in the window (read once, not kept for the frame)."""
        import numpy as np

        _, days, inside = self._engagement_days()
        if self._last is None or self._count is None:
            self._last = np.zeros(len(self.labels), np.int64)
            self._count = np.zeros(len(self.labels), np.int64)
        eng, node = self._linked(link, column, kind, window=False)
        if kind == PERSON or not self.f.include_boroughs:  # the borough ties read them again
            self._links.pop(str(link.__tablename__), None)
        if self.number[kind]:
            end = (self.f.end or self.f.reference_day).toordinal()
            when = days[eng]
            early = when <= end
            np.maximum.at(self._last, node[early], when[early])
            del when, early
            self._count += np.bincount(node[inside[eng]], minlength=len(self.labels))
        keep = inside[eng]
        return eng[keep], node[keep]

    def _borough_edges(self) -> None:
        import numpy as np

        code_to_id = {code: bid for bid, code in self.borough_codes.items()}
        for number in self.number[ORG].values():
            if not self.present[number]:
                continue
            for code in self.places[number]:
                if self._has(BOROUGH, code_to_id[code]):
                    self._tie(number, self.number[BOROUGH][code_to_id[code]], "based_in", 1.0)
        _, days, _ = self._engagement_days()
        eng, orgs = self._linked(EngagementOrganisation, "organisation_id", ORG)
        borough_eng, boroughs = self._linked(EngagementBorough, "borough_id", BOROUGH)
        a, b, at = _cross(eng, orgs, borough_eng, boroughs)
        self.ties.add(a, b, "engaged_in", self._decays(days[at]), np.asarray(days[at]))

    # ---- the frame ---------------------------------------------------------
    def _frame(self) -> GraphFrame:
        """Nodes in their order, then one tie per pair, each with its merged kinds and weight."""
        import numpy as np

        kept = np.flatnonzero(np.frombuffer(self.present, np.uint8)).astype(np.int64)
        last, count = self._engagement_dates()
        self._links.clear()
        self._days = None
        kinds = np.frombuffer(self.kinds, np.int8)[kept]
        ids = np.frombuffer(self.ids, np.int64)[kept]
        prefixes = [PREFIXES_BY_CODE[k] for k in kinds.tolist()]
        keys = [f"{p}:{e}" for p, e in zip(prefixes, ids.tolist(), strict=True)]
        by_key = np.array(sorted(range(len(kept)), key=keys.__getitem__), np.int64)
        del keys, prefixes
        rank_of = np.zeros(len(kept), np.int64)  # position in the graph -> place in key order
        rank_of[by_key] = np.arange(len(kept))
        rank = np.full(len(self.labels), -1, np.int32)  # builder number -> place in key order
        rank[kept] = rank_of
        lo, hi, summed, counts, masks, lasts = self._merged(rank, len(kept))
        pa, pb = by_key[lo], by_key[hi]  # ends as positions in the graph
        a, b = np.minimum(pa, pb), np.maximum(pa, pb)
        order = np.lexsort((rank_of[b], a))  # as NetworkX walks its adjacency
        role_names, role_codes = self._role_codes(rank, lo * max(len(kept), 1) + hi)
        keep = kept.tolist()
        return GraphFrame(
            name="VRU partnership",
            as_of=self.f.reference_day.isoformat(),
            boroughs=self.catalogue,
            kinds=kinds,
            entity_ids=ids,
            labels=[self.labels[i] for i in keep],
            sectors=[self.sectors[i] for i in keep],
            places=[self.places[i] for i in keep],
            flags=np.frombuffer(self.flags, np.int8)[kept].astype(bool),
            extra={j: self.extra[i] for j, i in enumerate(keep) if i in self.extra},
            last_engaged=last[kept].astype(np.int32),
            engagements=count[kept].astype(np.int32),
            rank=rank_of,
            a=a[order].astype(np.int32),
            b=b[order].astype(np.int32),
            weights=np.array([round(w, 6) for w in summed.tolist()], np.float64)[order],
            counts=counts[order].astype(np.int32),
            masks=masks[order].astype(np.int16),
            lasts=lasts[order].astype(np.int32),
            role_codes=role_codes[order],
            roles=role_names,
        )

    def _merged(self, rank: Ints, n: int) -> tuple[Ints, Ints, Floats, Ints, Ints, Ints]:
        """One row per pair (ends as places in key order, lower first, pairs in that order):
        the summed weight, the count, the kinds' mask and the latest day, light pairs left out."""
        import numpy as np

        a, b, bits, weights, days = self.ties.columns()
        self.ties = _Ties([], [], [], [], [])
        ra, rb = rank[a], rank[b]
        del a, b  # rank is one-to-one on the kept nodes: equal places are a loop
        ok = (ra >= 0) & (rb >= 0) & (ra != rb)
        code = np.minimum(ra, rb).astype(np.int64)  # (int64: the pair codes pass 2**31)
        np.maximum(ra, rb, out=rb)
        del ra
        code *= max(n, 1)
        code += rb
        del rb
        every = bool(ok.all())
        if not every:
            code = code[ok]
        order = np.argsort(code, kind="stable")
        code = code[order]
        if not len(code):
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0), empty, empty, empty
        kept: Any = None if every else ok
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
        summed = np.add.reduceat(_picked(weights, kept, order), starts)
        del weights
        counts = np.diff(np.r_[starts, len(code)])
        masks = np.bitwise_or.reduceat(_picked(bits, kept, order), starts)
        del bits
        lasts = np.maximum.reduceat(_picked(days, kept, order), starts)
        del days, order, ok, kept
        heavy = summed >= self.f.min_weight
        pairs = code[starts][heavy]
        return (
            pairs // max(n, 1),
            pairs % max(n, 1),
            summed[heavy],
            counts[heavy],
            masks[heavy],
            lasts[heavy],
        )

    def _role_codes(self, rank: Ints, pairs: Ints) -> tuple[list[str], NDArray[np.int16]]:
        """Each tie's role (a membership's or a job's, the first one met), as an index into
        the list of role names; ``pairs`` are the ties' codes, ascending."""
        import numpy as np

        self._flush_roles()
        codes = np.zeros(len(pairs), np.int16)
        names = list(self.role_names)
        if not self.role_pairs or not len(pairs):
            return names, codes
        n = max(int(np.count_nonzero(rank >= 0)), 1)
        x = np.concatenate([a for a, _, _ in self.role_pairs])
        y = np.concatenate([b for _, b, _ in self.role_pairs])
        role = np.concatenate([c for _, _, c in self.role_pairs])
        rx, ry = rank[x].astype(np.int64), rank[y].astype(np.int64)
        known = (rx >= 0) & (ry >= 0)
        pair = (np.minimum(rx, ry) * n + np.maximum(rx, ry))[known]
        pair, first = np.unique(pair, return_index=True)  # the first role met for each pair
        at = np.minimum(np.searchsorted(pairs, pair), len(pairs) - 1)
        found = pairs[at] == pair
        codes[at[found]] = role[known][first][found]
        return names, codes

    def _engagement_dates(self) -> tuple[Ints, Ints]:
        """Each partner's last engagement up to the view's end, and its count in the window,
        noted by ``_dated`` from the link rows already read (a GROUP BY join cost seconds)."""
        import numpy as np

        last, count = self._last, self._count
        if last is None or count is None:
            return np.zeros(len(self.labels), np.int64), np.zeros(len(self.labels), np.int64)
        self._last = self._count = None
        return last, count


def _picked(column: Any, kept: Any, order: Any) -> Any:
    """A tie column's rows that are kept (``None``: all), in ``order``."""
    return (column if kept is None else column[kept])[order]


def _cross(eng: Ints, orgs: Ints, other_eng: Ints, others: Ints) -> tuple[Ints, Ints, Ints]:
    """Every (organisation, other) pair met in the same engagement, with its engagement.

    Both sides are ordered by engagement, so each organisation row's partners
    are one contiguous run of the other side, found by binary search.
    """
    import numpy as np

    first = np.searchsorted(other_eng, eng, "left").astype(np.int32)
    counts = (np.searchsorted(other_eng, eng, "right") - first).astype(np.int32)
    row = np.repeat(np.arange(len(eng), dtype=np.int32), counts)
    match = np.repeat(first - (np.cumsum(counts, dtype=np.int64) - counts), counts)
    del first, counts
    match += np.arange(len(match), dtype=match.dtype)  # each run's partners, one after another
    return orgs[row], others[match], eng[row]


def _as_date(value: date | str) -> date:
    """SQLite hands back MAX() of a date column as text; PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
