"""Names pasted into "Add members" (or typed after ``--person``), matched to records.

A list pasted from an e-mail says "Dr Ana Lopez; Hackney CVS", not ids. Each name is
matched as the imports match: the same name ignoring case, accents and punctuation
(``normalise_name``), else a near-identical one (``similar_names``, the duplicate
check of the imports); people first, then organisations. What is not close enough
comes back with the closest names as alternatives, for the user to choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlmodel import col, select

from db.models import Organisation, Person
from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.validation import normalise_name, similar_names

SUGGESTION_CUTOFF = 70
ALTERNATIVES = 4
_BULLETS = re.compile(r"^[\s,*\u2022-]+|[\s,*\u2022-]+$")  # "• Ana", "- Ana,"
_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "cllr", "councillor", "sir"}


@dataclass(frozen=True)
class NameMatch:
    typed: str
    kind: str | None  # "person" / "organisation" of the best match, None if nothing close
    record_id: int | None
    name: str | None  # the matched record's name
    alternatives: tuple[tuple[str, int, str], ...]  # other close (kind, id, name)
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "typed": self.typed,
            "kind": self.kind,
            "id": self.record_id,
            "name": self.name,
            "exact": self.exact,
            "alternatives": [{"kind": k, "id": i, "name": n} for k, i, n in self.alternatives],
        }


class _Names:
    """Every person's and organisation's name, normalised once for a batch of look-ups."""

    def __init__(self, database: Database, kinds: tuple[str, ...] = ("person", "organisation")):
        self.entries: list[tuple[str, int, str, str]] = []  # (kind, id, name, key)
        with database.session() as s:
            if "person" in kinds:
                for pid, name in s.exec(select(col(Person.id), col(Person.full_name))):
                    if pid is not None:  # a primary key read back never is None
                        self.entries.append(("person", pid, name, _key(name)))
            if "organisation" in kinds:
                for oid, name in s.exec(select(col(Organisation.id), col(Organisation.name))):
                    if oid is not None:
                        self.entries.append(("organisation", oid, name, _key(name)))
        self.keys = [entry[3] for entry in self.entries]

    def match(self, typed: str) -> NameMatch:
        key = _key(typed)
        if not key:
            return NameMatch(typed, None, None, None, (), False)
        exact = [e for e in self.entries if e[3] == key]
        close = [
            self.entries[index]
            for _, score, index in process.extract(
                key, self.keys, scorer=fuzz.WRatio, score_cutoff=SUGGESTION_CUTOFF, limit=12
            )
        ]
        # The import's duplicate check decides what counts as the same name.
        near = [e for e in close if e not in exact and similar_names(key, e[3])]
        ranked = _people_first(exact) + _people_first(near)
        suggestions = [e for e in close if e not in ranked]
        if ranked:
            best, others = ranked[0], ranked[1:] + suggestions
            is_exact = len(exact) == 1 and best in exact
            return NameMatch(
                typed,
                best[0],
                best[1],
                best[2],
                tuple((k, i, n) for k, i, n, _ in others[:ALTERNATIVES]),
                is_exact,
            )
        return NameMatch(
            typed, None, None, None, tuple((k, i, n) for k, i, n, _ in close[:ALTERNATIVES]), False
        )


def _key(name: str) -> str:
    """``normalise_name`` without a leading title: "Dr Ana López" is "ana lopez"."""
    words = normalise_name(name).split()
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def _people_first(entries: list[tuple[str, int, str, str]]) -> list[tuple[str, int, str, str]]:
    return sorted(entries, key=lambda e: e[0] != "person")


def split_names(text: str) -> list[str]:
    """One name a line, or separated by ';' (a pasted list); blanks and repeats (any case, title) dropped."""
    names: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[\n;\t]+", text or ""):
        name = " ".join(_BULLETS.sub("", part).split())
        key = _key(name) or name.casefold()
        if name and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def match_member_names(database: Database, text: str) -> list[NameMatch]:
    """Each pasted name with the person or organisation it is, people before organisations."""
    names = split_names(text)
    if not names:
        return []
    index = _Names(database)
    return [index.match(name) for name in names]


def resolve_member(database: Database, kind: str, name: str) -> tuple[int, str]:
    """The (id, name) of the person or organisation called ``name`` (case, accents ignored).

    Only the same name counts (no guess on a near one); else ``NotFound`` with the
    closest names, best first.
    """
    index = _Names(database, (kind,))
    found = index.match(name)
    label = "person" if kind == "person" else "organisation"
    record_id, matched = found.record_id, found.name  # both set, or neither
    if (
        record_id is not None
        and matched is not None
        and (found.exact or _key(matched) == _key(name))
    ):
        same = [alt for alt in found.alternatives if _key(alt[2]) == _key(name)]
        if not same:
            return record_id, matched
        ids = ", ".join(str(i) for i in [record_id, *(a[1] for a in same)])
        raise NotFound(
            f'{len(same) + 1} {label}s are called "{name.strip()}" (ids {ids}); '
            "rename one of them first, or use the app to choose"
        )
    close = ([found.name] if found.name else []) + [alt[2] for alt in found.alternatives]
    hint = f" Closest: {'; '.join(close)}." if close else ""
    raise NotFound(f'There is no {label} called "{name.strip()}".{hint}')
