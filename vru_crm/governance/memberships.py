"""Who belongs to a network, from when to when, in which role.

A membership is history: leaving sets an end date and never deletes the row, and a
change of role ends one row and starts another, so "who chaired the PRG in 2019"
stays answerable. A member (a person or an organisation, exactly one) holds one
membership of a network at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from db.enums import MembershipRole
from db.models import Membership, Network, Organisation, Person, saved_id
from db.session import Database
from vru_crm.errors import NotFound, ValidationError
from vru_crm.governance.common import format_day, get_or_fail
from vru_crm.london import today_in_london
from vru_crm.services.organisations import check_version

ROLE_MAX = 20
REPRESENTS_MAX = 200
ROLE_ORDER = {role.value: position for position, role in enumerate(MembershipRole)}


@dataclass(frozen=True)
class MembershipRecord:
    id: int
    version: int
    network_id: int
    person_id: int | None
    organisation_id: int | None
    member_name: str
    role: str
    represents: str | None
    start_date: date | None
    end_date: date | None

    @property
    def current(self) -> bool:
        """No end date, or an end date today or later (they are a member until that day ends)."""
        return self.end_date is None or self.end_date >= today_in_london()

    @property
    def member_kind(self) -> str:
        return "person" if self.person_id is not None else "organisation"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "network_id": self.network_id,
            "kind": self.member_kind,
            "person_id": self.person_id,
            "organisation_id": self.organisation_id,
            "name": self.member_name,
            "role": self.role,
            "represents": self.represents,
            "from": self.start_date.isoformat() if self.start_date else None,
            "to": self.end_date.isoformat() if self.end_date else None,
            "current": self.current,
        }


def _member_name(s: Session, row: Membership) -> str:
    if row.person_id is not None:
        person = s.get(Person, row.person_id)
        return person.full_name if person else f"person {row.person_id}"
    org = s.get(Organisation, row.organisation_id)
    return org.name if org else f"organisation {row.organisation_id}"


def _record(s: Session, row: Membership) -> MembershipRecord:
    return MembershipRecord(
        id=saved_id(row),
        version=row.version,
        network_id=row.network_id,
        person_id=row.person_id,
        organisation_id=row.organisation_id,
        member_name=_member_name(s, row),
        role=row.role,
        represents=row.represents,
        start_date=row.start_date,
        end_date=row.end_date,
    )


def role_value(text: str | None) -> str:
    """A role as stored: a known role's value ("Deputy chair" is not one), else the text trimmed."""
    value = " ".join((text or "").split()) or MembershipRole.MEMBER.value
    lowered = value.casefold()
    for role in MembershipRole:
        if lowered == role.value:
            return role.value
    return value


def _role_problems(role: str | None, represents: str | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    value = role_value(role)
    if len(value) > ROLE_MAX:
        known = ", ".join(r.value for r in MembershipRole)
        problems["role"] = (
            f"the role is too long ({len(value)} characters; at most {ROLE_MAX}): "
            f"use one of {known}, or a short title"
        )
    if represents and len(represents.strip()) > REPRESENTS_MAX:
        problems["represents"] = f"too long (at most {REPRESENTS_MAX} characters)"
    return problems


def _overlapping(
    s: Session,
    network_id: int,
    person_id: int | None,
    organisation_id: int | None,
    start: date,
    exclude_id: int | None = None,
) -> Membership | None:
    """A membership of the same member still running on ``start`` or starting after it."""
    query = select(Membership).where(Membership.network_id == network_id)
    if person_id is not None:
        query = query.where(Membership.person_id == person_id)
    else:
        query = query.where(Membership.organisation_id == organisation_id)
    for row in s.exec(query).all():
        if row.id != exclude_id and (row.end_date is None or row.end_date >= start):
            return row
    return None


def _check_member(s: Session, person_id: int | None, organisation_id: int | None) -> str:
    """The member's name, once it is sure exactly one member is named and it exists."""
    if person_id is not None and organisation_id is None:
        return get_or_fail(s, Person, person_id, "person").full_name
    if organisation_id is not None and person_id is None:
        return get_or_fail(s, Organisation, organisation_id, "organisation").name
    raise ValidationError({"person_id": "choose a person or an organisation (one, not both)"})


def _insert(
    s: Session,
    network: Network,
    person_id: int | None,
    organisation_id: int | None,
    role: str | None,
    represents: str | None,
    start: date,
) -> Membership:
    clash = _overlapping(s, saved_id(network), person_id, organisation_id, start)
    if clash is not None:
        since = f" since {format_day(clash.start_date)}" if clash.start_date else ""
        until = f" until {format_day(clash.end_date)}" if clash.end_date else ""
        field = "person_id" if person_id is not None else "organisation_id"
        raise ValidationError(
            {
                field: f"{_member_name(s, clash)} is already a member of {network.name}"
                f"{since}{until} (as {clash.role}); end that membership first, or change the role"
            }
        )
    row = Membership(
        network_id=saved_id(network),
        person_id=person_id,
        organisation_id=organisation_id,
        role=role_value(role),
        represents=(represents or "").strip() or None,
        start_date=start,
    )
    s.add(row)
    s.flush()
    return row


def join_network(
    database: Database,
    network_id: int,
    *,
    person_id: int | None = None,
    organisation_id: int | None = None,
    role: str = "member",
    represents: str | None = None,
    start_date: date | None = None,
) -> MembershipRecord:
    """A new membership from ``start_date`` (today); refused if they are a member already."""
    problems = _role_problems(role, represents)
    if problems:
        raise ValidationError(problems)
    with database.session() as s:
        network = get_or_fail(s, Network, network_id, "network")
        _check_member(s, person_id, organisation_id)
        row = _insert(
            s,
            network,
            person_id,
            organisation_id,
            role,
            represents,
            start_date or today_in_london(),
        )
        return _record(s, row)


def _membership(s: Session, membership_id: int) -> Membership:
    return get_or_fail(s, Membership, membership_id, "membership")


def _end(row: Membership, on: date) -> None:
    if row.start_date and on < row.start_date:
        raise ValidationError(
            {
                "end_date": f"{format_day(on)} is before the membership began "
                f"({format_day(row.start_date)}); give a date on or after it"
            }
        )
    row.end_date = on


def leave_network(
    database: Database, membership_id: int, on: date | None = None, version: int | None = None
) -> MembershipRecord:
    """End the membership on ``on`` (today): they were a member until that day. Never deletes."""
    with database.session() as s:
        row = _membership(s, membership_id)
        check_version(row, version)
        _end(row, on or today_in_london())
        s.add(row)
        s.flush()
        return _record(s, row)


def change_role(
    database: Database,
    membership_id: int,
    role: str,
    on: date | None = None,
    represents: str | None = None,
    version: int | None = None,
) -> MembershipRecord:
    """End the membership the day before ``on`` and start one in the new role on ``on``.

    ``represents`` None keeps what they represented. Returns the new membership.
    """
    problems = _role_problems(role, represents)
    if problems:
        raise ValidationError(problems)
    day = on or today_in_london()
    with database.session() as s:
        row = _membership(s, membership_id)
        check_version(row, version)
        if row.end_date is not None and row.end_date < day:
            raise ValidationError(
                {
                    "role": f"this membership ended on {format_day(row.end_date)}; a new role "
                    "needs a current membership (add them to the network again)"
                }
            )
        if row.start_date and day <= row.start_date:
            raise ValidationError(
                {
                    "start_date": f"the new role must start after the membership began "
                    f"({format_day(row.start_date)}); to correct the role it began with, edit it"
                }
            )
        ended_on = row.end_date
        row.end_date = day - timedelta(days=1)
        s.add(row)
        s.flush()
        new = Membership(
            network_id=row.network_id,
            person_id=row.person_id,
            organisation_id=row.organisation_id,
            role=role_value(role),
            represents=row.represents if represents is None else (represents.strip() or None),
            start_date=day,
            end_date=ended_on,
        )
        s.add(new)
        s.flush()
        return _record(s, new)


def update_membership(
    database: Database,
    membership_id: int,
    *,
    role: str,
    represents: str | None,
    start_date: date | None,
    end_date: date | None,
    version: int | None = None,
) -> MembershipRecord:
    """Correct a membership as entered (a typo in the role, a wrong start date).

    A real change of role is ``change_role``: this overwrites, so history is not kept.
    """
    problems = _role_problems(role, represents)
    if start_date and end_date and end_date < start_date:
        problems["end_date"] = (
            f"{format_day(end_date)} is before the start ({format_day(start_date)})"
        )
    if problems:
        raise ValidationError(problems)
    with database.session() as s:
        row = _membership(s, membership_id)
        check_version(row, version)
        clash = _overlapping(
            s,
            row.network_id,
            row.person_id,
            row.organisation_id,
            start_date or date.min,
            exclude_id=row.id,
        )
        if clash is not None and (
            end_date is None or clash.start_date is None or clash.start_date <= end_date
        ):
            raise ValidationError(
                {"start_date": "these dates overlap another membership of the same member"}
            )
        row.role = role_value(role)
        row.represents = (represents or "").strip() or None
        row.start_date = start_date
        row.end_date = end_date
        s.add(row)
        s.flush()
        return _record(s, row)


def memberships(
    database: Database, network_id: int, include_past: bool = True
) -> list[MembershipRecord]:
    """Current members first (by role, then name), then past ones, latest to leave first."""
    with database.session() as s:
        get_or_fail(s, Network, network_id, "network")
        rows = s.exec(
            select(Membership)
            .where(Membership.network_id == network_id)
            .order_by(col(Membership.id))
        ).all()
        records = [_record(s, row) for row in rows]
    if not include_past:
        records = [r for r in records if r.current]
    return sorted(
        records,
        key=lambda r: (
            not r.current,
            ROLE_ORDER.get(r.role, len(ROLE_ORDER)) if r.current else 0,
            -(r.end_date.toordinal() if r.end_date else 0) if not r.current else 0,
            r.member_name.casefold(),
            r.id,
        ),
    )


def find_membership(
    database: Database,
    network_id: int,
    *,
    person_id: int | None = None,
    organisation_id: int | None = None,
) -> MembershipRecord:
    """The member's current membership of the network; ``NotFound`` in words."""
    with database.session() as s:
        network = get_or_fail(s, Network, network_id, "network")
        who = _check_member(s, person_id, organisation_id)
        query = select(Membership).where(Membership.network_id == network_id)
        if person_id is not None:
            query = query.where(Membership.person_id == person_id)
        else:
            query = query.where(Membership.organisation_id == organisation_id)
        today = today_in_london()
        rows = [r for r in s.exec(query).all() if r.end_date is None or r.end_date >= today]
        if not rows:
            raise NotFound(f"{who} is not a current member of {network.name}.")
        rows.sort(key=lambda r: (r.start_date or date.min, r.id))
        return _record(s, rows[-1])


def add_members(
    database: Database,
    network_id: int,
    members: list[tuple[str, int]],
    role: str = "member",
    represents: str | None = None,
    start_date: date | None = None,
) -> list[MembershipRecord]:
    """Several members at once, ``("person", id)`` or ``("organisation", id)``, in one unit of work.

    Members already current are skipped (not an error); the new memberships are returned.
    """
    problems = _role_problems(role, represents)
    if problems:
        raise ValidationError(problems)
    start = start_date or today_in_london()
    added: list[MembershipRecord] = []
    seen: set[tuple[str, int]] = set()
    with database.session() as s:
        network = get_or_fail(s, Network, network_id, "network")
        for kind, member_id in members:
            if kind not in ("person", "organisation"):
                raise ValidationError({"person_id": f'"{kind}" is not "person" or "organisation"'})
            if (kind, member_id) in seen:
                continue
            seen.add((kind, member_id))
            person_id = member_id if kind == "person" else None
            organisation_id = member_id if kind == "organisation" else None
            _check_member(s, person_id, organisation_id)
            if _overlapping(s, network_id, person_id, organisation_id, start) is not None:
                continue
            row = _insert(s, network, person_id, organisation_id, role, represents, start)
            added.append(_record(s, row))
    return added
