"""What each list shows in its columns, in words (dates in UK style, counts right-aligned)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from ui.models.paged_model import ColumnSpec
from ui.style import format_date, format_datetime, warning_colour
from vru_crm.london import today_in_london
from vru_crm.queries.common import ListQuery
from vru_crm.queries.engagements import EngagementQuery, EngagementRow
from vru_crm.queries.meetings import MeetingQuery
from vru_crm.queries.networks import NetworkQuery
from vru_crm.queries.organisations import OrganisationQuery
from vru_crm.queries.people import PersonQuery


def _follow_up(row: EngagementRow) -> str:
    if row.follow_up_on is None:
        return ""
    if row.follow_up_done:
        return f"{format_date(row.follow_up_on)} (done)"
    return format_date(row.follow_up_on)


def _follow_up_colour(row: EngagementRow) -> QColor | None:
    overdue = row.follow_up_on and not row.follow_up_done and row.follow_up_on < today_in_london()
    return warning_colour() if overdue else None


def _titles(query: type[ListQuery[Any]]) -> dict[str, tuple[str, bool]]:
    return {c.key: (c.title, c.sortable) for c in query.columns}


def _specs(query: type[ListQuery[Any]], shows: dict[str, dict[str, Any]]) -> list[ColumnSpec]:
    """Column specs in the query's order; titles and sortability come from the query."""
    titles = _titles(query)
    return [
        ColumnSpec(key, titles[key][0], sortable=titles[key][1], **extra)
        for key, extra in shows.items()
    ]


ORGANISATION_COLUMNS = _specs(
    OrganisationQuery,
    {
        "name": {"text": lambda r: r.name, "width": 280},
        "sector": {"text": lambda r: r.sector, "width": 180},
        "boroughs": {"text": lambda r: r.boroughs, "width": 160},
        "last_contact": {"text": lambda r: format_date(r.last_contact, "never")},
        "engagements": {"text": lambda r: f"{r.engagements:,}", "align_right": True},
        "priority": {"text": lambda r: "Priority" if r.is_priority else ""},
    },
)

PERSON_COLUMNS = _specs(
    PersonQuery,
    {
        "name": {"text": lambda r: r.full_name, "width": 220},
        "young": {"text": lambda r: r.young_label, "width": 110},
        "job_title": {"text": lambda r: r.job_title, "width": 180},
        "organisations": {"text": lambda r: r.organisations, "width": 240},
        "borough": {"text": lambda r: r.borough},
        "email": {"text": lambda r: r.email, "width": 200},
        "last_contact": {"text": lambda r: format_date(r.last_contact, "never")},
    },
)

NETWORK_COLUMNS = _specs(
    NetworkQuery,
    {
        "name": {"text": lambda r: r.name, "width": 280},
        "kind": {"text": lambda r: r.kind_label},
        "members": {"text": lambda r: f"{r.members:,}", "align_right": True},
        "meetings": {"text": lambda r: f"{r.meetings:,}", "align_right": True},
        "next_meeting": {
            "text": lambda r: format_datetime(r.next_meeting, "none planned"),
            "width": 150,
        },
        "cadence": {"text": lambda r: r.cadence, "width": 200},
    },
)

MEETING_COLUMNS = _specs(
    MeetingQuery,
    {
        "starts_at": {"text": lambda r: format_datetime(r.starts_at), "width": 150},
        "title": {"text": lambda r: r.title, "width": 340},
        "network": {"text": lambda r: r.network, "width": 220},
        "status": {"text": lambda r: r.status_label},
        "minutes": {"text": lambda r: r.minutes_label},
        "attendees": {"text": lambda r: f"{r.attendees:,}", "align_right": True},
    },
)

ENGAGEMENT_COLUMNS = _specs(
    EngagementQuery,
    {
        "date": {"text": lambda r: format_date(r.occurred_on), "width": 105},
        "kind": {"text": lambda r: r.kind_label, "width": 115},
        "organisations": {"text": lambda r: r.organisations, "width": 220},
        "boroughs": {"text": lambda r: r.boroughs, "width": 130},
        "summary": {"text": lambda r: r.summary.replace("\n", " "), "width": 300},
        "logged_by": {"text": lambda r: r.logged_by},
        "follow_up": {"text": _follow_up, "colour": _follow_up_colour},
    },
)
