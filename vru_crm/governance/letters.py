"""Letters that carry recommendations: the Committee's, and the replies to them.

A letter is entered once, with its sender, date and the day a reply is due, and
its recommendations with it (often found in its pasted text by
``letter_parse.parse_letter`` and corrected by the user). Each recommendation
copies the letter's sender and date, so changing the letter changes them too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from db.enums import RecommendationStatus
from db.models import Letter, Recommendation, saved_id
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.governance.common import get_or_fail
from vru_crm.governance.letter_parse import FoundRecommendation
from vru_crm.governance.meetings import check_version
from vru_crm.governance.recommendations import (
    RecommendationRow,
    create_recommendation_in,
)
from vru_crm.governance.recommendations import recommendation_row as _row
from vru_crm.validation import normalise_name

SENDER_MAX = 200
SUBJECT_MAX = 300


@dataclass
class LetterInput:
    sender: str
    letter_date: date
    reply_due: date | None = None
    subject: str | None = None
    text: str = ""


@dataclass(frozen=True)
class LetterRecord:
    id: int
    version: int
    sender: str
    letter_date: date
    reply_due: date | None
    subject: str | None
    text: str
    recommendations: tuple[RecommendationRow, ...]

    @property
    def title(self) -> str:
        """``Police and Crime Committee, 7 April 2020``: how lists and messages name a letter."""
        return f"{self.sender}, {self.letter_date.day} {self.letter_date:%B %Y}"

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.recommendations if r.is_open)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        values: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "sender": self.sender,
            "letter_date": self.letter_date.isoformat(),
            "reply_due": self.reply_due.isoformat() if self.reply_due else None,
            "subject": self.subject,
            "recommendations": [r.to_dict() for r in self.recommendations],
        }
        if with_text:
            values["text"] = self.text
        return values


def letter_problems(data: LetterInput) -> dict[str, str]:
    """What is wrong with a letter's values, in words (no database needed: a form's preview)."""
    problems: dict[str, str] = {}
    sender = (data.sender or "").strip()
    if not sender:
        problems["sender"] = "say who sent the letter"
    elif len(sender) > SENDER_MAX:
        problems["sender"] = f"the sender is too long (at most {SENDER_MAX} characters)"
    if not isinstance(data.letter_date, date):
        problems["letter_date"] = "the letter's date is required"
    if data.reply_due is not None:
        if not isinstance(data.reply_due, date):
            problems["reply_due"] = "the reply due date must be a date"
        elif isinstance(data.letter_date, date) and data.reply_due < data.letter_date:
            problems["reply_due"] = "a reply cannot be due before the letter was written"
    if data.subject and len(data.subject.strip()) > SUBJECT_MAX:
        problems["subject"] = f"the subject is too long (at most {SUBJECT_MAX} characters)"
    return problems


def _recommendations_in(session: Session, letter_id: int) -> tuple[RecommendationRow, ...]:
    query = (
        select(Recommendation)
        .where(Recommendation.letter_id == letter_id)
        .order_by(col(Recommendation.number), col(Recommendation.id))
    )
    return tuple(_row(r) for r in session.exec(query).all())


def _record(session: Session, letter: Letter) -> LetterRecord:
    letter_id = saved_id(letter)
    return LetterRecord(
        letter_id,
        letter.version,
        letter.sender,
        letter.letter_date,
        letter.reply_due,
        letter.subject,
        letter.text or "",
        _recommendations_in(session, letter_id),
    )


def _apply(letter: Letter, data: LetterInput) -> None:
    letter.sender = data.sender.strip()
    letter.letter_date = data.letter_date
    letter.reply_due = data.reply_due
    letter.subject = (data.subject or "").strip() or None
    letter.text = data.text or ""


def create_letter(
    database: Database,
    data: LetterInput,
    recommendations: Sequence[FoundRecommendation] = (),
) -> LetterRecord:
    """A new letter and its recommendations, in one unit of work.

    Recommendations without a number take the next one in the letter. A found
    reply (a reply letter quoting each recommendation) is recorded as that
    recommendation's response, dated the letter's date.
    """
    if problems := letter_problems(data):
        raise ValidationError(problems)
    numbers = [r.number for r in recommendations if r.number is not None]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise ValidationError(
            {
                "number": "each recommendation needs its own number; repeated: "
                + ", ".join(str(n) for n in repeated)
            }
        )
    with database.session() as s:
        letter = Letter(sender=data.sender, letter_date=data.letter_date)
        _apply(letter, data)
        s.add(letter)
        s.flush()
        # Numbered ones first, so an unnumbered one never takes a number given later.
        for found in sorted(recommendations, key=lambda r: r.number is None):
            if not (found.text or "").strip():
                continue
            extra: dict[str, Any] = {}
            if found.reply and found.reply.strip():
                extra = {
                    "response": found.reply.strip(),
                    "response_date": data.letter_date,
                    "status": RecommendationStatus.RESPONDED.value,
                }
            create_recommendation_in(s, letter, found.text, found.number, found.due_date, **extra)
        return _record(s, letter)


def get_letter(database: Database, letter_id: int) -> LetterRecord:
    with database.session() as s:
        return _record(s, get_or_fail(s, Letter, letter_id, "letter"))


def update_letter(
    database: Database, letter_id: int, data: LetterInput, version: int
) -> LetterRecord:
    """Change a letter; its recommendations follow its sender and date."""
    if problems := letter_problems(data):
        raise ValidationError(problems)
    with database.session() as s:
        letter = get_or_fail(s, Letter, letter_id, "letter")
        check_version(letter, version)
        _apply(letter, data)
        for row in s.exec(select(Recommendation).where(Recommendation.letter_id == letter_id)):
            if row.sender != letter.sender or row.letter_date != letter.letter_date:
                row.sender = letter.sender
                row.letter_date = letter.letter_date
        s.flush()
        return _record(s, letter)


def delete_letter(database: Database, letter_id: int, version: int | None = None) -> None:
    """Remove a letter entered by mistake, with its recommendations."""
    with database.session() as s:
        letter = get_or_fail(s, Letter, letter_id, "letter")
        check_version(letter, version)
        for row in s.exec(select(Recommendation).where(Recommendation.letter_id == letter_id)):
            s.delete(row)
        s.flush()
        s.delete(letter)


def list_letters(database: Database) -> list[LetterRecord]:
    """Every letter, newest first, each with its recommendations."""
    with database.session() as s:
        letters = s.exec(select(Letter)).all()
        by_letter: dict[int, list[RecommendationRow]] = {}
        for row in s.exec(
            select(Recommendation)
            .where(col(Recommendation.letter_id).is_not(None))
            .order_by(col(Recommendation.number), col(Recommendation.id))
        ):
            if row.letter_id is not None:  # always, by the query: this narrows the type
                by_letter.setdefault(row.letter_id, []).append(_row(row))
        records = [
            LetterRecord(
                saved_id(letter),
                letter.version,
                letter.sender,
                letter.letter_date,
                letter.reply_due,
                letter.subject,
                letter.text or "",
                tuple(by_letter.get(saved_id(letter), ())),
            )
            for letter in letters
        ]
    return sorted(records, key=lambda r: (r.letter_date, r.id), reverse=True)


def letter_input(record: LetterRecord) -> LetterInput:
    """The form's values for an existing letter."""
    return LetterInput(
        record.sender, record.letter_date, record.reply_due, record.subject, record.text
    )


def letter_choices(database: Database) -> list[tuple[int, str]]:
    """(id, "Police and Crime Committee, 7 April 2020") for pickers, newest first."""
    with database.session() as s:
        query = select(Letter).order_by(col(Letter.letter_date).desc(), col(Letter.id).desc())
        rows = s.exec(query).all()
        return [
            (saved_id(r), f"{r.sender}, {r.letter_date.day} {r.letter_date:%B %Y}") for r in rows
        ]


# --- a reply letter's answers, put against the recommendations they answer ----------------


@dataclass(frozen=True)
class ReplyMatch:
    """A recommendation quoted in a reply, and the recorded one it most likely answers."""

    found: FoundRecommendation
    recommendation: RecommendationRow | None  # None: nothing recorded is close enough
    score: float  # 0-100, how alike the texts are


def match_replies(
    database: Database,
    found: Sequence[FoundRecommendation],
    letter_id: int | None = None,
    cutoff: float = 80.0,
) -> list[ReplyMatch]:
    """For each quoted recommendation, the recorded one with the most alike text.

    A reply quotes recommendations loosely (unnumbered, reworded a little), so the
    texts are compared word by word, not character by character; ``letter_id``
    restricts the search to the letter being answered. Each recorded one is used
    once at most, best pairs first.
    """
    with database.session() as s:
        query = select(Recommendation)
        if letter_id is not None:
            query = query.where(Recommendation.letter_id == letter_id)
        recorded = [_row(r) for r in s.exec(query).all()]
    pairs = []
    for i, item in enumerate(found):
        for row in recorded:
            score = fuzz.token_set_ratio(normalise_name(item.text), normalise_name(row.text))
            if item.number is not None and letter_id is not None and item.number == row.number:
                score = max(score, cutoff)
            if score >= cutoff:
                pairs.append((score, i, row))
    chosen: dict[int, tuple[float, RecommendationRow]] = {}
    used: set[int] = set()
    for score, i, row in sorted(pairs, key=lambda p: (-p[0], p[1], p[2].id)):
        if i in chosen or row.id in used:
            continue
        chosen[i] = (score, row)
        used.add(row.id)
    return [
        ReplyMatch(
            item, chosen[i][1] if i in chosen else None, chosen[i][0] if i in chosen else 0.0
        )
        for i, item in enumerate(found)
    ]


def record_replies(
    database: Database, matches: Sequence[ReplyMatch], on: date
) -> list[RecommendationRow]:
    """Record each matched answer as its recommendation's reply, in one unit of work."""
    rows = []
    with database.session() as s:
        for match in matches:
            reply = (match.found.reply or "").strip()
            if match.recommendation is None or not reply:
                continue
            row = get_or_fail(s, Recommendation, match.recommendation.id, "recommendation")
            row.response = reply
            row.response_date = on
            row.status = RecommendationStatus.RESPONDED.value
            s.flush()
            rows.append(_row(row))
    return rows
