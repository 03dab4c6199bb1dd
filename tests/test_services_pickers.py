"""The pickers find records through the search index, on SQLite and PostgreSQL."""

from vru_crm.services import organisations as orgs
from vru_crm.services import people
from vru_crm.services.pickers import all_choices, names, suggest


def _org(database, name: str) -> int:
    return orgs.create_organisation(
        database, orgs.OrganisationInput(name=name, sector="charity")
    ).id


def test_each_word_typed_matches_the_start_of_a_word_of_the_name(database):
    cvs = _org(database, "Hackney CVS")
    _org(database, "Lambeth Youth Club")
    assert suggest(database, "organisation", "hack cv") == [(cvs, "Hackney CVS")]
    assert suggest(database, "organisation", "HACKNEY") == [(cvs, "Hackney CVS")]
    assert suggest(database, "organisation", "ckney") == []  # not inside a word
    assert suggest(database, "organisation", "  ") == []


def test_accents_do_not_matter_and_names_starting_with_the_text_come_first(database):
    later = _org(database, "Youth Forum of Peckham")
    first = _org(database, "Peckham Parents")
    accented = _org(database, "Café Peckhamé")
    found = suggest(database, "organisation", "peckham")
    assert found[0] == (first, "Peckham Parents")
    assert {i for i, _ in found} == {first, later, accented}
    assert suggest(database, "organisation", "cafe peckhame") == [(accented, "Café Peckhamé")]


def test_only_names_of_the_kind_asked_for_not_their_other_words(database):
    org = _org(database, "Amina Trust")
    person = people.create_person(
        database, people.PersonInput(full_name="Amina Yusuf", email="yusuf@example.org")
    ).id
    assert suggest(database, "person", "amina") == [(person, "Amina Yusuf")]
    assert suggest(database, "organisation", "amina") == [(org, "Amina Trust")]
    assert suggest(database, "person", "example") == []  # an e-mail is not a name


def test_a_limit_and_characters_that_mean_something_to_sql(database):
    for n in range(5):
        _org(database, f"Hackney Group {n}")
    assert len(suggest(database, "organisation", "hackney", limit=3)) == 3
    assert suggest(database, "organisation", 'hack" OR "a%_') == []


def test_names_keep_the_order_asked_and_choices_are_by_name(database):
    a, b = _org(database, "Zeta Project"), _org(database, "Alpha Project")
    assert names(database, "organisation", [a, 999999, b]) == [
        (a, "Zeta Project"),
        (b, "Alpha Project"),
    ]
    assert names(database, "organisation", []) == []
    assert all_choices(database, "tag") == []
