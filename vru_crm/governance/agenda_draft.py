"""Assembling a draft agenda from what is open.

Every one of the network's standing items is kept, in its order; the minutes
awaiting approval, every action still open from earlier meetings (carried
forward until closed), the recommendations due or overdue, and a summary of
the engagements logged since the last meeting are put in their places (a
standing "Minutes of the previous meeting" item becomes the minutes to agree, a
standing "Matters arising" item lists the open actions), never in place of the
standing items. It used to keep only the items it made itself around the
opening ones, and the PRG lost "VRU Director's update", "Thematic discussion"
and "Papers for decision".
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from db.enums import AgendaItemKind, MeetingStatus, MembershipRole, MinutesStatus
from db.models import AgendaItem, Meeting, Membership, Person, Recommendation
from db.models.networks import StandingItem
from vru_crm.governance import engagement_summary
from vru_crm.governance.actions import open_actions_before_in
from vru_crm.governance.common import format_day
from vru_crm.governance.minutes import minutes_awaiting_approval_in
from vru_crm.london import london_date

DEFAULT_OPENING = ("Welcome, introductions and apologies", 5)
DEFAULT_CLOSING = ("Any other business", 5)


def chair_of(session: Session, meeting: Meeting) -> str | None:
    """The meeting's chair, else the network's member whose role is chair."""
    if meeting.chair:
        return meeting.chair
    if meeting.network_id is None:
        return None
    query = (
        select(Person.full_name)
        .join(Membership, col(Membership.person_id) == Person.id)
        .where(Membership.network_id == meeting.network_id)
        .where(Membership.role == MembershipRole.CHAIR.value)
    )
    return session.exec(query).first()


def previous_meeting_in(session: Session, meeting: Meeting) -> Meeting | None:
    """The network's last meeting held before this one."""
    if meeting.network_id is None:
        return None
    query = (
        select(Meeting)
        .where(Meeting.network_id == meeting.network_id)
        .where(Meeting.status == MeetingStatus.HELD.value)
        .where(Meeting.starts_at < meeting.starts_at)
        .order_by(col(Meeting.starts_at).desc())
    )
    return session.exec(query).first()


def _standing(
    session: Session, network_id: int | None
) -> tuple[list[AgendaItem], list[AgendaItem]]:
    rows = []
    if network_id is not None:
        query = select(StandingItem).where(StandingItem.network_id == network_id)
        rows = sorted(session.exec(query).all(), key=lambda r: (r.position, r.id))
    as_items = [
        AgendaItem(
            meeting_id=0,
            title=r.title,
            presenter=r.presenter,
            minutes_allotted=r.minutes_allotted,
            kind=r.kind,
        )
        for r in rows
    ]
    opening = [i for i in as_items if i.kind != AgendaItemKind.AOB]
    closing = [i for i in as_items if i.kind == AgendaItemKind.AOB]
    if not rows:
        opening = [
            AgendaItem(
                meeting_id=0,
                title=DEFAULT_OPENING[0],
                minutes_allotted=DEFAULT_OPENING[1],
                kind=AgendaItemKind.STANDING,
            )
        ]
        closing = [
            AgendaItem(
                meeting_id=0,
                title=DEFAULT_CLOSING[0],
                minutes_allotted=DEFAULT_CLOSING[1],
                kind=AgendaItemKind.AOB,
            )
        ]
    return opening, closing


def _minutes_items(session: Session, meeting: Meeting, chair: str | None) -> list[AgendaItem]:
    """One item per earlier meeting whose minutes await approval (the last one even if undrafted)."""
    day = london_date(meeting.starts_at)
    waiting = (
        minutes_awaiting_approval_in(session, meeting.network_id, day) if meeting.network_id else []
    )
    previous = previous_meeting_in(session, meeting)
    if previous is not None and previous.minutes_status == MinutesStatus.NONE:
        waiting.append(previous)
    items = []
    for earlier in sorted(waiting, key=lambda m: m.starts_at):
        items.append(
            AgendaItem(
                meeting_id=0,
                title=f"Minutes of the meeting of {format_day(london_date(earlier.starts_at))}",
                presenter=chair,
                minutes_allotted=5,
                kind=AgendaItemKind.MINUTES,
                subject_meeting_id=earlier.id,
                notes="To agree the minutes as an accurate record.",
            )
        )
    return items


def _matters_arising(session: Session, meeting: Meeting) -> list[AgendaItem]:
    if meeting.network_id is None:
        return []
    day = london_date(meeting.starts_at)
    actions = open_actions_before_in(session, meeting.network_id, day)
    if not actions:
        return []
    lines = []
    for action in actions:
        due = f"due {action.due_date:%d/%m/%Y}" if action.due_date else "no due date"
        if action.due_date and action.due_date < day:
            due += f", overdue by {(day - action.due_date).days} days"
        source = session.get(Meeting, action.meeting_id)
        raised = f"; raised {london_date(source.starts_at):%d/%m/%Y}" if source else ""
        lines.append(f"- {action.text} ({action.owner or 'no owner'}; {due}{raised})")
    return [
        AgendaItem(
            meeting_id=0,
            title="Matters arising and actions from previous meetings",
            minutes_allotted=10,
            kind=AgendaItemKind.MATTERS_ARISING,
            notes="\n".join(lines),
        )
    ]


def _recommendations(session: Session, day: date, horizon_days: int) -> list[AgendaItem]:
    horizon = day + timedelta(days=horizon_days)
    query = (
        select(Recommendation)
        .where(Recommendation.status == "open")
        .where(col(Recommendation.due_date).is_not(None))
        .where(col(Recommendation.due_date) <= horizon)
        .order_by(col(Recommendation.due_date), col(Recommendation.number))
    )
    due = session.exec(query).all()
    if not due:
        return []
    lines = []
    for r in due:
        if r.due_date is None:  # never: the query asks for a due date; this narrows the type
            continue
        when = "overdue since" if r.due_date < day else "due"
        lines.append(
            f"- {r.sender}, letter of {r.letter_date:%d/%m/%Y}, recommendation {r.number} "
            f"({when} {r.due_date:%d/%m/%Y}): {r.text}"
        )
    return [
        AgendaItem(
            meeting_id=0,
            title="Recommendations due or overdue for a response",
            minutes_allotted=10,
            kind=AgendaItemKind.UPDATE,
            notes="\n".join(lines),
        )
    ]


def _engagements(session: Session, meeting: Meeting) -> list[AgendaItem]:
    previous = previous_meeting_in(session, meeting)
    end = london_date(meeting.starts_at)
    start = (
        london_date(previous.starts_at) + timedelta(days=1)
        if previous
        else end - timedelta(days=90)
    )
    summary = engagement_summary.summarise_in(session, start, end)
    return [
        AgendaItem(
            meeting_id=0,
            title="Community engagement since the last meeting",
            presenter="VRU community engagement lead",
            minutes_allotted=10,
            kind=AgendaItemKind.UPDATE,
            notes=summary.as_notes(),
        )
    ]


def _merge_slot(standing: AgendaItem, found: list[AgendaItem]) -> list[AgendaItem]:
    """What stands at a standing item's place when the builder found items of its kind.

    The standing item keeps its own presenter and time where it has them; a
    minutes slot becomes one item per set of minutes awaiting approval (each
    names its meeting), a matters-arising slot takes the list of open actions.
    Found nothing: the standing item stays as it is.
    """
    if not found:
        return [standing]
    for item in found:
        item.presenter = standing.presenter or item.presenter
        if standing.minutes_allotted is not None and len(found) == 1:
            item.minutes_allotted = standing.minutes_allotted
    if standing.kind == AgendaItemKind.MATTERS_ARISING:
        found[0].title = standing.title
    return found


def _after(items: list[AgendaItem], kinds: set[str]) -> int | None:
    """The index just after the last item of one of ``kinds``, None if there is none."""
    places = [n for n, item in enumerate(items) if item.kind in kinds]
    return places[-1] + 1 if places else None


def _opening_run(items: list[AgendaItem]) -> int:
    """The index after the leading run of plain standing items (welcome, apologies)."""
    for n, item in enumerate(items):
        if item.kind != AgendaItemKind.STANDING:
            return n
    return len(items)


def arrange(
    opening: list[AgendaItem],
    closing: list[AgendaItem],
    minutes: list[AgendaItem],
    matters: list[AgendaItem],
    updates: list[AgendaItem],
) -> list[AgendaItem]:
    """The standing items, every one of them, with what the builder found put in its place.

    Minutes and matters arising go into the standing items of those kinds if
    the network has them, else after the opening items; the other updates
    (recommendations due, engagement summary) follow the last standing update
    (the Director's), else the matters arising; discussions, papers and
    decisions keep their places; AOB closes.
    """
    body = list(opening)
    for kind, found in (
        (AgendaItemKind.MINUTES, minutes),
        (AgendaItemKind.MATTERS_ARISING, matters),
    ):
        slot = next((n for n, item in enumerate(body) if item.kind == kind), None)
        if slot is not None:
            body[slot : slot + 1] = _merge_slot(body[slot], found)
            continue
        at = _after(body, {AgendaItemKind.MINUTES}) or _opening_run(body)
        body[at:at] = found
    place = _after(body, {AgendaItemKind.UPDATE})
    if place is None:
        place = _after(body, {AgendaItemKind.MATTERS_ARISING, AgendaItemKind.MINUTES})
    if place is None:
        place = _opening_run(body)
    body[place:place] = updates
    return [*body, *closing]


def draft_items_in(session: Session, meeting: Meeting, horizon_days: int) -> list[AgendaItem]:
    """The draft: all the network's standing items, with what is open put in its place."""
    chair = chair_of(session, meeting)
    opening, closing = _standing(session, meeting.network_id)
    for item in opening + closing:
        if item.kind in (AgendaItemKind.STANDING, AgendaItemKind.MINUTES) and not item.presenter:
            item.presenter = chair
    day = london_date(meeting.starts_at)
    return arrange(
        opening,
        closing,
        _minutes_items(session, meeting, chair),
        _matters_arising(session, meeting),
        [*_recommendations(session, day, horizon_days), *_engagements(session, meeting)],
    )
