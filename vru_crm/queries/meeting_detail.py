"""Everything the meeting page shows: when and where, attendance, agenda and actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.queries import tables as t
from vru_crm.queries.common import Ref
from vru_crm.queries.meetings import MEETING_STATUS_LABELS, MINUTES_STATUS_LABELS


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    status: str


@dataclass(frozen=True)
class Item:
    position: int
    title: str
    presenter: str
    kind: str
    minutes_allotted: int | None


@dataclass(frozen=True)
class ActionRow:
    id: int
    text: str
    owner: str
    due_date: date | None
    status: str


@dataclass
class MeetingDetail:
    id: int
    version: int
    title: str
    network: Ref | None
    starts_at: datetime
    ends_at: datetime
    location: str
    online_url: str
    status: str
    minutes_status: str
    minutes_url: str
    minutes_published_on: date | None
    notes: str
    attendees: list[Attendee] = field(default_factory=list)
    agenda: list[Item] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(MEETING_STATUS_LABELS.get(self.status, self.status))  # type: ignore[call-overload]

    @property
    def minutes_label(self) -> str:
        return str(MINUTES_STATUS_LABELS.get(self.minutes_status, self.minutes_status))  # type: ignore[call-overload]


def meeting_detail(database: Database, meeting_id: int) -> MeetingDetail:
    mt, n = t.meeting.c, t.network.c
    with database.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.meeting, n.name.label("network_name"))
            .select_from(t.meeting.outerjoin(t.network, n.id == mt.network_id))
            .where(mt.id == meeting_id)
        ).one_or_none()
        if row is None:
            raise NotFound(f"Meeting {meeting_id} no longer exists.")
        detail = MeetingDetail(
            id=row.id,
            version=row.version,
            title=row.title,
            network=Ref("network", row.network_id, row.network_name) if row.network_id else None,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            location=row.location or "",
            online_url=row.online_url or "",
            status=row.status,
            minutes_status=row.minutes_status,
            minutes_url=row.minutes_url or "",
            minutes_published_on=row.minutes_published_on,
            notes=row.notes or "",
        )
        detail.attendees = _attendees(conn, meeting_id)
        detail.agenda = _agenda(conn, meeting_id)
        detail.actions = _actions(conn, meeting_id)
    return detail


def _attendees(conn: Connection, meeting_id: int) -> list[Attendee]:
    a, p = t.attendance.c, t.person.c
    statement = (
        sa.select(p.id, p.full_name, a.status)
        .select_from(t.attendance.join(t.person, p.id == a.person_id))
        .where(a.meeting_id == meeting_id)
        .order_by(a.status != "present", p.full_name)
    )
    return [Attendee(r.id, r.full_name, r.status) for r in conn.execute(statement)]


def _agenda(conn: Connection, meeting_id: int) -> list[Item]:
    ai = t.agenda_item.c
    statement = (
        sa.select(ai.position, ai.title, ai.presenter, ai.kind, ai.minutes_allotted)
        .where(ai.meeting_id == meeting_id)
        .order_by(ai.position, ai.id)
    )
    return [
        Item(r.position, r.title, r.presenter or "", r.kind, r.minutes_allotted)
        for r in conn.execute(statement)
    ]


def _actions(conn: Connection, meeting_id: int) -> list[ActionRow]:
    ac = t.action.c
    statement = (
        sa.select(ac.id, ac.text, ac.owner, ac.due_date, ac.status)
        .where(ac.meeting_id == meeting_id)
        .order_by(ac.due_date.nulls_last(), ac.id)
    )
    return [
        ActionRow(r.id, r.text, r.owner or "", r.due_date, r.status)
        for r in conn.execute(statement)
    ]
