"""Helpers the governance modules share: London time, look-ups with plain-words errors."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Meeting, Network
from vru_crm.errors import NotFound
from vru_crm.london import london

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
    """The network called ``name`` (case and surrounding spaces ignored)."""
    wanted = name.strip().lower()
    network = session.exec(select(Network).where(func.lower(Network.name) == wanted)).first()
    if network is not None:
        return network
    names = sorted(n for n in session.exec(select(Network.name)).all())
    close = [n for n in names if wanted in n.lower()]
    hint = f" Did you mean: {', '.join(close[:3])}?" if close else ""
    if not hint and names:
        hint = f" Known networks: {', '.join(names[:8])}{', ...' if len(names) > 8 else ''}."
    raise NotFound(f'There is no network called "{name.strip()}".{hint}')


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
