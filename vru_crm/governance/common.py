"""Helpers the governance modules share: London time, look-ups with plain-words errors."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar
from urllib.parse import urlsplit

from rapidfuzz import fuzz
from sqlmodel import Session, select

from db.models import Meeting, Network
from vru_crm.errors import NotFound
from vru_crm.london import london
from vru_crm.queries.acronyms import initials
from vru_crm.validation import normalise_name

T = TypeVar("T")


def get_or_fail(session: Session, model: type[T], record_id: int, label: str) -> T:
    """The row, or ``NotFound`` saying which record is missing."""
    row = session.get(model, record_id)
    if row is None:
        raise NotFound(f"There is no {label} with id {record_id}.")
    return row


def meeting_or_fail(session: Session, meeting_id: int) -> Meeting:
    return get_or_fail(session, Meeting, meeting_id, "meeting")


def find_network(session: Session, name: str) -> Network:
    """The network called ``name``, or with that short name ("PRG"), any case and spacing.

    Archived networks are found too: naming one is asking for it. A picker's label
    ("Partnership Reference Group (PRG)") is accepted as well. With no match,
    ``NotFound`` lists the closest names first, so a typo shows what was meant.
    """
    networks = list(session.exec(select(Network)).all())
    network = match_network(networks, name)
    if network is not None:
        return network
    typed = " ".join(name.split())
    if not networks:
        raise NotFound(f'There is no network called "{typed}": there are no networks yet.')
    close = closest_networks(networks, typed)
    raise NotFound(f'There is no network called "{typed}". Closest: {"; ".join(close)}.')


def network_label(network: Network) -> str:
    """``Partnership Reference Group (PRG)``: a network as pickers and messages name it."""
    return label_with_short(network.name, network.short_name)


def label_with_short(name: str, short_name: str | None) -> str:
    """The name with the short name in brackets, unless the name already shows it."""
    if not short_name or f"({short_name.casefold()})" in name.casefold():
        return name
    return f"{name} ({short_name})"


def match_network(networks: list[Network], name: str) -> Network | None:
    """The one network ``name`` means among ``networks``: its name, short name or label."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    for key in (
        lambda n: n.name,
        lambda n: n.short_name or "",
        network_label,
    ):
        found = [n for n in networks if " ".join(key(n).split()).casefold() == wanted]
        if len(found) == 1:
            return found[0]
    loose = normalise_name(name)
    found = [n for n in networks if loose and normalise_name(n.name) == loose]
    return found[0] if len(found) == 1 else None


def closest_networks(networks: list[Network], typed: str, limit: int = 5) -> list[str]:
    """Labels of the networks nearest ``typed`` (by name or short name), best first."""
    wanted = " ".join(typed.casefold().split())
    scored = []
    for network in networks:
        # A few letters are a short name or initials: compared whole, not as a part of a
        # longer name (else "PGR" is nearest "Grassroots Network", which contains "gr").
        codes = [network.short_name.casefold()] if network.short_name else []
        codes += initials(network.name)
        name = network.name.casefold()
        by_name = fuzz.WRatio(wanted, name) if len(wanted) > 5 else fuzz.ratio(wanted, name)
        score = max([by_name, *(fuzz.ratio(wanted, code) for code in codes)])
        scored.append((-score, name, network_label(network)))
    return [label for _, _, label in sorted(scored)[:limit]]


def url_problem(text: str | None) -> str | None:
    """None if ``text`` is a web address a reader can open, else what is wrong with it."""
    value = (text or "").strip()
    if not value:
        return "a web address is required"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
        return f'"{value}" is not a web address (it should start with https://)'
    if len(value) > 500:
        return "the web address is too long (at most 500 characters)"
    return None


def format_day(day: date) -> str:
    """``Tuesday 14 May 2019``: how dates are written in papers for the PRG."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def format_time(moment: datetime) -> str:
    """``10:00`` in London time."""
    return london(moment).strftime("%H:%M")
