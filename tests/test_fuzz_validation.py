"""Fuzzing the checks every form and import uses: any input gives a value or a clear message.

No database: these are the pure functions a form calls on every keystroke
(``vru_crm.validation`` and the ``*_problems`` of the services and of consent).
A clear message is a short string in words that quotes at most a cut-down
piece of the input, never a traceback and never the whole of a huge cell.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from vru_crm import validation as v
from vru_crm.protection.consent import ConsentInput, consent_problems
from vru_crm.services.engagements import EngagementInput, engagement_problems
from vru_crm.services.organisations import OrganisationInput, organisation_problems
from vru_crm.services.people import PersonInput, person_problems

FUZZ = settings(max_examples=60, deadline=None, derandomize=True)
MAX_MESSAGE = 400

# Text that breaks naive code: formulas, control characters, surrogates-free unicode, huge cells.
nasty_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "=1+1",
            "+44 20",
            "-",
            "@SUM(A1)",
            "\t=cmd",
            "\r\n",
            "0",
            "31/02/2024",
            "2024-13-01",
            "9999-01-01",
            "0001-01-01",
            "1/1/99999",
            "١٢/٠٣/٢٠٢٤",
            "NaN",
        ]
    ),
    st.text(min_size=5_000, max_size=12_000, alphabet="aé=;,\"'\n\x00"),
)


def _clear(message: object) -> None:
    assert isinstance(message, str) and message.strip()
    assert len(message) <= MAX_MESSAGE, f"message too long ({len(message)} chars)"
    assert "Traceback" not in message


@FUZZ
@given(nasty_text)
def test_text_validators_return_none_or_a_clear_message(text):
    for check in (v.validate_name, v.validate_email, v.validate_phone, v.validate_date):
        problem = check(text)
        if problem is not None:
            _clear(problem)
    problem = v.validate_length(text, 200, "job title")
    assert (problem is None) == (len(text.strip()) <= 200)


@FUZZ
@given(st.one_of(nasty_text, st.sampled_from(["[", "http://[::1", "https://]x.org"])))
def test_web_address_check_returns_none_or_a_clear_message(text):
    problem = v.validate_url(text)
    if problem is not None:
        _clear(problem)


@FUZZ
@given(nasty_text)
def test_parsers_give_a_value_or_a_value_error_in_words(text):
    for parse in (v.parse_date, v.parse_count, v.parse_bool, v.parse_age_band):
        try:
            value = parse(text)
        except ValueError as error:
            _clear(str(error))
        else:
            if parse is v.parse_date and value is not None:
                assert v.MIN_YEAR <= value.year <= v.MAX_YEAR


@FUZZ
@given(st.dates())
def test_dates_out_of_range_are_refused_in_words(day):
    try:
        parsed = v.parse_date(day)
    except ValueError as error:
        assert "out of range" in str(error)
        assert not v.MIN_YEAR <= day.year <= v.MAX_YEAR
    else:
        assert parsed == day


@FUZZ
@given(nasty_text, nasty_text, nasty_text, nasty_text, st.booleans(), nasty_text)
def test_person_form_problems_are_words(name, email, phone, title, young, band):
    problems = person_problems(
        PersonInput(
            full_name=name,
            email=email,
            phone=phone,
            job_title=title,
            is_young_person=young,
            age_band=band,
        )
    )
    for problem in problems.values():
        _clear(problem)


@FUZZ
@given(nasty_text, nasty_text, nasty_text, nasty_text)
def test_organisation_form_problems_are_words(name, sector, website, email):
    problems = organisation_problems(
        OrganisationInput(name=name, sector=sector, website=website, email=email)
    )
    for problem in problems.values():
        _clear(problem)


def test_a_huge_engagement_kind_is_quoted_cut_down():
    problems = engagement_problems(EngagementInput(kind="x" * 5000, summary="Visit"))
    _clear(problems["kind"])


@FUZZ
@given(st.text(max_size=80), nasty_text, st.integers(-10, 10**6), st.one_of(st.none(), st.dates()))
def test_engagement_form_problems_are_words(kind, summary, reached, follow_up):
    problems = engagement_problems(
        EngagementInput(
            kind=kind,
            summary=summary,
            people_reached=reached,
            follow_up_on=follow_up,
            occurred_on=date(2024, 5, 1),
        )
    )
    for problem in problems.values():
        _clear(problem)
    if reached < 0:
        assert "people_reached" in problems


@FUZZ
@given(
    st.one_of(st.sampled_from(["newsletter", "photos"]), nasty_text),
    st.one_of(st.none(), st.dates()),
    st.sampled_from(["self", "parent_carer", "grandparent", ""]),
    nasty_text,
    nasty_text,
    st.booleans(),
    st.sampled_from([None, "under_13", "13_15", "25_plus"]),
)
def test_consent_form_problems_are_words(purpose, given_on, given_by, name, relation, young, band):
    data = ConsentInput(
        purpose=purpose,
        given_on=given_on,
        given_by=given_by,
        given_by_name=name,
        given_by_relationship=relation,
    )
    problems = consent_problems(data, young, band, today=date(2026, 11, 24))
    for problem in problems.values():
        _clear(problem)
    if young and band in (None, "under_13") and given_by != "parent_carer":
        assert "given_by" in problems


@given(st.lists(st.text(alphabet=st.sampled_from("ab;\\ é"), max_size=6), min_size=1, max_size=4))
def test_joined_cells_split_back_to_the_same_values(values):
    from vru_crm.validation import join_cell, split_positions

    assert split_positions(join_cell(values)) == values


def test_a_backslash_typed_by_hand_is_kept():
    from vru_crm.validation import split_cell

    assert split_cell(r"C:\files;Hackney\ CVS") == [r"C:\files", r"Hackney\ CVS"]


# --- counts no person could mean, and control characters -----------------------------------------


@FUZZ
@given(
    st.one_of(
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.integers(min_value=0, max_value=2**70).map(lambda n: f"{n}.0"),
        st.text(alphabet="0123456789,.+-e ", max_size=40),
        st.sampled_from(["9" * 5000, "1" * 400 + ".0", str(2**63), str(2**63 - 1)]),
    )
)
def test_a_count_is_bounded_or_refused_in_words(text):
    try:
        value = v.parse_count(text, "people reached")
    except ValueError as error:
        assert len(str(error)) < MAX_MESSAGE
    else:
        assert 0 <= value <= v.PEOPLE_REACHED_MAX


@FUZZ
@given(st.text(max_size=60))
def test_control_characters_are_found_exactly_when_stripping_changes_the_text(text):
    problem = v.control_problem(text)
    assert (problem is None) == (v.strip_control(text) == text)
    if problem:
        assert "control character" in problem and len(problem) < MAX_MESSAGE
    assert v.control_problem(v.strip_control(text)) is None
