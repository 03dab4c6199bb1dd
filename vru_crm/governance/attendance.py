"""Who came: attendance per meeting, each member's share over a year, and quorum.

A member is a person with a membership of the network on the day of the
meeting; organisations are members too but attend through their people, so the
shares are per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from db.enums import AttendanceStatus, MeetingStatus
from db.models import AgendaItem, Attendance, Meeting, Membership, Network, Person
from db.session import Database
from db.types import utcnow
from vru_crm.errors import ValidationError
from vru_crm.governance.common import meeting_or_fail
from vru_crm.governance.meetings import apply_changes, check_version
from vru_crm.london import london_date


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    role: str
    represents: str | None
    status: str | None  # attendance at the meeting asked about, if recorded


@dataclass(frozen=True)
class MemberAttendance:
    person_id: int
    name: str
    role: str
    meetings: int  # held meetings while a member
    attended: int
    apologies: int

    @property
    def share(self) -> float | None:
        return None if self.meetings == 0 else self.attended / self.meetings


@dataclass(frozen=True)
class Quorum:
    meeting_id: int
    present: int
    quorum: int | None

    @property
    def quorate(self) -> bool | None:
        """None when the network sets no quorum."""
        return None if self.quorum is None else self.present >= self.quorum


def _is_member_on(membership: Membership, day: date) -> bool:
    starts_ok = membership.start_date is None or membership.start_date <= day
    ends_ok = membership.end_date is None or membership.end_date >= day
    return starts_ok and ends_ok


def members_on_in(session: Session, network_id: int, day: date) -> list[tuple[Membership, Person]]:
    query = (
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.network_id == network_id)
        .order_by(Person.full_name)
    )
    return [(m, p) for m, p in session.exec(query).all() if _is_member_on(m, day)]


def meeting_members(database: Database, meeting_id: int) -> list[MemberRow]:
    """The people expected at a meeting (members on its day, plus anyone recorded), with status."""
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        recorded = {a.person_id: a.status for a in _attendance(s, meeting_id)}
        rows: dict[int, MemberRow] = {}
        if meeting.network_id is not None:
            for membership, person in members_on_in(
                s, meeting.network_id, london_date(meeting.starts_at)
            ):
                rows[person.id] = MemberRow(
                    person.id,
                    person.full_name,
                    membership.role,
                    membership.represents,
                    recorded.get(person.id),
                )
        for person_id, status in recorded.items():
            if person_id not in rows:
                person = s.get(Person, person_id)
                rows[person_id] = MemberRow(person_id, person.full_name, "guest", None, status)
        return sorted(rows.values(), key=lambda r: (r.role != "chair", r.name.lower()))


def _attendance(session: Session, meeting_id: int) -> list[Attendance]:
    return list(session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)).all())


def _check_statuses(session: Session, statuses: dict[int, str]) -> None:
    problems = {}
    for person_id, status in statuses.items():
        if status not in set(AttendanceStatus):
            problems[f"person {person_id}"] = f'"{status}" is not present, apologies or absent'
        elif session.get(Person, person_id) is None:
            problems[f"person {person_id}"] = "there is no such person"
    if problems:
        raise ValidationError(problems)


def set_attendance_in(session: Session, meeting: Meeting, statuses: dict[int, str]) -> None:
    """Replace the meeting's attendance with ``statuses`` (person id -> status)."""
    _check_statuses(session, statuses)
    existing = {a.person_id: a for a in _attendance(session, meeting.id)}
    for person_id, row in existing.items():
        if person_id not in statuses:
            session.delete(row)
    for person_id, status in statuses.items():
        row = existing.get(person_id)
        if row is None:
            session.add(Attendance(meeting_id=meeting.id, person_id=person_id, status=status))
        elif row.status != status:
            row.status = status


def record_meeting_held(
    database: Database,
    meeting_id: int,
    attendance: dict[int, str],
    outcomes: dict[int, str | None] | None = None,
    expected_version: int | None = None,
) -> Quorum:
    """Mark the meeting held, save who attended and what it decided, in one unit of work.

    ``outcomes`` maps agenda item id to an outcome; agreeing the "minutes of the
    previous meeting" item approves those minutes.
    """
    from vru_crm.governance.agenda import record_outcome_in

    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        check_version(meeting, expected_version)
        if meeting.starts_at > utcnow():
            raise ValidationError(
                {"status": "a meeting cannot be recorded as held before it starts"}
            )
        apply_changes(s, meeting, {"status": MeetingStatus.HELD.value})
        set_attendance_in(s, meeting, attendance)
        for item_id, outcome in (outcomes or {}).items():
            item = s.get(AgendaItem, item_id)
            if item is None or item.meeting_id != meeting_id:
                raise ValidationError(
                    {"outcome": f"item {item_id} is not on this meeting's agenda"}
                )
            record_outcome_in(s, item, outcome)
        s.flush()
        return _quorum(s, meeting)


def _quorum(session: Session, meeting: Meeting) -> Quorum:
    present = sum(a.status == AttendanceStatus.PRESENT for a in _attendance(session, meeting.id))
    network = session.get(Network, meeting.network_id) if meeting.network_id else None
    return Quorum(meeting.id, present, network.quorum if network else None)


def quorum_of(database: Database, meeting_id: int) -> Quorum:
    with database.session() as s:
        return _quorum(s, meeting_or_fail(s, meeting_id))


def inquorate_meetings(database: Database, network_id: int, start: date, end: date) -> list[Quorum]:
    """Held meetings of the network in the period that lacked their quorum (flagged)."""
    with database.session() as s:
        held = _held_between(s, network_id, start, end)
        results = [_quorum(s, m) for m in held]
    return [q for q in results if q.quorate is False]


def _held_between(session: Session, network_id: int, start: date, end: date) -> list[Meeting]:
    query = select(Meeting).where(
        Meeting.network_id == network_id, Meeting.status == MeetingStatus.HELD
    )
    return [m for m in session.exec(query).all() if start <= london_date(m.starts_at) <= end]


def attendance_shares(
    database: Database, network_id: int, start: date, end: date
) -> list[MemberAttendance]:
    """Per member, the held meetings they attended out of those held while they were a member."""
    with database.session() as s:
        held = _held_between(s, network_id, start, end)
        statuses = {
            (a.meeting_id, a.person_id): a.status for m in held for a in _attendance(s, m.id)
        }
        query = (
            select(Membership, Person)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.network_id == network_id)
        )
        memberships = s.exec(query).all()
    counts: dict[int, list] = {}
    for membership, person in memberships:
        for meeting in held:
            if not _is_member_on(membership, london_date(meeting.starts_at)):
                continue
            entry = counts.setdefault(person.id, [person.full_name, membership.role, set(), 0, 0])
            if meeting.id in entry[2]:
                continue  # two memberships on the same day count once
            entry[2].add(meeting.id)
            status = statuses.get((meeting.id, person.id))
            entry[3] += status == AttendanceStatus.PRESENT
            entry[4] += status == AttendanceStatus.APOLOGIES
    rows = [
        MemberAttendance(pid, name, role, len(ids), attended, apologies)
        for pid, (name, role, ids, attended, apologies) in counts.items()
    ]
    return sorted(rows, key=lambda r: (r.share if r.share is not None else 1, r.name))
