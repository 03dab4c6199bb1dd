"""Merging duplicate organisations or people into one record.

Nothing is lost: every affiliation, membership, attendance, engagement link and
assessment of the removed record moves to the kept one with its dates, without
creating a second copy of a link the kept record already has. Blank fields of
the kept record are filled from the other, and their notes are joined.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel, select

from db.models import (
    Action,
    Affiliation,
    Attendance,
    AuditEntry,
    EngagementOrganisation,
    EngagementPerson,
    Membership,
    Organisation,
    OrganisationBorough,
    OrganisationTag,
    Person,
    StakeholderAssessment,
)
from db.models.protection import ConsentRecord, PersonProtection, SubjectAccessRequest
from db.session import Database
from vru_crm.errors import NotFound, ValidationError

log = logging.getLogger(__name__)

_ATTENDANCE_RANK = {"present": 3, "apologies": 2, "absent": 1}


@dataclass(frozen=True)
class MergeResult:
    """What moved from the removed record to the kept one, by kind of link."""

    kept_id: int
    removed_id: int
    moved: dict[str, int] = field(default_factory=dict)


def merge_organisations(database: Database, keep_id: int, other_id: int) -> MergeResult:
    """Fold organisation ``other_id`` into ``keep_id`` and delete it."""
    with database.session() as s:
        return fold_organisations(s, keep_id, other_id)


def fold_organisations(s: Session, keep_id: int, other_id: int) -> MergeResult:
    """``merge_organisations`` inside the caller's unit of work (a merge with chosen values)."""
    keep, other = _pair(s, Organisation, keep_id, other_id, "organisation")
    moved = {
        "affiliations": _move_rows(
            s,
            Affiliation,
            "organisation_id",
            keep_id,
            other_id,
            lambda a: (a.person_id, a.role, a.start_date, a.end_date),
        ),
        "memberships": _move_rows(
            s,
            Membership,
            "organisation_id",
            keep_id,
            other_id,
            lambda m: (m.network_id, m.role, m.represents, m.start_date, m.end_date),
        ),
        "assessments": _move_rows(
            s, StakeholderAssessment, "organisation_id", keep_id, other_id, None
        ),
        "engagements": _union_links(
            s, EngagementOrganisation, "organisation_id", "engagement_id", keep_id, other_id
        ),
        "boroughs": _union_links(
            s, OrganisationBorough, "organisation_id", "borough_id", keep_id, other_id
        ),
        "tags": _union_links(s, OrganisationTag, "organisation_id", "tag_id", keep_id, other_id),
    }
    _fill_blanks(keep, other, ("website", "email", "phone"))
    keep.is_priority = keep.is_priority or other.is_priority
    s.add(keep)
    s.delete(other)
    log.info("organisation %s merged into %s: %s", other_id, keep_id, moved)
    return MergeResult(keep_id, other_id, moved)


def merge_people(database: Database, keep_id: int, other_id: int) -> MergeResult:
    """Fold person ``other_id`` into ``keep_id`` and delete them."""
    with database.session() as s:
        return fold_people(s, keep_id, other_id)


def fold_people(s: Session, keep_id: int, other_id: int) -> MergeResult:
    """``merge_people`` inside the caller's unit of work (a merge with chosen values)."""
    keep, other = _pair(s, Person, keep_id, other_id, "person")
    moved = {
        "affiliations": _move_rows(
            s,
            Affiliation,
            "person_id",
            keep_id,
            other_id,
            lambda a: (a.organisation_id, a.role, a.start_date, a.end_date),
        ),
        "memberships": _move_rows(
            s,
            Membership,
            "person_id",
            keep_id,
            other_id,
            lambda m: (m.network_id, m.role, m.represents, m.start_date, m.end_date),
        ),
        "attendance": _merge_attendance(s, keep_id, other_id),
        "engagements": _union_links(
            s, EngagementPerson, "person_id", "engagement_id", keep_id, other_id
        ),
        "actions": _move_rows(s, Action, "owner_person_id", keep_id, other_id, None),
    }
    protection = {
        "consent records": _move_rows(s, ConsentRecord, "person_id", keep_id, other_id, None),
        "subject access requests": _move_rows(
            s, SubjectAccessRequest, "person_id", keep_id, other_id, None
        ),
        "data protection details": _move_protection(s, keep_id, other_id),
    }
    moved.update({name: count for name, count in protection.items() if count})
    _fill_blanks(keep, other, ("job_title", "email", "phone", "borough_id", "age_band"))
    keep.is_young_person = keep.is_young_person or other.is_young_person
    s.add(keep)
    s.delete(other)
    _note_merge(s, keep_id, other)
    log.info("person %s merged into %s: %s", other_id, keep_id, moved)
    return MergeResult(keep_id, other_id, moved)


def _note_merge(s: Session, keep_id: int, other: Person) -> None:
    """An audit entry naming the duplicate (no personal values): erasing the kept person erases
    the duplicate's history too, and the erasure register can find it in restored data."""
    s.add(
        AuditEntry(
            username=s.info.get("username") or "unknown",
            action="merge",
            entity="person",
            entity_id=keep_id,
            summary=f"Person {other.id} merged into this record",
            changes=json.dumps(
                {"merged_id": other.id, "merged_created_at": other.created_at.isoformat()}
            ),
        )
    )


def _move_protection(s: Session, keep_id: int, other_id: int) -> int:
    """Keep the merged-away person's lawful basis and preferences if the kept one has none."""
    theirs = s.get(PersonProtection, other_id)
    if theirs is None or s.get(PersonProtection, keep_id) is not None:
        return 0
    values = theirs.model_dump(exclude={"person_id", "version", "created_at", "updated_at"})
    s.delete(theirs)
    s.flush()
    s.add(PersonProtection(person_id=keep_id, **values))
    s.flush()
    return 1


def _pair(s: Session, model: type[Any], keep_id: int, other_id: int, label: str) -> tuple[Any, Any]:
    if keep_id == other_id:
        raise ValidationError(
            {"merge": f"choose two different records: this {label} cannot be merged with itself"}
        )
    keep, other = s.get(model, keep_id), s.get(model, other_id)
    for record_id, obj in ((keep_id, keep), (other_id, other)):
        if obj is None:
            raise NotFound(f"There is no {label} with id {record_id} (it may have been deleted).")
    return keep, other


def _move_rows(
    s: Session,
    model: type[SQLModel],
    column: str,
    keep_id: int,
    other_id: int,
    identity: Callable[[Any], tuple[Any, ...]] | None,
) -> int:
    """Re-point rows at the kept record; drop those identical to one it already has."""
    column_attr = getattr(model, column)
    kept = (
        {identity(r) for r in s.exec(select(model).where(column_attr == keep_id))}
        if identity
        else set()
    )
    moved = 0
    for row in s.exec(select(model).where(column_attr == other_id)).all():
        if identity and identity(row) in kept:
            s.delete(row)
            continue
        setattr(row, column, keep_id)
        s.add(row)
        moved += 1
    s.flush()
    return moved


def _union_links(
    s: Session, model: type[SQLModel], column: str, other_column: str, keep_id: int, other_id: int
) -> int:
    """Link rows keyed by (record, target): the kept record gets the targets it lacked."""
    column_attr = getattr(model, column)
    kept = set(s.exec(select(getattr(model, other_column)).where(column_attr == keep_id)))
    moved = 0
    for row in s.exec(select(model).where(column_attr == other_id)).all():
        target = getattr(row, other_column)
        s.delete(row)
        if target not in kept:
            s.add(model(**{column: keep_id, other_column: target}))
            moved += 1
    s.flush()
    return moved


def _merge_attendance(s: Session, keep_id: int, other_id: int) -> int:
    """Both attended a meeting: keep the stronger record (present over apologies over absent)."""
    kept = {
        a.meeting_id: a for a in s.exec(select(Attendance).where(Attendance.person_id == keep_id))
    }
    moved = 0
    for row in s.exec(select(Attendance).where(Attendance.person_id == other_id)).all():
        status, meeting_id = row.status, row.meeting_id
        s.delete(row)
        mine = kept.get(meeting_id)
        if mine is None:
            s.add(Attendance(meeting_id=meeting_id, person_id=keep_id, status=status))
            moved += 1
        elif _ATTENDANCE_RANK.get(status, 0) > _ATTENDANCE_RANK.get(mine.status, 0):
            mine.status = status
            s.add(mine)
    s.flush()
    return moved


def _fill_blanks(keep: Any, other: Any, names: tuple[str, ...]) -> None:
    for name in names:
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
    notes = [n for n in (keep.notes.strip(), other.notes.strip()) if n]
    if len(notes) == 2 and notes[0] != notes[1]:
        keep.notes = f"{notes[0]}\n\n{notes[1]}"
    elif notes:
        keep.notes = notes[0]
