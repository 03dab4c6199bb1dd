"""A merge with the values the user chose in the merge dialog, as one unit of work.

The dialog shows both records side by side and lets the user pick each field;
the merge and the saving of those values happen in one transaction, so a
failure while saving the values leaves both records as they were.
"""

from __future__ import annotations

from sqlmodel import Session

from db.models import Organisation
from db.session import Database
from vru_crm.errors import ValidationError
from vru_crm.services import merge, organisations, people
from vru_crm.services.merge import MergeResult
from vru_crm.services.organisations import OrganisationInput
from vru_crm.services.people import PersonInput


def merge_with_values(
    database: Database,
    kind: str,
    keep_id: int,
    other_id: int,
    values: OrganisationInput | PersonInput,
) -> tuple[MergeResult, int]:
    """Merge ``other_id`` into ``keep_id``, then give the kept record the values the user chose.

    Links are the union made by the merge service (boroughs and tags of an
    organisation included); ``values`` sets the plain fields. Returns the merge
    result and the kept record's version afterwards.
    """
    _refuse_bad_values(values)
    with database.session() as s:
        if isinstance(values, OrganisationInput):
            return _organisations(s, keep_id, other_id, values)
        return _people(s, keep_id, other_id, values)


def _refuse_bad_values(values: OrganisationInput | PersonInput) -> None:
    """Checked before merging: a bad value is reported with nothing changed."""
    if isinstance(values, OrganisationInput):
        problems = dict(organisations.organisation_problems(values))
    else:
        problems = {k: p for k, p in people.person_problems(values).items() if p}
    if problems:
        raise ValidationError(problems)


def _organisations(
    s: Session, keep_id: int, other_id: int, values: OrganisationInput
) -> tuple[MergeResult, int]:
    result = merge.fold_organisations(s, keep_id, other_id)
    s.flush()
    kept = s.get(Organisation, keep_id)
    assert kept is not None  # the fold found it
    merged = organisations.organisation_record(s, kept)
    values.borough_ids = sorted(set(values.borough_ids) | set(merged.borough_ids))
    values.tags = list(dict.fromkeys([*values.tags, *merged.tags]))
    org = organisations.write_organisation(s, keep_id, values, None)
    return result, org.version


def _people(
    s: Session, keep_id: int, other_id: int, values: PersonInput
) -> tuple[MergeResult, int]:
    result = merge.fold_people(s, keep_id, other_id)
    s.flush()
    person = people.write_person(s, keep_id, values, None)
    return result, person.version
