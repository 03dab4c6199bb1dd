"""Organisations: create, read, update, delete, stakeholder assessments and duplicates.

Every function is one unit of work and returns plain records (ids and values),
never live ORM objects, so the UI can hold them across threads and sessions.
Merging two organisations is in ``vru_crm.services.merge`` (re-exported here)
because it touches every table that points at an organisation.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlmodel import Session, col, delete, select

from db.errors import ConcurrentEditError
from db.models import (
    Borough,
    Organisation,
    OrganisationBorough,
    OrganisationTag,
    SectorRef,
    StakeholderAssessment,
    Tag,
)
from db.session import Database
from db.types import utcnow
from vru_crm import validation as v
from vru_crm.errors import NotFound, ValidationError
from vru_crm.london import today_in_london

log = logging.getLogger(__name__)

STALE_MESSAGE = (
    "Someone else saved this record after you opened it. "
    "Reload it to see their change, then make yours again."
)


@dataclass
class OrganisationInput:
    """What a form or an import row gives to create or update an organisation."""

    name: str
    sector: str
    borough_ids: list[int] = field(default_factory=list)
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    is_priority: bool = False


@dataclass(frozen=True)
class OrganisationRecord:
    id: int
    version: int
    name: str
    sector: str
    borough_ids: tuple[int, ...]
    borough_names: tuple[str, ...]
    website: str | None
    email: str | None
    phone: str | None
    notes: str
    tags: tuple[str, ...]
    is_priority: bool
    created_at: datetime
    updated_at: datetime


@dataclass
class AssessmentInput:
    organisation_id: int
    influence: int
    interest: int
    support: int
    assessed_on: date | None = None
    assessed_by: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class AssessmentRecord:
    id: int
    organisation_id: int
    assessed_on: date
    influence: int
    interest: int
    support: int
    assessed_by: str | None
    notes: str


def organisation_problems(data: OrganisationInput) -> dict[str, str]:
    """Problems a form can show before saving (no database needed)."""
    problems = {
        "name": v.validate_name(data.name),
        "sector": None if (data.sector or "").strip() else "a sector is required",
        "website": v.validate_url(data.website),
        "email": v.validate_email(data.email),
        "phone": v.validate_phone(data.phone),
        "tags": next(
            (v.validate_length(t, 60, "tag") for t in data.tags if len(t.strip()) > 60), None
        ),
    }
    return {name: problem for name, problem in problems.items() if problem}


def check_version(obj: Organisation | object, version: int | None) -> None:
    """Refuse to save over a change made since the user loaded the record."""
    if version is not None and getattr(obj, "version", None) != version:
        raise ConcurrentEditError(STALE_MESSAGE)


def create_organisation(database: Database, data: OrganisationInput) -> OrganisationRecord:
    with database.session() as s:
        org = Organisation(name="", sector="")
        _apply(s, org, data)
        log.info("organisation %s created", org.id)
        return _record(s, org)


def insert_organisation(s: Session, data: OrganisationInput) -> int:
    """Add an organisation inside the caller's unit of work (a bulk import); its id."""
    org = Organisation(name="", sector="")
    _apply(s, org, data)
    return org.id  # type: ignore[return-value]


def get_organisation(database: Database, organisation_id: int) -> OrganisationRecord:
    with database.session() as s:
        return _record(s, _get(s, organisation_id))


def update_organisation(
    database: Database, organisation_id: int, data: OrganisationInput, version: int
) -> OrganisationRecord:
    """Save ``data`` over the record, if nobody changed it since ``version`` was loaded."""
    with database.session() as s:
        return _record(s, write_organisation(s, organisation_id, data, version))


def write_organisation(
    s: Session, organisation_id: int, data: OrganisationInput, version: int | None
) -> Organisation:
    """Update an organisation inside the caller's unit of work (a merge and its values).

    ``version`` None skips the check for a change made since the record was loaded.
    """
    org = _get(s, organisation_id)
    check_version(org, version)
    _apply(s, org, data)
    return org


def organisation_record(s: Session, org: Organisation) -> OrganisationRecord:
    """The organisation as a plain record, read inside the caller's unit of work."""
    return _record(s, org)


def delete_organisation(
    database: Database, organisation_id: int, version: int | None = None
) -> None:
    """Delete an organisation; its links (boroughs, affiliations, memberships) go with it."""
    with database.session() as s:
        org = _get(s, organisation_id)
        check_version(org, version)
        s.delete(org)
    log.info("organisation %s deleted", organisation_id)


def find_duplicate_organisations(
    database: Database, data: OrganisationInput, exclude_id: int | None = None
) -> list[v.DuplicateMatch]:
    """Existing organisations that look like ``data``: same e-mail, or near-identical name and borough."""
    return organisation_index(database).find(data.name, data.email, data.borough_ids, exclude_id)


def organisation_index(database: Database) -> v.DuplicateIndex:
    """Every organisation's name, e-mail and boroughs, for duplicate checks in bulk."""
    index = v.DuplicateIndex()
    with database.session() as s:
        links: dict[int, list[int]] = {}
        for org_id, borough_id in s.exec(
            select(OrganisationBorough.organisation_id, OrganisationBorough.borough_id)
        ):
            links.setdefault(org_id, []).append(borough_id)
        for saved_id, name, email in s.exec(
            select(Organisation.id, Organisation.name, Organisation.email)
        ):
            oid = cast(int, saved_id)  # a saved row has an id
            index.add(oid, name, email, links.get(oid, []))
    return index


def add_assessment(database: Database, data: AssessmentInput) -> AssessmentRecord:
    """A new dated judgement; earlier ones stay as history."""
    problems = {
        name: f"{name} must be a whole number from 1 to 5"
        for name in ("influence", "interest", "support")
        if not isinstance(getattr(data, name), int) or not 1 <= getattr(data, name) <= 5
    }
    if problems:
        raise ValidationError(problems)
    with database.session() as s:
        _get(s, data.organisation_id)
        row = StakeholderAssessment(
            organisation_id=data.organisation_id,
            assessed_on=data.assessed_on or today_in_london(),
            influence=data.influence,
            interest=data.interest,
            support=data.support,
            assessed_by=data.assessed_by or database.username,
            notes=data.notes or "",
        )
        s.add(row)
        s.flush()
        return _assessment_record(row)


def assessment_history(database: Database, organisation_id: int) -> list[AssessmentRecord]:
    """All assessments of an organisation, newest first."""
    with database.session() as s:
        _get(s, organisation_id)
        rows = s.exec(
            select(StakeholderAssessment)
            .where(StakeholderAssessment.organisation_id == organisation_id)
            .order_by(
                col(StakeholderAssessment.assessed_on).desc(), col(StakeholderAssessment.id).desc()
            )
        ).all()
        return [_assessment_record(r) for r in rows]


def _assessment_record(row: StakeholderAssessment) -> AssessmentRecord:
    return AssessmentRecord(
        cast(int, row.id),  # a saved row has an id
        row.organisation_id,
        row.assessed_on,
        row.influence,
        row.interest,
        row.support,
        row.assessed_by,
        row.notes,
    )


def _get(s: Session, organisation_id: int) -> Organisation:
    org = s.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(
            f"There is no organisation with id {organisation_id} (it may have been deleted)."
        )
    return org


def _apply(s: Session, org: Organisation, data: OrganisationInput) -> None:
    problems = organisation_problems(data)
    sector = (data.sector or "").strip()
    if "sector" not in problems and s.get(SectorRef, sector) is None:
        problems["sector"] = f"'{v.short_value(sector)}' is not a sector"
    borough_ids = list(dict.fromkeys(data.borough_ids))
    missing = [b for b in borough_ids if s.get(Borough, b) is None]
    if missing:
        problems["boroughs"] = f"no borough with id {', '.join(map(str, missing))}"
    if problems:
        raise ValidationError(problems)
    org.name = data.name.strip()
    org.sector = sector
    org.website = v.normalise_url(data.website)
    org.email = v.normalise_email(data.email)
    org.phone = (data.phone or "").strip() or None
    org.notes = (data.notes or "").strip()
    org.is_priority = bool(data.is_priority)
    new = org.id is None
    if not new:  # links may be all that changed: still bump the version
        org.updated_at = utcnow()
    s.add(org)
    s.flush()
    _set_boroughs(s, org.id, borough_ids, new)  # type: ignore[arg-type]
    _set_tags(s, org.id, data.tags, new)  # type: ignore[arg-type]


def _set_boroughs(s: Session, org_id: int, borough_ids: list[int], new: bool) -> None:
    _set_links(s, OrganisationBorough, "borough_id", org_id, borough_ids, new)


def _set_tags(s: Session, org_id: int, names: list[str], new: bool) -> None:
    _set_links(s, OrganisationTag, "tag_id", org_id, tag_ids(s, names), new)


def _set_links(
    s: Session, link: type[Any], column: str, org_id: int, wanted_ids: list[int], new: bool
) -> None:
    """Make the organisation's links exactly ``wanted_ids``, touching only what changes."""
    target = getattr(link, column)
    current = set() if new else set(s.exec(select(target).where(link.organisation_id == org_id)))
    wanted = set(wanted_ids)
    if current - wanted:
        s.exec(delete(link).where(link.organisation_id == org_id, target.in_(current - wanted)))
    for target_id in sorted(wanted - current):
        s.add(link(organisation_id=org_id, **{column: target_id}))
    s.flush()


def tag_ids(s: Session, names: list[str]) -> list[int]:
    """Ids of the named tags, creating the missing ones (names match in any case)."""
    wanted = v.split_cell(";".join(names))
    if not wanted:
        return []
    existing = {t.name.casefold(): t for t in s.exec(select(Tag))}
    ids: list[int] = []
    for name in wanted:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = Tag(name=name)
            s.add(tag)
            s.flush()
            existing[name.casefold()] = tag
        ids.append(tag.id)  # type: ignore[arg-type]
    return ids


def _record(s: Session, org: Organisation) -> OrganisationRecord:
    boroughs = s.exec(
        select(Borough.id, Borough.name)
        .join(OrganisationBorough, col(OrganisationBorough.borough_id) == Borough.id)
        .where(OrganisationBorough.organisation_id == org.id)
        .order_by(Borough.name)
    ).all()
    tags = s.exec(
        select(Tag.name)
        .join(OrganisationTag, col(OrganisationTag.tag_id) == Tag.id)
        .where(OrganisationTag.organisation_id == org.id)
        .order_by(Tag.name)
    ).all()
    return OrganisationRecord(
        id=org.id,  # type: ignore[arg-type]
        version=org.version,
        name=org.name,
        sector=org.sector,
        borough_ids=tuple(b[0] for b in boroughs),  # type: ignore[misc]
        borough_names=tuple(b[1] for b in boroughs),
        website=org.website,
        email=org.email,
        phone=org.phone,
        notes=org.notes,
        tags=tuple(tags),
        is_priority=org.is_priority,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


from vru_crm.services.merge import MergeResult, merge_organisations  # noqa: E402

__all__ = [
    "AssessmentInput",
    "AssessmentRecord",
    "MergeResult",
    "OrganisationInput",
    "OrganisationRecord",
    "add_assessment",
    "assessment_history",
    "create_organisation",
    "delete_organisation",
    "find_duplicate_organisations",
    "get_organisation",
    "insert_organisation",
    "merge_organisations",
    "organisation_index",
    "organisation_problems",
    "organisation_record",
    "update_organisation",
    "write_organisation",
]
