"""What a subject access export contains, and how the readable copy looks.

``collect`` gathers plain data (dates as ISO text) so the same dictionary
becomes the JSON file unchanged and the HTML document through ``render_html``.
Other people linked to the same engagements are not listed: they are third
parties, and the export is about one person.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import escape
from typing import Any

from sqlmodel import Session, col, select

from db.enums import AGE_BAND_LABELS
from db.models import (
    Action,
    Affiliation,
    Attendance,
    Borough,
    Engagement,
    EngagementOrganisation,
    EngagementPerson,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    StaffUser,
    SubjectAccessRequest,
    saved_id,
)
from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.london import LONDON, today_in_london
from vru_crm.protection import vocab
from vru_crm.protection.audit_view import about_person, to_row
from vru_crm.protection.consent import record_in_session as protection_record
from vru_crm.protection.scrub import mentions as mentions_of

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}")

SECTIONS = [
    ("person", "Your record"),
    ("data_protection", "Why we hold it and how we may contact you"),
    ("consents", "Consents"),
    ("affiliations", "Organisations"),
    ("memberships", "Networks"),
    ("engagements", "Engagements you took part in"),
    ("meetings_attended", "Meetings"),
    ("actions", "Actions you own"),
    ("subject_access_requests", "Subject access requests"),
    ("audit_entries", "Changes to your record (audit trail)"),
    ("mentions", "Where other records mention you"),
]


def collect(database: Database, person_id: int) -> dict[str, Any]:
    """Everything held about one person, as plain JSON-ready data."""
    with database.session() as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}.")
        return {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "generated_by": database.username,
            "person": _person(s, person),
            "data_protection": _protection(s, person),
            "consents": _consents(s, person),
            "affiliations": _affiliations(s, person_id),
            "memberships": _memberships(s, person_id),
            "engagements": _engagements(s, person_id),
            "meetings_attended": _meetings(s, person_id),
            "actions": _actions(s, person_id),
            "subject_access_requests": _requests(s, person_id),
            **_traces(s, person),
        }


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _person(s: Session, p: Person) -> dict[str, Any]:
    borough = s.get(Borough, p.borough_id) if p.borough_id else None
    return {
        "id": p.id,
        "full_name": p.full_name,
        "job_title": p.job_title,
        "email": p.email,
        "phone": p.phone,
        "borough": borough.name if borough else None,
        "is_young_person": p.is_young_person,
        "age_band": vocab.label(AGE_BAND_LABELS, p.age_band, "") or None,
        "notes": p.notes,
        "created_at": _iso(p.created_at),
        "updated_at": _iso(p.updated_at),
    }


def _protection(s: Session, p: Person) -> dict[str, Any]:
    record = protection_record(s, p, today_in_london())
    return {
        "lawful_basis": vocab.label(vocab.LAWFUL_BASES, record.lawful_basis),
        "lawful_basis_note": record.lawful_basis_note,
        "no_email": record.no_email,
        "no_phone": record.no_phone,
        "no_post": record.no_post,
        "review_on": _iso(record.review_on),
    }


def _consents(s: Session, p: Person) -> list[dict[str, Any]]:
    record = protection_record(s, p, today_in_london())
    return [
        {
            "purpose": vocab.label(vocab.PURPOSES, c.purpose),
            "channel": vocab.label(vocab.CHANNELS, c.channel),
            "given_by": c.given_by_text,
            "given_on": _iso(c.given_on),
            "how": vocab.label(vocab.METHODS, c.method),
            "withdrawn_on": _iso(c.withdrawn_on),
            "notes": c.notes,
        }
        for c in record.consents
    ]


def _affiliations(s: Session, pid: int) -> list[dict[str, Any]]:
    rows = s.exec(
        select(Affiliation, Organisation.name)
        .join(Organisation, col(Organisation.id) == Affiliation.organisation_id)
        .where(Affiliation.person_id == pid)
        .order_by(col(Affiliation.id))
    )
    return [
        {
            "organisation": name,
            "role": a.role,
            "start_date": _iso(a.start_date),
            "end_date": _iso(a.end_date),
        }
        for a, name in rows
    ]


def _memberships(s: Session, pid: int) -> list[dict[str, Any]]:
    rows = s.exec(
        select(Membership, Network.name)
        .join(Network, col(Network.id) == Membership.network_id)
        .where(Membership.person_id == pid)
        .order_by(col(Membership.id))
    )
    return [
        {
            "network": name,
            "role": m.role,
            "represents": m.represents,
            "start_date": _iso(m.start_date),
            "end_date": _iso(m.end_date),
        }
        for m, name in rows
    ]


def _engagements(s: Session, pid: int) -> list[dict[str, Any]]:
    rows = s.exec(
        select(Engagement, StaffUser.display_name)
        .join(EngagementPerson, col(EngagementPerson.engagement_id) == Engagement.id)
        .join(StaffUser, col(StaffUser.id) == Engagement.logged_by_id, isouter=True)
        .where(EngagementPerson.person_id == pid)
        .order_by(col(Engagement.occurred_on), col(Engagement.id))
    ).all()
    orgs: dict[int, list[str]] = {}
    ids = [e.id for e, _ in rows]
    if ids:
        for eid, name in s.exec(
            select(EngagementOrganisation.engagement_id, Organisation.name)
            .join(Organisation, col(Organisation.id) == EngagementOrganisation.organisation_id)
            .where(col(EngagementOrganisation.engagement_id).in_(ids))
        ):
            orgs.setdefault(eid, []).append(name)
    return [
        {
            "id": e.id,
            "occurred_on": _iso(e.occurred_on),
            "kind": e.kind,
            "summary": e.summary,
            "outcome": e.outcome,
            "organisations": sorted(orgs.get(saved_id(e), [])),
            "logged_by": staff,
        }
        for e, staff in rows
    ]


def _meetings(s: Session, pid: int) -> list[dict[str, Any]]:
    rows = s.exec(
        select(Meeting, Attendance.status, Network.name)
        .join(Attendance, col(Attendance.meeting_id) == Meeting.id)
        .join(Network, col(Network.id) == Meeting.network_id, isouter=True)
        .where(Attendance.person_id == pid)
        .order_by(col(Meeting.starts_at))
    )
    return [
        {"title": m.title, "starts_at": _iso(m.starts_at), "network": network, "attendance": status}
        for m, status, network in rows
    ]


def _actions(s: Session, pid: int) -> list[dict[str, Any]]:
    rows = s.exec(select(Action).where(Action.owner_person_id == pid).order_by(col(Action.id)))
    return [{"text": a.text, "due_date": _iso(a.due_date), "status": a.status} for a in rows]


def _requests(s: Session, pid: int) -> list[dict[str, Any]]:
    rows = s.exec(
        select(SubjectAccessRequest)
        .where(SubjectAccessRequest.person_id == pid)
        .order_by(col(SubjectAccessRequest.id))
    )
    return [
        {
            "received_on": _iso(r.received_on),
            "due_on": _iso(r.due_on),
            "answered_on": _iso(r.answered_on),
            "requested_by": r.requested_by,
        }
        for r in rows
    ]


def _traces(s: Session, person: Person) -> dict[str, list[dict[str, Any]]]:
    """The audit entries and other records' text an erasure of this person would change.

    Found with the erasure's own scope and matcher (merged duplicates, earlier
    names, e-mails and phones, any case or accents), so the export holds
    everything an erasure would later scrub.
    """
    from vru_crm.protection.erasure import audit_plan, scope_of

    scope = scope_of(s, person)
    entries = {r.id: r for r in about_person(s, saved_id(person))}
    for entry, _summary, _changes in audit_plan(s, scope):
        entries.setdefault(saved_id(entry), to_row(entry))
    audit = [
        {
            "at": _iso(r.at),
            "by": r.username,
            "action": r.action,
            "record": r.entity,
            "record_id": r.entity_id,
            "summary": r.summary,
            "changes": {
                c.field: ([c.old, c.new] if r.action == "update" else c.new) for c in r.changes
            },
        }
        for r in sorted(entries.values(), key=lambda r: (r.at, r.id))
    ]
    mentions = [
        {
            "record": table.name,
            "record_id": ", ".join(str(row[k.name]) for k in keys),
            "field": name,
            "text": row[name],
        }
        for table, keys, row, columns in mentions_of(s, scope.matcher)
        if not (table.name == "person" and row.get("id") == person.id)
        for name in columns
    ]
    return {"audit_entries": audit, "mentions": mentions}


def render_html(data: dict[str, Any]) -> str:
    """A self-contained, printable document (no scripts, no external files)."""
    name = escape(str(data["person"].get("full_name") or ""))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>Information held about {name}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
        "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}"
        "th{background:#eee}</style></head><body>",
        f"<h1>Information the London Violence Reduction Unit holds about {name}</h1>",
        f"<p>Prepared on {escape(_uk_date(data['generated_at'][:10]))} in answer to a subject access "
        "request. Each section below lists what our partnership database holds.</p>",
    ]
    for key, title in SECTIONS:
        parts.append(f"<h2>{escape(title)}</h2>")
        parts.append(_html_block(data.get(key)))
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_block(value: Any) -> str:
    if isinstance(value, dict):
        rows = "".join(
            f"<tr><th>{escape(_words(k))}</th><td>{_cell(x)}</td></tr>" for k, x in value.items()
        )
        return f"<table>{rows}</table>"
    if not value:
        return "<p>Nothing held.</p>"
    keys = list(value[0].keys())
    head = "".join(f"<th>{escape(_words(k))}</th>" for k in keys)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(k))}</td>" for k in keys) + "</tr>" for row in value
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "<br>".join(_cell(x) for x in value)
    if isinstance(value, dict):
        return "<br>".join(f"{escape(_words(k))}: {_cell(x)}" for k, x in value.items())
    return escape(_uk_date(str(value))).replace("\n", "<br>")


def _uk_date(text: str) -> str:
    """ISO dates as a reader in London writes them (the JSON keeps ISO 8601)."""
    if _ISO_DATE.fullmatch(text):
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    if _ISO_INSTANT.fullmatch(text):
        return datetime.fromisoformat(text).astimezone(LONDON).strftime("%d/%m/%Y %H:%M")
    return text
