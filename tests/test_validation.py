"""The value checks shared by forms and imports: what a user types, what they are told."""

from datetime import date

import pytest

from vru_crm import validation as v


@pytest.mark.parametrize("text", ["2020-03-07", "07/03/2020", "7/3/2020", " 2020-3-7 "])
def test_dates_in_iso_or_uk_order(text):
    assert v.parse_date(text) == date(2020, 3, 7)


def test_american_order_is_refused_in_plain_words():
    with pytest.raises(ValueError) as error:
        v.parse_date("12/13/2020")
    assert str(error.value) == "'12/13/2020' is not a date: use YYYY-MM-DD or DD/MM/YYYY"


@pytest.mark.parametrize(
    "text", ["31/02/2020", "yesterday", "2020/03/07", "20-03-07", "2020-13-01"]
)
def test_non_dates_are_refused(text):
    assert "is not a date" in v.validate_date(text)


@pytest.mark.parametrize("text", ["1989-12-31", "2101-01-01", "01/01/1066"])
def test_dates_out_of_range_are_refused(text):
    assert "between 1990 and 2100" in v.validate_date(text)


def test_range_edges_and_blank_date():
    assert v.parse_date("1990-01-01") == date(1990, 1, 1)
    assert v.parse_date("31/12/2100") == date(2100, 12, 31)
    assert v.parse_date("  ") is None
    assert v.validate_date("") is None


@pytest.mark.parametrize(
    "text", ["info@hackneycvs.org.uk", "First.Last+vru@london.gov.uk", "", None]
)
def test_good_emails(text):
    assert v.validate_email(text) is None


@pytest.mark.parametrize(
    "text", ["bob@", "bob", "bob@example", "two@@example.org", "a b@example.org"]
)
def test_bad_emails(text):
    assert v.validate_email(text) == (
        f"'{text}' is not an e-mail address (expected something like name@example.org)"
    )


def test_emails_are_stored_in_lower_case():
    assert v.normalise_email("  Info@HackneyCVS.org.uk ") == "info@hackneycvs.org.uk"
    assert v.normalise_email(" ") is None


@pytest.mark.parametrize(
    "text",
    [
        "020 7983 4000",
        "+44 20 7983 4000",
        "(020) 7983-4000",
        "07700 900123",
        "020 7983 4000 ext 12",
        "+33 1 23 45 67 89",
    ],
)
def test_lenient_uk_phone_numbers(text):
    assert v.validate_phone(text) is None


@pytest.mark.parametrize("text", ["12345", "call me", "020 7983 40000 00", "+44 20"])
def test_bad_phone_numbers(text):
    assert "does not look like a phone number" in v.validate_phone(text)


@pytest.mark.parametrize(
    "text", ["https://www.london.gov.uk/vru", "http://hackneycvs.org.uk", "www.example.org"]
)
def test_good_web_addresses(text):
    assert v.validate_url(text) is None


@pytest.mark.parametrize(
    "text", ["not a url", "ftp://example.org", "https://localhost", "example", "[", "http://[::1"]
)
def test_bad_web_addresses(text):
    assert "is not a web address" in v.validate_url(text)


def test_web_address_gets_a_scheme():
    assert v.normalise_url("www.example.org") == "https://www.example.org"
    assert v.normalise_url("http://x.org") == "http://x.org"


def test_names_are_required_and_bounded():
    assert v.validate_name("  ") == "a name is required"
    assert "too long (201 characters; at most 200)" in v.validate_name("x" * 201)
    assert v.validate_name("Hackney CVS") is None


def test_yes_no_and_counts():
    assert v.parse_bool("Yes") is True and v.parse_bool("") is False and v.parse_bool("0") is False
    with pytest.raises(ValueError, match="not yes or no"):
        v.parse_bool("maybe")
    assert v.parse_count("1,200") == 1200 and v.parse_count("") == 0 and v.parse_count("12.0") == 12
    with pytest.raises(ValueError, match="below zero"):
        v.parse_count("-3")
    with pytest.raises(ValueError, match="not a whole number"):
        v.parse_count("lots")


def test_age_bands_by_code_or_label():
    assert v.parse_age_band("16-17") == "16_17"
    assert v.parse_age_band("25 and over") == "25_plus"
    assert v.parse_age_band("") is None
    with pytest.raises(ValueError, match="is not an age band"):
        v.parse_age_band("1990-01-01")


def test_cells_with_several_values():
    assert v.split_cell(" Hackney ; Lambeth;;hackney ") == ["Hackney", "Lambeth"]
    assert v.split_cell("") == []


def test_name_normalisation_ignores_case_accents_punctuation_and_company_words():
    assert v.normalise_name("The Hackney C.V.S. Ltd") == v.normalise_name("hackney cvs")
    assert v.normalise_name("Café Créole") == "cafe creole"
    assert v.similar_names(v.normalise_name("St Giles Trust"), v.normalise_name("St. Giles Trsut"))
    assert not v.similar_names(v.normalise_name("St Giles Trust"), v.normalise_name("St Mungo's"))
    assert not v.similar_names("youth club 1", "youth club 2")


def test_duplicate_index_matches_email_anywhere_and_names_within_a_borough():
    index = v.DuplicateIndex()
    index.add(1, "St Giles Trust", "info@stgilestrust.org.uk", [5])
    index.add(2, "Redthread", None, [])
    assert [m.id for m in index.find("Totally different", "INFO@stgilestrust.org.uk", [9])] == [1]
    assert index.find("St Giles Trust", None, [9]) == []  # same name, other borough
    [match] = index.find("St. Giles Trust", None, [5])
    assert match.reason == "same name in the same borough"
    assert [m.id for m in index.find("Red thread", None, [3])] == [2]  # no borough: could be any
    assert index.find("St Giles Trust", None, [5], exclude_id=1) == []


def test_huge_value_is_quoted_back_short():
    problem = v.validate_email("x" * 10_000)
    assert len(problem) < 200


def test_duplicate_index_finds_every_typo_among_thousands_of_names():
    # The index compares a name with all candidates in one call; it must still find each
    # typo'd copy, and only those, among many names of about the same length.
    index = v.DuplicateIndex()
    boroughs = ["Hackney", "Lambeth", "Croydon", "Brent", "Newham", "Enfield"]
    kinds = ["Youth Club", "Boxing Academy", "Parents Forum", "Mentoring Trust"]
    names = [f"{b} {k} {n}" for b in boroughs for k in kinds for n in range(100)]
    for record_id, name in enumerate(names):
        index.add(record_id, name, None, [])
    assert names[1234] == "Brent Youth Club 34"
    assert [m.id for m in index.find("Brnet Youth Club 34", None, [])] == [1234]
    assert [m.id for m in index.find("Newham Mentorign Trust 7", None, [])] == [
        names.index("Newham Mentoring Trust 7")
    ]
    assert index.find("Hackney Youth Club 100", None, []) == []  # numbers differ: different clubs
