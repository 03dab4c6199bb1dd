"""Organisations and networks found by the initials of their names ("prg").

People at the VRU say "PRG" for the Partnership Reference Group; the search
index holds words, so the network itself was never found by its initials.
``initials`` gives every acronym a user may type for a name, and ``lookup``
answers from a map initials → records, kept per engine.

Initials are the first letter of each word (accents removed, lower case):

- a bracketed part is left out: "Young People's Action Group (YPAG)" gives
  "ypag" (the bracket's own word is in the index already);
- an apostrophe does not split a word ("Mayor's" is one word), any other
  punctuation does ("Anti-Knife" is two, "&" is none);
- a word starting with a digit is left out ("Forum 2024", "(2)");
- small words ("of", "and", "the", "for", "in", "on", "at", "to", "a", "an")
  may be skipped or kept, each on its own, because real acronyms do both:
  "London Borough of Hackney" gives "lbh" and "lboh", and "Mayor's Office for
  Policing And Crime" gives "mopc", "mofpc", "mopac" (its real one) and
  "mofpac". Initials with every small word skipped rank first. A name with
  more than four small words gives only "all skipped" and "all kept".

A name whose initials are one letter (one word) is never found this way: the
typed token is 2 to 6 letters.

The map is built once per database and checked on each lookup against a
fingerprint of the two tables (row count, largest id, latest ``updated_at``,
sum of ``version`` and of name lengths): any insert, delete or edit through
the app (which bumps ``version``) rebuilds it, and so does an edit in plain SQL
that changes a name's length. On the 500k bench data (10,000 organisations,
54 networks) the fingerprint takes about 1.2 ms on SQLite and 1.1 ms on
PostgreSQL, and the search-as-you-type keystroke went from 6.1 to 7.7 ms
(SQLite) and 3.0 to 4.6 ms (PostgreSQL). A rebuild reads the names again but
reuses the initials of the names it knew: about 25 ms after a change, 60-70 ms
the first time.
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from db import search_index

SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "a", "an"})
MIN_LETTERS, MAX_LETTERS = 2, 6
MAX_SMALL_WORDS = 4  # beyond that, only "all skipped" and "all kept" (2**n variants otherwise)
# kind codes of the search index (db/search_index.KINDS)
TABLES = {1: "organisation", 3: "network"}
# Networks first when initials are shared: there are few networks and people
# name them by their initials far more often than one of thousands of partners.
KIND_RANK = {3: 0, 1: 1}

_ACCENT_TABLE = str.maketrans(search_index.ACCENTED, search_index.PLAIN)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NO_APOSTROPHES = str.maketrans("", "", "'’‘`")
_SPLIT = re.compile(r"[\W_]+")


def _plain(text: str) -> str:
    """Lower case without accents, as the search index and ``search.normalise_words`` do."""
    text = text.translate(_ACCENT_TABLE)
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return text.lower()


def initials(name: str) -> list[str]:
    """Every acronym a user may type for ``name``, the one without small words first."""
    plain = _plain(name).translate(_NO_APOSTROPHES)
    if "(" in plain or "[" in plain:
        plain = _BRACKETS.sub(" ", plain)
    words = [w for w in _SPLIT.split(plain) if w and w[0].isalpha()]
    if len(words) < 2:
        return []
    small = [i for i, w in enumerate(words) if w in SMALL_WORDS]
    if not small:
        letters = "".join(w[0] for w in words)
        return [letters] if len(letters) <= MAX_LETTERS else []
    if len(small) > MAX_SMALL_WORDS:
        kept_sets: list[tuple[int, ...]] = [(), tuple(small)]
    else:
        kept_sets = [c for n in range(len(small) + 1) for c in itertools.combinations(small, n)]
    found: dict[str, None] = {}
    for kept in kept_sets:
        letters = "".join(w[0] for i, w in enumerate(words) if i not in small or i in kept)
        if MIN_LETTERS <= len(letters) <= MAX_LETTERS:
            found.setdefault(letters)
    return list(found)


def is_acronym_like(words: list[str]) -> bool:
    """A single typed token of 2 to 6 plain letters (``words`` as search normalised them)."""
    return (
        len(words) == 1
        and MIN_LETTERS <= len(words[0]) <= MAX_LETTERS
        and words[0].isascii()
        and words[0].isalpha()
    )


@dataclass(frozen=True)
class _Map:
    fingerprint: tuple[tuple[object, ...], ...]
    keys: dict[str, list[tuple[int, int]]]  # initials -> (kind code, id), best first
    of_name: dict[str, list[str]]  # name -> its initials, reused by the next rebuild
    cookie: bytes | None = None  # the SQLite search index's structure record when last checked


_MAPS: WeakKeyDictionary[Engine, _Map] = WeakKeyDictionary()
_BUILDING = threading.Lock()


def lookup(engine: Engine, conn: Connection, token: str, limit: int) -> list[tuple[int, int]]:
    """(kind code, id) of organisations and networks whose initials are ``token``, best first.

    On SQLite the search index's structure record (rewritten by every change
    to the names it holds, which are the names initials come from) says in one
    key look-up that nothing changed; the fingerprint, a pass over every
    organisation (11 ms at 50,000), is taken only when it did.
    """
    cookie = search_index.sqlite_index_cookie(conn)
    known = _MAPS.get(engine)
    if known is not None and cookie is not None and known.cookie == cookie:
        return known.keys.get(token, [])[:limit]
    current = _fingerprint(conn)
    if known is None or known.fingerprint != current:
        with _BUILDING:  # one rebuild at a time; another thread may have done it meanwhile
            known = _MAPS.get(engine)
            if known is None or known.fingerprint != current:
                known = _build(conn, current, known.of_name if known else {})
    known = _MAPS[engine] = replace(known, cookie=cookie)
    return known.keys.get(token, [])[:limit]


# A network's stored short name ("YPAG") is a key of its own, ahead of any initials.
SHORT_NAMES = {3: "short_name"}


def _fingerprint(conn: Connection) -> tuple[tuple[object, ...], ...]:
    statement = " UNION ALL ".join(
        f"SELECT {code}, count(*), max(id), max(updated_at), sum(version), sum(length(name)), "
        f"{_short_sum(code)} FROM {table}"
        for code, table in TABLES.items()
    )
    return tuple(tuple(row) for row in conn.execute(sa.text(statement)))


def _short_sum(code: int) -> str:
    column = SHORT_NAMES.get(code)
    return f"sum(length({column}))" if column else "0"


def short_key(short_name: str | None) -> str:
    """The token a short name is typed as: "Y.P.A.G." and "ypag" are both "ypag"."""
    return "".join(ch for ch in _plain(short_name or "") if ch.isalnum())


def _build(
    conn: Connection, fingerprint: tuple[tuple[object, ...], ...], known: dict[str, list[str]]
) -> _Map:
    """Read after the fingerprint: a change in between only makes the next lookup rebuild."""
    ranked: dict[str, list[tuple[tuple[int, int, int, int], tuple[int, int]]]] = {}
    of_name: dict[str, list[str]] = {}
    for code, table in TABLES.items():
        short = SHORT_NAMES.get(code)
        columns = f"id, name, {short}" if short else "id, name, NULL"
        for ref, name, short_name in conn.execute(sa.text(f"SELECT {columns} FROM {table}")):
            if key := short_key(short_name):
                ranked.setdefault(key, []).append(((-1, KIND_RANK[code], 0, ref), (code, ref)))
            name = name or ""
            found = of_name.get(name)
            if found is None:
                found = of_name[name] = known[name] if name in known else initials(name)
            for variant, letters in enumerate(found):
                rank = (min(variant, 1), KIND_RANK[code], len(name), ref)
                ranked.setdefault(letters, []).append((rank, (code, ref)))
    keys = {letters: [key for _, key in sorted(hits)] for letters, hits in ranked.items()}
    return _Map(fingerprint, keys, of_name)
