"""The Committee's recommendations: due dates, responses and status.

A recommendation arrives in a numbered letter, often with a deadline ("by May
2020"); it stays open until a response is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import select

from db.enums import RecommendationStatus
from db.models import Recommendation
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.common import get_or_fail
from vru_crm.governance.meetings import check_version
from vru_crm.london import today_in_london

FIELDS = (
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

    def overdue_by(self, as_of: date) -> int:
        if self.status != OPEN or self.due_date is None or self.due_date >= as_of:
            return 0
        return (as_of - self.due_date).days

    @property
    def reference(self) -> str:
        """``Police and Crime Committee, 7 April 2020, recommendation 3``."""
        return f"{self.sender}, {self.letter_date.day} {self.letter_date:%B %Y}, recommendation {self.number}"


def _row(r: Recommendation) -> RecommendationRow:
    return RecommendationRow(
        r.id,
        r.sender,
        r.letter_date,
        r.number,
        r.text,
        r.due_date,
        r.status,
        r.response_date,
        r.response,
        r.version,
    )


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
    return problems


def create_recommendation(database: Database, **values: Any) -> RecommendationRow:
    required = {k: values.get(k) for k in ("sender", "letter_date", "number", "text")}
    if problems := _problems({**required, **values}):
        raise ValidationError(problems)
    with database.session() as s:
        row = Recommendation(**values)
        s.add(row)
        s.flush()
        return _row(row)


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
        for name, value in changes.items():
            setattr(row, name, value)
        s.flush()
        return _row(row)


def record_response(
    database: Database,
    recommendation_id: int,
    response: str,
    on: date | None = None,
    status: str = RecommendationStatus.RESPONDED.value,
) -> RecommendationRow:
    """Record the reply sent; the recommendation stops counting as due."""
    if not (response or "").strip():
        raise ValidationError({"response": "write what was replied"})
    if status == OPEN:
        raise ValidationError({"status": "a recommendation with a response is no longer open"})
    return update_recommendation(
        database,
        recommendation_id,
        response=response.strip(),
        response_date=on or today_in_london(),
        status=status,
    )


def close_recommendation(database: Database, recommendation_id: int) -> RecommendationRow:
    return update_recommendation(
        database, recommendation_id, status=RecommendationStatus.CLOSED.value
    )


def list_recommendations(
    database: Database, open_only: bool = False, due_by: date | None = None
) -> list[RecommendationRow]:
    """Recommendations by letter and number; ``due_by`` keeps open ones due on or before that day."""
    with database.session() as s:
        query = select(Recommendation)
        if open_only or due_by is not None:
            query = query.where(Recommendation.status == OPEN)
        if due_by is not None:
            query = query.where(Recommendation.due_date <= due_by)
        rows = [_row(r) for r in s.exec(query).all()]
    return sorted(rows, key=lambda r: (r.letter_date, r.sender, r.number))


def overdue_recommendations(
    database: Database, as_of: date | None = None
) -> list[RecommendationRow]:
    """Open recommendations whose deadline has passed (for Home and agendas)."""
    day = as_of or today_in_london()
    return [r for r in list_recommendations(database, open_only=True) if r.overdue_by(day) > 0]
