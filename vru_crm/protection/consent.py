"""Lawful basis, consent and contact preferences for one person.

The rule that matters most: a young person under 13 cannot consent for
themselves, so their consent must be recorded as given by a parent or carer,
with that person's name and relationship. A young person whose age band is
unknown is treated the same way, because the safe mistake is to ask a parent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.errors import ConcurrentEditError
from db.models import ConsentRecord, Person, PersonProtection, saved_id
from db.session import Database
from vru_crm import validation as v
from vru_crm.errors import NotFound, ValidationError
from vru_crm.london import today_in_london
from vru_crm.protection import vocab

log = logging.getLogger(__name__)

STALE = (
    "Someone else changed this person's data protection record after you opened it. "
    "Reload it to see their change, then make yours again."
)


@dataclass
class ProtectionInput:
    lawful_basis: str | None = None
    lawful_basis_note: str = ""
    no_email: bool = False
    no_phone: bool = False
    no_post: bool = False
    review_on: date | None = None


@dataclass
class ConsentInput:
    purpose: str
    given_on: date | None
    channel: str = "any"
    given_by: str = "self"
    given_by_name: str | None = None
    given_by_relationship: str | None = None
    method: str = "written"
    notes: str = ""


@dataclass(frozen=True)
class ConsentView:
    id: int
    version: int
    purpose: str
    channel: str
    given_by: str
    given_by_name: str | None
    given_by_relationship: str | None
    given_on: date
    method: str
    withdrawn_on: date | None
    notes: str

    def is_active(self, today: date | None = None) -> bool:
        today = today or today_in_london()
        return self.given_on <= today and (self.withdrawn_on is None or self.withdrawn_on > today)

    def covers(self, purpose: str, channel: str) -> bool:
        return self.purpose == purpose and self.channel in ("any", channel)

    @property
    def given_by_text(self) -> str:
        """Who gave it, in words: "Jane Doe (mother), parent or carer" or "the person themselves"."""
        if self.given_by == "parent_carer":
            who = self.given_by_name or "name not recorded"
            relation = self.given_by_relationship or "relationship not recorded"
            return f"{who} ({relation}), parent or carer"
        return "the person themselves"

    @property
    def summary(self) -> str:
        state = f"withdrawn {self.withdrawn_on:%d/%m/%Y}" if self.withdrawn_on else "active"
        return (
            f"{vocab.label(vocab.PURPOSES, self.purpose)} by {vocab.label(vocab.CHANNELS, self.channel).lower()}"
            f", given {self.given_on:%d/%m/%Y} by {self.given_by_text}"
            f" ({vocab.label(vocab.METHODS, self.method).lower()}); {state}"
        )


@dataclass(frozen=True)
class ProtectionRecord:
    """Everything the consent panel shows for one person."""

    person_id: int
    is_young_person: bool
    age_band: str | None
    lawful_basis: str | None
    lawful_basis_note: str
    no_email: bool
    no_phone: bool
    no_post: bool
    review_on: date | None
    version: int | None  # None until something is recorded
    consents: tuple[ConsentView, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def needs_parental_consent(self) -> bool:
        return needs_parental_consent(self.is_young_person, self.age_band)

    @property
    def safeguarding_notice(self) -> str | None:
        return vocab.SAFEGUARDING_NOTICE if self.is_young_person else None


def needs_parental_consent(is_young_person: bool, age_band: str | None) -> bool:
    """Under 13, or a young person whose age is not known: the age band decides.

    A band under 18 is a young person whatever the flag says; a band not known
    (blank or not one of ours) counts as the youngest.
    """
    from vru_crm.validation import needs_parent

    return needs_parent(is_young_person, age_band)


def consent_problems(
    data: ConsentInput, is_young_person: bool, age_band: str | None, today: date | None = None
) -> dict[str, str]:
    """Problems a form can show before saving (no database needed)."""
    today = today or today_in_london()
    problems: dict[str, str | None] = {
        "purpose": vocab.choice_problem(vocab.PURPOSES, data.purpose, "purpose"),
        "channel": vocab.choice_problem(vocab.CHANNELS, data.channel, "channel"),
        "method": vocab.choice_problem(vocab.METHODS, data.method, "way of giving consent"),
        "given_by": vocab.choice_problem(vocab.GIVEN_BY, data.given_by, "choice of who gave it"),
        "given_on": _date_problem(data.given_on, today),
        "notes": v.validate_length(data.notes, 2000, "note"),
    }
    if needs_parental_consent(is_young_person, age_band) and data.given_by != "parent_carer":
        known = age_band is not None
        problems["given_by"] = (
            "a young person under 13 cannot consent for themselves: record the parent or carer "
            "who gave consent, with their relationship"
            if known
            else "this young person's age band is not recorded, so a parent or carer's consent "
            "is needed: record who gave it and their relationship"
        )
    if data.given_by == "parent_carer":
        problems["given_by_name"] = v.validate_name(data.given_by_name, "parent or carer's name")
        problems["given_by_relationship"] = v.validate_name(
            data.given_by_relationship, "relationship (e.g. mother, foster carer)", 80
        )
    return {name: problem for name, problem in problems.items() if problem}


def _date_problem(value: date | None, today: date) -> str | None:
    if value is None:
        return "the date consent was given is required"
    try:
        v.parse_date(value)
    except ValueError as error:
        return str(error)
    return "consent cannot be given in the future" if value > today else None


def get_protection(
    database: Database, person_id: int, today: date | None = None
) -> ProtectionRecord:
    with database.session() as s:
        return record_in_session(s, _person(s, person_id), today or today_in_london())


def save_protection(
    database: Database, person_id: int, data: ProtectionInput, version: int | None = None
) -> ProtectionRecord:
    """Record the lawful basis, contact preferences and review date.

    ``version`` is the one shown to the user (None when nothing was recorded yet);
    a change made by someone else since then is refused, not overwritten: a
    record created by a colleague after the form opened (``version`` None, row
    present), a newer version, or a first save racing another first save (the
    database's key refuses the second insert) all raise ``ConcurrentEditError``
    with the same words.
    """
    problems = {
        "lawful_basis": None
        if data.lawful_basis is None
        else vocab.choice_problem(vocab.LAWFUL_BASES, data.lawful_basis, "lawful basis"),
        "lawful_basis_note": v.validate_length(data.lawful_basis_note, 2000, "note"),
        "review_on": v.validate_date(data.review_on),
    }
    if any(problems.values()):
        raise ValidationError({k: p for k, p in problems.items() if p})
    try:
        with database.session() as s:
            person = _person(s, person_id)
            row = s.get(PersonProtection, person_id)
            if row is None:
                if version is not None:
                    raise ConcurrentEditError(STALE)
                row = PersonProtection(person_id=person_id)
            elif row.version != version:
                # None means "nothing was recorded when I opened it": someone has since.
                raise ConcurrentEditError(STALE)
            row.lawful_basis = data.lawful_basis
            row.lawful_basis_note = (data.lawful_basis_note or "").strip()
            row.no_email, row.no_phone, row.no_post = data.no_email, data.no_phone, data.no_post
            row.review_on = data.review_on
            s.add(row)
            s.flush()
            return record_in_session(s, person, today_in_london())
    except IntegrityError as error:
        # Two first saves at once: the other one created the record a moment before ours.
        raise ConcurrentEditError(STALE) from error
    except ConcurrentEditError as error:
        raise ConcurrentEditError(STALE) from error


def record_consent(database: Database, person_id: int, data: ConsentInput) -> ConsentView:
    """Add a consent; under-13s need it from a parent or carer (see the module docstring)."""
    with database.session() as s:
        person = _person(s, person_id)
        problems = consent_problems(data, person.is_young_person, person.age_band)
        if problems or data.given_on is None:  # a missing date is one of the problems
            raise ValidationError(problems)
        parent = data.given_by == "parent_carer"
        row = ConsentRecord(
            person_id=person_id,
            purpose=data.purpose,
            channel=data.channel,
            given_by=data.given_by,
            given_by_name=(data.given_by_name or "").strip() or None if parent else None,
            given_by_relationship=(data.given_by_relationship or "").strip() or None
            if parent
            else None,
            given_on=data.given_on,
            method=data.method,
            notes=(data.notes or "").strip(),
        )
        s.add(row)
        s.flush()
        log.info("consent %s recorded for person %s", row.id, person_id)
        return _view(row)


def withdraw_consent(
    database: Database, consent_id: int, withdrawn_on: date | None = None
) -> ConsentView:
    """Mark a consent withdrawn (it stays on record, as proof of when it ended)."""
    when = withdrawn_on or today_in_london()
    with database.session() as s:
        row = s.get(ConsentRecord, consent_id)
        if row is None:
            raise NotFound(f"There is no consent record with id {consent_id}.")
        if when < row.given_on:
            raise ValidationError(
                {"withdrawn_on": "consent cannot be withdrawn before it was given"}
            )
        if row.withdrawn_on is None or when < row.withdrawn_on:
            row.withdrawn_on = when
            s.add(row)
        s.flush()
        return _view(row)


def consents_for(s: Session, person_ids: list[int]) -> dict[int, list[ConsentView]]:
    """Consents of many people at once (for mailing lists), keyed by person."""
    found: dict[int, list[ConsentView]] = {pid: [] for pid in person_ids}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        rows = s.exec(select(ConsentRecord).where(col(ConsentRecord.person_id).in_(chunk)))
        for row in rows:
            found[row.person_id].append(_view(row))
    return found


def _person(s: Session, person_id: int) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id} (they may have been erased).")
    return person


def _view(row: ConsentRecord) -> ConsentView:
    return ConsentView(
        id=saved_id(row),
        version=row.version,
        purpose=row.purpose,
        channel=row.channel,
        given_by=row.given_by,
        given_by_name=row.given_by_name,
        given_by_relationship=row.given_by_relationship,
        given_on=row.given_on,
        method=row.method,
        withdrawn_on=row.withdrawn_on,
        notes=row.notes,
    )


def record_in_session(s: Session, person: Person, today: date) -> ProtectionRecord:
    row = s.get(PersonProtection, person.id)
    consents = tuple(
        _view(c)
        for c in s.exec(
            select(ConsentRecord)
            .where(ConsentRecord.person_id == person.id)
            .order_by(col(ConsentRecord.given_on).desc(), col(ConsentRecord.id).desc())
        )
    )
    record = ProtectionRecord(
        person_id=saved_id(person),
        is_young_person=person.is_young_person,
        age_band=person.age_band,
        lawful_basis=row.lawful_basis if row else None,
        lawful_basis_note=row.lawful_basis_note if row else "",
        no_email=row.no_email if row else False,
        no_phone=row.no_phone if row else False,
        no_post=row.no_post if row else False,
        review_on=row.review_on if row else None,
        version=row.version if row else None,
        consents=consents,
    )
    return _with_warnings(record, today)


def _with_warnings(record: ProtectionRecord, today: date) -> ProtectionRecord:
    from dataclasses import replace

    warnings: list[str] = []
    if record.lawful_basis is None:
        warnings.append("No lawful basis is recorded for holding this person's data.")
    active = [c for c in record.consents if c.is_active(today)]
    if record.lawful_basis == "consent" and not active:
        warnings.append("The lawful basis is consent, but no consent is active.")
    if record.needs_parental_consent:
        if not any(c.given_by == "parent_carer" for c in active):
            warnings.append(
                "Under 13 (or age not known): no parent or carer's consent is recorded."
            )
        if any(c.given_by != "parent_carer" for c in active):
            warnings.append("A consent given by the young person alone does not count under 13.")
    if record.review_on and record.review_on <= today:
        warnings.append(f"The review date ({record.review_on:%d/%m/%Y}) has passed.")
    return replace(record, warnings=tuple(warnings))
