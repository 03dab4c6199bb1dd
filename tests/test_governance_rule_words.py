"""Cadence in words: what a Director types becomes an RRULE with ordinal weekdays, and back."""

import pytest

from vru_crm.governance.rule_words import ParsedCadence, describe_cadence, parse_cadence


@pytest.mark.parametrize(
    ("words", "rule", "minutes"),
    [
        (
            "quarterly, second Tuesday, 10:00 to 12:00",
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0",
            120,
        ),
        ("every six weeks on Wednesday", "FREQ=WEEKLY;INTERVAL=6;BYDAY=WE", None),
        ("monthly, last Thursday", "FREQ=MONTHLY;BYDAY=-1TH", None),
        ("Weekly on Mondays at 10am", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0", None),
        ("fortnightly, Tuesday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", None),
        ("every 3 weeks", "FREQ=WEEKLY;INTERVAL=3", None),
        ("every two months, first Monday", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", None),
        ("every 4 months on the 3rd Friday", "FREQ=MONTHLY;INTERVAL=4;BYDAY=3FR", None),
        ("monthly, fourth Wed, 2pm to 3:30pm", "FREQ=MONTHLY;BYDAY=4WE;BYHOUR=14;BYMINUTE=0", 90),
        ("monthly on the last day of the month", "FREQ=MONTHLY;BYMONTHDAY=-1", None),
        (
            "twice a year, second Thursday, at 13:00",
            "FREQ=MONTHLY;INTERVAL=6;BYDAY=2TH;BYHOUR=13;BYMINUTE=0",
            None,
        ),
        ("quarterly at 9.30 for two hours", "FREQ=MONTHLY;INTERVAL=3;BYHOUR=9;BYMINUTE=30", 120),
        (
            "MONTHLY, LAST SATURDAY, 11:00-13:00",
            "FREQ=MONTHLY;BYDAY=-1SA;BYHOUR=11;BYMINUTE=0",
            120,
        ),
        (
            "every other week on Thursdays, 18:30 to 20:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=18;BYMINUTE=30",
            90,
        ),
    ],
)
def test_words_become_a_rule(words, rule, minutes):
    assert parse_cadence(words) == ParsedCadence(rule, minutes)


@pytest.mark.parametrize(
    "words",
    [
        "quarterly, second Tuesday, 10:00 to 12:00",
        "every six weeks on Wednesday",
        "monthly, last Thursday",
        "fortnightly on Tuesdays and Thursdays at 10am",
        "every 5 weeks",
        "monthly on the 15th at 2pm",
        "yearly, first Monday, 9.30am for an hour and a half",
        "every two months, second to last Friday, from 10 to 12",
        "quarterly at noon until 31/12/2025",
        "weekly, 3 times",
        "daily",
    ],
)
def test_the_words_read_back_make_the_same_rule(words):
    parsed = parse_cadence(words)
    said = describe_cadence(parsed.rrule, parsed.meeting_minutes)
    assert parse_cadence(said) == parsed, said


def test_describe_reads_back_the_time_and_length():
    assert (
        describe_cadence("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0", 120)
        == "quarterly, on the second Tuesday, 10:00 to 12:00"
    )
    assert (
        describe_cadence("FREQ=WEEKLY;INTERVAL=6;BYDAY=WE", None)
        == "every six weeks, on Wednesdays"
    )


def test_an_rrule_is_checked_and_kept():
    assert parse_cadence("rrule:freq=monthly;interval=3;byday=2tu") == ParsedCadence(
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU"
    )
    with pytest.raises(ValueError, match="every Tuesday of the month.*BYDAY=2TU"):
        parse_cadence("FREQ=MONTHLY;INTERVAL=3;BYDAY=TU")
    with pytest.raises(ValueError, match="cannot be read"):
        parse_cadence("FREQ=MONTHLY;BYDAY=XX")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("monthly on Tuesdays", 'every Tuesday of the month; say which one, e.g. "second Tuesday"'),
        ("quarterly, Tuesday", "every Tuesday of the month"),
        ("weekly, second Tuesday", "needs a monthly cadence"),
        ("now and then", "how often is not clear"),
        ("quarterly, second Tuesday, in the big room", '"big room" could not be read'),
        ("monthly at 12:00 to 10:00", "would end before it starts"),
        ("monthly at 25:00", "not a time of day"),
        ("every 0 weeks", "1 or more"),
        ("", "how often the network meets"),
    ],
)
def test_what_cannot_be_read_is_said_in_words(words, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_cadence(words)
