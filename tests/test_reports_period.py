"""Periods a user types (2020Q4, 2020-11, 2020-W45) and the London tile layout."""

from datetime import date

import pytest

from db.reference_data import BOROUGHS
from vru_crm.reports.london_grid import COLUMNS, ROWS, TILES, tile_at
from vru_crm.reports.period import Period, PeriodFilter


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2020Q4", date(2020, 10, 1), date(2020, 12, 31)),
        ("2021q1", date(2021, 1, 1), date(2021, 3, 31)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
        ("2019", date(2019, 1, 1), date(2019, 12, 31)),
    ],
)
def test_parse_gives_the_calendar_span_and_reads_back(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert Period.parse(period.code) == period


@pytest.mark.parametrize("text", ["2020Q5", "Q4 2020", "2020-13", "2021-W53", "last quarter", ""])
def test_bad_periods_are_refused_in_plain_words(text):
    with pytest.raises(ValueError, match="period|month|week"):
        Period.parse(text)


def test_filter_range_and_buckets():
    pf = PeriodFilter.parse("2020Q3..2021Q1")
    assert (pf.start, pf.end) == (date(2020, 7, 1), date(2021, 3, 31))
    assert [p.code for p in pf.periods()] == ["2020Q3", "2020Q4", "2021Q1"]
    assert [p.code for p in PeriodFilter.single(Period.parse("2020Q4")).buckets()] == [
        "2020-10",
        "2020-11",
        "2020-12",
    ]
    assert PeriodFilter.recent("month", 3, date(2021, 5, 17)).code == "2021-03..2021-05"
    with pytest.raises(ValueError, match="before it starts"):
        PeriodFilter.parse("2021Q1..2020Q1")


def test_quarter_label_names_the_months():
    assert Period.parse("2020Q4").label == "2020 Q4 (Oct-Dec 2020)"


def test_every_authority_has_its_own_tile_roughly_where_it_lies():
    assert set(TILES) == {code for code, _, _ in BOROUGHS}
    assert len(set(TILES.values())) == 33
    assert all(0 <= c < COLUMNS and 0 <= r < ROWS for c, r in TILES.values())
    # West of east, north of south: a few checks a Londoner would make.
    assert TILES["HIL"][0] < TILES["WES"][0] < TILES["HAV"][0]
    assert TILES["ENF"][1] < TILES["CTY"][1] < TILES["SUT"][1]
    assert tile_at(*TILES["HAC"]).code == "HAC" and tile_at(0, 0) is None
