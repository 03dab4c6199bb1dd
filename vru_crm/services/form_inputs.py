"""Saved records turned back into the inputs their forms and services take.

A form is filled from a record, and undo of an edit saves back the input the
record had before: both need the record as an input again, field for field.
"""

from __future__ import annotations

from vru_crm.services.engagements import EngagementInput, EngagementRecord
from vru_crm.services.organisations import OrganisationInput, OrganisationRecord
from vru_crm.services.people import PersonInput, PersonRecord


def organisation_input(record: OrganisationRecord) -> OrganisationInput:
    """The input that would save the organisation exactly as it is."""
    return OrganisationInput(
        name=record.name,
        sector=record.sector,
        borough_ids=list(record.borough_ids),
        website=record.website,
        email=record.email,
        phone=record.phone,
        notes=record.notes,
        tags=list(record.tags),
        is_priority=record.is_priority,
    )


def person_input(record: PersonRecord) -> PersonInput:
    """The input that would save the person's own fields exactly as they are."""
    return PersonInput(
        full_name=record.full_name,
        job_title=record.job_title,
        email=record.email,
        phone=record.phone,
        borough_id=record.borough_id,
        is_young_person=record.is_young_person,
        age_band=record.age_band,
        notes=record.notes,
    )


def engagement_input(record: EngagementRecord) -> EngagementInput:
    """The input that would save the engagement exactly as it is."""
    return EngagementInput(
        kind=record.kind,
        occurred_on=record.occurred_on,
        organisation_ids=list(record.organisation_ids),
        person_ids=list(record.person_ids),
        borough_ids=list(record.borough_ids),
        network_ids=list(record.network_ids),
        objective_ids=list(record.objective_ids),
        summary=record.summary,
        outcome=record.outcome,
        people_reached=record.people_reached,
        follow_up_on=record.follow_up_on,
        follow_up_done=record.follow_up_done,
        is_notable=record.is_notable,
        logged_by=record.logged_by,
    )
