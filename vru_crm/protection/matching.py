"""Finding a person's name, e-mail or phone in any text, whatever its case or accents.

One matcher, used by erasure (to remove the values) and by subject access (to
list where they are), so an export always shows everything an erasure would
scrub. Why in Python and not in SQL: SQLite's ``lower()`` and ``LIKE`` fold
ASCII letters only, so "ŁUKASZ" never matched "Łukasz", and neither backend
treats "Emilie" and "Émilie" as the same name without an extension. Here both
sides are folded the same way: Unicode case folding (``casefold``), NFKD with
the accents dropped, a few letters that have no decomposition (Ł, Ø, Đ, ı…)
mapped by hand, curly apostrophes and dashes made plain, and any run of spaces
matching any other.

The database only narrows the search (``prefilter``): a row whose text is all
ASCII is looked for with ``LIKE`` (exact for ASCII on both backends), and any
row holding a non-ASCII character or a JSON ``\\u`` escape is read and checked
here. That is a superset of the true matches, so nothing is missed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

MIN_LENGTH = 4  # shorter values ("Al") would damage far more text than they protect

# Letters NFKD leaves whole, and punctuation people type in several ways.
_BY_HAND = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ß": "ss",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    text = unicodedata.normalize("NFKD", char.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFKD", text.translate(_BY_HAND)).casefold()


def fold(text: str) -> str:
    """``text`` as the matcher compares it: "Łukasz O’Brien" -> "lukasz o'brien"."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def _fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each folded character, where it came from (None: one for one)."""
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def _words(value: str) -> list[str]:
    return fold(value).split()


def _phone_digits(value: str) -> str | None:
    """A phone number's digits, when the value looks like one (8 to 15 digits, little else)."""
    digits = re.sub(r"\D", "", value)
    rest = re.sub(r"[\d\s()+.\-]", "", value)
    return digits if 8 <= len(digits) <= 15 and not rest else None


@dataclass(frozen=True)
class Matcher:
    """Whole-word occurrences of any of a person's values, in any case and with any accents."""

    needles: tuple[str, ...]
    pattern: re.Pattern[str] | None
    like_patterns: tuple[str, ...]  # for the SQL pre-filter: one per needle (and phone)

    def __bool__(self) -> bool:
        return self.pattern is not None

    def finds(self, value: Any) -> bool:
        """Whether ``value`` (text, or lists and dicts of it) holds any needle."""
        if self.pattern is None:
            return False
        if isinstance(value, str):
            return self.pattern.search(fold(value)) is not None
        if isinstance(value, list):
            return any(self.finds(x) for x in value)
        if isinstance(value, dict):
            return any(self.finds(x) for x in value.values())
        return False

    def replace(self, value: Any, marker: str) -> Any:
        """``value`` with every occurrence replaced by ``marker``; lists and dicts are walked."""
        if self.pattern is None:
            return value
        if isinstance(value, str):
            return self._replace_text(value, marker)
        if isinstance(value, list):
            return [self.replace(x, marker) for x in value]
        if isinstance(value, dict):
            return {k: self.replace(x, marker) for k, x in value.items()}
        return value

    def _replace_text(self, text: str, marker: str) -> str:
        if self.pattern is None:
            return text
        folded, origin = _fold_with_map(text)
        spans = [m.span() for m in self.pattern.finditer(folded)]
        if not spans:
            return text
        out, at = [], 0
        for start, end in spans:
            if origin is None:
                first, last = start, end
            else:
                first, last = origin[start], origin[end - 1] + 1
                # Combining accents typed after the last letter fold to nothing: take them too.
                while last < len(text) and not _fold_char(text[last]):
                    last += 1
            out.append(text[at:first])
            out.append(marker)
            at = last
        out.append(text[at:])
        return "".join(out)

    def prefilter(
        self, column: sa.SQLColumnExpression[str], dialect: str
    ) -> sa.ColumnElement[bool]:
        """SQL that keeps every row that could match (and some that do not), on ``dialect``."""
        if self.pattern is None:
            return sa.false()
        # SQLite's LIKE already folds ASCII case, and its lower() folds nothing more: the
        # same rows without a lower() of every value (a third of a scan of the log).
        text = column if dialect == "sqlite" else sa.func.lower(column)
        clauses: list[sa.ColumnElement[bool]] = [
            text.like(p, escape="\\") for p in _broadest(self.like_patterns)
        ]
        clauses.append(_not_ascii(column, dialect))
        clauses.append(column.like("%\\u%", escape="!"))  # JSON written with \u escapes
        return sa.or_(*clauses)


def _not_ascii(column: sa.SQLColumnExpression[str], dialect: str) -> sa.ColumnElement[bool]:
    """The text holds a character outside ASCII: more bytes than characters."""
    if dialect == "sqlite":
        return sa.func.length(column) != sa.func.length(sa.cast(column, sa.LargeBinary))
    return sa.func.octet_length(column) != sa.func.char_length(column)


def _broadest(patterns: Iterable[str]) -> list[str]:
    """The patterns less those another one already covers: text that holds "james.lewis@..."
    holds "james", so ``%james%`` alone keeps the same rows for one test of each value."""
    plain = {p[1:-1] for p in patterns if not _LIKE_SPECIAL.search(p[1:-1])}
    return [p for p in patterns if not any(q != p[1:-1] and q in p[1:-1] for q in plain)]


_LIKE_SPECIAL = re.compile(r"[%_\\]")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matcher(values: Iterable[str | None]) -> Matcher:
    """A matcher for a person's values (names, e-mails, phones); short ones are left out."""
    needles = sorted({v.strip() for v in values if isinstance(v, str) and v.strip()})
    alternatives: set[str] = set()
    like_patterns: set[str] = set()
    for needle in needles:
        words = _words(needle)
        if len("".join(words)) < MIN_LENGTH:
            continue
        alternatives.add(r"\s+".join(re.escape(w) for w in words))
        like_patterns.add(f"%{_escape_like(max(words, key=len))}%")
        digits = _phone_digits(needle)
        if digits:
            # The same number written 02079834000, 020-7983-4000 or (020) 7983 4000.
            alternatives.add(r"[\s().\-]*".join(re.escape(d) for d in digits))
            like_patterns.add("%" + "%".join(digits) + "%")
    if not alternatives:
        return Matcher(tuple(needles), None, ())
    ordered = sorted(alternatives, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)")
    return Matcher(tuple(needles), pattern, tuple(sorted(like_patterns)))


def load_json(text: str | None) -> Any:
    """An audit entry's ``changes``, or ``{}`` when it is not valid JSON."""
    try:
        return json.loads(text or "{}")
    except ValueError:
        return {}
