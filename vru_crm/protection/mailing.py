"""Newsletter and network circulation lists that respect consent and contact preferences.

A person is on a list only if an active consent covers that list's purpose and
channel, they have not asked not to be contacted that way, and they have an
address for it. Young people are left out unless the caller explicitly asks
for them, and even then an under-13 needs a parent or carer's consent. Every
person left out is counted under a reason, so the team can see why a list is
shorter than the network.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, or_
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from db.models import (
    Affiliation,
    Borough,
    ConsentRecord,
    Membership,
    Network,
    Organisation,
    OrganisationBorough,
    Person,
    PersonProtection,
    saved_id,
    table_of,
)
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.london import today_in_london
from vru_crm.protection import vocab
from vru_crm.protection.consent import needs_parental_consent
from vru_crm.validation import young_by_band

LIST_PURPOSES = {"newsletter": "newsletter", "network": "network_circulation"}
LIST_CHANNELS = {"email": "e-mail", "phone": "phone"}

# Why a person was left out; the words are shown as they are.
YOUNG = "young person (include young people only by choice)"
NO_CONSENT = "no consent for this list by {channel}"
WITHDRAWN = "consent withdrawn"
UNDER_13 = "under 13 without a parent or carer's consent"
OPTED_OUT = "asked not to be contacted by {channel}"
NO_ADDRESS = "no {channel} address or number"
DUPLICATE = "same {channel} address as someone already on the list"
_REASONS = (YOUNG, NO_CONSENT, WITHDRAWN, UNDER_13, OPTED_OUT, NO_ADDRESS, DUPLICATE)


@dataclass
class ListRequest:
    """Which list: ``purpose`` newsletter or network, ``channel`` email or phone, and filters."""

    purpose: str = "newsletter"
    channel: str = "email"
    network_ids: list[int] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    borough_ids: list[int] = field(default_factory=list)
    include_young_people: bool = False


@dataclass(frozen=True)
class Recipient:
    person_id: int
    full_name: str
    email: str | None
    phone: str | None
    job_title: str | None
    organisation: str | None
    borough: str | None


@dataclass
class MailingList:
    request: ListRequest
    recipients: list[Recipient]
    left_out: Counter[str]

    @property
    def left_out_total(self) -> int:
        return sum(self.left_out.values())

    def report_lines(self) -> list[str]:
        lines = [f"{len(self.recipients)} on the list; {self.left_out_total} left out."]
        for reason, count in self.left_out.most_common():
            lines.append(f"  {count} left out: {reason}")
        return lines


def build_list(database: Database, request: ListRequest, today: date | None = None) -> MailingList:
    """The people a list may go to, and a count of those left out and why.

    Read as plain rows, not records: every person's few columns and contact
    preferences in one statement, only the consents that could cover this list,
    and organisations and boroughs only for the people who made it (200,000
    people: 9 s and 450 MB of records before).
    """
    _check(request)
    today = today or today_in_london()
    channel = LIST_CHANNELS[request.channel]
    with database.session() as s:
        conn = s.connection()
        consents = _covering_consents(conn, request)
        accepted: list[Any] = []
        left_out: Counter[str] = Counter()
        seen: set[str] = set()
        words = {r: r.format(channel=channel) for r in _REASONS}
        people = conn.execute(_candidates(request, today).execution_options(yield_per=5_000))
        for part in people.partitions():  # 5,000 rows at a time, whatever the number of people
            for person in part:
                address = _address(person, request.channel)
                reason = _refusal(person, address, consents.get(person[0], ()), request, today)
                if reason is None and address and address.casefold() in seen:
                    reason = DUPLICATE
                if reason or not address:  # no address is always a reason (_refusal: NO_ADDRESS)
                    left_out[words[reason or NO_ADDRESS]] += 1
                    continue
                seen.add(address.casefold())
                accepted.append(person)
        organisations = _organisations(s, {p.id for p in accepted}, today) if accepted else {}
        boroughs = dict(s.exec(select(Borough.id, Borough.name)).all()) if accepted else {}
    recipients = [
        Recipient(
            p.id,
            p.full_name,
            p.email,
            p.phone,
            p.job_title,
            organisations.get(p.id),
            boroughs.get(p.borough_id) if p.borough_id else None,
        )
        for p in accepted
    ]
    return MailingList(request, recipients, left_out)


@dataclass(frozen=True)
class _Consent:
    """What the list's rules ask of a consent that covers its purpose and channel."""

    given_by: str
    given_on: date
    withdrawn_on: date | None

    def is_active(self, today: date) -> bool:
        return self.given_on <= today and (self.withdrawn_on is None or self.withdrawn_on > today)


def _covering_consents(conn: Connection, request: ListRequest) -> dict[int, list[_Consent]]:
    """Consents for the list's purpose, by its channel or any, by person (``ConsentView.covers``)."""
    c = table_of(ConsentRecord).c
    rows = conn.execute(
        sa.select(c.person_id, c.given_by, c.given_on, c.withdrawn_on).where(
            c.purpose == LIST_PURPOSES[request.purpose], c.channel.in_(["any", request.channel])
        )
    )
    found: dict[int, list[_Consent]] = {}
    for person_id, given_by, given_on, withdrawn_on in rows:
        found.setdefault(person_id, []).append(_Consent(given_by, given_on, withdrawn_on))
    return found


def _check(request: ListRequest) -> None:
    problems = {}
    if request.purpose not in LIST_PURPOSES:
        problems["purpose"] = "choose the newsletter or a network circulation list"
    if request.channel not in LIST_CHANNELS:
        problems["channel"] = "lists go by e-mail or phone (the CRM holds no postal addresses)"
    if request.purpose == "network" and not request.network_ids:
        problems["network"] = "choose at least one network for a circulation list"
    if problems:
        raise ValidationError(problems)


def _refusal(
    person: Any,
    address: str | None,
    relevant: Sequence[_Consent],
    request: ListRequest,
    today: date,
) -> str | None:
    """Why this person (a row of ``_candidates``, with its ``_address``) may not be on the
    list, or None if they may; ``relevant``: their consents covering the list's purpose and channel."""
    _id, _name, _email, _phone, _job, young, band, _borough, no_email, no_phone = person
    if young_by_band(young, band) and not request.include_young_people:
        return YOUNG  # the age band decides: "Under 13" is a young person whatever the flag says
    if no_email if request.channel == "email" else no_phone:
        return OPTED_OUT
    if not address:
        return NO_ADDRESS
    active = [c for c in relevant if c.is_active(today)]
    if needs_parental_consent(young, band):
        active = [c for c in active if c.given_by == "parent_carer"]
        if not active:
            return UNDER_13
    if active:
        return None
    return WITHDRAWN if relevant else NO_CONSENT


def _address(person: Any, channel: str) -> str | None:
    value = person[2] if channel == "email" else person[3]  # _candidates: email, phone
    return (value or "").strip() or None


def _flag(column: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
    """A boolean column read as the driver gives it (SQLite's 0 and 1, PostgreSQL's booleans)."""
    return sa.type_coerce(column, sa.Integer).label(column.key)


def _current(today: date) -> ColumnElement[bool]:
    return or_(col(Affiliation.end_date).is_(None), col(Affiliation.end_date) >= today)


def _candidates(request: ListRequest, today: date) -> sa.Select[Any]:
    """The people the list is drawn from, by name, with their contact preferences.

    The flags are read as the stored 0 or 1 (only their truth is asked): a fifth
    of the cost of 200,000 rows was turning them into booleans.
    """
    p, protection = table_of(Person).c, table_of(PersonProtection)
    query = sa.select(
        p.id, p.full_name, p.email, p.phone, p.job_title, _flag(p.is_young_person), p.age_band,
        p.borough_id, _flag(protection.c.no_email), _flag(protection.c.no_phone),
    ).select_from(table_of(Person).outerjoin(protection, protection.c.person_id == p.id))  # fmt: skip
    if request.network_ids:
        current = or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= today)
        members = select(Membership.person_id).where(
            col(Membership.network_id).in_(request.network_ids), current
        )
        member_orgs = select(Membership.organisation_id).where(
            col(Membership.network_id).in_(request.network_ids), current
        )
        staff = select(Affiliation.person_id).where(
            col(Affiliation.organisation_id).in_(member_orgs), _current(today)
        )
        query = query.where(or_(col(Person.id).in_(members), col(Person.id).in_(staff)))
    if request.sectors:
        in_sector = (
            select(Affiliation.person_id)
            .join(Organisation, col(Organisation.id) == Affiliation.organisation_id)
            .where(col(Organisation.sector).in_(request.sectors), _current(today))
        )
        query = query.where(col(Person.id).in_(in_sector))
    if request.borough_ids:
        org_in_borough = (
            select(Affiliation.person_id)
            .join(
                OrganisationBorough,
                col(OrganisationBorough.organisation_id) == Affiliation.organisation_id,
            )
            .where(col(OrganisationBorough.borough_id).in_(request.borough_ids), _current(today))
        )
        query = query.where(
            or_(col(Person.borough_id).in_(request.borough_ids), col(Person.id).in_(org_in_borough))
        )
    return query.order_by(p.full_name, p.id)


def _organisations(s: Session, ids: set[int], today: date) -> dict[int, str]:
    """Each of these people's current organisation (the one they joined last), for the file."""
    found: dict[int, str] = {}
    rows = s.connection().execute(
        sa.select(col(Affiliation.person_id), col(Organisation.name))
        .join(Organisation, col(Organisation.id) == Affiliation.organisation_id)
        .where(_current(today))
        .order_by(col(Affiliation.start_date).desc().nulls_last(), col(Affiliation.id))
    )
    for pid, name in rows:
        if pid in ids and pid not in found:
            found[pid] = name
    return found


def defuse(value: str | None) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (CSV injection); phone
    numbers are left as typed (the same rule as every CSV export: ``io.tables.could_run``)."""
    from vru_crm.io.tables import could_run

    text = value or ""
    return "'" + text if could_run(text) else text


def to_csv(mailing: MailingList) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    second = "E-mail" if mailing.request.channel == "email" else "Phone"
    writer.writerow(["Name", second, "Organisation", "Job title", "Borough"])
    for r in mailing.recipients:
        address = r.email if mailing.request.channel == "email" else r.phone
        writer.writerow(
            [defuse(x) for x in (r.full_name, address, r.organisation, r.job_title, r.borough)]
        )
    return out.getvalue()


# Cards' UIDs are name-based UUIDs (RFC 4122, version 5) in this namespace, from the person's id.
VCARD_UID_NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-4c8e-9a57-2f6b1d0c9e41")
VCARD_PRODID = "-//London VRU//VRU CRM//EN"


def vcard_uid(person_id: int) -> str:
    """The same UID for a person in every list exported, so an address book (khard, which
    refuses a card without one, Thunderbird, a phone) updates the card instead of adding a copy."""
    return "urn:uuid:" + str(uuid.uuid5(VCARD_UID_NAMESPACE, f"vru-crm:person:{person_id}"))


def to_vcard(mailing: MailingList) -> str:
    """vCard 3.0 (RFC 2426): one card per recipient, CRLF lines folded at 75 octets.

    Each card has what RFC 2426 requires and what strict readers check: VERSION
    first, FN, N (five parts) and a UID that is stable per person.
    """
    cards: list[str] = []
    for r in mailing.recipients:
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"PRODID:{VCARD_PRODID}",
            f"UID:{vcard_uid(r.person_id)}",
            f"FN:{_esc(r.full_name)}",
            f"N:{_name(r.full_name)}",
        ]
        if mailing.request.channel == "email" and r.email:
            lines.append(f"EMAIL;TYPE=INTERNET:{_esc(r.email)}")
        if mailing.request.channel == "phone" and r.phone:
            lines.append(f"TEL;TYPE=WORK,VOICE:{_esc(r.phone)}")
        if r.organisation:
            lines.append(f"ORG:{_esc(r.organisation)}")
        if r.job_title:
            lines.append(f"TITLE:{_esc(r.job_title)}")
        lines.append("END:VCARD")
        cards.extend(_fold(line) for line in lines)
    return "".join(line + "\r\n" for line in cards)


def _esc(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _name(full_name: str) -> str:
    """The structured N field: family;given;;; (the last word taken as the family name)."""
    parts = full_name.split()
    if len(parts) < 2:
        return f"{_esc(full_name)};;;;"
    return f"{_esc(parts[-1])};{_esc(' '.join(parts[:-1]))};;;"


def _fold(line: str) -> str:
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            pieces.append(current)
            current, limit = ch, 74  # continuation lines start with a space
        else:
            current += ch
    pieces.append(current)
    return "\r\n ".join(pieces)


def export(mailing: MailingList, path: Path) -> Path:
    """Write the list as CSV or vCard, chosen by the file's extension (.csv, .vcf)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = to_csv(mailing)
    elif suffix in (".vcf", ".vcard"):
        text = to_vcard(mailing)
    else:
        raise ValidationError(
            {"file": f"save the list as .csv or .vcf, not '{suffix or path.name}'"}
        )
    from vru_crm.reliability.files import write_private_text

    return write_private_text(path, text, "utf-8-sig" if suffix == ".csv" else "utf-8")


def purpose_label(request: ListRequest) -> str:
    return vocab.label(vocab.PURPOSES, LIST_PURPOSES.get(request.purpose))


def lookup_ids(database: Database, kind: str, names: list[str]) -> list[int]:
    """Network or borough ids from the names a user typed (case-insensitive; codes for boroughs)."""
    if not names:
        return []
    rows: list[tuple[int, str, str | None]]  # (id, name, a borough's code)
    with database.session() as s:
        if kind == "network":
            rows = [(saved_id(n), n.name, None) for n in s.exec(select(Network))]
        else:
            rows = [(saved_id(b), b.name, b.code) for b in s.exec(select(Borough))]
    index: dict[str, int] = {}
    for record_id, name, code in rows:
        index[name.casefold()] = record_id
        if code is not None:  # boroughs are found by their code too
            index[code.casefold()] = record_id
    unknown = [n for n in names if n.strip().casefold() not in index]
    if unknown:
        known = ", ".join(sorted(name for _id, name, _code in rows)[:40])
        raise ValidationError({kind: f"no {kind} called {', '.join(unknown)}. Known: {known}"})
    return [index[n.strip().casefold()] for n in names]


def filter_choices(database: Database) -> dict[str, list[tuple[object, str]]]:
    """Networks, sectors and boroughs a list can be drawn from, for the dialog's pickers."""
    from db.enums import SECTOR_LABELS

    with database.session() as s:
        networks = s.exec(select(Network.id, Network.name).order_by(col(Network.name))).all()
        boroughs = s.exec(select(Borough.id, Borough.name).order_by(col(Borough.name))).all()
    return {
        "network": [(i, n) for i, n in networks],
        "borough": [(i, n) for i, n in boroughs],
        "sector": list(SECTOR_LABELS.items()),
    }
