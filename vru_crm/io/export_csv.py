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

from sqlalchemy import Executable, tuple_
from sqlalchemy import select as core_select
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

    A chunk's links are read by its ids, so memory stays flat whatever the
    size of the log (reading every link first held 1.8 GB at 2,000,000).
    The next chunk starts after the last (date, id) read, off their index.
    """
    names = _person_labels(s)
    users = dict(s.exec(select(StaffUser.id, StaffUser.username)).all())
    table = core_table(Engagement).c  # plain columns: no ORM objects for 100,000 rows
    columns = core_select(
        table.id, table.occurred_on, table.kind, table.summary, table.outcome, table.people_reached,
        table.follow_up_on, table.follow_up_done, table.is_notable, table.logged_by_id,
    ).order_by(table.occurred_on, table.id).limit(CHUNK)  # fmt: skip
    after: tuple[Any, ...] | None = None
    while True:
        statement = columns if after is None else columns.where(
            tuple_(table.occurred_on, table.id) > tuple_(*after))  # fmt: skip
        rows = s.connection().execute(statement).all()
        if not rows:
            return
        yield from _engagement_rows(s, rows, names, users)
        after = (rows[-1].occurred_on, rows[-1].id)


def _engagement_rows(
    s: Session, rows: Sequence[Any], names: dict[int, str], users: dict[Any, str]
) -> Iterator[list[str]]:
    ids = [row.id for row in rows]
    links = {
        "organisations": _linked_names(
            s, EngagementOrganisation, "organisation_id", Organisation, "name", ids
        ),
        "boroughs": _linked_names(s, EngagementBorough, "borough_id", Borough, "name", ids),
        "networks": _linked_names(s, EngagementNetwork, "network_id", Network, "name", ids),
        "objectives": _linked_names(
            s, EngagementObjective, "objective_id", Objective, "number", ids
        ),
    }
    ep = core_table(EngagementPerson).c
    people = _grouped(
        s, core_select(ep.engagement_id, ep.person_id).where(ep.engagement_id.in_(ids))
    )
    for row in rows:
        yield [
            row.occurred_on.isoformat(), row.kind, _join(links["organisations"].get(row.id, [])),
            _join(links["boroughs"].get(row.id, [])), row.summary,
            _join(sorted(names[p] for p in people.get(row.id, []))),
            _join(links["networks"].get(row.id, [])), _join(links["objectives"].get(row.id, [])),
            row.outcome, str(row.people_reached), _iso(row.follow_up_on), _yes(row.follow_up_done),
            _yes(row.is_notable), users.get(row.logged_by_id, "") if row.logged_by_id else "",
        ]  # fmt: skip


def _linked_names(
    s: Session,
    link: type[SQLModel],
    column: str,
    target: type[SQLModel],
    label: str,
    ids: Sequence[int],
) -> dict[int, list[Any]]:
    """Each of these engagements' linked records (``target``, through ``link``) by their ``label``."""
    links, targets = core_table(link), core_table(target)
    return _grouped(
        s,
        core_select(links.c.engagement_id, targets.c[label])
        .join(targets, targets.c.id == links.c[column])
        .where(links.c.engagement_id.in_(ids))
        .order_by(targets.c[label]),
    )


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
