"""Search as you type over organisations, people, networks and meetings.

Organisations, people and networks come before meetings (which are many and
often named after their network), each group best match first.

Prefix and accent-insensitive: "mopa" finds MOPAC, "hackn" finds Hackney CVS,
"Ofsted" finds the PRG meeting whose agenda discussed it. A single token of 2
to 6 letters also finds organisations and networks by their initials ("prg"
finds the Partnership Reference Group; ``acronyms.py``), and those come first:
an exact acronym is a strong signal. When nothing matches,
each word is compared with the index's own vocabulary, so "hakney" still finds
Hackney; such hits are marked ``fuzzy``. The comparison is difflib's ratio
(2·matches / total length) computed by rapidfuzz in C: on SQLite the slowest
keystroke, a word that matches nothing, took 150 ms with difflib itself.

The index is built and kept in step by ``db/search_index.py`` (migration 0003).
On PostgreSQL with pg_trgm (migration 0008) trigram indexes serve the word
starts, and the vocabulary a typo is compared with is only the words of names
that are trigram-similar to it, found by the same indexes: 60,000 partners,
a keystroke's index query under 1 ms instead of 15 ms, a typo's vocabulary
about 5 ms instead of 200 ms. Without pg_trgm the table is scanned as before.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from rapidfuzz import process
from rapidfuzz.distance import Indel
from sqlalchemy.engine import Connection, Engine

from db import search_index
from db.session import Database
from vru_crm.london import LONDON, today_in_london
from vru_crm.queries import acronyms
from vru_crm.queries import tables as t
from vru_crm.queries.common import joined, sorted_list
from vru_crm.queries.networks import NETWORK_KIND_LABELS
from vru_crm.queries.words import ACCENTED as ACCENTED
from vru_crm.queries.words import PLAIN as PLAIN
from vru_crm.queries.words import normalise_words

KIND_NAMES = {1: "organisation", 2: "person", 3: "network", 4: "meeting", 5: "agenda_item"}
KIND_ORDER = {"organisation": 0, "person": 1, "network": 2, "meeting": 3}
FUZZY_CUTOFF = 0.75
# How alike (pg_trgm word_similarity) a name must be to a typed word for its
# words to be scored (``_close_words``). Measured on the 500k bench data, 200 random
# one-letter typos: the word meant was among the alternatives for 117 at 0.3,
# 110 at 0.4, 92 at 0.5 (127 scanning every name), in 4.5, 3.3 and 2.4 ms.
TRIGRAM_THRESHOLD = 0.3
# At most this many organisations and networks found by their initials come
# first, so that a word being typed ("ha" on the way to "hackney") still shows
# the names starting with it.
ACRONYM_HITS = 4
# First letters tried before a typed word's second one (a mistyped first letter): the
# index's words are lower case, accent-free letters and digits.
VOCABULARY_FIRSTS = "abcdefghijklmnopqrstuvwxyz0123456789"
# At most this many names that match are ranked (SQLite; ``_SqliteIndex.find``)
RANKED = 1_000


@dataclass(frozen=True)
class Hit:
    kind: str  # "organisation", "person", "network" or "meeting"
    id: int
    label: str
    detail: str
    fuzzy: bool = False


def search(database: Database, text: str, limit: int = 20) -> list[Hit]:
    """Records whose words start with every word typed, best first; fuzzy matches if none."""
    words = normalise_words(text)
    if not words:
        return []
    with database.engine.connect() as conn:
        finder = _finder(database.engine, conn)
        initialled = (
            acronyms.lookup(database.engine, conn, words[0], min(ACRONYM_HITS, limit))
            if acronyms.is_acronym_like(words)
            else []
        )
        keys = initialled + finder.find([[w] for w in words], limit)
        fuzzy = False
        if not keys:
            alternatives = [_close_words(w, finder) for w in words]
            if all(alternatives):
                keys, fuzzy = finder.find(alternatives, limit), True
        hits = _dress(conn, _to_records(conn, keys), limit)
    return [replace(h, fuzzy=True) for h in hits] if fuzzy else hits


def vocabulary_starts(word: str) -> list[str]:
    """Starts of the index words a typo of ``word`` (3 letters or more) may stand for.

    The first two letters right; the second mistyped, missing, or swapped with
    the third; the first mistyped. One typo among the first three letters.
    """
    first, second, third = word[0], word[1], word[2]
    starts = {word[:2], first + third + second}
    for other in VOCABULARY_FIRSTS:
        starts |= {first + other + third, first + other + second, other + second + third}
    return sorted(starts)


def _close_words(word: str, finder: _Index) -> list[str]:
    """Index words that ``word`` may be a mistyped start of (at most three)."""
    if len(word) < 3:
        return [word]
    candidates = finder.vocabulary(word)
    heads = [term[: len(word)] for term in candidates]
    best: dict[int, float] = {}
    for choices in (candidates, heads):  # the whole word, or the start typed so far
        for _, score, index in process.extract(
            word, choices, scorer=Indel.normalized_similarity, score_cutoff=FUZZY_CUTOFF, limit=None
        ):
            best[index] = max(best.get(index, 0.0), score)
    scored = sorted(((score, candidates[i]) for i, score in best.items()), reverse=True)
    return [term for _, term in scored[:3]]


_TRIGRAMS: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def _finder(engine: Engine, conn: Connection) -> _Index:
    """The backend's index; whether PostgreSQL has trigram indexes is asked once per engine."""
    if conn.dialect.name == "sqlite":
        return _SqliteIndex(conn)
    if engine not in _TRIGRAMS:
        _TRIGRAMS[engine] = search_index.trigram_indexed(conn)
    return _PostgresIndex(conn, trigram=_TRIGRAMS[engine])


class _Index:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, alternatives: list[list[str]], limit: int) -> list[tuple[int, int]]:
        """(kind code, id) of rows matching, for each position, one of its alternatives."""
        raise NotImplementedError

    def vocabulary(self, word: str) -> list[str]:
        raise NotImplementedError


class _SqliteIndex(_Index):
    def find(self, alternatives: list[list[str]], limit: int) -> list[tuple[int, int]]:
        """Best first: records before meetings, then by bm25 (a match in the name counts ten times).

        Ranking every match cost 60 ms for "a" at 250,000 partners (100,000
        rows hold a word starting with it), so the names that match are
        ranked first, at most ``RANKED`` of them (the latest added, which FTS5
        reads straight off its index in rowid order). Only when fewer than a
        page of names match is every match ranked, and then they are few.
        """
        groups = ["(" + " OR ".join(f'"{w}"*' for w in group) + ")" for group in alternatives]
        query = " AND ".join(groups)
        names = self._keys(
            "SELECT rowid FROM (SELECT rowid, bm25(search_fts, 10.0, 1.0) AS rank FROM search_fts "
            "WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT :most) "
            "ORDER BY rowid % 8 >= 4, rank, rowid DESC LIMIT :n",
            {"q": f"name : ({query})", "n": limit * 3, "most": RANKED},
        )
        if len(names) == limit * 3:
            return names
        return self._keys(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH :q "
            "ORDER BY rowid % 8 >= 4, bm25(search_fts, 10.0, 1.0), rowid DESC LIMIT :n",
            {"q": query, "n": limit * 3},
        )

    def _keys(self, statement: str, params: dict[str, object]) -> list[tuple[int, int]]:
        rows = self.conn.execute(sa.text(statement), params)
        return [(rowid % 8, rowid // 8) for (rowid,) in rows]

    def vocabulary(self, word: str) -> list[str]:
        """Index words whose first three letters are the word's with at most one typo.

        Read as ranges of the vocabulary's sorted terms (``fts5vocab`` seeks to
        a range; ``vocabulary_starts``): a few thousand words at most, never the
        whole vocabulary, which the fallback read and filtered before (60 ms
        at 250,000 partners; their e-mail addresses are words too).
        """
        terms = _vocabulary(self.conn)
        low = max(2, len(word) - 2)
        found: dict[str, None] = {}
        for start in vocabulary_starts(word):
            at = bisect_left(terms, start)
            while at < len(terms) and terms[at].startswith(start):
                if len(terms[at]) >= low:
                    found.setdefault(terms[at])
                at += 1
        return list(found)


_VOCABULARIES: WeakKeyDictionary[Engine, tuple[bytes, list[str]]] = WeakKeyDictionary()
_VOCABULARY_LOCK = threading.Lock()


def _vocabulary(conn: Connection) -> list[str]:
    """The SQLite index's words, sorted; read again only when the index has changed.

    Kept per engine and checked against the index's structure record
    (``search_index.sqlite_index_cookie``), one row read by its key: reading
    the vocabulary itself takes 50 ms at 250,000 partners.
    """
    cookie = search_index.sqlite_index_cookie(conn) or b""
    key = conn.engine
    known = _VOCABULARIES.get(key)
    if known is not None and known[0] == cookie:
        return known[1]
    with _VOCABULARY_LOCK:
        conn.execute(
            sa.text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab "
                "USING fts5vocab(main, search_fts, 'row')"
            )
        )
        terms = sorted(conn.execute(sa.text("SELECT term FROM temp.search_vocab")).scalars())
        _VOCABULARIES[key] = (cookie, terms)
    return terms


class _PostgresIndex(_Index):
    """``LIKE '% word%'`` over the index table's words; trigram-indexed where pg_trgm is."""

    def __init__(self, conn: Connection, trigram: bool) -> None:
        super().__init__(conn)
        self.trigram = trigram

    def find(self, alternatives: list[list[str]], limit: int) -> list[tuple[int, int]]:
        """Best first: records before meetings, then names matching every word, shortest first.

        The records whose names match every word (the first alternative of
        each) come first of all, so they are asked for alone before the full
        statement: "you" matches 1,300 names but 12,000 rows with the other
        words (agenda items, e-mail addresses), and ranking those took 7 ms of
        the 8. When there are enough of them the answer is the same.
        """
        params: dict[str, object] = {"n": limit * 3}
        where, rank, names = [], [], []
        for i, group in enumerate(alternatives):
            options = []
            for j, word in enumerate(group):
                key = f"p{i}_{j}"
                params[key] = f"% {word}%"
                options.append(f"name_words LIKE :{key} OR other_words LIKE :{key}")
            where.append("(" + " OR ".join(options) + ")")
            names.append(f"name_words LIKE :p{i}_0")
            rank.append(f"CASE WHEN name_words LIKE :p{i}_0 THEN 0 ELSE 1 END")
        best = self._keys(
            f"SELECT kind, ref_id FROM search_index WHERE kind < 4 AND {' AND '.join(names)} "
            "ORDER BY length(name_words), rowkey DESC LIMIT :n",
            params,
        )
        if len(best) == params["n"]:
            return best
        return self._keys(
            f"SELECT kind, ref_id FROM search_index WHERE {' AND '.join(where)} "
            f"ORDER BY kind >= 4, {' + '.join(rank)}, length(name_words), rowkey DESC LIMIT :n",
            params,
        )

    def _keys(self, statement: str, params: dict[str, object]) -> list[tuple[int, int]]:
        return [(kind, ref_id) for kind, ref_id in self.conn.execute(sa.text(statement), params)]

    def vocabulary(self, word: str) -> list[str]:
        names = "search_index"  # names: what people misspell
        params = {"lo": max(2, len(word) - 2), "a": word[0], "b": word[1], "w": word}
        if self.trigram:
            self.conn.execute(
                sa.text("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true)"),
                {"t": str(TRIGRAM_THRESHOLD)},
            )
            names = "(SELECT name_words FROM search_index WHERE :w <% name_words) AS near"
        rows = self.conn.execute(
            sa.text(
                f"SELECT DISTINCT w FROM {names}, regexp_split_to_table(btrim(name_words), ' +') AS w "
                "WHERE length(w) >= :lo AND (left(w, 1) = :a OR substr(w, 2, 1) = :b)"
            ),
            params,
        )
        return [r[0] for r in rows]


def _to_records(conn: Connection, keys: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Index rows to records: an agenda item stands for its meeting. Order kept, duplicates dropped."""
    items = [ref for code, ref in keys if code == 5]
    meeting_of = {}
    if items:
        ai = t.agenda_item.c
        meeting_of = dict(
            conn.execute(sa.select(ai.id, ai.meeting_id).where(ai.id.in_(items))).all()
        )
    seen: dict[tuple[str, int], None] = {}
    for code, ref in keys:
        record = (
            ("meeting", meeting_of[ref])
            if code == 5 and ref in meeting_of
            else (KIND_NAMES.get(code, ""), ref)
        )
        if record[0] in KIND_ORDER:
            seen.setdefault(record)
    return list(seen)


def _dress(conn: Connection, records: list[tuple[str, int]], limit: int) -> list[Hit]:
    by_kind: dict[str, list[int]] = {}
    for kind, ref in records:
        by_kind.setdefault(kind, []).append(ref)
    labels: dict[tuple[str, int], tuple[str, str]] = {}
    for kind, ids in by_kind.items():
        for ref, label, detail in _LABELLERS[kind](conn, ids):
            labels[(kind, ref)] = (label, detail)
    hits = [Hit(kind, ref, *labels[(kind, ref)]) for kind, ref in records if (kind, ref) in labels]
    return hits[:limit]


def _organisations(conn: Connection, ids: list[int]) -> Iterable[tuple[int, str, str]]:
    o, s, ob, b = t.organisation.c, t.sector.c, t.organisation_borough.c, t.borough.c
    boroughs: dict[int, str] = dict(
        conn.execute(
            sa.select(ob.organisation_id, joined(b.name))
            .select_from(t.organisation_borough.join(t.borough, b.id == ob.borough_id))
            .where(ob.organisation_id.in_(ids))
            .group_by(ob.organisation_id)
        ).all()
    )
    rows = conn.execute(
        sa.select(o.id, o.name, s.label)
        .select_from(t.organisation.join(t.sector, s.code == o.sector))
        .where(o.id.in_(ids))
    )
    for r in rows:
        where = sorted_list(boroughs.get(r.id))
        yield r.id, r.name, r.label + (f" · {where}" if where else "")


def _people(conn: Connection, ids: list[int]) -> Iterable[tuple[int, str, str]]:
    p, a, o = t.person.c, t.affiliation.c, t.organisation.c
    orgs: dict[int, str] = dict(
        conn.execute(
            sa.select(a.person_id, joined(o.name))
            .select_from(t.affiliation.join(t.organisation, o.id == a.organisation_id))
            .where(
                a.person_id.in_(ids), sa.or_(a.end_date.is_(None), a.end_date >= today_in_london())
            )
            .group_by(a.person_id)
        ).all()
    )
    for r in conn.execute(sa.select(p.id, p.full_name, p.job_title).where(p.id.in_(ids))):
        job = r.job_title or ""
        where = [
            name for name in sorted_list(orgs.get(r.id)).split(", ") if name and name not in job
        ]
        parts = [x for x in (job, ", ".join(where)) if x]
        yield r.id, r.full_name, ", ".join(parts) or "Person"


def _networks(conn: Connection, ids: list[int]) -> Iterable[tuple[int, str, str]]:
    n = t.network.c
    for r in conn.execute(sa.select(n.id, n.name, n.kind, n.short_name).where(n.id.in_(ids))):
        short = r.short_name or ""
        label = (
            f"{r.name} ({short})" if short and short.casefold() not in r.name.casefold() else r.name
        )
        yield r.id, label, NETWORK_KIND_LABELS.get(r.kind, r.kind)


def _meetings(conn: Connection, ids: list[int]) -> Iterable[tuple[int, str, str]]:
    mt, n = t.meeting.c, t.network.c
    rows = conn.execute(
        sa.select(mt.id, mt.title, mt.starts_at, n.name)
        .select_from(t.meeting.outerjoin(t.network, n.id == mt.network_id))
        .where(mt.id.in_(ids))
    )
    for r in rows:
        when = _day(r.starts_at)
        yield r.id, r.title, f"Meeting, {when}" + (f" · {r.name}" if r.name else "")


def _day(value: datetime) -> str:
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%b %Y}"


_LABELLERS = {
    "organisation": _organisations,
    "person": _people,
    "network": _networks,
    "meeting": _meetings,
}
