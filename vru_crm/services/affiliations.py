"""A person's affiliations, saved as a whole with the person from the person form.

The form shows the person's fields and a table of their affiliations, and one
Save writes both: ``save_person`` does it in one unit of work, so a failure in
the affiliations (an organisation deleted meanwhile) leaves the person as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.models import Affiliation
from db.session import Database
from vru_crm.errors import NotFound, ValidationError
from vru_crm.services import people
from vru_crm.services.people import PersonInput, PersonRecord

_GONE = (
    "An organisation in the affiliations no longer exists (someone may have deleted it); "
    "nothing was saved. Reload the person and try again."
)


@dataclass
class AffiliationRow:
    """One line of the affiliations table in the person form (id None for a new one)."""

    organisation_id: int
    organisation_name: str = ""
    role: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    id: int | None = None


def affiliation_problem(row: AffiliationRow) -> str | None:
    """What is wrong with one line, in words, or None."""
    if row.start_date and row.end_date and row.end_date < row.start_date:
        return "the end date is before the start date"
    if row.role and len(row.role.strip()) > 200:
        return "the role is too long (at most 200 characters)"
    return None


def affiliation_rows(record: PersonRecord) -> list[AffiliationRow]:
    """The person's affiliations as the form's lines."""
    return [
        AffiliationRow(
            a.organisation_id, a.organisation_name, a.role, a.start_date, a.end_date, a.id
        )
        for a in record.affiliations
    ]


def save_person(
    database: Database,
    person_id: int | None,
    data: PersonInput,
    version: int | None,
    rows: list[AffiliationRow],
) -> PersonRecord:
    """Create (``person_id`` None) or update a person and make their affiliations ``rows``.

    One unit of work: the person is saved only if their affiliations are too.
    ``version`` is the one the form loaded (None skips the check, for a new person).
    """
    _refuse_bad_rows(rows)
    with database.session() as s:
        person = people.write_person(s, person_id, data, version)
        assert person.id is not None  # written and flushed
        replace_affiliations(s, person.id, rows)
        return people.person_record(s, person)


def _refuse_bad_rows(rows: list[AffiliationRow]) -> None:
    problems = {
        f"affiliation {i + 1}": p for i, r in enumerate(rows) if (p := affiliation_problem(r))
    }
    if problems:
        raise ValidationError(problems)


def replace_affiliations(s: Session, person_id: int, rows: list[AffiliationRow]) -> None:
    """Inside the caller's unit of work: the person's affiliations become exactly ``rows``."""
    existing = {
        a.id: a for a in s.exec(select(Affiliation).where(Affiliation.person_id == person_id))
    }
    kept: set[int] = set()
    try:
        for row in rows:
            target = existing.get(row.id) if row.id is not None else None
            if target is None:
                target = Affiliation(person_id=person_id, organisation_id=row.organisation_id)
            target.organisation_id = row.organisation_id
            target.role = (row.role or "").strip() or None
            target.start_date, target.end_date = row.start_date, row.end_date
            s.add(target)
            s.flush()
            assert target.id is not None
            kept.add(target.id)
    except IntegrityError as error:  # the organisation's foreign key: it was deleted meanwhile
        raise NotFound(_GONE) from error
    for affiliation_id, old in existing.items():
        if affiliation_id not in kept:
            s.delete(old)
