"""People and their affiliations to organisations.

Young people carry an age band, never a birth date: the form offers the bands,
and the service refuses a young person without one so reports can count them.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlmodel import Session, col, select

from db.models import Affiliation, Borough, Organisation, Person
from db.session import Database
from db.types import utcnow
from vru_crm import validation as v
from vru_crm.errors import NotFound, ValidationError
from vru_crm.london import today_in_london
from vru_crm.services.organisations import check_version

log = logging.getLogger(__name__)


@dataclass
class PersonInput:
    full_name: str
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None
    borough_id: int | None = None
    is_young_person: bool = False
    age_band: str | None = None
    notes: str = ""


@dataclass
class AffiliationInput:
    person_id: int
    organisation_id: int
    role: str | None = None
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class AffiliationRecord:
    id: int
    person_id: int
    organisation_id: int
    organisation_name: str
    role: str | None
    start_date: date | None
    end_date: date | None

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= today_in_london()


@dataclass(frozen=True)
class PersonRecord:
    id: int
    version: int
    full_name: str
    job_title: str | None
    email: str | None
    phone: str | None
    borough_id: int | None
    borough_name: str | None
    is_young_person: bool
    age_band: str | None
    notes: str
    affiliations: tuple[AffiliationRecord, ...]
    created_at: datetime
    updated_at: datetime


def person_problems(data: PersonInput) -> dict[str, str | None]:
    """Problems a form can show before saving (no database needed)."""
    problems: dict[str, str | None] = {
        "full_name": v.validate_name(data.full_name),
        "job_title": v.validate_length(data.job_title, 200, "job title"),
        "email": v.validate_email(data.email),
        "phone": v.validate_phone(data.phone),
    }
    try:
        band = v.parse_age_band(data.age_band)
    except ValueError as error:
        problems["age_band"] = str(error)
    else:
        if data.is_young_person and band is None:
            problems["age_band"] = "a young person needs an age band (never a date of birth)"
        problems["is_young_person"] = v.age_band_problem(data.is_young_person, band)
    return {name: problem for name, problem in problems.items() if problem}


def create_person(database: Database, data: PersonInput) -> PersonRecord:
    with database.session() as s:
        person = Person(full_name="")
        _apply(s, person, data)
        log.info("person %s created", person.id)
        return _record(s, person)


def insert_person(
    s: Session, data: PersonInput, affiliations: Sequence[AffiliationInput] = ()
) -> int:
    """Add a person and their affiliations inside the caller's unit of work (a bulk import)."""
    person = Person(full_name="")
    _apply(s, person, data)
    for item in affiliations:
        s.add(
            Affiliation(
                person_id=cast(int, person.id),  # flushed by _apply
                organisation_id=item.organisation_id,
                role=(item.role or "").strip() or None,
                start_date=item.start_date,
                end_date=item.end_date,
            )
        )
    s.flush()
    return person.id  # type: ignore[return-value]


def get_person(database: Database, person_id: int) -> PersonRecord:
    with database.session() as s:
        return _record(s, _get(s, person_id))


def update_person(
    database: Database, person_id: int, data: PersonInput, version: int
) -> PersonRecord:
    """Save ``data`` over the record, if nobody changed it since ``version`` was loaded."""
    with database.session() as s:
        return _record(s, write_person(s, person_id, data, version))


def write_person(
    s: Session, person_id: int | None, data: PersonInput, version: int | None
) -> Person:
    """Create (``person_id`` None) or update a person inside the caller's unit of work.

    For a user action that saves more than the person (their affiliations, a
    merge) in one transaction. ``version`` None skips the check for a change
    made since the record was loaded.
    """
    if person_id is None:
        person = Person(full_name="")
    else:
        person = _get(s, person_id)
        check_version(person, version)
    _apply(s, person, data)
    return person


def person_record(s: Session, person: Person) -> PersonRecord:
    """The person as a plain record, read inside the caller's unit of work."""
    return _record(s, person)


def delete_person(database: Database, person_id: int, version: int | None = None) -> None:
    """Delete a person with their affiliations, memberships and attendance."""
    with database.session() as s:
        person = _get(s, person_id)
        check_version(person, version)
        s.delete(person)
    log.info("person %s deleted", person_id)


def add_affiliation(database: Database, data: AffiliationInput) -> AffiliationRecord:
    """Link a person to an organisation (their job there) from ``start_date``."""
    problems = {"role": v.validate_length(data.role, 200, "role")}
    if data.start_date and data.end_date and data.end_date < data.start_date:
        problems["end_date"] = "the end date is before the start date"
    if any(problems.values()):
        raise ValidationError({k: p for k, p in problems.items() if p})
    with database.session() as s:
        _get(s, data.person_id)
        org = s.get(Organisation, data.organisation_id)
        if org is None:
            raise NotFound(f"There is no organisation with id {data.organisation_id}.")
        row = Affiliation(
            person_id=data.person_id,
            organisation_id=data.organisation_id,
            role=(data.role or "").strip() or None,
            start_date=data.start_date,
            end_date=data.end_date,
        )
        s.add(row)
        s.flush()
        return _affiliation_record(row, org.name)


def end_affiliation(
    database: Database, affiliation_id: int, end_date: date | None = None
) -> AffiliationRecord:
    """Close an affiliation (they left the organisation) on ``end_date`` (default today)."""
    with database.session() as s:
        row = s.get(Affiliation, affiliation_id)
        if row is None:
            raise NotFound(f"There is no affiliation with id {affiliation_id}.")
        end = end_date or today_in_london()
        if row.start_date and end < row.start_date:
            raise ValidationError({"end_date": "the end date is before the start date"})
        row.end_date = end
        s.add(row)
        s.flush()
        org = s.get(Organisation, row.organisation_id)
        return _affiliation_record(row, org.name if org else "")


def find_duplicate_people(
    database: Database, data: PersonInput, exclude_id: int | None = None
) -> list[v.DuplicateMatch]:
    """Existing people who look like ``data``: same e-mail, or near-identical name and borough."""
    borough_ids = [data.borough_id] if data.borough_id else []
    return person_index(database).find(data.full_name, data.email, borough_ids, exclude_id)


def person_index(database: Database) -> v.DuplicateIndex:
    """Every person's name, e-mail and borough, for duplicate checks in bulk."""
    index = v.DuplicateIndex()
    with database.session() as s:
        for pid, name, email, borough_id in s.exec(
            select(Person.id, Person.full_name, Person.email, Person.borough_id)
        ):
            index.add(pid, name, email, [borough_id] if borough_id else [])  # type: ignore[arg-type]
    return index


def _get(s: Session, person_id: int) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id} (they may have been deleted).")
    return person


def _apply(s: Session, person: Person, data: PersonInput) -> None:
    problems = person_problems(data)
    if data.borough_id is not None and s.get(Borough, data.borough_id) is None:
        problems["borough"] = f"no borough with id {data.borough_id}"
    if problems:
        raise ValidationError({k: p for k, p in problems.items() if p})
    person.full_name = data.full_name.strip()
    person.job_title = (data.job_title or "").strip() or None
    person.email = v.normalise_email(data.email)
    person.phone = (data.phone or "").strip() or None
    person.borough_id = data.borough_id
    person.is_young_person = bool(data.is_young_person)
    person.age_band = v.parse_age_band(data.age_band)
    person.notes = (data.notes or "").strip()
    if person.id is not None:  # links may be all that changed: still bump the version
        person.updated_at = utcnow()
    s.add(person)
    s.flush()


def _affiliation_record(row: Affiliation, organisation_name: str) -> AffiliationRecord:
    return AffiliationRecord(
        cast(int, row.id),  # a saved row has an id
        row.person_id,
        row.organisation_id,
        organisation_name,
        row.role,
        row.start_date,
        row.end_date,
    )


def _record(s: Session, person: Person) -> PersonRecord:
    borough = s.get(Borough, person.borough_id) if person.borough_id else None
    rows = s.exec(
        select(Affiliation, Organisation.name)
        .join(Organisation, col(Organisation.id) == Affiliation.organisation_id)
        .where(Affiliation.person_id == person.id)
        .order_by(col(Affiliation.start_date).desc().nulls_last(), col(Affiliation.id))
    ).all()
    return PersonRecord(
        id=person.id,  # type: ignore[arg-type]
        version=person.version,
        full_name=person.full_name,
        job_title=person.job_title,
        email=person.email,
        phone=person.phone,
        borough_id=person.borough_id,
        borough_name=borough.name if borough else None,
        is_young_person=person.is_young_person,
        age_band=person.age_band,
        notes=person.notes,
        affiliations=tuple(_affiliation_record(a, name) for a, name in rows),
        created_at=person.created_at,
        updated_at=person.updated_at,
    )


from vru_crm.services.merge import MergeResult, merge_people  # noqa: E402

__all__ = [
    "AffiliationInput",
    "AffiliationRecord",
    "MergeResult",
    "PersonInput",
    "PersonRecord",
    "add_affiliation",
    "create_person",
    "delete_person",
    "end_affiliation",
    "find_duplicate_people",
    "get_person",
    "insert_person",
    "merge_people",
    "person_index",
    "person_problems",
    "person_record",
    "update_person",
    "write_person",
]
