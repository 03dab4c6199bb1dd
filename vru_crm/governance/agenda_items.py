"""Agenda items' rules, and each network's standing items.

Shared by the agenda editor and by the standing items of a network, so both
refuse the same mistakes in the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import select

from db.enums import AgendaItemKind
from db.models import Network
from db.models.networks import StandingItem
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.common import get_or_fail, url_problem

ITEM_FIELDS = ("title", "presenter", "minutes_allotted", "paper_url", "kind", "notes")


def item_problems(values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title:
            problems["title"] = "an item needs a title"
        elif len(title) > 300:
            problems["title"] = f"the title is too long ({len(title)} characters; at most 300)"
    if values.get("presenter") and len(values["presenter"]) > 200:
        problems["presenter"] = "the presenter is too long (at most 200 characters)"
    minutes = values.get("minutes_allotted")
    if minutes is not None and (not isinstance(minutes, int) or not 0 <= minutes <= 600):
        problems["minutes_allotted"] = "minutes must be a whole number from 0 to 600"
    if "kind" in values and values["kind"] not in set(AgendaItemKind):
        problems["kind"] = f'"{values["kind"]}" is not a kind of agenda item'
    if values.get("paper_url") and (problem := url_problem(values["paper_url"])):
        problems["paper_url"] = problem
    return problems


def clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip()
            if key in ("presenter", "paper_url") and not value:
                value = None
        cleaned[key] = value
    return cleaned


@dataclass(frozen=True)
class StandingRow:
    title: str
    presenter: str | None = None
    minutes_allotted: int | None = None
    kind: str = AgendaItemKind.STANDING.value


# A standing item typed in words has no kind of its own ("standing"); its title says where it
# goes: "Any other business" must close the agenda, "Minutes of the last meeting" and "Matters
# arising" take what the builder finds, "…update" is followed by the other updates.
_KIND_WORDS: tuple[tuple[str, AgendaItemKind], ...] = (
    (r"\bany other business\b|^aob\b", AgendaItemKind.AOB),
    (r"\bmatters arising\b|\baction (log|points)\b|^actions\b", AgendaItemKind.MATTERS_ARISING),
    (r"^(approval of (the )?)?minutes\b", AgendaItemKind.MINUTES),
    (r"\bupdates?\b", AgendaItemKind.UPDATE),
    (r"\bpapers? for decision\b|\bdecisions?\b", AgendaItemKind.DECISION),
    (r"\bthematic discussion\b|\bdiscussion\b", AgendaItemKind.DISCUSSION),
)


def kind_from_title(title: str) -> str:
    """The kind of agenda item a title names ("Any other business" -> aob), else "standing"."""
    words = " ".join(title.casefold().split())
    for pattern, kind in _KIND_WORDS:
        if re.search(pattern, words):
            return kind.value
    return AgendaItemKind.STANDING.value


def set_standing_items(database: Database, network_id: int, rows: list[StandingRow]) -> None:
    """Replace a network's standing items (kind ``aob`` items close the agenda, others open it).

    An item of no particular kind ("standing", as the form and the command line make them)
    takes the kind its title names, so "Any other business" stays last on every agenda.
    """
    rows = [
        replace(row, kind=kind_from_title(row.title))
        if row.kind == AgendaItemKind.STANDING.value
        else row
        for row in rows
    ]
    problems = {}
    for n, row in enumerate(rows, start=1):
        for key, problem in item_problems(clean(vars(row))).items():
            problems[f"item {n} {key}"] = problem
    if problems:
        raise ValidationError(problems)
    with database.session() as s:
        get_or_fail(s, Network, network_id, "network")
        for old in s.exec(select(StandingItem).where(StandingItem.network_id == network_id)).all():
            s.delete(old)
        for position, row in enumerate(rows, start=1):
            s.add(StandingItem(network_id=network_id, position=position, **clean(vars(row))))


def standing_items(database: Database, network_id: int) -> list[StandingRow]:
    with database.session() as s:
        query = select(StandingItem).where(StandingItem.network_id == network_id)
        rows = sorted(s.exec(query).all(), key=lambda r: (r.position, r.id))
        return [StandingRow(r.title, r.presenter, r.minutes_allotted, r.kind) for r in rows]
