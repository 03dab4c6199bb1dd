"""Checks of single values, shared by the import and the Qt forms.

Pure functions with no database, so a form can call them on every keystroke.
``validate_*`` return a problem in plain words, or None when the value is fine;
``parse_*`` return the parsed value or raise ``ValueError`` whose message is that
problem. Blank optional values are fine: whether a field is required is the
caller's business (``validate_name`` is the one that refuses blanks).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from rapidfuzz import process
from rapidfuzz.distance import Indel

from db.enums import AGE_BAND_LABELS

MIN_YEAR = 1990
MAX_YEAR = 2100
NAME_MAX = 200
EMAIL_MAX = 200
URL_MAX = 300
PHONE_MAX = 50
SIMILAR_NAME_RATIO = 0.9
# The most people one engagement can be said to reach: above it, a figure is a typo or junk
# (2**63 once crashed the import, 2**63-1 the quarterly report's sums).
PEOPLE_REACHED_MAX = 1_000_000
COUNT_MAX = PEOPLE_REACHED_MAX
# Age bands (db.enums.AGE_BAND_LABELS) of people under 18, and those old enough to consent
# for themselves (13 and over, UK GDPR article 8). A band that is not known is neither, so a
# person with it is treated as the youngest: under 13.
UNDER_18_BANDS = frozenset({"under_13", "13_15", "16_17"})
OWN_CONSENT_BANDS = frozenset({"13_15", "16_17", "18_24", "25_plus"})
# Characters a text cell may not hold: C0 controls but tab, line feed and carriage return,
# DEL, and C1 controls. A NUL written into a record made the app's own export unreadable.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_EMAIL = re.compile(r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[A-Za-z]{2,}$")
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_PHONE_EXTENSION = re.compile(r"\s*(ext\.?|extension|x)\s*\d{1,6}$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]+$")
_TRUE = {"yes", "y", "true", "t", "1", "x"}
_FALSE = {"no", "n", "false", "f", "0", ""}
_NAME_NOISE = {"the", "ltd", "limited", "plc", "cic", "llp", "inc"}


def validate_name(text: str | None, label: str = "name", max_length: int = NAME_MAX) -> str | None:
    """A name must be given and fit its column."""
    value = (text or "").strip()
    if not value:
        return f"a {label} is required"
    if len(value) > max_length:
        return f"the {label} is too long ({len(value)} characters; at most {max_length})"
    return None


def validate_length(text: str | None, max_length: int, label: str) -> str | None:
    value = (text or "").strip()
    if len(value) > max_length:
        return f"the {label} is too long ({len(value)} characters; at most {max_length})"
    return None


def validate_email(text: str | None) -> str | None:
    value = (text or "").strip()
    if not value:
        return None
    if len(value) > EMAIL_MAX or not _EMAIL.match(value):
        return (
            f"'{_short(value)}' is not an e-mail address (expected something like name@example.org)"
        )
    return None


def normalise_email(text: str | None) -> str | None:
    """E-mail addresses are compared and stored in lower case, blanks as None."""
    value = (text or "").strip().lower()
    return value or None


def validate_url(text: str | None) -> str | None:
    """A web address, with or without ``https://``."""
    value = (text or "").strip()
    if not value:
        return None
    problem = (
        f"'{_short(value)}' is not a web address (expected something like https://example.org)"
    )
    if len(value) > URL_MAX or any(ch.isspace() for ch in value):
        return problem
    try:
        parts = urlsplit(normalise_url(value) or "")
        host = parts.hostname or ""
    except ValueError:  # e.g. an unbalanced '[' read as an IPv6 address
        return problem
    if parts.scheme not in ("http", "https") or not _HOST.match(host):
        return problem
    return None


def normalise_url(text: str | None) -> str | None:
    """``www.example.org`` becomes ``https://www.example.org``; blanks become None."""
    value = (text or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    return value


def validate_phone(text: str | None) -> str | None:
    """Lenient UK numbers: spaces, brackets, dashes, +44 and an extension are all fine."""
    value = (text or "").strip()
    if not value:
        return None
    problem = (
        f"'{_short(value)}' does not look like a phone number "
        "(expected something like 020 7983 4000 or +44 20 7983 4000)"
    )
    body = _PHONE_EXTENSION.sub("", value)
    if len(value) > PHONE_MAX or not _PHONE_CHARS.match(body):
        return problem
    digits = re.sub(r"\D", "", body)
    if body.startswith("+44"):
        ok = len(digits) in (11, 12)
    elif body.startswith("+"):
        ok = 7 <= len(digits) <= 15
    else:
        ok = digits.startswith("0") and len(digits) in (10, 11)
    return None if ok else problem


def parse_date(text: str | date | None) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (the UK order) between 1990 and 2100; blank is None."""
    if isinstance(text, date):
        return _in_range(text, text.isoformat())
    value = (text or "").strip()
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = (int(x) for x in match.groups())
    else:
        match = _UK_DATE.match(value)
        if not match:
            raise ValueError(f"'{_short(value)}' is not a date: use YYYY-MM-DD or DD/MM/YYYY")
        day, month, year = (int(x) for x in match.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"'{_short(value)}' is not a date: use YYYY-MM-DD or DD/MM/YYYY") from None
    return _in_range(parsed, value)


def _in_range(value: date, shown: str) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(
            f"'{shown}' is out of range: dates must be between {MIN_YEAR} and {MAX_YEAR}"
        )
    return value


def validate_date(text: str | date | None) -> str | None:
    try:
        parse_date(text)
    except ValueError as error:
        return str(error)
    return None


def parse_bool(text: str | bool | None, label: str = "value") -> bool:
    """yes/no, y/n, true/false, 1/0 (blank is no)."""
    if isinstance(text, bool):
        return text
    value = str(text or "").strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"'{_short(str(text))}' is not yes or no (for {label})")


def parse_count(text: str | int | None, label: str = "number", maximum: int = COUNT_MAX) -> int:
    """A whole number from 0 to ``maximum`` (blank is 0).

    Bounded so that a value is one a person could mean: the database's
    integers (and the sums of them in reports) cannot hold 2**63.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        raw = str(text or "").strip().replace(",", "")
        if not raw:
            return 0
        digits = re.fullmatch(r"([+-]?\d+)(?:\.0*)?", raw)
        if digits is None:
            raise ValueError(f"'{_short(raw)}' is not a whole number (for {label})")
        if len(digits.group(1).lstrip("+-0")) > len(str(maximum)):
            raise ValueError(_too_large(raw, label, maximum))
        value = int(digits.group(1))
    if value < 0:
        raise ValueError(f"'{value}' is below zero (for {label})")
    if value > maximum:
        raise ValueError(_too_large(str(value), label, maximum))
    return value


def _too_large(shown: str, label: str, maximum: int) -> str:
    return f"'{_short(shown)}' is too large (for {label}: at most {maximum:,})"


def count_problem(value: object, label: str = "number", maximum: int = COUNT_MAX) -> str | None:
    """The problem with a whole number a form or service was given, or None (for services)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return f"the {label} must be a whole number, 0 or more"
    try:
        parse_count(value, label, maximum)
    except ValueError as error:
        return str(error)
    return None


def year_problem(value: date | None, what: str = "the date") -> str | None:
    """A date (or datetime) outside 1990-2100, in words; None if it is inside or absent.

    Why everywhere: a year-9999 meeting was accepted from a calendar file and
    then crashed every screen that adds a day to it.
    """
    if value is None or MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return f"{what} is in {value.year}: dates must be between {MIN_YEAR} and {MAX_YEAR}"


def control_problem(text: str | None) -> str | None:
    """A text cell holding a control character (NUL and the like), in words; None if clean."""
    if not text:
        return None
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, "") or {"\x00": "NUL"}.get(char, "a control character")
    return (
        f"holds a control character (U+{ord(char):04X} {name}) at character {found.start() + 1}"
        ": remove it (it is invisible in most programs)"
    ).replace("  ", " ")


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def strip_control(text: str) -> str:
    """``text`` without the control characters ``control_problem`` refuses."""
    return _CONTROL.sub("", text)


def young_by_band(is_young_person: bool, age_band: str | None) -> bool:
    """Whether someone is to be treated as a young person: the age band decides.

    A band under 18 makes them one whatever the flag says; the flag still
    marks young adults (18-24) the VRU works with as young people.
    """
    return bool(is_young_person) or age_band in UNDER_18_BANDS


def needs_parent(is_young_person: bool, age_band: str | None) -> bool:
    """A young person whose band is under 13, or not known (treated as the youngest)."""
    return young_by_band(is_young_person, age_band) and age_band not in OWN_CONSENT_BANDS


def age_band_problem(is_young_person: bool, age_band: str | None) -> str | None:
    """'Not a young person' with a band under 18 is a contradiction, refused rather than guessed."""
    if not is_young_person and age_band in UNDER_18_BANDS:
        label = AGE_BAND_LABELS.get(age_band, age_band)
        return (
            f"the age band {label} is under 18, so this is a young person: mark them as a "
            "young person, or correct the age band"
        )
    return None


def parse_age_band(text: str | None) -> str | None:
    """An age band by its code ('16_17') or its label ('16-17'); blank is None."""
    value = (text or "").strip()
    if not value:
        return None
    wanted = value.casefold().replace(" ", "")
    for code, label in AGE_BAND_LABELS.items():
        if wanted in (code.casefold(), label.casefold().replace(" ", "")):
            return code
    valid = ", ".join(AGE_BAND_LABELS.values())
    raise ValueError(f"'{_short(value)}' is not an age band. Use one of: {valid}")


def split_cell(text: str | None) -> list[str]:
    """Several values in one cell, separated by ';' (blanks and repeats dropped)."""
    values: list[str] = []
    seen: set[str] = set()
    for part in split_positions(text):
        part = part.strip()
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            values.append(part)
    return values


def split_positions(text: str | None) -> list[str]:
    """A ';'-separated cell with its blanks kept (roles and dates line up with names by position).

    ``\\;`` is a semicolon inside a value ("Parents\\; Carers Forum") and ``\\\\`` a
    backslash, as ``join_cell`` writes them; any other backslash is kept as typed.
    """
    parts, current, chars = [], [], iter(text or "")
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current.append(following if following and following in ";\\" else char + following)
        elif char == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def join_cell(values: Iterable[object]) -> str:
    """The cell ``split_cell`` reads back: values joined by ';', a ';' inside one escaped."""
    return ";".join(str(v).replace("\\", "\\\\").replace(";", "\\;") for v in values)


def normalise_name(text: str) -> str:
    """A name reduced for duplicate checks: no case, accents, punctuation, 'the' or 'Ltd'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("&", " and "))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    joined = re.sub(r"[.'\u2019]", "", plain)  # "C.V.S." is "cvs", "Mungo's" is "mungos"
    words = re.sub(r"[^\w]+", " ", joined).split()
    return " ".join(w for w in words if w not in _NAME_NOISE)


def similar_names(a: str, b: str) -> bool:
    """Two normalised names that differ only by a typo or two.

    Names whose numbers differ ('Youth Club 1', 'Youth Club 2') are different.
    The measure is difflib's ratio, 2·matches/(len a + len b) ≥ 0.9, computed by
    rapidfuzz in C (its Indel similarity is the same figure: it agreed with
    ``difflib.SequenceMatcher.ratio`` on all 79,800 pairs of a test set, at a
    hundredth of the cost).
    """
    if a == b:
        return True
    if _numbers(a) != _numbers(b):
        return False
    return Indel.normalized_similarity(a, b, score_cutoff=SIMILAR_NAME_RATIO) >= SIMILAR_NAME_RATIO


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


@dataclass(frozen=True)
class DuplicateMatch:
    """A record that may be the same as the one being entered, and why we think so."""

    id: int
    name: str
    reason: str


class DuplicateIndex:
    """Names and e-mails of known records, to spot a new one that repeats them.

    Two records match on the same e-mail address, or on near-identical names
    (``similar_names``) in the same borough; a record with no borough could be in
    any, so it is compared with all. Each name is compared with the candidates
    in one rapidfuzz call, so an import of 3,000 organisations with no borough
    checks in a fraction of a second (19 s of CPU with difflib pair by pair).
    """

    def __init__(self) -> None:
        self._by_email: dict[str, list[tuple[int, str]]] = {}
        self._by_borough: dict[int | None, dict[int, str]] = {}  # borough -> {id: key}
        self._keys: dict[int, str] = {}  # every record: id -> normalised name
        self._names: dict[int, str] = {}  # id -> name as written

    def add(self, record_id: int, name: str, email: str | None, borough_ids: Iterable[int]) -> None:
        key = normalise_name(name)
        email = normalise_email(email)
        if email:
            self._by_email.setdefault(email, []).append((record_id, name))
        boroughs: list[int | None] = [*borough_ids] or [None]  # None: no borough recorded
        for borough in boroughs:
            self._by_borough.setdefault(borough, {})[record_id] = key
        self._keys[record_id] = key
        self._names[record_id] = name

    def find(
        self,
        name: str,
        email: str | None,
        borough_ids: Iterable[int],
        exclude_id: int | None = None,
    ) -> list[DuplicateMatch]:
        found: dict[int, DuplicateMatch] = {}
        email = normalise_email(email)
        for record_id, other in self._by_email.get(email or "", []):
            if record_id != exclude_id:
                found[record_id] = DuplicateMatch(
                    record_id, other, f"same e-mail address ({email})"
                )
        key = normalise_name(name)
        if not key:
            return list(found.values())
        boroughs = list(borough_ids)
        where = " in the same borough" if boroughs else ""
        close = process.extract(
            key,
            self._name_candidates(boroughs),
            scorer=Indel.normalized_similarity,
            score_cutoff=SIMILAR_NAME_RATIO,
            limit=None,
        )
        for other_key, _score, record_id in sorted(close, key=lambda hit: hit[2]):
            if record_id == exclude_id or record_id in found or not similar_names(key, other_key):
                continue
            how = "same name" if key == other_key else "a near-identical name"
            found[record_id] = DuplicateMatch(record_id, self._names[record_id], f"{how}{where}")
        return list(found.values())

    def _name_candidates(self, borough_ids: list[int]) -> dict[int, str]:
        if not borough_ids:
            return self._keys
        candidates: dict[int, str] = {}
        for borough in [*borough_ids, None]:
            candidates.update(self._by_borough.get(borough, {}))
        return candidates


def short_value(value: str, limit: int = 60) -> str:
    """A value quoted back to the user, cut so a huge cell does not flood the report."""
    value = value.replace("\n", " ").replace("\r", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


_short = short_value
