"""The engagement log: what an engagement lead writes after a visit, a call or an event.

Logging must take seconds, so most fields are optional: the date defaults to
today, the boroughs to those of the organisations met, and the staff user is
created the first time a username logs something.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from sqlalchemy import or_
from sqlmodel import Session, SQLModel, col, delete, select

from db.enums import EngagementKind
from db.models import (
    Borough,
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    EngagementPerson,
    Membership,
    Network,
    Objective,
    Organisation,
    OrganisationBorough,
    Person,
    StaffUser,
)
from db.session import Database
from db.types import utcnow
from vru_crm import validation as v
from vru_crm.errors import NotFound, ValidationError
from vru_crm.london import today_in_london
from vru_crm.services.organisations import check_version

log = logging.getLogger(__name__)

KINDS = [k.value for k in EngagementKind]

# field of EngagementInput -> (link table, its foreign key column, the table it points at, label)
LINKS: dict[str, tuple[type[SQLModel], str, type[SQLModel], str]] = {
    "organisation_ids": (EngagementOrganisation, "organisation_id", Organisation, "organisation"),
    "person_ids": (EngagementPerson, "person_id", Person, "person"),
    "borough_ids": (EngagementBorough, "borough_id", Borough, "borough"),
    "network_ids": (EngagementNetwork, "network_id", Network, "network"),
    "objective_ids": (EngagementObjective, "objective_id", Objective, "objective"),
}


@dataclass
class EngagementInput:
    """One engagement. ``occurred_on`` is the date (today if None)."""

    kind: str
    occurred_on: date | None = None
    organisation_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    borough_ids: list[int] = field(default_factory=list)
    network_ids: list[int] = field(default_factory=list)
    objective_ids: list[int] = field(default_factory=list)
    summary: str = ""
    outcome: str = ""
    people_reached: int = 0
    follow_up_on: date | None = None
    follow_up_done: bool = False
    is_notable: bool = False
    logged_by: str | None = None


@dataclass(frozen=True)
class EngagementRecord:
    id: int
    version: int
    occurred_on: date
    kind: str
    logged_by: str | None
    organisation_ids: tuple[int, ...]
    person_ids: tuple[int, ...]
    borough_ids: tuple[int, ...]
    network_ids: tuple[int, ...]
    objective_ids: tuple[int, ...]
    summary: str
    outcome: str
    people_reached: int
    follow_up_on: date | None
    follow_up_done: bool
    is_notable: bool
    is_synthetic: bool
    created_at: datetime
    updated_at: datetime


def engagement_problems(data: EngagementInput) -> dict[str, str]:
    """Problems a form can show before saving (no database needed)."""
    problems: dict[str, str | None] = {
        "kind": None
        if data.kind in KINDS
        else f"'{v.short_value(str(data.kind))}' is not a kind of engagement. Use one of: {', '.join(KINDS)}",
        "summary": None
        if (data.summary or "").strip()
        else "a summary is required: a line on what happened",
        "logged_by": v.validate_length(data.logged_by, 80, "username"),
    }
    if not isinstance(data.people_reached, int) or data.people_reached < 0:
        problems["people_reached"] = (
            "the number of people reached must be a whole number, 0 or more"
        )
    elif data.people_reached > v.PEOPLE_REACHED_MAX:  # what a person could mean
        problems["people_reached"] = v.count_problem(data.people_reached, "people reached")
    for name in ("occurred_on", "follow_up_on"):
        value = getattr(data, name)
        if value is not None:
            try:
                v.parse_date(value)
            except ValueError as error:
                problems[name] = str(error)
    occurred = data.occurred_on or today_in_london()
    if data.follow_up_on and data.follow_up_on < occurred:
        problems["follow_up_on"] = "the follow-up date is before the engagement"
    return {name: problem for name, problem in problems.items() if problem}


def staff_user_id(s: Session, username: str) -> int:
    """The staff user with this username, created on first use."""
    username = username.strip()
    user = s.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None:
        user = StaffUser(username=username, display_name=username)
        s.add(user)
        s.flush()
        log.info("staff user %s created on first use", user.id)
    return user.id  # type: ignore[return-value]


def inferred_borough_ids(s: Session, organisation_ids: list[int]) -> list[int]:
    """The boroughs of the organisations met, for an engagement given none."""
    if not organisation_ids:
        return []
    rows = s.exec(
        select(OrganisationBorough.borough_id)
        .where(col(OrganisationBorough.organisation_id).in_(organisation_ids))
        .distinct()
    )
    return sorted(rows)


def organisation_context(
    database: Database, organisation_ids: list[int]
) -> tuple[list[int], list[int]]:
    """(borough ids, network ids) of the organisations: their boroughs and current memberships.

    What the engagement form fills in for the user once organisations are chosen.
    """
    if not organisation_ids:
        return [], []
    today = today_in_london()
    with database.session(audit_rows=False) as s:
        networks = s.exec(
            select(Membership.network_id)
            .where(col(Membership.organisation_id).in_(organisation_ids))
            .where(or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= today))
            .distinct()
        ).all()
        return inferred_borough_ids(s, organisation_ids), sorted(networks)


def create_engagement(database: Database, data: EngagementInput) -> EngagementRecord:
    with database.session() as s:
        row = Engagement(occurred_on=today_in_london(), kind=data.kind)
        _apply(s, row, data, database.username)
        return _record(s, row)


def get_engagement(database: Database, engagement_id: int) -> EngagementRecord:
    with database.session() as s:
        return _record(s, _get(s, engagement_id))


def update_engagement(
    database: Database, engagement_id: int, data: EngagementInput, version: int
) -> EngagementRecord:
    """Save ``data`` over the record, if nobody changed it since ``version`` was loaded."""
    with database.session() as s:
        row = _get(s, engagement_id)
        check_version(row, version)
        _apply(s, row, data, database.username)
        return _record(s, row)


def delete_engagement(database: Database, engagement_id: int, version: int | None = None) -> None:
    with database.session() as s:
        row = _get(s, engagement_id)
        check_version(row, version)
        s.delete(row)
    log.info("engagement %s deleted", engagement_id)


def _get(s: Session, engagement_id: int) -> Engagement:
    row = s.get(Engagement, engagement_id)
    if row is None:
        raise NotFound(
            f"There is no engagement with id {engagement_id} (it may have been deleted)."
        )
    return row


def _missing_links(s: Session, data: EngagementInput) -> dict[str, str]:
    problems = {}
    for name, (_link, _column, target, label) in LINKS.items():
        ids = set(getattr(data, name))
        if not ids:
            continue
        found = set(s.exec(select(target.id).where(col(target.id).in_(ids))))  # type: ignore[attr-defined]
        if ids - found:
            missing = ", ".join(str(i) for i in sorted(ids - found))
            problems[name] = f"no {label} with id {missing} (it may have been deleted)"
    return problems


def _apply(s: Session, row: Engagement, data: EngagementInput, default_user: str) -> None:
    problems = engagement_problems(data) or _missing_links(s, data)
    if problems:
        raise ValidationError(problems)
    row.occurred_on = data.occurred_on or today_in_london()
    row.kind = data.kind
    row.summary = data.summary.strip()
    row.outcome = (data.outcome or "").strip()
    row.people_reached = data.people_reached
    row.follow_up_on = data.follow_up_on
    row.follow_up_done = bool(data.follow_up_done)
    row.is_notable = bool(data.is_notable)
    row.logged_by_id = staff_user_id(s, data.logged_by or default_user)
    if row.id is not None:  # links may be all that changed: still bump the version
        row.updated_at = utcnow()
    s.add(row)
    s.flush()
    for name, (link, column, _target, _label) in LINKS.items():
        ids = list(dict.fromkeys(getattr(data, name)))
        if name == "borough_ids" and not ids:
            ids = inferred_borough_ids(s, data.organisation_ids)
        _set_links(s, link, column, row.id, ids)  # type: ignore[arg-type]


def _set_links(
    s: Session, link: type[SQLModel], column: str, engagement_id: int, ids: list[int]
) -> None:
    current = set(s.exec(select(getattr(link, column)).where(link.engagement_id == engagement_id)))  # type: ignore[attr-defined]
    wanted = set(ids)
    if current - wanted:
        s.exec(
            delete(link).where(
                link.engagement_id == engagement_id,  # type: ignore[attr-defined]
                getattr(link, column).in_(current - wanted),
            )
        )
    for target_id in sorted(wanted - current):
        s.add(link(engagement_id=engagement_id, **{column: target_id}))
    s.flush()


def _linked(s: Session, link: type[SQLModel], column: str, engagement_id: int) -> tuple[int, ...]:
    ids = s.exec(select(getattr(link, column)).where(link.engagement_id == engagement_id))  # type: ignore[attr-defined]
    return tuple(sorted(ids))


def _record(s: Session, row: Engagement) -> EngagementRecord:
    user = s.get(StaffUser, row.logged_by_id) if row.logged_by_id else None
    links = {
        name: _linked(s, link, column, cast(int, row.id))  # a saved row has an id
        for name, (link, column, _t, _l) in LINKS.items()
    }
    return EngagementRecord(
        id=row.id,  # type: ignore[arg-type]
        version=row.version,
        occurred_on=row.occurred_on,
        kind=row.kind,
        logged_by=user.username if user else None,
        summary=row.summary,
        outcome=row.outcome,
        people_reached=row.people_reached,
        follow_up_on=row.follow_up_on,
        follow_up_done=row.follow_up_done,
        is_notable=row.is_notable,
        is_synthetic=row.is_synthetic,
        created_at=row.created_at,
        updated_at=row.updated_at,
        **links,
    )
