"""The Committee's recommendations: due dates, responses and status.

A recommendation arrives in a letter (``vru_crm.governance.letters``), numbered,
often with a deadline ("by May 2020"); it stays open until a reply is recorded.
Its sender and letter date are copied from its letter, so the register, Home and
the agenda builder can name it ("Police and Crime Committee, 7 April 2020,
recommendation 3") without reading the letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.enums import RecommendationStatus
from db.models import Letter, Recommendation, saved_id
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.common import get_or_fail
from vru_crm.governance.meetings import check_version
from vru_crm.london import today_in_london

FIELDS = (
    "letter_id",
    "sender",
    "letter_date",
    "number",
    "text",
    "due_date",
    "status",
    "response_date",
    "response",
)
OPEN = RecommendationStatus.OPEN.value
# A reply, in full or in part, settles a recommendation; the others are later judgements.
REPLY_STATUSES = (
    RecommendationStatus.RESPONDED.value,
    RecommendationStatus.PARTIALLY_ACCEPTED.value,
    RecommendationStatus.ACCEPTED.value,
    RecommendationStatus.REJECTED.value,
    RecommendationStatus.CLOSED.value,
)


@dataclass(frozen=True)
class RecommendationRow:
    id: int
    sender: str
    letter_date: date
    number: int
    text: str
    due_date: date | None
    status: str
    response_date: date | None
    response: str | None
    version: int
    letter_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def overdue_by(self, as_of: date) -> int:
        if self.status != OPEN or self.due_date is None or self.due_date >= as_of:
            return 0
        return (as_of - self.due_date).days

    @property
    def reference(self) -> str:
        """``Police and Crime Committee, 7 April 2020, recommendation 3``."""
        return f"{self.sender}, {self.letter_date.day} {self.letter_date:%B %Y}, recommendation {self.number}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO text), for ``--json``."""
        return {
            "id": self.id,
            "version": self.version,
            "letter_id": self.letter_id,
            "sender": self.sender,
            "letter_date": self.letter_date.isoformat(),
            "number": self.number,
            "text": self.text,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "status": self.status,
            "response_date": self.response_date.isoformat() if self.response_date else None,
            "response": self.response,
        }


def _row(r: Recommendation) -> RecommendationRow:
    return RecommendationRow(
        saved_id(r),
        r.sender,
        r.letter_date,
        r.number,
        r.text,
        r.due_date,
        r.status,
        r.response_date,
        r.response,
        r.version,
        r.letter_id,
    )


def recommendation_row(r: Recommendation) -> RecommendationRow:
    """The plain row of a recommendation read in another module's unit of work."""
    return _row(r)


def _problems(values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if "sender" in values and not (values["sender"] or "").strip():
        problems["sender"] = "say who sent the letter"
    if "text" in values and not (values["text"] or "").strip():
        problems["text"] = "the recommendation's text is required"
    if "number" in values and (not isinstance(values["number"], int) or values["number"] < 1):
        problems["number"] = "the number in the letter must be 1 or more"
    if "letter_date" in values and not isinstance(values["letter_date"], date):
        problems["letter_date"] = "the letter's date is required"
    if "status" in values and values["status"] not in set(RecommendationStatus):
        problems["status"] = f'"{values["status"]}" is not a recommendation status'
    if values.get("due_date") is not None and not isinstance(values["due_date"], date):
        problems["due_date"] = "the due date must be a date"
    return problems


def next_number_in(session: Session, letter_id: int) -> int:
    """One more than the highest number in the letter (1 for its first recommendation)."""
    highest = session.exec(
        select(func.max(Recommendation.number)).where(Recommendation.letter_id == letter_id)
    ).one()
    return (highest or 0) + 1


def _number_taken(session: Session, letter_id: int, number: int, except_id: int | None) -> bool:
    query = select(Recommendation.id).where(
        Recommendation.letter_id == letter_id, Recommendation.number == number
    )
    return any(found != except_id for found in session.exec(query).all())


def _letter_for(session: Session, sender: str, letter_date: date) -> Letter:
    """The letter a recommendation entered without one belongs to (made if need be).

    Older callers name the sender and date only; the migration grouped such
    recommendations one letter per sender and date, and so does this.
    """
    sender = sender.strip()
    query = select(Letter).where(Letter.sender == sender, Letter.letter_date == letter_date)
    letter = session.exec(query.order_by(col(Letter.id))).first()
    if letter is None:
        letter = Letter(sender=sender, letter_date=letter_date)
        session.add(letter)
        session.flush()
    return letter


def create_recommendation_in(
    session: Session,
    letter: Letter,
    text: str,
    number: int | None = None,
    due_date: date | None = None,
    **values: Any,
) -> Recommendation:
    """Add a recommendation to ``letter`` inside a unit of work (used by letters too)."""
    fields = {"text": text, "due_date": due_date, **values}
    if number is not None:
        fields["number"] = number
    if problems := _problems(fields):
        raise ValidationError(problems)
    if number is None:
        number = next_number_in(session, saved_id(letter))
    elif _number_taken(session, saved_id(letter), number, None):
        raise ValidationError({"number": f"this letter already has a recommendation {number}"})
    row = Recommendation(
        letter_id=letter.id,
        sender=letter.sender,
        letter_date=letter.letter_date,
        number=number,
        text=text.strip(),
        due_date=due_date,
        **values,
    )
    session.add(row)
    session.flush()
    return row


def create_recommendation(
    database: Database,
    letter_id: int | None = None,
    number: int | None = None,
    text: str = "",
    due_date: date | None = None,
    **values: Any,
) -> RecommendationRow:
    """A new recommendation in a letter; ``number`` defaults to the next one in it.

    The sender and letter date come from the letter. Without ``letter_id``, give
    ``sender`` and ``letter_date``: the recommendation joins the letter of that
    sender and date (one is made if there is none).
    """
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({name: "cannot be set here" for name in sorted(unknown)})
    sender = values.pop("sender", None)
    letter_date = values.pop("letter_date", None)
    values.pop("letter_id", None)
    if letter_id is None:
        problems = _problems({"sender": sender, "letter_date": letter_date, "text": text})
        if problems:
            raise ValidationError(problems)
    with database.session() as s:
        if letter_id is not None:
            letter = get_or_fail(s, Letter, letter_id, "letter")
        else:
            letter = _letter_for(s, sender, letter_date)
        row = create_recommendation_in(s, letter, text, number, due_date, **values)
        return _row(row)


def get_recommendation(database: Database, recommendation_id: int) -> RecommendationRow:
    with database.session() as s:
        return _row(get_or_fail(s, Recommendation, recommendation_id, "recommendation"))


def update_recommendation(
    database: Database, recommendation_id: int, expected_version: int | None = None, **changes: Any
) -> RecommendationRow:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError({name: "cannot be changed here" for name in sorted(unknown)})
    if problems := _problems(changes):
        raise ValidationError(problems)
    with database.session() as s:
        row = get_or_fail(s, Recommendation, recommendation_id, "recommendation")
        check_version(row, expected_version)
        if changes.get("letter_id") is not None:
            letter = get_or_fail(s, Letter, changes["letter_id"], "letter")
            changes = {**changes, "sender": letter.sender, "letter_date": letter.letter_date}
        letter_id = changes.get("letter_id", row.letter_id)
        number = changes.get("number", row.number)
        moved = "number" in changes or "letter_id" in changes
        if moved and letter_id is not None and _number_taken(s, letter_id, number, row.id):
            raise ValidationError({"number": f"this letter already has a recommendation {number}"})
        for name, value in changes.items():
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        s.flush()
        return _row(row)


def record_response(
    database: Database,
    recommendation_id: int,
    response: str,
    on: date | None = None,
    status: str = RecommendationStatus.RESPONDED.value,
    expected_version: int | None = None,
) -> RecommendationRow:
    """Record the reply sent; the recommendation stops counting as due.

    ``status`` is "responded" for a full reply, "partially_accepted" for a partial
    one (or a later judgement: accepted, rejected, closed).
    """
    problems: dict[str, str] = {}
    if not (response or "").strip():
        problems["response"] = "write what was replied"
    if status == OPEN:
        problems["status"] = "a recommendation with a reply is no longer open"
    elif status not in REPLY_STATUSES:
        problems["status"] = f'"{status}" is not a recommendation status'
    if on is not None and not isinstance(on, date):
        problems["response_date"] = "the reply date must be a date"
    if problems:
        raise ValidationError(problems)
    return update_recommendation(
        database,
        recommendation_id,
        expected_version=expected_version,
        response=response.strip(),
        response_date=on or today_in_london(),
        status=status,
    )


def record_partial_response(
    database: Database, recommendation_id: int, response: str, on: date | None = None
) -> RecommendationRow:
    """A reply that meets the recommendation in part ("partially_accepted")."""
    return record_response(
        database, recommendation_id, response, on, RecommendationStatus.PARTIALLY_ACCEPTED.value
    )


def close_recommendation(
    database: Database, recommendation_id: int, expected_version: int | None = None
) -> RecommendationRow:
    """Nothing more is expected on it (its reply, if any, is kept)."""
    return update_recommendation(
        database,
        recommendation_id,
        expected_version=expected_version,
        status=RecommendationStatus.CLOSED.value,
    )


def reopen_recommendation(
    database: Database, recommendation_id: int, expected_version: int | None = None
) -> RecommendationRow:
    """Back to open (a reply recorded by mistake); the reply text is kept for reference."""
    return update_recommendation(
        database, recommendation_id, expected_version=expected_version, status=OPEN
    )


def delete_recommendation(
    database: Database, recommendation_id: int, version: int | None = None
) -> None:
    """Remove a recommendation entered by mistake (actions raised from it keep their text)."""
    with database.session() as s:
        row = get_or_fail(s, Recommendation, recommendation_id, "recommendation")
        check_version(row, version)
        s.delete(row)


def list_recommendations(
    database: Database,
    open_only: bool = False,
    due_by: date | None = None,
    letter_id: int | None = None,
) -> list[RecommendationRow]:
    """Recommendations by letter and number; ``due_by`` keeps open ones due on or before that day."""
    with database.session() as s:
        query = select(Recommendation)
        if open_only or due_by is not None:
            query = query.where(Recommendation.status == OPEN)
        if due_by is not None:
            query = query.where(col(Recommendation.due_date) <= due_by)
        if letter_id is not None:
            query = query.where(Recommendation.letter_id == letter_id)
        rows = [_row(r) for r in s.exec(query).all()]
    return sorted(rows, key=lambda r: (r.letter_date, r.sender, r.letter_id or 0, r.number))


@dataclass(frozen=True)
class Register:
    """What the Committee is owed: open recommendations overdue, and due within the horizon."""

    as_of: date
    overdue: tuple[RecommendationRow, ...]
    due_soon: tuple[RecommendationRow, ...]
    open_undated: tuple[RecommendationRow, ...]


def recommendation_register(
    database: Database, as_of: date | None = None, horizon_days: int = 60
) -> Register:
    """The register: overdue first (longest overdue first), then due soon, then open with no date."""
    day = as_of or today_in_london()
    rows = list_recommendations(database, open_only=True)
    # Both lists hold only rows with a due date; "or date.min" narrows the type.
    overdue = sorted(
        (r for r in rows if r.overdue_by(day) > 0), key=lambda r: r.due_date or date.min
    )
    horizon = date.fromordinal(day.toordinal() + horizon_days)
    soon = sorted(
        (r for r in rows if r.due_date is not None and day <= r.due_date <= horizon),
        key=lambda r: r.due_date or date.min,
    )
    undated = [r for r in rows if r.due_date is None]
    return Register(day, tuple(overdue), tuple(soon), tuple(undated))


def overdue_recommendations(
    database: Database, as_of: date | None = None
) -> list[RecommendationRow]:
    """Open recommendations whose deadline has passed (for Home and agendas)."""
    day = as_of or today_in_london()
    return [r for r in list_recommendations(database, open_only=True) if r.overdue_by(day) > 0]
