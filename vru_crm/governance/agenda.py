"""The agenda of a meeting: assembled from what is open, then edited by the Director.

A draft is built from the network's standing items, the minutes awaiting
approval, every action still open from earlier meetings (matters arising,
carried forward until closed), the Committee's recommendations due or overdue,
and a summary of the engagements since the last meeting. Items are then
reordered, edited and added, with a running total against the meeting's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from db.enums import AgendaItemKind, MeetingStatus, MinutesStatus
from db.models import AgendaItem, Meeting, Network, saved_id
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.agenda_draft import chair_of, draft_items_in, previous_meeting_in
from vru_crm.governance.agenda_items import (
    ITEM_FIELDS,
    StandingRow,
    clean,
    item_problems,
    set_standing_items,
    standing_items,
)
from vru_crm.governance.common import format_day, get_or_fail, meeting_or_fail
from vru_crm.governance.minutes import apply_transition
from vru_crm.london import london, london_date

__all__ = [
    "OUTCOMES",
    "Agenda",
    "ItemRow",
    "StandingRow",
    "add_item",
    "agenda_in",
    "assemble_draft",
    "chair_of",
    "get_agenda",
    "move_item",
    "previous_meeting_in",
    "record_outcome",
    "record_outcome_in",
    "remove_item",
    "reorder_items",
    "set_standing_items",
    "standing_items",
    "update_item",
]

OUTCOMES = ("agreed", "not_agreed", "deferred", "noted")
RECOMMENDATION_HORIZON_DAYS = 31


@dataclass(frozen=True)
class ItemRow:
    id: int
    number: int  # from 1, in agenda order: what every view and document shows
    title: str
    presenter: str | None
    minutes_allotted: int | None
    paper_url: str | None
    kind: str
    notes: str
    outcome: str | None
    subject_meeting_id: int | None


@dataclass
class Agenda:
    """A meeting's agenda as people read it: header facts and numbered items."""

    meeting_id: int
    title: str
    network: str | None
    starts_at: datetime  # London time
    ends_at: datetime
    location: str | None
    online_url: str | None
    chair: str | None
    status: str
    items: list[ItemRow] = field(default_factory=list)

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def total_minutes(self) -> int:
        return sum(i.minutes_allotted or 0 for i in self.items)

    @property
    def over_by(self) -> int:
        """Minutes the items run past the meeting's end (0 if they fit)."""
        return max(0, self.total_minutes - self.length_minutes)

    def timings(self) -> list[tuple[datetime, datetime]]:
        """Each item's start and end on the clock, in order (London time)."""
        at, result = self.starts_at, []
        for item in self.items:
            end = at + timedelta(minutes=item.minutes_allotted or 0)
            result.append((at, end))
            at = end
        return result

    @property
    def papers(self) -> list[ItemRow]:
        return [i for i in self.items if i.paper_url]


def _items(session: Session, meeting_id: int) -> list[AgendaItem]:
    query = select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
    return sorted(session.exec(query).all(), key=lambda i: (i.position, i.id))


def agenda_in(session: Session, meeting: Meeting) -> Agenda:
    """The agenda of ``meeting``, read inside an open session."""
    network = session.get(Network, meeting.network_id) if meeting.network_id else None
    meeting_id = saved_id(meeting)
    items = [
        ItemRow(
            saved_id(i),
            n,
            i.title,
            i.presenter,
            i.minutes_allotted,
            i.paper_url,
            i.kind,
            i.notes,
            i.outcome,
            i.subject_meeting_id,
        )
        for n, i in enumerate(_items(session, meeting_id), start=1)
    ]
    return Agenda(
        meeting_id,
        meeting.title,
        network.name if network else None,
        london(meeting.starts_at),
        london(meeting.ends_at),
        meeting.location,
        meeting.online_url,
        chair_of(session, meeting),
        meeting.status,
        items,
    )


def get_agenda(database: Database, meeting_id: int) -> Agenda:
    with database.session() as s:
        return agenda_in(s, meeting_or_fail(s, meeting_id))


def assemble_draft(
    database: Database,
    meeting_id: int,
    replace: bool = False,
    horizon_days: int = RECOMMENDATION_HORIZON_DAYS,
) -> Agenda:
    """Build and save the draft agenda from what is open; ``replace`` drops the existing items."""
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        existing = _items(s, meeting_id)
        if existing and not replace:
            raise ValidationError(
                {
                    "agenda": "this meeting already has an agenda; rebuild it only if you mean to "
                    "replace the items (your edits would be lost)"
                }
            )
        for item in existing:
            s.delete(item)
        s.flush()
        for position, item in enumerate(draft_items_in(s, meeting, horizon_days), start=1):
            item.meeting_id = meeting_id
            item.position = position
            s.add(item)
        s.flush()
        return agenda_in(s, meeting)


# --- editing ------------------------------------------------------------------------------


def add_item(database: Database, meeting_id: int, title: str, **values: Any) -> Agenda:
    """Add an item at the end (or at 1-based ``number``), with presenter and minutes allotted."""
    number = values.pop("number", None)
    values = clean({"title": title, **values})
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown or (problems := item_problems(values)):
        raise ValidationError({n: "cannot be set here" for n in unknown} if unknown else problems)
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        items = _items(s, meeting_id)
        item = AgendaItem(meeting_id=meeting_id, position=len(items) + 1, **values)
        s.add(item)
        index = len(items) if number is None else max(0, min(len(items), number - 1))
        items.insert(index, item)
        _renumber(items)
        s.flush()
        return agenda_in(s, meeting)


def update_item(database: Database, item_id: int, **changes: Any) -> Agenda:
    changes = clean(changes)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError({n: "cannot be changed here" for n in sorted(unknown)})
    if problems := item_problems(changes):
        raise ValidationError(problems)
    with database.session() as s:
        item = get_or_fail(s, AgendaItem, item_id, "agenda item")
        for key, value in changes.items():
            setattr(item, key, value)
        s.flush()
        return agenda_in(s, meeting_or_fail(s, item.meeting_id))


def remove_item(database: Database, item_id: int) -> Agenda:
    with database.session() as s:
        item = get_or_fail(s, AgendaItem, item_id, "agenda item")
        meeting_id = item.meeting_id
        s.delete(item)
        s.flush()
        _renumber(_items(s, meeting_id))
        return agenda_in(s, meeting_or_fail(s, meeting_id))


def _renumber(items: list[AgendaItem]) -> None:
    """Positions from 1, as the items are numbered wherever they show (the demo's are too)."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position


def reorder_items(database: Database, meeting_id: int, item_ids: list[int]) -> Agenda:
    """Put the items in the order given; the ids must be exactly the meeting's items."""
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        items = {saved_id(i): i for i in _items(s, meeting_id)}
        if sorted(item_ids) != sorted(items):
            raise ValidationError(
                {"order": "the agenda changed while you were editing it; reload it and try again"}
            )
        _renumber([items[i] for i in item_ids])
        s.flush()
        return agenda_in(s, meeting)


def move_item(database: Database, item_id: int, offset: int) -> Agenda:
    """Move an item up (negative) or down (positive) by ``offset`` places."""
    with database.session() as s:
        item = get_or_fail(s, AgendaItem, item_id, "agenda item")
        items = _items(s, item.meeting_id)
        index = items.index(item)
        target = max(0, min(len(items) - 1, index + offset))
        items.insert(target, items.pop(index))
        _renumber(items)
        s.flush()
        return agenda_in(s, meeting_or_fail(s, item.meeting_id))


# --- outcomes -----------------------------------------------------------------------------


def record_outcome_in(session: Session, item: AgendaItem, outcome: str | None) -> None:
    """What the meeting decided; agreeing a minutes item approves those minutes."""
    if outcome is not None and outcome not in OUTCOMES:
        raise ValidationError({"outcome": f'"{outcome}" is not one of {", ".join(OUTCOMES)}'})
    meeting = meeting_or_fail(session, item.meeting_id)
    if outcome is not None and meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            {"outcome": "record the meeting as held before recording its decisions"}
        )
    item.outcome = outcome
    if (
        item.kind != AgendaItemKind.MINUTES
        or outcome != "agreed"
        or item.subject_meeting_id is None
    ):
        return
    earlier = meeting_or_fail(session, item.subject_meeting_id)
    if earlier.minutes_status == MinutesStatus.APPROVED:
        return
    if earlier.minutes_status == MinutesStatus.NONE:
        raise ValidationError(
            {
                "outcome": f"the minutes of {format_day(london_date(earlier.starts_at))} have not been "
                "drafted yet, so they cannot be agreed; mark them as draft first"
            }
        )
    apply_transition(earlier, MinutesStatus.APPROVED.value, london_date(meeting.starts_at), None)


def record_outcome(database: Database, item_id: int, outcome: str | None) -> Agenda:
    with database.session() as s:
        item = get_or_fail(s, AgendaItem, item_id, "agenda item")
        record_outcome_in(s, item, outcome)
        s.flush()
        return agenda_in(s, meeting_or_fail(s, item.meeting_id))
