"""Who came: attendance per meeting, each member's share over a year, and quorum.

A member is a person or an organisation with a membership of the network on the
day of the meeting. Organisations attend through their people, so attendance
(and each member's share) is kept per person; an organisation member is listed
with its name and role but has no attendance of its own. Guests, who are not
members, are recorded by name only and never count toward the quorum.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from db.enums import AttendanceStatus, MeetingStatus
from db.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingGuest,
    Membership,
    Network,
    Organisation,
    Person,
    saved_id,
)
from db.session import Database
from db.types import utcnow
from vru_crm.errors import NotFound, ValidationError
from vru_crm.governance.common import (
    format_day,
    format_time,
    get_or_fail,
    meeting_or_fail,
)
from vru_crm.governance.meetings import apply_changes, check_version
from vru_crm.london import london_date

GUEST_NAME_LIMIT = 200


@dataclass(frozen=True)
class MemberRow:
    person_id: int | None  # None for an organisation member (it attends through its people)
    name: str
    role: str
    represents: str | None
    status: str | None  # attendance at the meeting asked about, if recorded
    organisation_id: int | None = None
    kind: str = "person"  # "person", "organisation", or "guest" (recorded, not a member)

    @property
    def can_attend(self) -> bool:
        """Whether an attendance status can be recorded for this row (people only)."""
        return self.person_id is not None


@dataclass(frozen=True)
class GuestRow:
    id: int
    name: str
    represents: str | None


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
    present: int  # members present (guests do not count)
    quorum: int | None
    guests: int = 0

    @property
    def quorate(self) -> bool | None:
        """None when the network sets no quorum."""
        return None if self.quorum is None else self.present >= self.quorum


def _is_member_on(membership: Membership, day: date) -> bool:
    starts_ok = membership.start_date is None or membership.start_date <= day
    ends_ok = membership.end_date is None or membership.end_date >= day
    return starts_ok and ends_ok


def members_on_in(session: Session, network_id: int, day: date) -> list[tuple[Membership, Person]]:
    """The person memberships of a network that cover ``day``, by name."""
    query = (
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.network_id == network_id)
        .order_by(col(Person.full_name))
    )
    return [(m, p) for m, p in session.exec(query).all() if _is_member_on(m, day)]


def organisations_on_in(
    session: Session, network_id: int, day: date
) -> list[tuple[Membership, Organisation]]:
    """The organisation memberships of a network that cover ``day``, by name."""
    query = (
        select(Membership, Organisation)
        .join(Organisation, col(Organisation.id) == Membership.organisation_id)
        .where(Membership.network_id == network_id)
        .order_by(col(Organisation.name))
    )
    return [(m, o) for m, o in session.exec(query).all() if _is_member_on(m, day)]


def _order(row: MemberRow) -> tuple[bool, bool, str]:
    return (row.kind == "guest", row.role != "chair", row.name.lower())


def meeting_members(database: Database, meeting_id: int) -> list[MemberRow]:
    """The members expected at a meeting (members on its day, plus anyone recorded), with status.

    People first by role (the chair first) and name; organisation members are
    listed too (``person_id`` None); people recorded without being members come
    last as "guest".
    """
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        recorded = {a.person_id: a.status for a in _attendance(s, meeting_id)}
        rows: dict[tuple[str, int], MemberRow] = {}
        if meeting.network_id is not None:
            day = london_date(meeting.starts_at)
            for membership, person in members_on_in(s, meeting.network_id, day):
                person_id = saved_id(person)
                rows.setdefault(
                    ("person", person_id),
                    MemberRow(
                        person_id,
                        person.full_name,
                        membership.role,
                        membership.represents,
                        recorded.get(person_id),
                    ),
                )
            for membership, organisation in organisations_on_in(s, meeting.network_id, day):
                rows.setdefault(
                    ("organisation", saved_id(organisation)),
                    MemberRow(
                        None,
                        organisation.name,
                        membership.role,
                        membership.represents,
                        None,
                        organisation.id,
                        "organisation",
                    ),
                )
        for person_id, status in recorded.items():
            if ("person", person_id) not in rows:
                guest = get_or_fail(s, Person, person_id, "person")
                rows[("person", person_id)] = MemberRow(
                    person_id, guest.full_name, "guest", None, status, None, "guest"
                )
        return sorted(rows.values(), key=_order)


def meeting_guests(database: Database, meeting_id: int) -> list[str]:
    """The names of the guests recorded at a meeting (not members), as entered."""
    return [g.name for g in meeting_guest_rows(database, meeting_id)]


def meeting_guest_rows(database: Database, meeting_id: int) -> list[GuestRow]:
    with database.session() as s:
        meeting_or_fail(s, meeting_id)
        return [GuestRow(saved_id(g), g.name, g.represents) for g in _guests(s, meeting_id)]


def _guests(session: Session, meeting_id: int) -> list[MeetingGuest]:
    query = select(MeetingGuest).where(MeetingGuest.meeting_id == meeting_id)
    return list(session.exec(query.order_by(col(MeetingGuest.id))).all())


def held_problem(database: Database, meeting_id: int, now: datetime | None = None) -> str | None:
    """Why the meeting cannot be recorded as held yet, in words; None if it can."""
    with database.session() as s:
        return _held_problem(meeting_or_fail(s, meeting_id), now)


def _held_problem(meeting: Meeting, now: datetime | None) -> str | None:
    if meeting.status == MeetingStatus.CANCELLED:
        return "This meeting was cancelled; set it back to planned before recording it as held."
    if meeting.starts_at > (now or utcnow()):
        return (
            f"This meeting starts on {format_day(london_date(meeting.starts_at))} at "
            f"{format_time(meeting.starts_at)}; it can be recorded as held once it has started."
        )
    return None


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
    meeting_id = saved_id(meeting)
    existing = {a.person_id: a for a in _attendance(session, meeting_id)}
    for person_id, gone in existing.items():
        if person_id not in statuses:
            session.delete(gone)
    for person_id, status in statuses.items():
        row = existing.get(person_id)
        if row is None:
            session.add(Attendance(meeting_id=meeting_id, person_id=person_id, status=status))
        elif row.status != status:
            row.status = status


def _guest_values(guests: Iterable[str | tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """(name, represents) of each guest, trimmed, blanks dropped, each name once."""
    found: dict[str, tuple[str, str | None]] = {}
    problems = {}
    for guest in guests:
        name, represents = (guest, None) if isinstance(guest, str) else guest
        name, represents = (name or "").strip(), (represents or "").strip() or None
        if not name:
            continue
        if len(name) > GUEST_NAME_LIMIT:
            problems["guests"] = f'"{name[:40]}…" is too long for a name (at most 200 characters)'
        found.setdefault(name.casefold(), (name, represents[:200] if represents else None))
    if problems:
        raise ValidationError(problems)
    return list(found.values())


def set_guests_in(
    session: Session, meeting: Meeting, guests: Iterable[str | tuple[str, str | None]]
) -> None:
    """Replace the meeting's guests; a guest already recorded keeps its row (and its id)."""
    wanted = _guest_values(guests)
    meeting_id = saved_id(meeting)
    existing = {g.name.casefold(): g for g in _guests(session, meeting_id)}
    keep = {name.casefold() for name, _ in wanted}
    for key, gone in existing.items():
        if key not in keep:
            session.delete(gone)
    for name, represents in wanted:
        row = existing.get(name.casefold())
        if row is None:
            session.add(MeetingGuest(meeting_id=meeting_id, name=name, represents=represents))
        elif (row.name, row.represents) != (name, represents):
            row.name, row.represents = name, represents


def _members_absent(session: Session, meeting: Meeting, statuses: dict[int, str]) -> dict[int, str]:
    """``statuses`` with every person member on the day who is not named there as absent."""
    result = dict(statuses)
    if meeting.network_id is not None:
        for _membership, person in members_on_in(
            session, meeting.network_id, london_date(meeting.starts_at)
        ):
            result.setdefault(saved_id(person), AttendanceStatus.ABSENT.value)
    return result


def record_meeting_held(
    database: Database,
    meeting_id: int,
    attendance: dict[int, str],
    outcomes: dict[int, str | None] | None = None,
    expected_version: int | None = None,
    *,
    guests: Iterable[str | tuple[str, str | None]] | None = None,
    now: datetime | None = None,
) -> Quorum:
    """Mark the meeting held, save who attended and what it decided, in one unit of work.

    ``attendance`` maps person id to present, apologies or absent; members of the
    network on the day who are not named are absent (an organisation member has
    no attendance of its own: its people do). ``guests`` are names (or (name,
    represents) pairs) of people who came without being members; None leaves
    the guests already recorded as they are. ``outcomes`` maps agenda item id to
    an outcome; agreeing the "minutes of the previous meeting" item approves those
    minutes. Refused, with the reason in words, before the meeting has started.
    """
    from vru_crm.governance.agenda import record_outcome_in

    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        check_version(meeting, expected_version)
        if problem := _held_problem(meeting, now):
            raise ValidationError({"starts_at": problem})
        apply_changes(s, meeting, {"status": MeetingStatus.HELD.value})
        people = {pid: status for pid, status in attendance.items() if pid is not None}
        set_attendance_in(s, meeting, _members_absent(s, meeting, people))
        if guests is not None:
            set_guests_in(s, meeting, guests)
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
    """Members present against the network's quorum; guests and non-members do not count."""
    meeting_id = saved_id(meeting)
    network = session.get(Network, meeting.network_id) if meeting.network_id else None
    present_ids = {
        a.person_id
        for a in _attendance(session, meeting_id)
        if a.status == AttendanceStatus.PRESENT
    }
    if network is not None:
        day = london_date(meeting.starts_at)
        present_ids &= {saved_id(p) for _m, p in members_on_in(session, saved_id(network), day)}
    guests = len(_guests(session, meeting_id))
    return Quorum(meeting_id, len(present_ids), network.quorum if network else None, guests)


def quorum_for(database: Database, meeting_id: int, statuses: dict[int, str]) -> Quorum:
    """The quorum as it would be with ``statuses`` (person id -> status), for a form's live
    count: only the meeting's members on the day count."""
    with database.session() as s:
        meeting = meeting_or_fail(s, meeting_id)
        network = s.get(Network, meeting.network_id) if meeting.network_id else None
        present = {pid for pid, status in statuses.items() if status == AttendanceStatus.PRESENT}
        if network is not None:
            day = london_date(meeting.starts_at)
            present &= {saved_id(p) for _m, p in members_on_in(s, saved_id(network), day)}
        return Quorum(saved_id(meeting), len(present), network.quorum if network else None)


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


@dataclass
class _Share:
    """A member's running count while ``attendance_shares`` goes through the held meetings."""

    name: str
    role: str
    meetings: set[int] = field(default_factory=set)  # held while a member
    attended: int = 0
    apologies: int = 0


def attendance_shares(
    database: Database, network_id: int, start: date, end: date
) -> list[MemberAttendance]:
    """Per member, the held meetings they attended out of those held while they were a member."""
    with database.session() as s:
        held = _held_between(s, network_id, start, end)
        statuses = {
            (a.meeting_id, a.person_id): a.status for m in held for a in _attendance(s, saved_id(m))
        }
        query = (
            select(Membership, Person)
            .join(Person, col(Person.id) == Membership.person_id)
            .where(Membership.network_id == network_id)
        )
        memberships = s.exec(query).all()
    counts: dict[int, _Share] = {}
    for membership, person in memberships:
        person_id = saved_id(person)
        for meeting in held:
            if not _is_member_on(membership, london_date(meeting.starts_at)):
                continue
            entry = counts.setdefault(person_id, _Share(person.full_name, membership.role))
            meeting_id = saved_id(meeting)
            if meeting_id in entry.meetings:
                continue  # two memberships on the same day count once
            entry.meetings.add(meeting_id)
            status = statuses.get((meeting_id, person_id))
            entry.attended += status == AttendanceStatus.PRESENT
            entry.apologies += status == AttendanceStatus.APOLOGIES
    rows = [
        MemberAttendance(pid, e.name, e.role, len(e.meetings), e.attended, e.apologies)
        for pid, e in counts.items()
    ]
    return sorted(rows, key=lambda r: (r.share if r.share is not None else 1, r.name))


def fold_name(text: str) -> str:
    """A name as it is compared: case, accents and spacing ignored ("Zoë  O'Neil" = "zoe o'neil")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def match_attendees(database: Database, meeting_id: int, names: Iterable[str]) -> list[MemberRow]:
    """The meeting's person members named by ``names`` (case and accents ignored), in order.

    A name matches a member's full name, or failing that the one member whose
    name holds all its words ("Khan" for "Sadiq Khan"). Names that match no one,
    more than one member, or an organisation member are refused together, each
    with the closest members, so one correction fixes the command.
    """
    from rapidfuzz import fuzz, process

    members = meeting_members(database, meeting_id)
    people = [m for m in members if m.kind != "organisation"]
    folded = {m.person_id: fold_name(m.name) for m in people}
    found: list[MemberRow] = []
    problems: dict[str, str] = {}
    for typed in names:
        key = fold_name(typed)
        exact = [m for m in people if folded[m.person_id] == key]
        words = key.split()
        partial = [
            m for m in people if words and all(w in folded[m.person_id].split() for w in words)
        ]
        chosen = exact or partial
        if len(chosen) == 1:
            found.append(chosen[0])
            continue
        organisation = next(
            (m for m in members if m.kind == "organisation" and fold_name(m.name) == key), None
        )
        if organisation is not None:
            problems[typed] = (
                "is an organisation member; attendance is recorded for its people "
                "(name them, or add them as guests)"
            )
        elif len(chosen) > 1:
            problems[typed] = "could be " + " or ".join(m.name for m in chosen[:5])
        else:
            close = process.extract(key, folded, scorer=fuzz.WRatio, limit=3, score_cutoff=40)
            by_id = {m.person_id: m.name for m in people}
            hint = ", ".join(by_id[pid] for _name, _score, pid in close)
            problems[typed] = (
                f"is not a member of this meeting's network; closest: {hint}"
                if hint
                # Members are those of the meeting's day: people who joined later are not listed.
                else "is not a member of this meeting's network: it had no members on the day "
                "of the meeting (check the members' start dates)"
            )
    if problems:
        raise NotFound(
            "; ".join(f'"{typed}" {problem}' for typed, problem in problems.items()) + "."
        )
    return found
