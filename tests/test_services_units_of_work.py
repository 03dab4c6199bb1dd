"""One user action, one unit of work: a failure in its second part leaves nothing of the first.

Each failure is a real one raised by the database (a foreign key to a deleted
organisation, a constraint the test adds), on SQLite and PostgreSQL.
"""

import pytest
from sqlalchemy import text
from sqlmodel import select

from db.models import Affiliation
from vru_crm.errors import NotFound
from vru_crm.services import organisations as orgs
from vru_crm.services import people
from vru_crm.services.affiliations import AffiliationRow, save_person
from vru_crm.services.merge_values import merge_with_values


def _org(database, name: str) -> int:
    return orgs.create_organisation(
        database, orgs.OrganisationInput(name=name, sector="charity")
    ).id


def _deleted_org(database) -> int:
    gone = _org(database, "Closed Trust")
    orgs.delete_organisation(database, gone)
    return gone


def _affiliations(database, person_id: int) -> list[int]:
    with database.session() as s:
        rows = s.exec(select(Affiliation).where(Affiliation.person_id == person_id)).all()
        return sorted(a.organisation_id for a in rows)


def test_a_person_is_not_saved_when_their_affiliations_cannot_be(database):
    cvs = _org(database, "Hackney CVS")
    amina = people.create_person(database, people.PersonInput(full_name="Amina Yusuf"))
    gone = _deleted_org(database)

    with pytest.raises(NotFound, match="no longer exists"):
        save_person(
            database,
            amina.id,
            people.PersonInput(full_name="Amina Y."),
            amina.version,
            [AffiliationRow(cvs, "Hackney CVS"), AffiliationRow(gone, "Closed Trust")],
        )

    after = people.get_person(database, amina.id)
    assert (after.full_name, after.version) == ("Amina Yusuf", amina.version)
    assert _affiliations(database, amina.id) == []


def test_a_new_person_is_not_created_when_their_affiliations_cannot_be(database):
    gone = _deleted_org(database)
    with pytest.raises(NotFound):
        save_person(
            database,
            None,
            people.PersonInput(full_name="Dele Adeyemi"),
            None,
            [AffiliationRow(gone)],
        )
    assert (
        people.find_duplicate_people(database, people.PersonInput(full_name="Dele Adeyemi")) == []
    )


def test_a_person_and_their_affiliations_are_saved_together(database):
    cvs = _org(database, "Hackney CVS")
    record = save_person(
        database, None, people.PersonInput(full_name="Dele Adeyemi"), None, [AffiliationRow(cvs)]
    )
    assert [a.organisation_name for a in record.affiliations] == ["Hackney CVS"]


def _refuse_notes(database, refused: str) -> None:
    """A constraint of the database's own: no person's notes may be ``refused``."""
    with database.engine.begin() as conn:
        if database.is_sqlite:
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_notes BEFORE UPDATE ON person "
                    f"WHEN NEW.notes = '{refused}' BEGIN SELECT RAISE(ABORT, 'notes refused'); END"
                )
            )
        else:
            conn.execute(
                text(f"ALTER TABLE person ADD CONSTRAINT refuse_notes CHECK (notes <> '{refused}')")
            )


def test_a_merge_is_undone_when_the_values_chosen_cannot_be_saved(database):
    cvs, youth = _org(database, "Hackney CVS"), _org(database, "Lambeth Youth Club")
    keep = save_person(
        database, None, people.PersonInput(full_name="Amina Yusuf"), None, [AffiliationRow(cvs)]
    )
    other = save_person(
        database, None, people.PersonInput(full_name="A. Yusuf"), None, [AffiliationRow(youth)]
    )
    _refuse_notes(database, "refused")

    with pytest.raises(Exception, match="refuse"):
        merge_with_values(
            database,
            "person",
            keep.id,
            other.id,
            people.PersonInput(full_name="Amina Yusuf", notes="refused"),
        )

    assert people.get_person(database, other.id).full_name == "A. Yusuf"  # not merged away
    assert _affiliations(database, keep.id) == [cvs]
    assert _affiliations(database, other.id) == [youth]
    assert people.get_person(database, keep.id).version == keep.version


def test_a_merge_with_values_saves_both_in_one_go(database):
    cvs, youth = _org(database, "Hackney CVS"), _org(database, "Lambeth Youth Club")
    keep = orgs.create_organisation(
        database, orgs.OrganisationInput(name="Hackney CVS Ltd", sector="charity", tags=["vcs"])
    )
    result, version = merge_with_values(
        database,
        "organisation",
        keep.id,
        youth,
        orgs.OrganisationInput(name="Hackney Council for Voluntary Service", sector="charity"),
    )
    merged = orgs.get_organisation(database, keep.id)
    assert (merged.name, merged.tags, merged.version) == (
        "Hackney Council for Voluntary Service",
        ("vcs",),
        version,
    )
    assert result.removed_id == youth and cvs != keep.id
