"""Retention: how long each kind of record is kept, what is due, and applying it in one step.

The review screen shows ``due(...)``; ``apply(...)`` then changes exactly the
records that were shown (those still due), in one transaction, and returns a
report of what changed. Figures stay true: an anonymised engagement keeps its
date, organisations, boroughs and "people reached", and the people unlinked
from it are counted in ``anonymous_participant``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from db.errors import ConcurrentEditError
from db.models import (
    Attendance,
    AuditEntry,
    Engagement,
    EngagementPerson,
    Meeting,
    Person,
    PersonProtection,
    RetentionPolicy,
    SubjectAccessRequest,
    saved_id,
    table_of,
)
from db.session import Database
from vru_crm.errors import NotFound, UserError, ValidationError
from vru_crm.london import today_in_london
from vru_crm.protection import scrub, vocab
from vru_crm.protection.erasure import ANONYMOUS_NAME, erase_in_session

log = logging.getLogger(__name__)

CHUNK = 500
Progress = Callable[[int, int], None]


class RetentionStopped(UserError):
    """Applying was cancelled: the transaction is rolled back, nothing changed."""


@dataclass(frozen=True)
class PolicyView:
    id: int
    version: int
    record_kind: str
    action: str
    keep_years: int
    is_active: bool
    description: str

    @property
    def label(self) -> str:
        kind = vocab.label(vocab.RECORD_KINDS, self.record_kind)
        state = "" if self.is_active else " (off)"
        return f"{kind}: {self.action} after {self.keep_years} years{state}"


@dataclass(frozen=True)
class DueItem:
    kind: str
    record_id: int
    label: str
    reason: str


@dataclass
class DueList:
    today: date
    items: list[DueItem] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for item in self.items if item.kind == kind)

    def ids(self, kind: str) -> list[int]:
        return [item.record_id for item in self.items if item.kind == kind]


@dataclass
class RetentionReport:
    engagements_anonymised: int = 0
    people_unlinked: int = 0
    people_anonymised: int = 0
    requests_deleted: int = 0
    audit_entries_deleted: int = 0

    def lines(self) -> list[str]:
        lines = [
            f"{self.engagements_anonymised} engagements anonymised "
            f"({self.people_unlinked} links to people now anonymous counts).",
            f"{self.people_anonymised} people anonymised.",
            f"{self.requests_deleted} answered subject access requests deleted.",
            f"{self.audit_entries_deleted} audit entries deleted.",
        ]
        return lines

    @property
    def changed(self) -> int:
        return (
            self.engagements_anonymised
            + self.people_anonymised
            + self.requests_deleted
            + self.audit_entries_deleted
        )


def list_policies(database: Database) -> list[PolicyView]:
    with database.session() as s:
        rows = s.exec(select(RetentionPolicy).order_by(col(RetentionPolicy.id)))
        return [_policy_view(p) for p in rows]


def update_policy(
    database: Database, policy_id: int, keep_years: int, is_active: bool, version: int | None = None
) -> PolicyView:
    """Change how long a kind of record is kept, or switch its policy on or off."""
    if not isinstance(keep_years, int) or not 1 <= keep_years <= 100:
        raise ValidationError({"keep_years": "keep records between 1 and 100 years"})
    with database.session() as s:
        policy = s.get(RetentionPolicy, policy_id)
        if policy is None:
            raise NotFound(f"There is no retention policy with id {policy_id}.")
        if version is not None and policy.version != version:
            raise ConcurrentEditError("Someone else changed this policy; reload it and try again.")
        policy.keep_years, policy.is_active = keep_years, is_active
        s.add(policy)
        s.flush()
        return _policy_view(policy)


def cutoff(today: date, years: int) -> date:
    """Records dated before this are older than ``years`` (a calendar reckoning)."""
    return today - relativedelta(years=years)


def due(database: Database, today: date | None = None) -> DueList:
    """What the active policies say is due now, with a reason for each record."""
    today = today or today_in_london()
    result = DueList(today)
    with database.session() as s:
        for policy in s.exec(select(RetentionPolicy).where(RetentionPolicy.is_active)):
            finder = _FINDERS.get(policy.record_kind)
            if finder:
                result.items.extend(finder(s, cutoff(today, policy.keep_years), today))
    return result


def _due_engagements(s: Session, before: date, _today: date) -> Iterable[DueItem]:
    """Engagements older than the cut-off that still hold text or people, oldest first.

    Read as plain rows with the day written by hand: at 2,000,000 engagements tens
    of thousands are due, and records and ``strftime`` cost a second where SQL takes 60 ms.
    """
    linked = select(EngagementPerson.engagement_id)
    e = table_of(Engagement).c
    query = (
        sa.select(e.id, e.occurred_on, e.kind)
        .where(e.occurred_on < before)
        .where(
            sa.or_(
                e.summary.not_in(["", scrub.ANONYMISED]),
                e.outcome != "",
                e.id.in_(linked),
            )
        )
        .order_by(e.occurred_on, e.id)
    )
    reason = f"older than {before:%d/%m/%Y}"
    for eid, occurred, kind in s.connection().execute(query).all():
        label = f"{occurred.day:02d}/{occurred.month:02d}/{occurred.year:04d} {kind}"
        yield DueItem("engagement", eid, label, reason)


def _due_people(s: Session, before: date, today: date) -> Iterable[DueItem]:
    start = datetime.combine(before, time(), tzinfo=UTC)
    recent_engagement = (
        select(EngagementPerson.person_id)
        .join(Engagement, col(Engagement.id) == EngagementPerson.engagement_id)
        .where(Engagement.occurred_on >= before)
    )
    recent_meeting = (
        select(Attendance.person_id)
        .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
        .where(Meeting.starts_at >= start)
    )
    review = select(col(PersonProtection.person_id), col(PersonProtection.review_on)).where(
        col(PersonProtection.review_on).is_not(None), col(PersonProtection.review_on) <= today
    )
    reviews = dict(s.exec(review).all())
    idle = select(col(Person.id)).where(
        Person.updated_at < start,
        col(Person.id).not_in(recent_engagement),
        col(Person.id).not_in(recent_meeting),
    )
    idle_ids = {i for i in s.exec(idle).all() if i is not None}  # primary keys: all of them
    ids = sorted(set(reviews) | idle_ids)
    for start_at in range(0, len(ids), CHUNK):
        chunk = ids[start_at : start_at + CHUNK]
        query = select(col(Person.id), col(Person.full_name)).where(col(Person.id).in_(chunk))
        for pid, name in s.exec(query):
            if pid is None or name == ANONYMOUS_NAME:  # (a primary key is never None)
                continue
            reason = (
                f"review date {reviews[pid]:%d/%m/%Y} has passed"
                if pid in reviews
                else f"not seen since before {before:%d/%m/%Y}"
            )
            yield DueItem("person", pid, name, reason)


def _due_requests(s: Session, before: date, _today: date) -> Iterable[DueItem]:
    query = select(col(SubjectAccessRequest.id), col(SubjectAccessRequest.answered_on)).where(
        col(SubjectAccessRequest.answered_on).is_not(None),
        col(SubjectAccessRequest.answered_on) < before,
    )
    for rid, answered in s.exec(query):
        if rid is None:  # a primary key read back never is; this narrows the type
            continue
        yield DueItem(
            "subject_access_request",
            rid,
            f"request {rid}",
            f"answered {answered:%d/%m/%Y}",
        )


def _due_audit(s: Session, before: date, _today: date) -> Iterable[DueItem]:
    start = datetime.combine(before, time(), tzinfo=UTC)
    query = select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.at < start)
    count = s.exec(query).one()
    if count:  # one line for all of them: thousands of entries are one decision
        yield DueItem("audit_entry", 0, f"{count} entries", f"made before {before:%d/%m/%Y}")


_FINDERS = {
    "engagement": _due_engagements,
    "person": _due_people,
    "subject_access_request": _due_requests,
    "audit_entry": _due_audit,
}


class FutureReview(UserError):
    """A review made for a day still to come was not applied."""


def apply(
    database: Database,
    reviewed: DueList,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    *,
    future_confirmed: bool = False,
) -> RetentionReport:
    """Apply the reviewed list in one transaction; records no longer due are left alone.

    A list reviewed "as if today were" a later day (``due(database, today=...)``,
    the command's ``--today``) is a preview: applying it would anonymise records
    before their policy says so (``--today 2100-01-01 --apply`` once anonymised
    every engagement). It is refused unless the caller has had the person
    confirm that date (``future_confirmed``).
    """
    from vru_crm.london import today_in_london

    if reviewed.today > today_in_london() and not future_confirmed:
        raise FutureReview(
            f"Nothing was changed: this list is what would be due on {reviewed.today:%d/%m/%Y}, "
            "a day still to come. Applying it would remove records before their retention "
            "period ends. Review it again for today to apply it."
        )
    report = RetentionReport()
    still = due(database, reviewed.today)
    current = {(i.kind, i.record_id) for i in still.items}
    wanted = [i for i in reviewed.items if (i.kind, i.record_id) in current]
    total, done = len(wanted), 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if should_stop and should_stop():
            raise RetentionStopped("Retention was stopped before the end: nothing was changed.")
        if progress:
            progress(done, total)

    with database.session(audit_rows=False) as s:
        scrub.zero_freed_pages(s)
        scrub.begin_scrub(s)
        ids = [i.record_id for i in wanted if i.kind == "engagement"]
        _anonymise_engagements(s, ids, report, step)
        for item in (i for i in wanted if i.kind == "person"):
            erase_in_session(s, item.record_id, "anonymise")
            report.people_anonymised += 1
            step(1)
        requests = [i.record_id for i in wanted if i.kind == "subject_access_request"]
        _delete_requests(s, requests)
        report.requests_deleted = len(requests)
        step(len(requests))
        if any(i.kind == "audit_entry" for i in wanted):
            report.audit_entries_deleted = _delete_audit(s, still.today)
            step(1)
        s.add(_summary_entry(s, report))
    scrub.flush_traces(database.engine)
    log.info("retention applied: %s records changed", report.changed)
    return report


def _anonymise_engagements(
    s: Session, ids: list[int], report: RetentionReport, step: Callable[[int], None]
) -> None:
    table = table_of(Engagement)
    links = table_of(EngagementPerson)
    conn = s.connection()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        counts = conn.execute(
            sa.select(links.c.engagement_id, sa.func.count())
            .where(links.c.engagement_id.in_(chunk))
            .group_by(links.c.engagement_id)
        ).all()
        for engagement_id, count in counts:
            scrub.add_participants(s, engagement_id, count)
            report.people_unlinked += count
        s.flush()
        conn.execute(sa.delete(links).where(links.c.engagement_id.in_(chunk)))
        conn.execute(
            sa.update(table)
            .where(table.c.id.in_(chunk))
            .values(summary=scrub.ANONYMISED, outcome="", version=table.c.version + 1)
        )
        _scrub_engagement_entries(s, chunk)
        report.engagements_anonymised += len(chunk)
        step(len(chunk))


def _scrub_engagement_entries(s: Session, ids: list[int]) -> None:
    """Earlier audit entries of these engagements lose their text and their people."""

    def rewrite(entry: AuditEntry, changes: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if entry.entity == "engagement":
            blanked = scrub.blank_values(
                {k: x for k, x in changes.items() if k in ("summary", "outcome")},
                scrub.ANONYMISED,
            )
            return scrub.ANONYMISED, {**changes, **blanked}
        return entry.summary, {
            **changes,
            **scrub.blank_values(
                {k: x for k, x in changes.items() if k == "person_id"}, scrub.ANONYMISED
            ),
        }

    where = sa.and_(
        col(AuditEntry.entity).in_(["engagement", "engagement_person"]),
        col(AuditEntry.entity_id).in_(ids),
    )
    scrub.rewrite_entries(s, where, rewrite)


def _delete_requests(s: Session, ids: list[int]) -> None:
    if not ids:
        return
    table = table_of(SubjectAccessRequest)
    s.connection().execute(sa.delete(table).where(table.c.id.in_(ids)))

    def rewrite(entry: AuditEntry, changes: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return entry.summary, scrub.blank_values(changes, keep={"person_id", "received_on"})

    where = sa.and_(
        col(AuditEntry.entity) == "subject_access_request", col(AuditEntry.entity_id).in_(ids)
    )
    scrub.rewrite_entries(s, where, rewrite)


def _delete_audit(s: Session, today: date) -> int:
    policy = s.exec(
        select(RetentionPolicy).where(RetentionPolicy.record_kind == "audit_entry")
    ).one()
    start = datetime.combine(cutoff(today, policy.keep_years), time(), tzinfo=UTC)
    if scrub.on_server(s):  # a team database: only the server's recorded function deletes
        from vru_crm.team.server_audit import expire_entries

        return expire_entries(s.connection(), start)
    table = table_of(AuditEntry)
    return s.connection().execute(sa.delete(table).where(table.c.at < start)).rowcount or 0


def _summary_entry(s: Session, report: RetentionReport) -> AuditEntry:
    return AuditEntry(
        username=s.info.get("username") or "unknown",
        action="retention",
        entity="retention_policy",
        summary=" ".join(report.lines())[:300],
        changes=json.dumps(
            {
                "engagements_anonymised": report.engagements_anonymised,
                "people_anonymised": report.people_anonymised,
                "requests_deleted": report.requests_deleted,
                "audit_entries_deleted": report.audit_entries_deleted,
            }
        ),
    )


def _policy_view(p: RetentionPolicy) -> PolicyView:
    return PolicyView(
        saved_id(p),
        p.version,
        p.record_kind,
        p.action,
        p.keep_years,
        p.is_active,
        p.description,
    )
