"""Reading an .ics file into meetings, matched by UID so a re-import updates.

All or nothing: every event is checked first and each problem is reported with
the event's number, title and UID; if there is any, nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from db.enums import MeetingStatus
from db.models import Meeting, Network
from db.session import Database
from vru_crm.errors import UserError
from vru_crm.governance.common import find_network
from vru_crm.governance.ics import SERIES_KIND
from vru_crm.governance.meetings import apply_changes, meeting_problems
from vru_crm.london import LONDON

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class EventProblem:
    number: int
    title: str
    uid: str
    problem: str

    def __str__(self) -> str:
        label = f"event {self.number}" + (f' "{self.title}"' if self.title else "")
        label += f" (UID {self.uid})" if self.uid else ""
        return f"{label}: {self.problem}"


class IcsImportError(UserError):
    """The file has problems; nothing was imported. ``problems`` lists them per event."""

    def __init__(self, message: str, problems: list[EventProblem] | None = None) -> None:
        self.problems = problems or []
        lines = [message, *(f"  {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        parts = [
            f"{len(self.created)} new",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
        ]
        text = f"Meetings {verb}: " + ", ".join(parts) + "."
        if self.skipped:
            text += f" Skipped {len(self.skipped)}: " + "; ".join(self.skipped) + "."
        return text


@dataclass
class _Planned:
    number: int
    uid: str
    sequence: int
    values: dict[str, Any]
    network_name: str | None


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def _text(component, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def _moment(component, name: str) -> datetime | date | None:
    prop = component.get(name)
    if prop is None:
        return None
    value = prop.dt
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=LONDON)  # floating time: read as London
    return value


def _end(event, start: datetime) -> datetime | date | None:
    end = _moment(event, "dtend")
    if end is not None:
        return end
    duration = event.get("duration")
    return start + duration.dt if duration is not None else start


def _plan(event, number: int, seen: set[str]) -> tuple[_Planned | None, list[str]]:
    problems = []
    uid = _text(event, "uid")
    if not uid:
        problems.append("it has no UID, so a re-import could not find it again")
    elif uid in seen:
        problems.append("the same UID appears twice in the file")
    elif len(uid) > 200:
        problems.append("its UID is too long (at most 200 characters)")
    seen.add(uid)
    if event.get("rrule") is not None or event.get("recurrence-id") is not None:
        problems.append("it is a repeating event; export the single meetings and import those")
    start = _moment(event, "dtstart")
    if start is None:
        problems.append("it has no start time (DTSTART)")
    elif not isinstance(start, datetime):
        problems.append("it is an all-day event; a meeting needs a start time")
    values: dict[str, Any] = {"title": _text(event, "summary")}
    if isinstance(start, datetime):
        end = _end(event, start)
        if not isinstance(end, datetime):
            problems.append("its end is a date without a time")
        else:
            values["starts_at"], values["ends_at"] = start, end
    values["location"] = _text(event, "location") or None
    values["online_url"] = _text(event, "url") or None
    if _text(event, "status").upper() == "CANCELLED":
        values["status"] = MeetingStatus.CANCELLED.value
    for name, problem in meeting_problems(values).items():
        if name not in ("starts_at", "ends_at") or not problems:
            problems.append(_field_words(name, problem))
    sequence = event.get("sequence")
    categories = event.get("categories")
    network_name = None
    if categories is not None:
        cats = getattr(categories, "cats", None) or []
        network_name = str(cats[0]) if cats else None
    planned = _Planned(number, uid, int(sequence or 0), values, network_name)
    return (None if problems else planned), problems


def _field_words(name: str, problem: str) -> str:
    label = {
        "title": "its title (SUMMARY)",
        "online_url": "its URL",
        "location": "its location",
        "ends_at": "its end",
        "starts_at": "its start",
    }.get(name, name)
    return f"{label}: {problem}"


def read_events(data: bytes) -> tuple[list[_Planned], list[EventProblem], int]:
    """Parse and check every VEVENT; returns plans, problems, and how many series were skipped."""
    from icalendar import Calendar

    try:
        calendars = Calendar.from_ical(data.decode("utf-8-sig"), multiple=True)
    except UnicodeDecodeError as error:
        raise IcsImportError(
            "The file is not UTF-8 text, so it is not an iCalendar file."
        ) from error
    except ValueError as error:
        raise IcsImportError(f"The file is not a readable iCalendar file ({error}).") from error
    events = [c for cal in calendars for c in cal.walk("VEVENT")]
    if not events:
        raise IcsImportError("The file has no events (VEVENT) to import.")
    plans, problems, seen, series = [], [], set(), 0
    for number, event in enumerate(events, start=1):
        if _text(event, "x-vru-crm-kind") == SERIES_KIND:
            series += 1
            continue
        plan, found = _plan(event, number, seen)
        problems += [
            EventProblem(number, _text(event, "summary"), _text(event, "uid"), p) for p in found
        ]
        if plan is not None:
            plans.append(plan)
    return plans, problems, series


def _network_id(session: Session, plan: _Planned, default: Network | None) -> int | None:
    if default is not None:
        return default.id
    if plan.network_name:
        found = session.exec(select(Network).where(Network.name == plan.network_name)).first()
        return found.id if found else None
    return None


def _apply(session: Session, plans: list[_Planned], default: Network | None, report: ImportReport):
    for plan in plans:
        meeting = session.exec(select(Meeting).where(Meeting.uid == plan.uid)).first()
        label = f'"{plan.values["title"]}" ({plan.values["starts_at"].astimezone(LONDON):%d/%m/%Y %H:%M})'
        if meeting is None:
            values = {k: v for k, v in plan.values.items() if v is not None}
            session.add(
                Meeting(
                    **values,
                    uid=plan.uid,
                    sequence=plan.sequence,
                    network_id=_network_id(session, plan, default),
                )
            )
            report.created.append(label)
        elif plan.sequence < meeting.sequence:
            report.skipped.append(f"{label} is older than the copy here (SEQUENCE {plan.sequence})")
        elif apply_changes(session, meeting, plan.values):
            meeting.sequence = max(meeting.sequence, plan.sequence)
            if default is not None and meeting.network_id is None:
                meeting.network_id = default.id
            report.updated.append(label)
        else:
            report.unchanged.append(label)
    session.flush()


def import_ics(
    database: Database, path: Path, network: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import the events of an .ics file as meetings; ``network`` names the network of new ones."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"There is no file {path}.")
    if path.stat().st_size > MAX_BYTES:
        raise UserError(f"{path.name} is larger than 20 MB; that is not a meetings calendar.")
    plans, problems, series = read_events(path.read_bytes())
    if problems:
        raise IcsImportError(
            f"{path.name} has {len(problems)} problem(s); nothing was imported:", problems
        )
    report = ImportReport(dry_run=dry_run)
    if series:
        report.skipped.append(f"{series} expected-dates series (not meetings)")
    try:
        with database.session() as s:
            default = find_network(s, network) if network else None
            _apply(s, plans, default, report)
            if dry_run:
                raise _DryRun(report)
    except _DryRun as done:
        return done.report
    return report
