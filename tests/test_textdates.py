"""Dates named in post text, resolved against the publication date at the text's precision."""

from __future__ import annotations

import datetime as dt

import pytest

from nkwatch.extract.textdates import DateFinder
from nkwatch.model import DateMention

PUB = dt.date(2014, 9, 5)  # a Friday


@pytest.fixture(scope="module")
def finder() -> DateFinder:
    return DateFinder()


def dates(
    finder: DateFinder, text: str, published: dt.date | None = PUB, title: str | None = None
) -> list[str]:
    found: tuple[DateMention, ...] = finder.find(text, published, title=title)
    for d in found:
        assert text[d.start : d.end] == d.text  # every span is exactly its text
    return [d.iso for d in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry met on December 3, 2013 to review it.", ["2013-12-03"]),
        ("It opened on 7 August 2012 in Rason.", ["2012-08-07"]),
        ("The zone was set up in November of 2013.", ["2013-11"]),
        ("A survey in March, 2013 found shortages.", ["2013-03"]),
        ("The journal's 2014, Issue 3 ran the piece.", ["2014"]),
        ("Work started in late 2013 and ends in 2016.", ["2013", "2016"]),
        ("The Juche 103 plan covered farms.", ["2014"]),
        ("The plant reopens on Oct. 10.", ["2014-10-10"]),
        ("The collapse came back in May.", ["2014-05"]),
        ("Officials visited on the 2nd.", ["2014-09-02"]),
        ("Prices rose last year and will rise next year.", ["2013", "2015"]),
        ("Rations were cut last month.", ["2014-08"]),
        ("This spring, farms leased land.", ["2014"]),
        ("The factory closed 10 years ago.", ["2004"]),
        ("He spoke on Wednesday.", ["2014-09-03"]),
        ("She told reporters on Friday.", ["2014-09-05"]),
    ],
)
def test_dates_at_the_precision_the_text_gives(
    finder: DateFinder, text: str, expected: list[str]
) -> None:
    assert dates(finder, text) == expected


def test_last_may_is_the_last_may_before_publication(finder: DateFinder) -> None:
    assert dates(finder, "He said so last May.", dt.date(2014, 3, 22)) == ["2013-05"]
    assert dates(finder, "He said so last May.", dt.date(2014, 9, 5)) == ["2014-05"]


def test_month_and_year_of_last_year(finder: DateFinder) -> None:
    text = "Since March of last year, and on March 31 of last year, rules changed."
    assert dates(finder, text, dt.date(2014, 4, 11)) == ["2013-03", "2013-03-31"]


def test_across_the_year_boundary(finder: DateFinder) -> None:
    january = dt.date(2021, 1, 12)
    # a month still ahead in a sentence that looks back is last year's
    assert dates(finder, "The plenum held in December declared a new line.", january) == ["2020-12"]
    assert dates(finder, "Exports have stalled since October.", january) == ["2020-10"]
    # one already past in a sentence that looks ahead is next year's
    august = dt.date(2020, 8, 20)
    assert dates(finder, "A congress will convene in January.", august) == ["2021-01"]
    # a month ahead with nothing saying otherwise is this year's
    assert dates(finder, "The election in November decides it.", august) == ["2020-11"]


def test_a_weekday_looking_ahead_is_the_next_one(finder: DateFinder) -> None:
    assert dates(finder, "The delegation will arrive on Monday.") == ["2014-09-08"]


def test_relative_dates_need_a_publication_date(finder: DateFinder) -> None:
    text = "Last year, on Tuesday, in May, on the 3rd and October 4, prices fell; in 2012 too."
    assert dates(finder, text, published=None) == ["2012"]


@pytest.mark.parametrize(
    "text",
    [
        "Friday, September 5th, 2014",
        "Posted September 5, 2014 by Jane Doe",
        "September 5, 2014, by Jane Doe and John Roe—",
        "According to KCNA (2014-9-4):",
        "Prices have risen recently, as in the 1990s.",
        "They may see changes; the March 1 Movement is a holiday.",
        "The December 7 Factory makes pads.",
        "UN Resolution 2087 was adopted.",
        "Image © Maxar 2021.",
        "This year's plan and next year's orientation were set.",
        "Exports in January-March fell.",
        "It was the 21st century.",
        "The stamp reads (Juche113.4.12.) and [Juche113.8.13.]",
    ],
)
def test_what_is_no_timeline_date(finder: DateFinder, text: str) -> None:
    assert dates(finder, text) == []


def test_a_wire_dateline_of_the_day_itself_is_not_repeated(finder: DateFinder) -> None:
    text = "Pyongyang, September 5 (KCNA) -- Miners met the plan on August 30."
    assert dates(finder, text) == ["2014-08-30"]
    relayed = "Pyongyang, August 20 (KCNA) -- Miners met the plan."
    assert dates(finder, relayed) == ["2014-08-20"]  # the item a later post relays


def test_the_title_line_is_not_read(finder: DateFinder) -> None:
    title = "Grain output in 2013 estimated"
    text = f"{title}\n\nThe 2013 harvest was larger."
    assert dates(finder, text, title=title) == ["2013"]


def test_numbers_that_are_quantities_are_not_years(finder: DateFinder) -> None:
    text = "Rice was 2000 won in 2011."
    found = finder.find(text, PUB, skip=[(9, 17)])
    assert [d.iso for d in found] == ["2011"]
