"""Subject access requests: logged with their due date, and everything held about one person.

The law gives one calendar month from receipt (UK GDPR art. 12(3)); the due
date is computed with ``relativedelta`` so 31 January is due on 28 or 29
February, not in March. The export is two files with the same content: an
HTML document a person can read, and a JSON file a machine can.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from db.errors import ConcurrentEditError
from db.models import Person, SubjectAccessRequest, saved_id
from db.session import Database
from vru_crm import validation as v
from vru_crm.errors import NotFound, ValidationError
from vru_crm.london import today_in_london
from vru_crm.protection.sar_document import collect, render_html

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestView:
    id: int
    version: int
    person_id: int | None
    person_name: str | None
    requested_by: str
    received_on: date
    due_on: date
    answered_on: date | None
    notes: str

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    def days_left(self, today: date | None = None) -> int:
        return (self.due_on - (today or today_in_london())).days

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.days_left(today) < 0

    def status(self, today: date | None = None) -> str:
        if not self.is_open:
            return f"answered {self.answered_on:%d/%m/%Y}"
        left = self.days_left(today)
        if left < 0:
            return f"OVERDUE by {-left} days"
        return "due today" if left == 0 else f"{left} days left"


@dataclass(frozen=True)
class SarExport:
    html: Path
    json: Path


def due_date(received_on: date) -> date:
    """One calendar month after receipt (the last day of a shorter month when needed)."""
    return received_on + relativedelta(months=1)


def log_request(
    database: Database,
    person_id: int,
    received_on: date | None = None,
    requested_by: str = "",
    notes: str = "",
) -> RequestView:
    """Record a request about ``person_id`` received on ``received_on`` (today by default)."""
    received = received_on or today_in_london()
    problems = {
        "received_on": _received_problem(received),
        "requested_by": v.validate_length(requested_by, 200, "requester's name"),
        "notes": v.validate_length(notes, 2000, "note"),
    }
    if any(problems.values()):
        raise ValidationError({k: p for k, p in problems.items() if p})
    with database.session() as s:
        person = _person(s, person_id)
        row = SubjectAccessRequest(
            person_id=person_id,
            requested_by=(requested_by or "").strip(),
            received_on=received,
            due_on=due_date(received),
            notes=(notes or "").strip(),
        )
        s.add(row)
        s.flush()
        log.info("subject access request %s logged", row.id)
        return _view(row, person.full_name)


def _received_problem(received: date) -> str | None:
    try:
        v.parse_date(received)
    except ValueError as error:
        return str(error)
    return "a request cannot be received in the future" if received > today_in_london() else None


def mark_answered(
    database: Database,
    request_id: int,
    answered_on: date | None = None,
    version: int | None = None,
) -> RequestView:
    answered = answered_on or today_in_london()
    with database.session() as s:
        row = s.get(SubjectAccessRequest, request_id)
        if row is None:
            raise NotFound(f"There is no subject access request with id {request_id}.")
        if version is not None and row.version != version:
            raise ConcurrentEditError(
                "Someone else changed this request after you opened it; reload it and try again."
            )
        if answered < row.received_on:
            raise ValidationError({"answered_on": "the answer is dated before the request"})
        row.answered_on = answered
        s.add(row)
        s.flush()
        return _view(row, _name(s, row.person_id))


def list_requests(
    database: Database, open_only: bool = False, person_id: int | None = None
) -> list[RequestView]:
    """Requests, earliest due first; ``open_only`` keeps those not yet answered."""
    with database.session() as s:
        query = select(SubjectAccessRequest, Person.full_name).join(
            Person, col(Person.id) == SubjectAccessRequest.person_id, isouter=True
        )
        if open_only:
            query = query.where(col(SubjectAccessRequest.answered_on).is_(None))
        if person_id is not None:
            query = query.where(SubjectAccessRequest.person_id == person_id)
        query = query.order_by(col(SubjectAccessRequest.due_on), col(SubjectAccessRequest.id))
        return [_view(row, name) for row, name in s.exec(query)]


def export_person(
    database: Database, person_id: int, folder: Path, stem: str | None = None
) -> SarExport:
    """Write everything held about one person to ``folder`` as HTML and JSON.

    The files hold personal data: the caller chooses where they go, and they
    are created readable by their owner only.
    """
    data = collect(database, person_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or f"subject-access-person-{person_id}-{today_in_london():%Y%m%d}"
    html_path = folder / f"{stem}.html"
    json_path = folder / f"{stem}.json"
    _write_private(html_path, render_html(data))
    _write_private(json_path, json.dumps(data, ensure_ascii=False, indent=2, default=str))
    log.info("subject access export written for person %s", person_id)
    return SarExport(html_path, json_path)


def _write_private(path: Path, text: str) -> None:
    from vru_crm.reliability.files import write_private_text

    write_private_text(path, text)


def _person(s: Session, person_id: int) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return person


def _name(s: Session, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    person = s.get(Person, person_id)
    return person.full_name if person else None


def _view(row: SubjectAccessRequest, name: str | None) -> RequestView:
    return RequestView(
        id=saved_id(row),
        version=row.version,
        person_id=row.person_id,
        person_name=name,
        requested_by=row.requested_by,
        received_on=row.received_on,
        due_on=row.due_on,
        answered_on=row.answered_on,
        notes=row.notes,
    )


__all__: list[Any] = [
    "RequestView",
    "SarExport",
    "collect",
    "due_date",
    "export_person",
    "list_requests",
    "log_request",
    "mark_answered",
    "render_html",
]
