"""What a calendar program takes from an event the file did not write quite right.

Files from real programs (249 of them were fed to the import in testing) leave
things out or write them twice, and refusing the whole file for that lost every
good meeting in it:

- No SUMMARY: the meeting is called "(no title)", as Thunderbird and Google show it.
- No UID (calcurse's and Thunderbird's own exports): a UID is made from what the
  event says (its start, end, title, place and repeat rule), so importing the same
  file again finds the same meeting instead of adding a copy.
- A property that may appear once written twice (two DTSTART lines): a problem
  named in words, never a traceback; a text written twice (two SUMMARY lines)
  takes the first, as calendar programs do.
- A line the reader could not split into name and value: a problem if it looks
  like one of the times or rules the import reads, else left out with a note.
- The reader's warnings (an Evolution-style TZID such as
  ``/freeassociation.sourceforge.net/Europe/London``, read as Europe/London) are
  said once in words in the report, never printed as a raw Python warning.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from icalendar import Component

NO_TITLE = "(no title)"
DERIVED_UID_SUFFIX = "@ics-import.vru-crm"
# Properties an event has at most once (RFC 5545 3.6.1), as the import names them.
SINGLE_PROPERTIES = {
    "DTSTART": "starts",
    "DTEND": "ends",
    "DURATION": "lengths",
    "RECURRENCE-ID": "changed dates",
    "UID": "UIDs",
    "SEQUENCE": "SEQUENCE numbers",
}
# What a derived UID is made from: what says which meeting this is, not when it was saved.
IDENTIFYING = ("DTSTART", "DTEND", "DURATION", "SUMMARY", "LOCATION", "RRULE", "RDATE")
SHOWN_LINE = 60  # characters of an unreadable line quoted in a message
_UNSPLIT = re.compile(r"Content line could not be parsed into parts: '(.*?)'(?::|$)", re.S)
_FOR_DEVELOPERS = (DeprecationWarning, PendingDeprecationWarning, ResourceWarning)
_GUESSED_ZONE = re.compile(r"Timezone '(.+?)' is a globally unique TZID; guessing it means '(.+?)'")


def first(component: Component, name: str) -> Any:
    """The property's value; of a property written more than once, the first."""
    value = component.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def written_twice(event: Component) -> list[str]:
    """Problems for the properties an event may have once but has more often."""
    problems = []
    for name, plural in SINGLE_PROPERTIES.items():
        value = event.get(name)
        if isinstance(value, list) and len(value) > 1:
            problems.append(f"it has {len(value)} {plural} ({name} lines), where an event has one")
    return problems


def _shown(line: str) -> str:
    line = " ".join(line.split())
    return f'"{line[:SHOWN_LINE]}…"' if len(line) > SHOWN_LINE else f'"{line}"'


def unsplit_lines(event: Component, read: dict[str, str]) -> tuple[list[str], list[str]]:
    """Lines the reader could not split into name and value: (problems, notes).

    ``read`` maps the names of the properties the import reads to their words; a
    broken line starting with one of them (``DTSTART;;VALUE=…``) is a problem,
    any other (``X-APPLE-RADIUS=49.9``) is left out with a note.
    """
    problems, notes = [], []
    for name, message in getattr(event, "errors", []):
        if name is not None:
            continue
        found = _UNSPLIT.search(str(message))
        line = found.group(1) if found else str(message)
        head = re.split(r"[;:=]", line, maxsplit=1)[0].strip().upper()
        if head in read:
            problems.append(f"{read[head]} could not be read: {_shown(line)}")
        else:
            notes.append(f"a line that could not be read was left out: {_shown(line)}")
    return problems, notes


def _written(value: Any) -> str:
    """One value as the file wrote it, with its parameters, for the derived UID."""
    text = value.to_ical() if hasattr(value, "to_ical") else value
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    params = getattr(value, "params", {}) or {}
    shown = ";".join(f"{key}={params[key]}" for key in sorted(params))
    return f"{shown}:{text}"


def derived_uid(event: Component) -> str:
    """A UID made from what the event says, the same every time the file is read."""
    parts = []
    for name in IDENTIFYING:
        value = event.get(name)
        for one in value if isinstance(value, list) else [value]:
            if one is not None:
                parts.append(f"{name}{_written(one)}")
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"{digest}{DERIVED_UID_SUFFIX}"


def _zone_words(tzid: str, zone: str) -> str:
    return f'the time zone "{tzid}" (as Evolution and Thunderbird name zones) was read as {zone}'


def guessed_zones(event: Component) -> list[str]:
    """Globally unique TZIDs (``/freeassociation.sourceforge.net/Europe/London``) the reader
    resolved by their last part, in words; found here because the reader warns only the
    first time it meets one in a process."""
    found = []
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = first(event, name)
        tzid = str(getattr(prop, "params", {}).get("TZID", ""))
        zone = getattr(getattr(prop, "dt", None), "tzinfo", None)
        if tzid.startswith("/") and zone is not None:
            found.append(_zone_words(tzid, getattr(zone, "key", str(zone))))
    return found


def _words(warning: warnings.WarningMessage) -> str:
    text = str(warning.message)
    if guessed := _GUESSED_ZONE.search(text):
        return _zone_words(guessed.group(1), guessed.group(2))
    return f"the calendar reader warned: {text.splitlines()[0] if text else type(warning)}"


@contextmanager
def warnings_as_notes(notes: list[str]) -> Iterator[None]:
    """Collect the reader's warnings as notes in words (each once) instead of printing them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        if issubclass(warning.category, _FOR_DEVELOPERS):  # as Python would have shown them
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
        elif (words := _words(warning)) not in notes:
            notes.append(words)
