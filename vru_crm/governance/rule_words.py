"""A network's meeting cadence (an RFC 5545 RRULE) said in words.

"FREQ=MONTHLY;INTERVAL=3" means nothing to a Director; "quarterly" does. Only
the parts networks use are put into words; anything else is shown as it is,
prefixed so the reader knows it is a raw rule. This is the one place rules
become words: the lists, the network page, the cadence panel and ``vru-crm
cadence`` all call ``describe_rule``. It only reads the text (no dateutil, no
database), so a list can call it per row; whether a rule is usable is
``vru_crm.governance.cadence.rule_problem``'s question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDINALS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    -1: "last",
    -2: "second to last",
}
UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
NAMED = {
    ("DAILY", 1): "daily",
    ("WEEKLY", 1): "weekly",
    ("WEEKLY", 2): "fortnightly",
    ("WEEKLY", 6): "every six weeks",
    ("MONTHLY", 1): "monthly",
    ("MONTHLY", 2): "every two months",
    ("MONTHLY", 3): "quarterly",
    ("MONTHLY", 6): "twice a year",
    ("MONTHLY", 12): "yearly",
    ("YEARLY", 1): "yearly",
}


def describe_rule(rule: str | None) -> str:
    """``"FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU"`` -> ``"quarterly, on the last Tuesday"``; no rule -> ``"no set cadence"``."""
    if not rule or not rule.strip():
        return "no set cadence"
    parts = _parse(rule)
    freq = parts.get("FREQ", "")
    if freq not in UNITS:
        return f"custom rule: {rule.strip()}"
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return f"custom rule: {rule.strip()}"
    words = NAMED.get((freq, interval)) or f"every {interval} {UNITS[freq]}s"
    day = _day_words(parts)
    if day:
        words += f", on {day}"
    clock = _time_words(parts)
    if clock:
        words += f", at {clock}"
    return words + _end_words(parts)


def describe_cadence(rule: str | None, meeting_minutes: int | None = None) -> str:
    """``describe_rule`` with the end time when the length of a meeting is known.

    ``"quarterly, on the second Tuesday, 10:00 to 12:00"``: what the user typed,
    read back, so a form can show the words and save them again unchanged.
    """
    words = describe_rule(rule)
    if not rule or not meeting_minutes or words.startswith(("custom rule", "no set")):
        return words
    parts = _parse(rule)
    clock = _time_words(parts)
    if not clock:
        return words
    start = int(parts["BYHOUR"]) * 60 + int(parts.get("BYMINUTE", "0") or 0)
    end = start + meeting_minutes
    if end >= 24 * 60:
        return words
    return words.replace(f"at {clock}", f"{clock} to {end // 60:02d}:{end % 60:02d}")


def _time_words(parts: dict[str, str]) -> str:
    hour, minute = parts.get("BYHOUR", ""), parts.get("BYMINUTE", "0") or "0"
    if not hour.isdigit() or not minute.isdigit():
        return ""
    return f"{int(hour):02d}:{int(minute):02d}"


def _parse(rule: str) -> dict[str, str]:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    pairs = (item.split("=", 1) for item in text.split(";") if "=" in item)
    return {key.strip().upper(): value.strip().upper() for key, value in pairs}


def _day_words(parts: dict[str, str]) -> str:
    if "BYMONTHDAY" in parts:
        if parts["BYMONTHDAY"] == "-1":
            return "the last day of the month"
        return f"day {parts['BYMONTHDAY']} of the month"
    if "BYDAY" not in parts:
        return ""
    position = parts.get("BYSETPOS")
    names = []
    for item in parts["BYDAY"].split(","):
        match = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", item)
        if not match or match.group(2) not in DAYS:
            return parts["BYDAY"]
        ordinal = match.group(1) or position
        day = DAYS[match.group(2)]
        names.append(f"the {ORDINALS.get(int(ordinal), ordinal)} {day}" if ordinal else f"{day}s")
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def _end_words(parts: dict[str, str]) -> str:
    if "COUNT" in parts:
        return f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        if until.isdigit():
            return f", until {until[6:8]}/{until[4:6]}/{until[:4]}"
    return ""


# ---------------------------------------------------------------------------
# Words -> rule: what a user types in the Cadence field or ``--cadence``.

_EXAMPLE = '"quarterly, second Tuesday, 10:00 to 12:00" or "every six weeks on Wednesday"'
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "other": 2,
}
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBERS) + r")"
_WEEKDAYS = {
    "mo": "MO",
    "tu": "TU",
    "we": "WE",
    "th": "TH",
    "fr": "FR",
    "sa": "SA",
    "su": "SU",
}
_WEEKDAY = (
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)s?"
)
_ORDINAL_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
    "second to last": -2,
    "second last": -2,
    "penultimate": -2,
}
_ORDINAL = r"(second to last|second last|penultimate|first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)"
# (pattern, FREQ, interval or None when the pattern's number group gives it)
_FREQUENCIES = [
    (r"every\s+" + _NUMBER + r"\s+days?", "DAILY", None),
    (r"every\s+" + _NUMBER + r"\s+weeks?", "WEEKLY", None),
    (r"every\s+" + _NUMBER + r"\s+months?", "MONTHLY", None),
    (r"every\s+" + _NUMBER + r"\s+years?", "YEARS", None),
    (r"(daily|every\s+day)", "DAILY", 1),
    (r"(fortnightly|biweekly|every\s+fortnight)", "WEEKLY", 2),
    (r"(weekly|every\s+week)", "WEEKLY", 1),
    (r"(bimonthly|bi-monthly)", "MONTHLY", 2),
    (r"(quarterly|every\s+quarter)", "MONTHLY", 3),
    (r"(twice\s+a\s+year|half[-\s]?yearly|biannually|bi-annually)", "MONTHLY", 6),
    (r"(monthly|every\s+month)", "MONTHLY", 1),
    (r"(yearly|annually|every\s+year|once\s+a\s+year)", "MONTHLY", 12),
]
_CLOCK = r"(noon|midday|\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2})"
_FILLER = {"on", "the", "of", "a", "an", "at", "and", "in", "each", "every", "month", "from"}


@dataclass(frozen=True)
class ParsedCadence:
    """A cadence as stored: the rule, and how long a meeting lasts when the words said so."""

    rrule: str
    meeting_minutes: int | None = None


def parse_cadence(text: str) -> ParsedCadence:
    """Words ("monthly, last Thursday") or an RRULE, as a rule with ordinal weekdays.

    ``ValueError`` says in plain words what could not be read. A rule typed as a
    rule is checked by ``cadence.rule_problem`` (which refuses a monthly rule with
    a bare weekday, "every Tuesday of the month"), then stored as typed, upper case.
    """
    value = " ".join((text or "").split())
    if not value:
        raise ValueError(f"write how often the network meets, e.g. {_EXAMPLE}")
    if re.search(r"\bfreq\s*=", value, re.IGNORECASE):
        return _parse_rrule(value)
    return _parse_words(value)


def _parse_rrule(value: str) -> ParsedCadence:
    from vru_crm.governance.cadence import rule_problem

    rule = value.replace(" ", "").upper()
    if rule.startswith("RRULE:"):
        rule = rule[6:]
    problem = rule_problem(rule)
    if problem:
        raise ValueError(problem)
    return ParsedCadence(rule.strip(";"), None)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


class _Words:
    """The text being read; each part found is cut out, so what is left over is known."""

    def __init__(self, text: str) -> None:
        self.rest = " " + text.casefold().replace(",", " , ").replace(";", " , ") + " "

    def take(self, pattern: str) -> re.Match[str] | None:
        match = re.search(r"(?<![\w:.])" + pattern + r"(?![\w:])", self.rest)
        if match:
            self.rest = self.rest[: match.start()] + " , " + self.rest[match.end() :]
        return match

    def leftover(self) -> list[str]:
        words = re.findall(r"[^\s,]+", self.rest)
        return [w for w in words if w not in _FILLER]


def _parse_words(value: str) -> ParsedCadence:
    words = _Words(value)
    end = _take_end(words)
    times = _take_times(words)
    freq, interval = _take_frequency(words, value)
    days = _take_days(words, freq, value)
    left = words.leftover()
    if left:
        raise ValueError(
            f'"{" ".join(left)}" could not be read in "{value}"; write it like {_EXAMPLE}, '
            "or give an RRULE such as FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU"
        )
    if (
        freq == "YEARS"
    ):  # every N years on the anchor's month: N*12 months keeps "second Tuesday" right
        freq, interval = "MONTHLY", interval * 12
    parts = [f"FREQ={freq}"] + ([f"INTERVAL={interval}"] if interval != 1 else [])
    parts += days
    minutes = None
    if times:
        (hour, minute), finish = times
        parts += [f"BYHOUR={hour}", f"BYMINUTE={minute}"]
        if finish is not None:
            minutes = finish[0] * 60 + finish[1] - (hour * 60 + minute)
            if minutes <= 0:
                raise ValueError(
                    f'the meeting would end before it starts in "{value}" '
                    "(write the earlier time first, e.g. 10:00 to 12:00)"
                )
    parts += end
    return ParsedCadence(";".join(parts), minutes)


def _take_frequency(words: _Words, value: str) -> tuple[str, int]:
    for pattern, freq, interval in _FREQUENCIES:
        match = words.take(pattern)
        if match:
            count = interval if interval is not None else _number(match.group(1))
            if count < 1:
                raise ValueError(
                    f'"{match.group(0)}" is not a cadence: the number must be 1 or more'
                )
            return freq, count
    raise ValueError(
        f'how often is not clear in "{value}": start with weekly, fortnightly, monthly, '
        f"quarterly, every N weeks or every N months, e.g. {_EXAMPLE}"
    )


def _take_days(words: _Words, freq: str, value: str) -> list[str]:
    """BYDAY / BYMONTHDAY parts: ordinal weekdays for months, plain weekdays for weeks."""
    found: list[str] = []
    while match := words.take(_ORDINAL + r"\s+" + _WEEKDAY):
        found.append(f"{_ORDINAL_WORDS[match.group(1)]}{_WEEKDAYS[match.group(2)[:2]]}")
    if found:
        if freq not in ("MONTHLY", "YEARS"):
            raise ValueError(
                f'"the {match_words(found)}" needs a monthly cadence in "{value}"; for a weekly one '
                'name the day alone, e.g. "every six weeks on Wednesday"'
            )
        return ["BYDAY=" + ",".join(found)]
    if words.take(r"last\s+day(\s+of\s+the\s+month)?"):
        return _month_only(freq, value, ["BYMONTHDAY=-1"])
    match = words.take(r"(?:day\s+(\d{1,2})(?:\s+of\s+the\s+month)?|(\d{1,2})(?:st|nd|rd|th))")
    if match:
        day = int(match.group(1) or match.group(2))
        if not 1 <= day <= 31:
            raise ValueError(f'"{match.group(0)}" is not a day of the month (1 to 31)')
        return _month_only(freq, value, [f"BYMONTHDAY={day}"])
    plain: list[str] = []
    while match := words.take(_WEEKDAY):
        plain.append(_WEEKDAYS[match.group(1)[:2]])
    if not plain:
        return []
    if freq in ("MONTHLY", "YEARS"):
        weekday = DAYS[plain[0]]
        raise ValueError(
            f'"{weekday}" with a monthly cadence would mean every {weekday} of the month; '
            f'say which one, e.g. "second {weekday}" or "last {weekday}"'
        )
    if freq == "DAILY":
        raise ValueError(f'a daily cadence cannot name a weekday; try "weekly on {DAYS[plain[0]]}"')
    return ["BYDAY=" + ",".join(dict.fromkeys(plain))]


def match_words(found: list[str]) -> str:
    """``["2TU"]`` -> ``"second Tuesday"`` (for messages)."""
    first = found[0]
    return f"{ORDINALS.get(int(first[:-2]), first[:-2])} {DAYS[first[-2:]]}"


def _month_only(freq: str, value: str, parts: list[str]) -> list[str]:
    if freq not in ("MONTHLY", "YEARS"):
        raise ValueError(f'a day of the month needs a monthly cadence in "{value}"')
    return parts


def _clock(text: str) -> tuple[int, int]:
    text = text.replace(" ", "").replace(".m.", "m")
    if text in ("noon", "midday"):
        return 12, 0
    suffix = text[-2:] if text[-2:] in ("am", "pm") else ""
    body = text[:-2] if suffix else text
    hour_text, _, minute_text = body.replace(".", ":").partition(":")
    hour, minute = int(hour_text), int(minute_text or 0)
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError(f'"{text}" is not a time of day')
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(
            f'"{text}" is not a time of day (use 24-hour times such as 14:30, or 2:30pm)'
        )
    return hour, minute


def _take_times(words: _Words) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """The start time, and the end time when a range ("10:00 to 12:00") or length is given."""
    separator = r"\s*(?:to|until|till|-|–|—)\s*"
    match = words.take(_CLOCK + separator + _CLOCK)
    if match:
        return _clock(match.group(1)), _clock(match.group(2))
    match = words.take(r"from\s+(\d{1,2})" + separator + r"(\d{1,2})")
    if match:
        return _clock(match.group(1) + ":00"), _clock(match.group(2) + ":00")
    match = words.take(_CLOCK)
    if not match:
        return None
    start = _clock(match.group(1))
    length = words.take(
        r"for\s+(an?|" + _NUMBER[1:-1] + r"|\d+)\s+(hours?|minutes?|mins?)(\s+and\s+a\s+half)?"
    )
    if not length:
        return start, None
    count = 1 if length.group(1) in ("a", "an") else _number(length.group(1))
    minutes = count * (60 if length.group(2).startswith("hour") else 1)
    minutes += 30 if length.group(3) else 0
    finish = start[0] * 60 + start[1] + minutes
    return start, (finish // 60, finish % 60)


def _take_end(words: _Words) -> list[str]:
    """COUNT or UNTIL, as ``describe_rule`` writes them (", 3 times", ", until 31/12/2025")."""
    match = words.take(r"(\d{1,3})\s+times")
    if match:
        return [f"COUNT={int(match.group(1))}"]
    match = words.take(r"until\s+(\d{1,2})/(\d{1,2})/(\d{4})")
    if match:
        day, month, year = (int(g) for g in match.groups())
        return [f"UNTIL={year:04d}{month:02d}{day:02d}T235959Z"]
    return []
