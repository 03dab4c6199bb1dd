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
    return words + _end_words(parts)


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
