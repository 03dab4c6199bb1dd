"""Data protection records for the demo's people, so the screens that read them have something true to show.

Real PRG members are held for the VRU's public task (convening the
partnership); the synthetic contacts met on visits under legitimate interests;
young people on consent, an under-13's given by a parent or carer. Some adults
opted into the newsletter (one later withdrew), a few asked not to be phoned,
and a few records are past their review date so the retention review has work.
Everything here is invented and marked as such in its notes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import Session, col, select

from db.models import ConsentRecord, Membership, Person, PersonProtection, saved_id
from vru_crm.demo.refs import Refs

NOTE = "Demo record (synthetic)."
RELATIONSHIPS = ("mother", "father", "carer", "grandmother")


def load_protection(session: Session, refs: Refs, rng: random.Random, today: date) -> None:
    """A protection record (and consents where the basis needs them) for everyone without one."""
    recorded = set(session.exec(select(PersonProtection.person_id)).all())
    members = set(
        session.exec(
            select(Membership.person_id).where(col(Membership.person_id).is_not(None))
        ).all()
    )
    people = session.exec(select(Person).order_by(col(Person.id))).all()
    for person in people:
        if person.id in recorded:
            continue
        if person.is_young_person:
            _young_person(session, person, rng, today)
        else:
            _adult(session, person, person.id in members, rng, today)
        refs.added["data protection records"] += 1


def _young_person(session: Session, person: Person, rng: random.Random, today: date) -> None:
    session.add(
        PersonProtection(
            person_id=saved_id(person),
            lawful_basis="consent",
            lawful_basis_note=f"Youth panel and visits. {NOTE}",
            no_post=True,
            review_on=today + timedelta(days=rng.randint(60, 365)),
        )
    )
    under_13 = person.age_band in (None, "under_13")
    given_on = today - timedelta(days=rng.randint(30, 500))
    session.add(
        ConsentRecord(
            person_id=saved_id(person),
            purpose="contact",
            given_by="parent_carer" if under_13 else "self",
            given_by_name="A parent (synthetic)" if under_13 else None,
            given_by_relationship=rng.choice(RELATIONSHIPS) if under_13 else None,
            given_on=given_on,
            method="written",
            notes=NOTE,
        )
    )


def _adult(
    session: Session, person: Person, is_member: bool, rng: random.Random, today: date
) -> None:
    overdue_review = rng.random() < 0.06
    review = today - timedelta(days=rng.randint(5, 200)) if overdue_review else None
    session.add(
        PersonProtection(
            person_id=saved_id(person),
            lawful_basis="public_task" if is_member else "legitimate_interests",
            lawful_basis_note=(
                "Member of a VRU network: contacted for network business."
                if is_member
                else f"Partner contact met through engagement work. {NOTE}"
            ),
            no_phone=rng.random() < 0.1,
            no_email=rng.random() < 0.04,
            review_on=review or today + timedelta(days=rng.randint(180, 1000)),
        )
    )
    if rng.random() < 0.45:
        given_on = today - timedelta(days=rng.randint(30, 1200))
        withdrawn = rng.random() < 0.08
        session.add(
            ConsentRecord(
                person_id=saved_id(person),
                purpose="newsletter",
                channel="email",
                given_on=given_on,
                method="online_form",
                withdrawn_on=given_on + timedelta(days=rng.randint(10, 25)) if withdrawn else None,
                notes=NOTE,
            )
        )
