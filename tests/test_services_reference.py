"""Reference data as forms and imports see it, on both backends."""

import pytest

from vru_crm.errors import NotFound
from vru_crm.services import reference


def test_lists_for_the_drop_downs(database):
    boroughs = reference.list_boroughs(database)
    assert len(boroughs) == 33 and sum(b.is_priority for b in boroughs) == 16
    assert [b.name for b in boroughs] == sorted(b.name for b in boroughs)
    sectors = reference.list_sectors(database)
    assert sectors[0].code == "police" and "charity" in {s.code for s in sectors}
    objectives = reference.list_objectives(database)
    assert [o.number for o in objectives] == list(range(1, 9))


@pytest.mark.parametrize("typed", ["Hackney", "  hackney ", "HACKNEY", "HAC", "hac"])
def test_borough_found_however_it_is_typed(database, typed):
    assert reference.find_borough(database, typed).name == "Hackney"


def test_borough_names_with_and_or_ampersand(database):
    assert reference.find_borough(database, "Hammersmith & Fulham").code == "HAM"
    assert reference.find_borough(database, "kensington  and chelsea").code == "KEN"
    assert reference.find_borough(database, "Hackny") is None


def test_priority_flag_can_be_changed(database):
    changed = reference.set_borough_priority(database, "Barnet", True)
    assert changed.is_priority
    assert reference.find_borough(database, "Barnet").is_priority
    reference.set_borough_priority(database, changed.id, False)
    assert not reference.find_borough(database, "BRN").is_priority
    with pytest.raises(NotFound, match="no London borough called 'Gotham'"):
        reference.set_borough_priority(database, "Gotham", True)


def test_index_suggests_the_closest_borough_and_lists_sectors(database):
    index = reference.ReferenceIndex.load(database)
    assert (
        index.borough_problem("Hackny")
        == "'Hackny' is not a London borough. Did you mean 'Hackney'?"
    )
    assert index.borough_problem("Paris") == "'Paris' is not a London borough."
    assert index.sector("Local Authority").code == "local_authority"
    assert index.sector("LOCAL_AUTHORITY").code == "local_authority"
    assert index.sector("Charity / VCS").code == "charity"
    assert "Use one of: police, health" in index.sector_problem("pub")
    assert index.objective("3").number == 3
    assert index.objective("young people leading change").number == 3
    assert index.objective("9") is None
