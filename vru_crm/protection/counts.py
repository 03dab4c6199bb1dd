"""Counts that stay true after erasure and retention: named links plus anonymous ones.

Reports that count "people linked to engagements" or "attendees of a meeting"
should count through these (or join the ``anonymous_*`` tables the same way),
otherwise erasing a person would quietly lower last year's figures.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from db.models import AnonymousAttendance, AnonymousParticipant, Attendance, EngagementPerson
from db.session import Database


def people_linked(database: Database, engagement_ids: list[int]) -> int:
    """Named and anonymous people linked to these engagements, together."""
    if not engagement_ids:
        return 0
    with database.session() as s:
        named = s.exec(
            select(sa.func.count())
            .select_from(EngagementPerson)
            .where(col(EngagementPerson.engagement_id).in_(engagement_ids))
        ).one()
        anonymous = s.exec(
            select(sa.func.coalesce(sa.func.sum(AnonymousParticipant.count), 0)).where(
                col(AnonymousParticipant.engagement_id).in_(engagement_ids)
            )
        ).one()
    return int(named) + int(anonymous)


def attendance_by_status(database: Database, meeting_id: int) -> dict[str, int]:
    """How many were present, sent apologies or were absent, named or not."""
    counts: dict[str, int] = {}
    with database.session() as s:
        for status, n in s.exec(
            select(Attendance.status, sa.func.count())
            .where(Attendance.meeting_id == meeting_id)
            .group_by(Attendance.status)
        ):
            counts[status] = counts.get(status, 0) + int(n)
        for row in s.exec(
            select(AnonymousAttendance).where(AnonymousAttendance.meeting_id == meeting_id)
        ):
            counts[row.status] = counts.get(row.status, 0) + row.count
    return counts
