"""SQL pieces the figures share: the tables, date buckets and the period condition.

Bucketing by week, month or quarter is the one place where SQLite and
PostgreSQL differ; both forms give the bucket's first day as 'YYYY-MM-DD'
text so the rest of the code reads one shape. Constants are inlined (literal
columns) so the grouped expression is textually the same in SELECT and GROUP
BY, which PostgreSQL insists on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

import db.models as m
from db.models.base import table_of
from db.models.engagements import EngagementRollup, OrganisationDaily
from vru_crm.london import LONDON
from vru_crm.reports.period import Period, PeriodFilter, Unit

engagement = table_of(m.Engagement)
eng_org = table_of(m.EngagementOrganisation)
eng_borough = table_of(m.EngagementBorough)
eng_network = table_of(m.EngagementNetwork)
eng_objective = table_of(m.EngagementObjective)
organisation = table_of(m.Organisation)
organisation_borough = table_of(m.OrganisationBorough)
borough = table_of(m.Borough)
objective = table_of(m.Objective)
network = table_of(m.Network)
sector = table_of(m.SectorRef)
assessment = table_of(m.StakeholderAssessment)
meeting = table_of(m.Meeting)
action = table_of(m.Action)
recommendation = table_of(m.Recommendation)
# the trigger-kept counts (db/rollup.py): what the dashboard reads instead of the log
rollup = table_of(EngagementRollup)
org_daily = table_of(OrganisationDaily)
ANY = "*"  # db.rollup.ANY: engagements with at least one link of the dimension


def _lit(text: str) -> ColumnElement[str]:
    return sa.literal_column("'" + text.replace("'", "''") + "'")


def _sqlite_bucket(column: ColumnElement[Any], unit: Unit) -> ColumnElement[str]:
    if unit == "week":  # the coming Sunday (or today if Sunday), then back to its Monday
        return sa.func.date(column, _lit("weekday 0"), _lit("-6 days"))
    if unit == "month":
        return sa.func.strftime(_lit("%Y-%m-01"), column)
    if unit == "quarter":
        month_in_quarter = (sa.cast(sa.func.strftime(_lit("%m"), column), sa.Integer) - 1) % 3
        shift = _lit("-") + sa.cast(month_in_quarter, sa.String) + _lit(" months")
        return sa.func.date(column, _lit("start of month"), shift)
    return sa.func.strftime(_lit("%Y-01-01"), column)


def bucket_start(column: ColumnElement[Any], unit: Unit, dialect: str) -> ColumnElement[str]:
    """The first day of the week/month/quarter/year of ``column``, as ISO text."""
    if dialect == "sqlite":
        return _sqlite_bucket(column, unit)
    return sa.func.to_char(sa.func.date_trunc(_lit(unit), column), _lit("YYYY-MM-DD"))


def to_period(unit: Unit, value: str | date) -> Period:
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return Period.containing(unit, day)


def in_period(column: ColumnElement[Any], period: PeriodFilter) -> ColumnElement[bool]:
    return column.between(period.start, period.end)


def engagements_in(period: PeriodFilter) -> ColumnElement[bool]:
    return in_period(engagement.c.occurred_on, period)


def rollup_in(dim: str, period: PeriodFilter) -> ColumnElement[bool]:
    """Rollup rows of one dimension in the period (the primary key's order: dim, span).

    Exact, because a span (the days of one week within one month) never
    straddles the start or end of a period, which are week or month boundaries.
    """
    return sa.and_(rollup.c.dim == dim, in_period(rollup.c.span_start, period))


def meetings_in(period: PeriodFilter) -> ColumnElement[bool]:
    """Meetings whose London date falls in the period (``starts_at`` is stored in UTC)."""
    low = datetime.combine(period.start, time.min, LONDON).astimezone(UTC)
    high = datetime.combine(period.end + timedelta(days=1), time.min, LONDON).astimezone(UTC)
    return sa.and_(meeting.c.starts_at >= low, meeting.c.starts_at < high)
