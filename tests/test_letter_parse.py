"""Reading a letter's text: the seeds' real letters and letters with awkward layouts."""

from datetime import date
from pathlib import Path

import pytest

from vru_crm.governance.letter_parse import find_deadline, parse_letter

LETTERS = Path(__file__).parent / "fixtures" / "letters"


def read(name: str):
    return parse_letter((LETTERS / name).read_text(encoding="utf-8"))


def test_the_committees_letter_of_7_april_2020():
    letter = read("committee_2020_04_07.md")
    assert letter.sender == "Police and Crime Committee"
    assert letter.letter_date == date(2020, 4, 7)
    assert letter.reply_due == date(2020, 4, 30)
    found = letter.recommendations
    assert [r.number for r in found] == list(range(1, 11))
    due = {r.number: r.due_date for r in found if r.due_date}
    assert due == {3: date(2020, 5, 31), 4: date(2020, 12, 31), 8: date(2020, 5, 31)}
    assert all(r.reply is None for r in found)
    # Recommendations 1 and 8 run over a page break, with footnotes in between.
    assert found[0].text.startswith("We request that the VRU informs this Committee")
    assert "effectiveness of the Unit and that it provides further detail about the KPIs" in (
        found[0].text
    )
    assert found[0].text.endswith("on its KPIs on its website.")
    assert "Meeting of the Police and Crime Committee" not in found[0].text
    assert found[7].text.endswith(
        "schools and the voluntary and community sector to prevent and tackle violence."
    )
    assert found[2].text == (
        "The VRU provides further information to demonstrate how it is working with "
        "organisations to support children before they reach crisis point and face "
        "exclusion by May 2020."
    )
    assert "**" not in " ".join(r.text for r in found)


def test_the_mayors_reply_recommendation_by_recommendation():
    letter = read("mayor_reply_2019_03_08.md")
    assert letter.sender == "Sadiq Khan"
    assert letter.letter_date == date(2019, 3, 8)  # "Date: 08 MAR 2019", not 13 December 2018
    assert letter.reply_due is None
    found = letter.recommendations
    assert len(found) == 13
    assert all(r.number is None and r.reply for r in found)
    assert found[0].text == "The VRU explicitly focuses on tackling Adverse Childhood Experiences"
    assert found[0].reply.startswith("This is an important issue to address")
    # The answer goes on over the page: the repeated "MAYOR OF LONDON" header is not in it.
    assert found[0].reply.endswith("communities as well as frontline services.")
    assert "MAYOR OF LONDON" not in " ".join(r.reply for r in found)
    assert "one of the areas of interest we are exploring" in found[3].reply
    assert "to anonymously report, as well as targeted campaigns" in found[7].reply
    assert found[11].text == (
        "A pan-London commitment to a model for violence prevention is needed alongside "
        "local delivery."
    )
    last = found[12]
    assert last.text.startswith("The VRU needs to demonstrate independence")
    assert "- Community activists\n- Youth Sector/ Youth Voice" in last.reply
    assert last.reply.endswith("shape the development of Community Involvement in the VRU.")
    assert "Thank you again" not in last.reply and "Sadiq Khan" not in last.reply


def test_the_directors_reply_has_no_recommendations():
    letter = read("director_reply_2019_06_13.txt")
    assert letter.sender == "Lib Peck"
    assert letter.letter_date == date(2019, 6, 13)
    assert letter.recommendations == ()  # its numbered objectives are not recommendations


def test_a_numbered_list_under_recommendations():
    letter = read("own_numbered_list.md")
    assert (letter.sender, letter.letter_date) == ("Health Committee", date(2021, 1, 12))
    assert letter.reply_due == date(2021, 2, 26)
    found = letter.recommendations
    assert [r.number for r in found] == [1, 2, 3, 4]
    assert found[0].text == (
        "The VRU publishes an evaluation of its hospital-based youth work programme "
        "by the end of 2021."
    )
    assert [r.due_date for r in found] == [
        date(2021, 12, 31),
        date(2021, 4, 12),  # within three months of 12 January 2021
        date(2021, 4, 30),
        None,
    ]
    assert not any("hospital-based youth work programme;" in r.text for r in found)


def test_bullets_under_a_summary_of_recommendations():
    letter = read("own_bullets.md")
    assert (letter.sender, letter.letter_date) == ("Economy Committee", date(2021, 3, 3))
    found = letter.recommendations
    assert [r.number for r in found] == [None, None, None]
    assert found[0].text.endswith("at risk of violence, by summer 2021.")
    assert [r.due_date for r in found] == [date(2021, 8, 31), None, date(2021, 3, 31)]
    assert not any("programmes are new" in r.text for r in found)


def test_numbers_in_words_and_windows_line_endings():
    raw = (LETTERS / "own_words_crlf.txt").read_bytes()
    assert b"\r\n" in raw
    letter = parse_letter(raw.decode("utf-8"))
    assert letter.sender == "Police and Crime Committee"
    assert letter.letter_date == date(2019, 5, 14)
    assert letter.reply_due == date(2019, 6, 25)  # within six weeks
    found = letter.recommendations
    assert [r.number for r in found] == [1, 2, 3]
    assert found[0].text == (
        "The VRU should write to each London hospital trust that does not yet share data "
        "through the ISTV programme by the end of June."
    )
    assert [r.due_date for r in found] == [date(2019, 6, 30), None, date(2019, 6, 11)]
    assert all("\r" not in r.text for r in found)


def test_a_reply_with_numbered_headings_and_quoted_recommendations():
    letter = read("own_reply_headings.txt")
    assert (letter.sender, letter.letter_date) == ("Lib Peck", date(2021, 2, 22))
    found = letter.recommendations
    assert [r.number for r in found] == [1, 2, 3]
    assert found[0].text == (
        "The VRU publishes an evaluation of its hospital-based youth work programme by "
        "the end of 2021."
    )
    assert found[0].due_date == date(2021, 12, 31)
    # "within three months" counts from the first letter, which a reply does not give.
    assert found[1].due_date is None
    assert found[0].reply == (
        "The evaluation has been commissioned from an independent evaluator and will be "
        "published in November 2021."
    )
    assert found[2].reply == (
        "A summary is attached:\n\n- Trauma-informed practice training for youth workers\n"
        "- Counselling in two Pupil Referral Units"
    )


def test_a_reply_quoting_bold_paragraphs():
    letter = read("own_reply_bold.md")
    assert (letter.sender, letter.letter_date) == ("Sadiq Khan", date(2021, 6, 30))
    found = letter.recommendations
    assert [r.text for r in found] == [
        "The VRU should work with the Economy Committee on a joint report on employment "
        "support for young people at risk of violence.",
        "The VRU publishes the number of young people placed in work each quarter.",
    ]
    assert found[1].reply == "These figures are now published on the VRU's website every quarter."


def test_a_letter_without_recommendations_gives_an_empty_list():
    letter = read("own_no_recommendations.txt")
    assert letter.recommendations == ()
    assert (letter.sender, letter.letter_date) == ("Lib Peck", date(2020, 10, 5))


@pytest.mark.parametrize("text", ["", "   \n\n", "Hello", "\x00\x01", "Recommendation:"])
def test_nothing_to_read_is_not_an_error(text):
    letter = parse_letter(text)
    assert letter.recommendations == ()


def test_a_recommendation_heading_with_its_text_below():
    letter = parse_letter(
        "1 June 2020\n\n**Recommendation 4**\n\nThe VRU publishes its data within a month.\n"
    )
    [found] = letter.recommendations
    assert (found.number, found.text, found.due_date) == (
        4,
        "The VRU publishes its data within a month.",
        date(2020, 7, 1),
    )


def test_a_recommendation_mentioned_in_passing_is_not_one():
    letter = parse_letter("1 June 2020\n\nRecommendation 4 was welcomed by the board.\n")
    assert letter.recommendations == ()


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("report by May 2020", date(2020, 5, 31)),
        ("report by the end of 2020", date(2020, 12, 31)),
        ("report by December 2020", date(2020, 12, 31)),
        ("report by 30 April 2020", date(2020, 4, 30)),
        ("report by Thursday 30th April 2020", date(2020, 4, 30)),
        ("report by April 30, 2020", date(2020, 4, 30)),
        ("report by 30/04/2020", date(2020, 4, 30)),
        ("report within three months", date(2020, 7, 7)),
        ("report within 28 days", date(2020, 5, 5)),
        ("report within six weeks", date(2020, 5, 19)),
        ("report by the end of the year", date(2020, 12, 31)),
        ("report by the end of March", date(2021, 3, 31)),  # March 2020 has gone by
        ("report by the end of the financial year", date(2021, 3, 31)),
        ("report by the end of the financial year 2020/21", date(2021, 3, 31)),
        ("report by summer 2020", date(2020, 8, 31)),
        ("report no later than 1 June 2020", date(2020, 6, 1)),
        ("you may report when ready", None),
        ("signed by may", None),
        ("report soon", None),
    ],
)
def test_deadlines_in_words(text, due):
    assert find_deadline(text, date(2020, 4, 7)) == due


def test_relative_deadlines_need_the_letters_date():
    assert find_deadline("within three months") is None
    assert find_deadline("by the end of May") is None
    assert find_deadline("by May 2020") == date(2020, 5, 31)


def test_the_first_deadline_written_is_the_one():
    text = "by 30 April 2020 an update, and by December 2020 a full report"
    assert find_deadline(text, date(2020, 4, 7)) == date(2020, 4, 30)
