"""CSV exports that ``import`` reads back: same headers, ';'-joined lists, borough names, sector codes.

Meetings are exported for calendars and reports (they are not imported).
Cells that a spreadsheet could run as a formula are defused by ``write_table``
(phone numbers are left as typed). ``export_xlsx`` writes the same rows as a workbook.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Executable, and_, tuple_
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel, col, select

from db.enums import AGE_BAND_LABELS
from db.models import (
    Affiliation,
    Borough,
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    EngagementPerson,
    Meeting,
    Network,
    Objective,
    Organisation,
    OrganisationBorough,
    OrganisationTag,
    Person,
    StaffUser,
    Tag,
    saved_id,
)
from db.models import table_of as core_table
from db.session import Database
from vru_crm import validation as v
from vru_crm.io.import_engagements import COLUMNS as ENGAGEMENT_COLUMNS
from vru_crm.io.import_organisations import COLUMNS as ORGANISATION_COLUMNS
from vru_crm.io.import_people import COLUMNS as PEOPLE_COLUMNS
from vru_crm.io.tables import write_table
from vru_crm.london import LONDON

log = logging.getLogger(__name__)

MEETING_COLUMNS = (
    "network", "title", "start", "end", "location", "online_url", "status",
    "minutes_status", "minutes_url", "minutes_published",
)  # fmt: skip
EXPORT_KINDS = ("organisations", "people", "engagements", "meetings")
CHUNK = 5_000  # engagements read at once, with their links


def table_of(kind: str) -> tuple[tuple[str, ...], Callable[[Session], Iterator[list[str]]]]:
    """The columns of an export of ``kind`` and the function that reads its rows (as text)."""
    writers = {
        "organisations": (ORGANISATION_COLUMNS, _organisations),
        "people": (PEOPLE_COLUMNS, _people),
        "engagements": (ENGAGEMENT_COLUMNS, _engagements),
        "meetings": (MEETING_COLUMNS, _meetings),
    }
    return writers[kind]


def export_csv(database: Database, kind: str, path: Path) -> int:
    """Write every record of ``kind`` to ``path`` (CSV, UTF-8); the number of rows written."""
    headers, rows = table_of(kind)
    with database.session() as s:
        count = write_table(Path(path), headers, rows(s), xlsx=False)
    log.info("exported %d %s", count, kind)
    return count


def _join(values: Iterable[object]) -> str:
    return v.join_cell(values)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _grouped(s: Session, statement: Executable) -> dict[int, list[Any]]:
    """(key, value) rows as lists of values by key, read as plain Core rows."""
    groups: dict[int, list[Any]] = {}
    for key, value in s.connection().execute(statement):  # Core rows: fast for 100,000s
        groups.setdefault(key, []).append(value)
    return groups


def _organisations(s: Session) -> Iterator[list[str]]:
    boroughs = _grouped(
        s,
        select(OrganisationBorough.organisation_id, Borough.name)
        .join(Borough, col(Borough.id) == OrganisationBorough.borough_id)
        .order_by(Borough.name),
    )
    tags = _grouped(
        s,
        select(OrganisationTag.organisation_id, Tag.name)
        .join(Tag, col(Tag.id) == OrganisationTag.tag_id)
        .order_by(Tag.name),
    )
    for org in s.exec(select(Organisation).order_by(Organisation.name, col(Organisation.id))):
        org_id = saved_id(org)
        yield [
            org.name, org.sector, _join(boroughs.get(org_id, [])), org.website or "", org.email or "",
            org.phone or "", org.notes, _join(tags.get(org_id, [])), _yes(org.is_priority),
        ]  # fmt: skip


def _people(s: Session) -> Iterator[list[str]]:
    boroughs = dict(s.exec(select(Borough.id, Borough.name)).all())
    jobs: dict[int, list[Affiliation]] = {}
    for job in s.exec(
        select(Affiliation).order_by(col(Affiliation.start_date).nulls_first(), col(Affiliation.id))
    ):
        jobs.setdefault(job.person_id, []).append(job)
    org_names = dict(s.exec(select(Organisation.id, Organisation.name)).all())
    for person in s.exec(select(Person).order_by(Person.full_name, col(Person.id))):
        mine = jobs.get(saved_id(person), [])
        roles = [a.role or "" for a in mine]
        yield [
            person.full_name,
            _join(org_names[a.organisation_id] for a in mine),
            roles[0] if len(set(roles)) == 1 else _join(roles),
            person.email or "",
            person.job_title or "",
            person.phone or "",
            boroughs.get(person.borough_id, "") if person.borough_id else "",
            _yes(person.is_young_person),
            AGE_BAND_LABELS.get(person.age_band, "") if person.age_band else "",
            person.notes,
            _join(_iso(a.start_date) for a in mine) if any(a.start_date for a in mine) else "",
            _join(_iso(a.end_date) for a in mine) if any(a.end_date for a in mine) else "",
        ]


def _engagements(s: Session) -> Iterator[list[str]]:
    """Every engagement, in date order, read ``CHUNK`` at a time with its links.

    A chunk's links are read by the chunk's range of (date, id), joined to the
    engagement index, so memory stays flat whatever the size of the log (reading
    every link first held 1.8 GB at 2,000,000) and no statement carries thousands
    of ids to bind. The next chunk starts after the last (date, id) read.
    """
    names = _person_labels(s)
    users = dict(s.exec(select(StaffUser.id, StaffUser.username)).all())
    conn = s.connection()
    table = core_table(Engagement).c  # plain columns: no ORM objects for 100,000 rows
    columns = core_select(
        table.id, table.occurred_on, table.kind, table.summary, table.outcome, table.people_reached,
        table.follow_up_on, table.follow_up_done, table.is_notable, table.logged_by_id,
    ).order_by(table.occurred_on, table.id).limit(CHUNK)  # fmt: skip
    key = tuple_(table.occurred_on, table.id)
    after: tuple[Any, ...] | None = None
    escaped: dict[Any, str] = {}  # each name as a cell holds it, escaped once
    while True:
        rows = conn.execute(columns if after is None else columns.where(key > tuple_(*after))).all()
        if not rows:
            return
        last = (rows[-1].occurred_on, rows[-1].id)
        span = (
            key <= tuple_(*last)
            if after is None
            else and_(key > tuple_(*after), key <= tuple_(*last))
        )
        yield from _engagement_rows(conn, rows, span, names, users, escaped)
        after = last


def _engagement_rows(
    conn: Connection,
    rows: Sequence[Any],
    span: ColumnElement[bool],
    names: dict[int, str],
    users: dict[Any, str],
    escaped: dict[Any, str],
) -> Iterator[list[str]]:
    """The CSV rows of one chunk; ``span`` selects the chunk's engagements for the link reads."""
    organisations = _linked(
        conn, EngagementOrganisation, "organisation_id", Organisation, "name", span, escaped
    )
    boroughs = _linked(conn, EngagementBorough, "borough_id", Borough, "name", span, escaped)
    networks = _linked(conn, EngagementNetwork, "network_id", Network, "name", span, escaped)
    objectives = _linked(
        conn, EngagementObjective, "objective_id", Objective, "number", span, escaped
    )
    people = _chunk_people(conn, span)
    none = ""
    for rid, day, kind, summary, outcome, reached, follow_up, done, notable, logged_by in rows:
        met = people.get(rid)
        if met is None:
            who = none
        elif len(met) == 1:
            who = _escaped(escaped, names[met[0]])
        else:
            who = ";".join([_escaped(escaped, n) for n in sorted([names[p] for p in met])])
        yield [
            day.isoformat(), kind, organisations.get(rid, none), boroughs.get(rid, none), summary,
            who, networks.get(rid, none), objectives.get(rid, none), outcome, str(reached),
            follow_up.isoformat() if follow_up else none, "yes" if done else "no",
            "yes" if notable else "no", users.get(logged_by, none) if logged_by else none,
        ]  # fmt: skip


def _escaped(cache: dict[Any, str], value: Any) -> str:
    """``value`` as one item of a ';'-joined cell (``validation.join_cell``), escaped once."""
    cell = cache.get(value)
    if cell is None:
        cell = cache[value] = _join([value])
    return cell


def _linked(
    conn: Connection,
    link: type[SQLModel],
    column: str,
    target: type[SQLModel],
    label: str,
    span: ColumnElement[bool],
    escaped: dict[Any, str],
) -> dict[int, str]:
    """Each engagement's linked records (``target``, through ``link``) as the cell: labels
    in the database's order, escaped and ';'-joined as ``validation.join_cell`` writes them."""
    links, targets = core_table(link), core_table(target)
    engagement = core_table(Engagement)
    statement = (
        core_select(links.c.engagement_id, targets.c[label])
        .join(targets, targets.c.id == links.c[column])
        .join(engagement, engagement.c.id == links.c.engagement_id)
        .where(span)
        .order_by(targets.c[label])
    )
    cells: dict[int, str] = {}
    for engagement_id, value in conn.execute(statement).all():
        cell = escaped.get(value)
        if cell is None:
            cell = escaped[value] = _join([value])
        if engagement_id in cells:
            cells[engagement_id] += ";" + cell
        else:
            cells[engagement_id] = cell
    return cells


def _chunk_people(conn: Connection, span: ColumnElement[bool]) -> dict[int, list[int]]:
    """The people of the chunk's engagements, by engagement."""
    ep, engagement = core_table(EngagementPerson), core_table(Engagement)
    statement = (
        core_select(ep.c.engagement_id, ep.c.person_id)
        .join(engagement, engagement.c.id == ep.c.engagement_id)
        .where(span)
    )
    groups: dict[int, list[int]] = {}
    for engagement_id, person_id in conn.execute(statement).all():
        if engagement_id in groups:
            groups[engagement_id].append(person_id)
        else:
            groups[engagement_id] = [person_id]
    return groups


def _person_labels(s: Session) -> dict[int, str]:
    """People by name; by e-mail when two share a name, so the import can tell them apart."""
    rows = s.exec(select(Person.id, Person.full_name, Person.email)).all()
    counts = Counter(" ".join(name.casefold().split()) for _, name, _ in rows)
    return {
        pid: email if counts[" ".join(name.casefold().split())] > 1 and email else name
        for pid, name, email in rows
        if pid is not None
    }


def _meetings(s: Session) -> Iterator[list[str]]:
    networks = dict(s.exec(select(Network.id, Network.name)).all())
    for meeting in s.exec(select(Meeting).order_by(col(Meeting.starts_at), col(Meeting.id))):
        yield [
            networks.get(meeting.network_id, "") if meeting.network_id else "",
            meeting.title,
            _local(meeting.starts_at),
            _local(meeting.ends_at),
            meeting.location or "",
            meeting.online_url or "",
            meeting.status,
            meeting.minutes_status,
            meeting.minutes_url or "",
            _iso(meeting.minutes_published_on),
        ]


def _local(value: datetime) -> str:
    """ISO 8601 in London time with its offset: 2019-05-01T10:00:00+01:00."""
    return value.astimezone(LONDON).isoformat(timespec="seconds")
