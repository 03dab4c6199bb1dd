"""Actions raised in meetings, tracked until closed.

An open action is carried forward to every later agenda of its network as a
matter arising, with its owner and due date, until it is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from db.enums import ActionStatus
from db.models import Action, Meeting, Network, Recommendation
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.common import get_or_fail
from vru_crm.governance.meetings import check_version
from vru_crm.london import london_date, today_in_london

OPEN_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)
CLOSED_STATUSES = (ActionStatus.DONE.value, ActionStatus.DROPPED.value)
FIELDS = (
    "text",
    "owner",
    "due_date",
    "status",
    "meeting_id",
    "recommendation_id",
    "owner_person_id",
)


@dataclass(frozen=True)
class ActionRow:
    id: int
    text: str
    owner: str | None
    due_date: date | None
    status: str
    closed_on: date | None
    meeting_id: int | None
    meeting_title: str | None
    meeting_date: date | None
    network: str | None
    recommendation_id: int | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_by(self, as_of: date) -> int:
        """Days past the due date (0 if not due, closed or undated)."""
        if not self.is_open or self.due_date is None or self.due_date >= as_of:
            return 0
        return (as_of - self.due_date).days


def _problems(session: Session, values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if "text" in values and not (values["text"] or "").strip():
        problems["text"] = "say what is to be done"
    if values.get("owner") and len(values["owner"]) > 200:
        problems["owner"] = "the owner is too long (at most 200 characters)"
    if "status" in values and values["status"] not in set(ActionStatus):
        problems["status"] = f'"{values["status"]}" is not open, in_progress, done or dropped'
    for key, model, label in (
        ("meeting_id", Meeting, "meeting"),
        ("recommendation_id", Recommendation, "recommendation"),
    ):
        if values.get(key) is not None and session.get(model, values[key]) is None:
            problems[key] = f"there is no {label} with id {values[key]}"
    return problems


def _row(session: Session, action: Action) -> ActionRow:
    meeting = session.get(Meeting, action.meeting_id) if action.meeting_id else None
    network = session.get(Network, meeting.network_id) if meeting and meeting.network_id else None
    return ActionRow(
        action.id,
        action.text,
        action.owner,
        action.due_date,
        action.status,
        action.closed_on,
        action.meeting_id,
        meeting.title if meeting else None,
        london_date(meeting.starts_at) if meeting else None,
        network.name if network else None,
        action.recommendation_id,
        action.version,
    )


def create_action(database: Database, text: str, **values: Any) -> ActionRow:
    """A new open action (from a meeting's minutes or from a recommendation)."""
    values = {"text": text, **values}
    with database.session() as s:
        if problems := _problems(s, values):
            raise ValidationError(problems)
        action = Action(**{**values, "text": text.strip()})
        s.add(action)
        s.flush()
        return _row(s, action)


def update_action(
    database: Database, action_id: int, expected_version: int | None = None, **changes: Any
) -> ActionRow:
    """Change an action; closing it through ``status`` sets the closed date (today by default)."""
    unknown = set(changes) - set(FIELDS) - {"closed_on"}
    if unknown:
        raise ValidationError({name: "cannot be changed here" for name in sorted(unknown)})
    with database.session() as s:
        action = get_or_fail(s, Action, action_id, "action")
        check_version(action, expected_version)
        if problems := _problems(s, changes):
            raise ValidationError(problems)
        for name, value in changes.items():
            setattr(action, name, value.strip() if isinstance(value, str) else value)
        if action.status in CLOSED_STATUSES and action.closed_on is None:
            action.closed_on = today_in_london()
        if action.status in OPEN_STATUSES:
            action.closed_on = None
        s.flush()
        return _row(s, action)


def close_action(
    database: Database, action_id: int, on: date | None = None, dropped: bool = False
) -> ActionRow:
    """Close an action (done, or dropped): it stops being carried forward."""
    status = ActionStatus.DROPPED if dropped else ActionStatus.DONE
    return update_action(
        database, action_id, status=status.value, closed_on=on or today_in_london()
    )


def list_actions(
    database: Database,
    open_only: bool = False,
    network_id: int | None = None,
    overdue_as_of: date | None = None,
) -> list[ActionRow]:
    """Actions, soonest due first; optionally only open ones, one network's, or overdue ones."""
    with database.session() as s:
        query = select(Action)
        if network_id is not None:
            query = query.join(Meeting, Meeting.id == Action.meeting_id).where(
                Meeting.network_id == network_id
            )
        if open_only or overdue_as_of is not None:
            query = query.where(Action.status.in_(OPEN_STATUSES))
        if overdue_as_of is not None:
            query = query.where(Action.due_date < overdue_as_of)
        rows = [_row(s, a) for a in s.exec(query).all()]
    return sorted(rows, key=lambda r: (r.due_date is None, r.due_date or date.max, r.id))


def overdue_actions(database: Database, as_of: date | None = None) -> list[ActionRow]:
    """Open actions past their due date (for Home and the agenda builder)."""
    return list_actions(database, overdue_as_of=as_of or today_in_london())


def open_actions_before_in(session: Session, network_id: int, before: date) -> list[Action]:
    """Actions from the network's meetings before ``before`` that were still open on that day.

    An action closed after that day was open at the meeting, so an agenda rebuilt
    for an old meeting shows what was outstanding then.
    """
    query = (
        select(Action, Meeting)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Meeting.network_id == network_id)
    )
    found = []
    for action, meeting in session.exec(query).all():
        if london_date(meeting.starts_at) >= before:
            continue
        still_open = action.status in OPEN_STATUSES or (
            action.closed_on is not None and action.closed_on >= before
        )
        if still_open:
            found.append(action)
    return sorted(found, key=lambda a: (a.due_date is None, a.due_date or date.max, a.id))
