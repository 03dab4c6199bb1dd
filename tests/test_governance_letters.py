"""Letters and their recommendations as records: create, number, reply, close, the register."""

from datetime import date
from pathlib import Path

import pytest

from db.errors import ConcurrentEditError
from vru_crm.errors import NotFound, ValidationError
from vru_crm.governance.letter_parse import FoundRecommendation, parse_letter
from vru_crm.governance.letters import (
    LetterInput,
    create_letter,
    delete_letter,
    get_letter,
    letter_choices,
    letter_input,
    letter_problems,
    list_letters,
    match_replies,
    record_replies,
    update_letter,
)
from vru_crm.governance.recommendations import (
    close_recommendation,
    create_recommendation,
    get_recommendation,
    list_recommendations,
    overdue_recommendations,
    recommendation_register,
    record_partial_response,
    record_response,
    reopen_recommendation,
    update_recommendation,
)
from vru_crm.london import today_in_london

LETTERS = Path(__file__).parent / "fixtures" / "letters"
PCC = "Police and Crime Committee"


def seed_letter(database, name="committee_2020_04_07.md"):
    text = (LETTERS / name).read_text(encoding="utf-8")
    parsed = parse_letter(text)
    data = LetterInput(parsed.sender, parsed.letter_date, parsed.reply_due, text=text)
    return create_letter(database, data, parsed.recommendations)


def test_a_committee_letter_from_its_text(database):
    letter = seed_letter(database)
    assert (letter.sender, letter.letter_date, letter.reply_due) == (
        PCC,
        date(2020, 4, 7),
        date(2020, 4, 30),
    )
    assert letter.title == "Police and Crime Committee, 7 April 2020"
    assert [r.number for r in letter.recommendations] == list(range(1, 11))
    assert all(r.status == "open" and r.letter_id == letter.id for r in letter.recommendations)
    assert all(r.sender == PCC for r in letter.recommendations)
    third = letter.recommendations[2]
    assert third.due_date == date(2020, 5, 31)
    assert third.reference == "Police and Crime Committee, 7 April 2020, recommendation 3"
    assert get_letter(database, letter.id) == letter
    assert "Recommendation 10" in letter.text


def test_a_reply_letter_records_each_answer(database):
    letter = seed_letter(database, "mayor_reply_2019_03_08.md")
    assert letter.sender == "Sadiq Khan" and len(letter.recommendations) == 13
    assert [r.number for r in letter.recommendations] == list(range(1, 14))
    first = letter.recommendations[0]
    assert first.status == "responded" and first.response_date == date(2019, 3, 8)
    assert first.response.startswith("This is an important issue to address")


def test_a_letter_with_nothing_found_and_one_typed_by_hand(database):
    letter = create_letter(database, LetterInput("Lib Peck", date(2019, 6, 13)))
    assert letter.recommendations == () and letter.reply_due is None
    found = [
        FoundRecommendation(None, "Unnumbered first", None, None),
        FoundRecommendation(2, "Numbered two", date(2020, 1, 31), None),
        FoundRecommendation(None, "   ", None, None),  # empty rows of a form are skipped
    ]
    other = create_letter(database, LetterInput(PCC, date(2019, 12, 1)), found)
    assert [(r.number, r.text) for r in other.recommendations] == [
        (2, "Numbered two"),
        (3, "Unnumbered first"),
    ]


def test_numbers_run_on_within_a_letter(database):
    letter = create_letter(database, LetterInput(PCC, date(2020, 4, 7)))
    first = create_recommendation(database, letter_id=letter.id, text="First")
    second = create_recommendation(database, letter_id=letter.id, text="Second", number=5)
    third = create_recommendation(database, letter_id=letter.id, text="Third")
    assert (first.number, second.number, third.number) == (1, 5, 6)
    assert (third.sender, third.letter_date, third.letter_id) == (PCC, date(2020, 4, 7), letter.id)
    with pytest.raises(ValidationError, match="Number: this letter already has a recommendation 5"):
        create_recommendation(database, letter_id=letter.id, text="Again", number=5)
    with pytest.raises(ValidationError, match="Number: this letter already has a recommendation 1"):
        update_recommendation(database, third.id, number=1)
    other = create_letter(database, LetterInput(PCC, date(2020, 5, 1)))
    assert (
        create_recommendation(database, letter_id=other.id, text="Elsewhere", number=5).number == 5
    )


def test_a_recommendation_without_a_letter_joins_the_letter_of_its_sender_and_date(database):
    one = create_recommendation(
        database, sender=PCC, letter_date=date(2019, 5, 14), number=1, text="One"
    )
    two = create_recommendation(database, sender=PCC, letter_date=date(2019, 5, 14), text="Two")
    assert one.letter_id is not None and one.letter_id == two.letter_id and two.number == 2
    [letter] = list_letters(database)
    assert (letter.sender, letter.letter_date, len(letter.recommendations)) == (
        PCC,
        date(2019, 5, 14),
        2,
    )


def test_problems_are_in_words_with_the_fields_labels(database):
    with pytest.raises(ValidationError) as error:
        create_letter(database, LetterInput("  ", None, date(2020, 1, 1)))
    assert "From (sender): say who sent the letter" in str(error.value)
    assert "Letter date: the letter's date is required" in str(error.value)
    problems = letter_problems(LetterInput(PCC, date(2020, 4, 7), date(2020, 4, 1)))
    assert problems == {"reply_due": "a reply cannot be due before the letter was written"}
    assert letter_problems(LetterInput("x" * 201, date(2020, 4, 7)))["sender"].startswith(
        "the sender is too long"
    )
    letter = create_letter(database, LetterInput(PCC, date(2020, 4, 7)))
    with pytest.raises(ValidationError, match="Text: the recommendation's text is required"):
        create_recommendation(database, letter_id=letter.id, text="  ")
    with pytest.raises(NotFound, match="There is no letter with id 999"):
        create_recommendation(database, letter_id=999, text="Lost")
    with pytest.raises(ValidationError, match="repeated: 2"):
        create_letter(
            database,
            LetterInput(PCC, date(2020, 4, 8)),
            [FoundRecommendation(2, "a", None, None), FoundRecommendation(2, "b", None, None)],
        )
    assert len(list_letters(database)) == 1  # nothing half-made


def test_editing_a_letter_carries_its_recommendations_and_checks_the_version(database):
    letter = seed_letter(database)
    data = letter_input(letter)
    data.sender = "London Assembly Police and Crime Committee"
    data.letter_date = date(2020, 4, 8)
    changed = update_letter(database, letter.id, data, letter.version)
    assert changed.version == letter.version + 1
    assert {(r.sender, r.letter_date) for r in changed.recommendations} == {
        ("London Assembly Police and Crime Committee", date(2020, 4, 8))
    }
    with pytest.raises(ConcurrentEditError):
        update_letter(database, letter.id, data, letter.version)


def test_deleting_a_letter_takes_its_recommendations(database):
    letter = seed_letter(database)
    keep = create_letter(database, LetterInput("Lib Peck", date(2019, 6, 13)))
    with pytest.raises(ConcurrentEditError):
        delete_letter(database, letter.id, version=letter.version + 5)
    delete_letter(database, letter.id, version=letter.version)
    assert [r.id for r in list_letters(database)] == [keep.id]
    assert list_recommendations(database) == []
    with pytest.raises(NotFound):
        get_letter(database, letter.id)


def test_letters_are_listed_newest_first(database):
    old = create_letter(database, LetterInput(PCC, date(2018, 12, 13)))
    new = seed_letter(database)
    middle = create_letter(database, LetterInput("Lib Peck", date(2019, 6, 13)))
    assert [r.id for r in list_letters(database)] == [new.id, middle.id, old.id]
    assert letter_choices(database)[0] == (new.id, "Police and Crime Committee, 7 April 2020")
    assert len(list_letters(database)[0].recommendations) == 10


def test_reply_partial_reply_close_and_reopen(database):
    letter = seed_letter(database)
    first, second, third = letter.recommendations[:3]
    with pytest.raises(ValidationError, match="Reply: write what was replied"):
        record_response(database, first.id, "  ")
    replied = record_response(database, first.id, "Our KPIs are online", on=date(2020, 4, 30))
    assert (replied.status, replied.response_date) == ("responded", date(2020, 4, 30))
    partial = record_partial_response(database, second.id, "In part", on=date(2020, 5, 1))
    assert partial.status == "partially_accepted" and partial.response == "In part"
    also = record_response(database, third.id, "Later", status="partially_accepted")
    assert also.status == "partially_accepted"
    with pytest.raises(ValidationError, match="Status"):
        record_response(database, third.id, "x", status="open")
    with pytest.raises(ValidationError, match="Status"):
        record_response(database, third.id, "x", status="sort of")
    closed = close_recommendation(database, first.id, expected_version=replied.version)
    assert closed.status == "closed" and closed.response == "Our KPIs are online"
    with pytest.raises(ConcurrentEditError):
        close_recommendation(database, first.id, expected_version=replied.version)
    assert reopen_recommendation(database, first.id).status == "open"
    assert get_recommendation(database, first.id).response == "Our KPIs are online"


def test_the_register_of_what_is_due_and_overdue(database):
    letter = seed_letter(database)
    other = create_letter(database, LetterInput(PCC, date(2020, 6, 1)))
    create_recommendation(database, letter_id=other.id, text="Soon", due_date=date(2020, 7, 1))
    register = recommendation_register(database, as_of=date(2020, 6, 15))
    assert [r.number for r in register.overdue] == [3, 8]
    assert [r.text for r in register.due_soon] == ["Soon"]
    assert len(register.open_undated) == 7
    later = recommendation_register(database, as_of=date(2021, 1, 5))
    assert [r.number for r in later.overdue] == [3, 8, 1, 4]  # "Soon" is 1 of the other letter
    assert [r.number for r in overdue_recommendations(database, as_of=date(2020, 6, 15))] == [3, 8]
    record_response(database, letter.recommendations[2].id, "Done", on=date(2020, 5, 30))
    assert [r.number for r in recommendation_register(database, date(2020, 6, 15)).overdue] == [8]
    assert len(list_recommendations(database, letter_id=letter.id)) == 10
    assert len(list_recommendations(database, letter_id=other.id)) == 1
    assert len(list_recommendations(database, open_only=True, letter_id=letter.id)) == 9
    due = list_recommendations(database, due_by=date(2020, 12, 31))
    assert [r.number for r in due] == [4, 8, 1]


def test_an_empty_database_has_no_letters(database):
    assert list_letters(database) == []
    assert list_recommendations(database) == []
    register = recommendation_register(database)
    assert register.overdue == register.due_soon == register.open_undated == ()


def test_a_replys_answers_are_put_against_the_recommendations_they_answer(database):
    committee = seed_letter(database, "own_numbered_list.md")
    seed_letter(database)  # another letter, whose recommendations must not be taken
    reply = parse_letter((LETTERS / "own_reply_headings.txt").read_text(encoding="utf-8"))
    matches = match_replies(database, reply.recommendations)
    numbers = [(m.recommendation.letter_id, m.recommendation.number) for m in matches]
    assert numbers == [(committee.id, 1), (committee.id, 2), (committee.id, 3)]
    assert all(m.score >= 80 for m in matches)
    rows = record_replies(database, matches, on=reply.letter_date)
    assert [(r.number, r.status, r.response_date) for r in rows] == [
        (1, "responded", date(2021, 2, 22)),
        (2, "responded", date(2021, 2, 22)),
        (3, "responded", date(2021, 2, 22)),
    ]
    assert rows[0].response.startswith("The evaluation has been commissioned")
    fourth = get_letter(database, committee.id).recommendations[3]
    assert fourth.status == "open"
    unrelated = [FoundRecommendation(None, "Plant more trees in Hackney", None, "Yes")]
    [nothing] = match_replies(database, unrelated)
    assert (
        nothing.recommendation is None
        and record_replies(database, [nothing], today_in_london()) == []
    )
