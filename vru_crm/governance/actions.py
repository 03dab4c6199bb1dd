"""Actions raised in meetings, tracked until closed.

An action is raised from a meeting (while minuting it) or from a Committee
recommendation, and is owned by a person or a team (an organisation) picked
from the database, so "who owes what" survives a change of job title. An open
action is carried forward to every later agenda of its network as a matter
arising, with its owner and due date, until it is closed with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz
from sqlmodel import Session, SQLModel, col, select

from db.enums import ActionStatus
from db.models import (
    Action,
    Meeting,
    Network,
    Organisation,
    Person,
    Recommendation,
    saved_id,
)
from db.session import Database
from vru_crm.errors import NotFound, ValidationError
from vru_crm.governance.common import get_or_fail
from vru_crm.governance.meetings import check_version
from vru_crm.london import london_date, today_in_london
from vru_crm.validation import normalise_name

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
    "owner_organisation_id",
    "closing_note",
)
OWNER_KINDS = ("person", "organisation")
_OWNER_IDS = {"owner_person_id", "owner_organisation_id"}


@dataclass(frozen=True)
class Owner:
    """Who owns an action: a person, or an organisation/team (``kind`` "organisation")."""

    kind: str
    id: int
    name: str

    @property
    def label(self) -> str:
        """``Lib Peck (person)``, ``MOPAC (team)``: a picker's line."""
        return f"{self.name} ({'person' if self.kind == 'person' else 'team'})"

    def as_values(self) -> dict[str, int | None]:
        """The keyword arguments of ``create_action`` / ``update_action`` for this owner."""
        return {
            "owner_person_id": self.id if self.kind == "person" else None,
            "owner_organisation_id": self.id if self.kind == "organisation" else None,
        }


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
    owner_kind: str | None = None
    owner_id: int | None = None
    closing_note: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_by(self, as_of: date) -> int:
        """Days past the due date (0 if not due, closed or undated)."""
        if not self.is_open or self.due_date is None or self.due_date >= as_of:
            return 0
        return (as_of - self.due_date).days

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO text), for ``--json``."""
        return {
            "id": self.id,
            "version": self.version,
            "text": self.text,
            "owner": self.owner,
            "owner_kind": self.owner_kind,
            "owner_id": self.owner_id,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "status": self.status,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "closing_note": self.closing_note,
            "meeting_id": self.meeting_id,
            "meeting_title": self.meeting_title,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "network": self.network,
            "recommendation_id": self.recommendation_id,
        }


# --- owners -------------------------------------------------------------------------------


def _owners_in(session: Session) -> list[Owner]:
    people = session.exec(select(col(Person.id), col(Person.full_name))).all()
    teams = session.exec(select(col(Organisation.id), col(Organisation.name))).all()
    # "is not None" only narrows the type: a primary key read back is never null
    return [Owner("person", i, n) for i, n in people if i is not None] + [
        Owner("organisation", i, n) for i, n in teams if i is not None
    ]


def _closeness(wanted: str, key: str) -> tuple[int, float]:
    """(place, score): whole name, name starting so, a word starting so, inside, then by typo."""
    words = key.split()
    if key == wanted:
        return 0, 100.0
    if key.startswith(wanted):
        return 1, 100.0
    if any(w.startswith(wanted) for w in words):
        return 2, 100.0
    if wanted in key:
        return 3, 100.0
    score = max([fuzz.ratio(wanted, key), *(fuzz.ratio(wanted, w) for w in words)])
    return 4, score


def _ranked(owners: list[Owner], text: str, limit: int | None, cutoff: float) -> list[Owner]:
    """Owners closest to ``text`` first; names only a typo away come after those that contain it."""
    wanted = normalise_name(text)
    if not wanted:
        return sorted(owners, key=lambda o: (o.name.casefold(), o.kind, o.id))[:limit]
    ranked = []
    for owner in owners:
        place, score = _closeness(wanted, normalise_name(owner.name))
        if place < 4 or score >= cutoff:
            ranked.append(((place, -score, owner.name.casefold(), owner.kind, owner.id), owner))
    ranked.sort(key=lambda pair: pair[0])
    return [owner for _key, owner in ranked[:limit]]


def _owner_by_reference(session: Session, text: str) -> Owner | None:
    """``person:12`` or ``organisation:5`` (``team:5``): an owner named by id, for scripts."""
    kind, _, number = text.partition(":")
    kind = {"team": "organisation", "org": "organisation"}.get(
        kind.strip().lower(), kind.strip().lower()
    )
    if kind not in OWNER_KINDS or not number.strip().isdigit():
        return None
    if kind == "person":
        person = get_or_fail(session, Person, int(number), "person")
        return Owner(kind, saved_id(person), person.full_name)
    team = get_or_fail(session, Organisation, int(number), "organisation")
    return Owner(kind, saved_id(team), team.name)


def resolve_owner(database: Database, name: str) -> Owner:
    """The one person or team called ``name`` (case, accents and spacing ignored).

    ``NotFound`` lists the closest names first when nothing is called that; two
    records with that name is a ``ValidationError`` naming both (pick one by
    ``person:ID`` or ``organisation:ID``).
    """
    typed = " ".join((name or "").split())
    if not typed:
        raise ValidationError({"owner": "say who owns the action: a person or a team"})
    with database.session() as s:
        if (by_id := _owner_by_reference(s, typed)) is not None:
            return by_id
        owners = _owners_in(s)
    wanted = normalise_name(typed)
    exact = [o for o in owners if o.name.casefold() == typed.casefold()]
    exact = exact or [o for o in owners if wanted and normalise_name(o.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        listed = "; ".join(f"{o.label} = {o.kind}:{o.id}" for o in exact[:6])
        raise ValidationError(
            {"owner": f'more than one record is called "{typed}": {listed}; name one by its id'}
        )
    if not owners:
        raise NotFound(
            f'There is no person or team called "{typed}": there are no people or '
            "organisations yet; add the owner first."
        )
    close = _ranked(owners, typed, 5, cutoff=60)
    hint = f" Closest: {'; '.join(o.label for o in close)}." if close else ""
    raise NotFound(f'There is no person or team called "{typed}".{hint}')


def owner_choices(database: Database, text: str, limit: int = 15) -> list[Owner]:
    """People and teams matching what is typed, closest first (everything, by name, if empty)."""
    with database.session() as s:
        owners = _owners_in(s)
    return _ranked(owners, text or "", limit, cutoff=75)


def _owner_of(session: Session, action: Action) -> Owner | None:
    if action.owner_person_id is not None:
        person = session.get(Person, action.owner_person_id)
        if person is not None:
            return Owner("person", saved_id(person), person.full_name)
    if action.owner_organisation_id is not None:
        team = session.get(Organisation, action.owner_organisation_id)
        if team is not None:
            return Owner("organisation", saved_id(team), team.name)
    return None


def _problems(session: Session, values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    model: type[SQLModel]
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
    for key, model, label in (
        ("owner_person_id", Person, "person"),
        ("owner_organisation_id", Organisation, "organisation"),
    ):
        if values.get(key) is not None and session.get(model, values[key]) is None:
            problems["owner"] = f"there is no {label} with id {values[key]}"
    if (
        values.get("owner_person_id") is not None
        and values.get("owner_organisation_id") is not None
    ):
        problems["owner"] = "an action has one owner: a person or a team, not both"
    if values.get("due_date") is not None and not isinstance(values["due_date"], date):
        problems["due_date"] = "the due date must be a date"
    return problems


def _set_owner_text(session: Session, action: Action) -> None:
    """The ``owner`` column keeps the owner's name, for agendas and exports that print it."""
    owner = _owner_of(session, action)
    if owner is not None:
        action.owner = owner.name


def _row(session: Session, action: Action) -> ActionRow:
    meeting = session.get(Meeting, action.meeting_id) if action.meeting_id else None
    network = session.get(Network, meeting.network_id) if meeting and meeting.network_id else None
    owner = _owner_of(session, action)
    return ActionRow(
        saved_id(action),
        action.text,
        owner.name if owner else action.owner,
        action.due_date,
        action.status,
        action.closed_on,
        action.meeting_id,
        meeting.title if meeting else None,
        london_date(meeting.starts_at) if meeting else None,
        network.name if network else None,
        action.recommendation_id,
        action.version,
        owner.kind if owner else None,
        owner.id if owner else None,
        action.closing_note,
    )


RAISED_FROM_PROBLEM = "raise the action from a meeting or from a recommendation: say which"


def create_action(
    database: Database,
    text: str,
    *,
    meeting_id: int | None = None,
    recommendation_id: int | None = None,
    owner_person_id: int | None = None,
    owner_organisation_id: int | None = None,
    due_date: date | None = None,
    **values: Any,
) -> ActionRow:
    """A new open action, raised from a meeting or from a recommendation.

    The owner is a person or a team (``owner_person_id`` / ``owner_organisation_id``);
    the ``owner`` text is set from its name. A free-text ``owner`` (an older record's
    "VRU Director") is still accepted when no owner record is given.
    """
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({name: "cannot be set here" for name in sorted(unknown)})
    values = {
        **values,
        "text": text,
        "meeting_id": meeting_id,
        "recommendation_id": recommendation_id,
        "owner_person_id": owner_person_id,
        "owner_organisation_id": owner_organisation_id,
        "due_date": due_date,
    }
    with database.session() as s:
        problems = _problems(s, values)
        if meeting_id is None and recommendation_id is None:
            problems.setdefault("meeting_id", RAISED_FROM_PROBLEM)
        if problems:
            raise ValidationError(problems)
        fields: dict[str, Any] = {
            k: v.strip() if isinstance(v, str) else v for k, v in values.items()
        }
        fields["owner"] = fields.get("owner") or None
        fields["closing_note"] = fields.get("closing_note") or None
        action = Action(**fields)
        _set_owner_text(s, action)
        s.add(action)
        s.flush()
        return _row(s, action)


def get_action(database: Database, action_id: int) -> ActionRow:
    with database.session() as s:
        return _row(s, get_or_fail(s, Action, action_id, "action"))


def _owner_changes(session: Session, action: Action, changes: dict[str, Any]) -> dict[str, Any]:
    """One owner at a time: a new person replaces the team and back; typed text unlinks."""
    if changes.get("owner_person_id") is not None:
        changes.setdefault("owner_organisation_id", None)
    if changes.get("owner_organisation_id") is not None:
        changes.setdefault("owner_person_id", None)
    if "owner" in changes and not set(changes) & _OWNER_IDS:
        linked = _owner_of(session, action)
        if linked is None or (changes["owner"] or "").strip() != linked.name:
            changes["owner_person_id"] = changes["owner_organisation_id"] = None
    elif (
        set(changes) >= _OWNER_IDS
        and "owner" not in changes
        and changes["owner_person_id"] is None
        and changes["owner_organisation_id"] is None
    ):
        changes["owner"] = None
    return changes


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
        changes = _owner_changes(s, action, dict(changes))
        problems = _problems(s, changes)
        meeting_id = changes.get("meeting_id", action.meeting_id)
        recommendation_id = changes.get("recommendation_id", action.recommendation_id)
        if {"meeting_id", "recommendation_id"} & set(changes) and (
            meeting_id is None and recommendation_id is None
        ):
            problems.setdefault("meeting_id", RAISED_FROM_PROBLEM)
        if problems:
            raise ValidationError(problems)
        for name, value in changes.items():
            value = value.strip() if isinstance(value, str) else value
            setattr(action, name, value if value != "" or name == "text" else None)
        _set_owner_text(s, action)
        if action.status in CLOSED_STATUSES and action.closed_on is None:
            action.closed_on = today_in_london()
        if action.status in OPEN_STATUSES:
            action.closed_on = None
        s.flush()
        return _row(s, action)


def close_action(
    database: Database,
    action_id: int,
    on: date | None = None,
    dropped: bool = False,
    note: str | None = None,
    expected_version: int | None = None,
) -> ActionRow:
    """Close an action (done, or dropped), with a note of what came of it.

    A closed action stops being carried onto later agendas.
    """
    status = ActionStatus.DROPPED if dropped else ActionStatus.DONE
    changes: dict[str, Any] = {"status": status.value, "closed_on": on or today_in_london()}
    if note is not None:
        changes["closing_note"] = note.strip() or None
    return update_action(database, action_id, expected_version=expected_version, **changes)


def reopen_action(
    database: Database, action_id: int, expected_version: int | None = None
) -> ActionRow:
    """Open again (closed by mistake): it is carried forward again."""
    return update_action(
        database,
        action_id,
        expected_version=expected_version,
        status=ActionStatus.OPEN.value,
        closing_note=None,
    )


def delete_action(database: Database, action_id: int, version: int | None = None) -> None:
    """Remove an action entered by mistake."""
    with database.session() as s:
        action = get_or_fail(s, Action, action_id, "action")
        check_version(action, version)
        s.delete(action)


def list_actions(
    database: Database,
    open_only: bool = False,
    network_id: int | None = None,
    overdue_as_of: date | None = None,
    meeting_id: int | None = None,
    recommendation_id: int | None = None,
) -> list[ActionRow]:
    """Actions, soonest due first; optionally only open ones, one network's, or overdue ones."""
    with database.session() as s:
        query = select(Action)
        if meeting_id is not None:
            query = query.where(Action.meeting_id == meeting_id)
        if recommendation_id is not None:
            query = query.where(Action.recommendation_id == recommendation_id)
        if network_id is not None:
            query = query.join(Meeting, col(Meeting.id) == Action.meeting_id).where(
                Meeting.network_id == network_id
            )
        if open_only or overdue_as_of is not None:
            query = query.where(col(Action.status).in_(OPEN_STATUSES))
        if overdue_as_of is not None:
            query = query.where(col(Action.due_date) < overdue_as_of)
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
        .join(Meeting, col(Meeting.id) == Action.meeting_id)
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
