"""Dates, authors and origins in the shapes real pages write them (fixtures in our own words)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nkwatch.dates import find_published, parse_date_line, url_date
from nkwatch.describe import describe, outlet_of_address
from nkwatch.model import Document, Post
from nkwatch.read import read_file
from nkwatch.split import split


def doc(text: str, **kw: object) -> Document:
    return Document(source="page.txt", kind="text", text=text, file_sha256="0" * 64, **kw)  # type: ignore[arg-type]


def read(text: str, **kw: object) -> Post:
    [post] = [describe(p) for p in split(doc(text, **kw))]
    return post


BODY = "Cement output at the Sunchon plant rose again this spring, officials said.\n\nMore text."


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Date : March 3, 2015", "2015-03-03"),
        ("Posted April. 22, 2019 10:15,", "2019-04-22"),
        ("Published : Sept. 9, 2021 - 18:40", "2021-09-09"),
        ("Last Updated: May 30, 2004", "2004-05-30"),
        ("Mon, 10/17/2016 - 08:05", "2016-10-17"),
        ("Wednesday, 2 March 2022", "2022-03-02"),
        ("SomePaper.com Wednesday, 2 March 2022", "2022-03-02"),
        ("Lee Min-ho | 2019-06-03 11:20", "2019-06-03"),
        ("| 2024-01-09 09:30:12", "2024-01-09"),
        ("Date: 05/03/2023 | Source: KCNA.kp (En) | Read original", "2023-03-05"),
        ("Saturday, May 4, 2013", "2013-05-04"),
        ("October 24, 2017 / 6:48 AM / a day ago", "2017-10-24"),
        ("November 25, 2016 / 11:06 AM / a year ago", "2016-11-25"),
        ("May 25, 2016 - 16:09 By Jane Doe", "2016-05-25"),
        ("Written: 2024-07-26 14:10:49Updated: 2024-07-27 15:44:42", "2024-07-26"),
        ("calendar>> January 24. 2014 Juche 103", "2014-01-24"),
        ("Posted July 1st, 2016 at 10:30 am (UTC-4)", "2016-07-01"),
        ("05:49 24 February 2017", "2017-02-24"),
        ("date 2020-08-01", "2020-08-01"),
    ],
)
def test_written_date_lines(line: str, day: str) -> None:
    found = parse_date_line(line)
    assert found is not None and found.date == dt.date.fromisoformat(day)


def test_byline_with_date_gives_the_writers() -> None:
    found = parse_date_line("Park Su-jin and Choi Dong-hyun | 2018-05-11 07:02")
    assert found is not None and found.byline == "Park Su-jin and Choi Dong-hyun"
    post = read(
        "Cement output climbs\n\nPark Su-jin and Choi Dong-hyun | 2018-05-11 07:02\n\n" + BODY
    )
    assert post.published == dt.date(2018, 5, 11)
    assert post.authors == ("Park Su-jin", "Choi Dong-hyun")


def test_numeric_dates_are_month_first_unless_the_site_writes_day_first() -> None:
    assert parse_date_line("Date: 05/03/2023") == parse_date_line("March 5, 2023").__class__(
        dt.date(2023, 5, 3), "num"
    )
    day_first = find_published(
        "Title here\n\nDate: 05/03/2023\n\nText.", "https://kcnawatch.org/x/"
    )
    assert day_first is not None and day_first.date == dt.date(2023, 3, 5)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://example.com/news/2021/03/04/story-slug/", "2021-03-04"),
        ("https://en.yna.co.kr/view/AEN20190722004500325", "2019-07-22"),
        ("https://paper.example/article/20170315000123", "2017-03-15"),
    ],
)
def test_dates_in_addresses(url: str, day: str) -> None:
    assert url_date(url) == dt.date.fromisoformat(day)


def test_header_date_wins_over_furniture_and_address_fills_in() -> None:
    text = "Steel output rises in Chongjin\n\nPosted June. 2, 2020 09:00\n\n" + BODY
    text += "\n\nRelated stories\nRice prices fall\nJanuary 5, 2019"
    assert read(text).published == dt.date(2020, 6, 2)
    no_date = read(
        "Steel output rises in Chongjin\n\n" + BODY, url="https://x.example/2020/06/03/a/"
    )
    assert no_date.published == dt.date(2020, 6, 3)


def test_date_above_the_headline_and_a_photo_caption_date_below() -> None:
    text = (
        "Sunday, March 7, 2010\n\nCoal shipments resume from Nampo\n\n"
        "Coal shipments resume from Nampo\n\nA caption dated May 1, 2009 shows the pier.\n\n" + BODY
    )
    post = read(text)
    assert post.published == dt.date(2010, 3, 7)
    assert post.title == "Coal shipments resume from Nampo"


def test_crawl_stamp_is_not_the_date() -> None:
    text = (
        "April 01, 2027Apr 01, 2027\nAgency feed\n\nPlant sets output record\n\nDate: 21/08/2022 | Source: KCNA.kp (En)\n\n"
        + BODY
    )
    assert read(text).published == dt.date(2022, 8, 21)


def test_by_prefix_is_stripped_and_dateline_after_the_name_is_an_origin() -> None:
    post = read(
        "Sanctions bite\n\nBy Lena Morgan SHANGHAI (Reuters) - Traders say coal piles up.\n\nMore."
    )
    assert post.authors == ("Lena Morgan",)
    assert [o.name for o in post.origins] == ["Reuters"]


def test_by_an_agency_is_an_origin_not_an_author() -> None:
    post = read("Party meeting called\n\nBy Yonhap\n\nPublished : Jan. 4, 2021 - 10:00\n\n" + BODY)
    assert post.authors == ()
    assert [o.name for o in post.origins] == ["Yonhap"]
    assert post.published == dt.date(2021, 1, 4)


def test_staff_writer_line() -> None:
    post = read("Border trade picks up\n\nKENJI TANAKA, Nikkei staff writer\n\n" + BODY)
    assert post.authors == ("Kenji Tanaka",)
    assert [o.name for o in post.origins] == ["Nikkei"]


def test_slashed_authors_closing_a_paragraph() -> None:
    post = read(
        "Market fees rise\n\nTraders are angry about new fees. (Ri Sun-hee / KIMURA Taro)\n\n"
        + BODY
    )
    assert post.authors == ("Ri Sun-hee", "KIMURA Taro")


def test_email_sign_off() -> None:
    post = read("Port activity resumes\n\n" + BODY + "\n\nPark Ji-hoon jhpark@paper.example")
    assert post.authors == ("Park Ji-hoon",)


@pytest.mark.parametrize(
    ("closing", "authors"),
    [
        ("(Reporting by Josephine Mason; Editing by Ed Ward)", ("Josephine Mason",)),
        (
            "(Reporting by Hyonhee Shin and Josh Smith in Seoul; Editing by Ed Ward)",
            ("Hyonhee Shin", "Josh Smith"),
        ),
        ("(Additional reporting by Jo Min in Seoul; Writing by Joe Doe)", ("Joe Doe",)),
        ("(Kang Ji-won)", ("Kang Ji-won",)),
        ("(ISHIMARU Jiro)", ("ISHIMARU Jiro",)),
        ("(Kim Jong Un)", ()),  # a caption's leader, not a reporter
    ],
)
def test_reporters_credited_where_the_story_closes(closing: str, authors: tuple[str, ...]) -> None:
    post = read("Port activity resumes\n\n" + BODY + " " + closing)
    assert post.authors == authors


def test_a_byline_after_the_time_of_day() -> None:
    post = read("Workers send wages home\n\nMay 25, 2016 - 16:09 By 임정요\n\n" + BODY)
    assert post.authors == ("임정요",)


def test_a_citation_lead_naming_the_outlet() -> None:
    post = read(
        "Trade tumbles\n\n" + BODY + "\n\nRead the full Yonhap story here:\n"
        "Inter-Korean trade tumbles\nYonhap\nKoh Byung-joon\n6/9/2009\n\nShare"
    )
    assert post.authors == ("Koh Byung-joon",)
    assert [(o.name, o.title) for o in post.origins] == [("Yonhap", "Inter-Korean trade tumbles")]


def test_photo_credit_is_not_an_author() -> None:
    post = read("Market scene\n\nImage: Daily NK\n\nPhoto: AFP\n\n" + BODY)
    assert post.authors == ()


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("PYONGYANG, May 3 (KCNA) -- The plant fulfilled its plan.", "Korean Central News Agency"),
        ("SEOUL, Aug. 4 (Yonhap) -- Trade with China fell.", "Yonhap"),
        ("TOKYO, Japan (AP) — Officials said trade fell.", "Associated Press"),
        ("Mar. 2 (UPI) -- The regime imported fuel.", "UPI"),
        ("LONDON (Kyodo) — Several countries reported breaches.", "Kyodo News"),
        ("Prices fell.\n\nSource: Yonhap News", "Yonhap"),
        ("Prices fell.\n\nCopyright NK News", "NK News"),
        ("Prices fell in Hyesan, a source told Daily NK on Monday.", "Daily NK"),
        ("The ministry said prices fell sharply in the north this year. (Yonhap)", "Yonhap"),
        ("AFP, SEOUL\n\nThe central bank said the economy grew.", "Agence France-Presse"),
        ("NEW YORK, Feb. 23, Kyodo\n\nCoal exports fell in January.", "Kyodo News"),
        ("According to NK News, the mine reopened in March.", "NK News"),
        ("According to Daily NK’s survey of market prices, rice fell.", "Daily NK"),
        ("According to Daily NK sources, the plant stopped.", "Daily NK"),
        ("According to Yonhap, Trade with China drops:\n\nTrade fell.", "Yonhap"),
    ],
)
def test_wire_credits_and_source_marks(text: str, origin: str) -> None:
    post = read("A headline for the story\n\n" + text + "\n\nAnother paragraph.")
    assert [o.name for o in post.origins] == [origin]


def test_according_to_what_is_not_an_outlet_names_no_origin() -> None:
    post = read(
        "A headline for the story\n\nAccording to South Korea's Unification Ministry, trade"
        " fell. According to sources in the country, prices rose. According to the Bank of"
        " Korea, output grew.\n\n" + BODY
    )
    assert post.origins == ()


def test_an_outlet_then_a_headline_heading_a_relay() -> None:
    post = read("Trade in 2014\n\nAccording to Yonhap, Trade with China drops:\n\n" + BODY)
    assert [(o.name, o.title) for o in post.origins] == [("Yonhap", "Trade with China drops")]


def test_a_headline_over_its_date_line_is_no_source() -> None:
    post = read(
        "China Sept fuel exports to North Korea sink, coal imports down from year ago\n"
        "October 24, 2017 / 6:48 AM / a day ago\n\nBEIJING (Reuters) - Fuel exports fell.\n\n"
        + BODY
    )
    assert [o.name for o in post.origins] == ["Reuters"]
    assert post.published == dt.date(2017, 10, 24)


def test_a_date_stamped_before_the_first_line_and_a_close_button(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        " date 2017-02-24 Close\n\nFebruary 24, 2017 7:06\n\n"
        "Coal exports total 1.44 million tons\n\n" + BODY
    )
    [post] = [describe(p) for doc in read_file(page) for p in split(doc)]
    assert post.published == dt.date(2017, 2, 24)
    assert post.title == "Coal exports total 1.44 million tons"


def test_caption_credit_is_not_an_origin() -> None:
    post = read("A headline for the story\n\nLeader at a factory (KCNA-Yonhap)\n\n" + BODY)
    assert post.origins == ()


def test_institute_line_before_a_brief_number() -> None:
    text = (
        "Grain output estimates differ\n\nInstitute for Far Eastern Studies (IFES)\nNK Brief No. 12-03-05\n\n"
        + BODY
    )
    assert [o.name for o in read(text).origins] == ["Institute for Far Eastern Studies"]


def test_citation_block_author_is_never_an_origin() -> None:
    text = "According to Yonhap:\n\nTrade rose.\n\nRead the full story here:\nTrade with China rises\nKim Min-su\n\nShare"
    post = describe(Post("d" * 64, 0, "t", text))
    assert [o.name for o in post.origins] == ["Yonhap"]
    assert post.authors == ("Kim Min-su",)
    full = "Credit spreads\n\nFull article:\nCredit spreads in markets\nHan Mi-rae\nDaily NK\n2016-11-02"
    post = describe(Post("d" * 64, 0, "t", full))
    assert [o.name for o in post.origins] == ["Daily NK"]
    assert post.authors == ("Han Mi-rae",)


def test_relayed_story_header_of_outlet_author_and_date() -> None:
    text = "Policy needs change\n\nChoson Ilbo\nYoon Ha-neul\n3/9/2008\n\nThe text of the column."
    post = describe(Post("d" * 64, 0, "t", text))
    assert [o.name for o in post.origins] == ["Chosun Ilbo"]
    assert post.authors == ("Yoon Ha-neul",)


def test_publisher_from_the_address_and_from_page_metadata() -> None:
    assert outlet_of_address("https://m-en.yna.co.kr/view/AEN20200101") == "Yonhap"
    assert outlet_of_address("https://www.dailynk.com/english/a/") == "Daily NK"
    assert outlet_of_address("https://beyondparallel.csis.org/tag/trade/") == "Beyond Parallel"
    assert outlet_of_address("https://unknown.example/") is None
    own = read(BODY)
    post = describe(
        split(Document("https://www.38north.org/2021/05/x/", "html", BODY, "0" * 64))[0]
    )
    assert [o.name for o in post.origins] == ["38 North"]
    assert own.origins == ()  # a text file's own path names no publisher
    meta = read(BODY, outlet="The Korea Herald")
    assert [o.name for o in meta.origins] == ["Korea Herald"]


def test_relay_blog_address_is_not_an_origin_and_the_wire_wins() -> None:
    post = describe(
        split(Document("https://www.nkeconwatch.com/2013/04/30/x/", "html", BODY, "0" * 64))[0]
    )
    assert post.origins == ()
    wire = "Plenum called\n\nSEOUL, Aug. 4 (Yonhap) -- The party will meet.\n\nMore."
    carried = read(wire, outlet="The Korea Herald")
    assert [o.name for o in carried.origins] == ["Yonhap"]


def test_kcna_calendar_stamp_dates_an_item_without_a_date_line() -> None:
    from nkwatch.dates import find_published

    text = (
        "Blast furnace relined at Hwanghae complex\n\nPyongyang, June 3 (KCNA) -- Workers of the "
        "complex relined a blast furnace ahead of schedule. -0-\n\nwww.kcna.kp (Juche113.6.3.)"
    )
    found = find_published(text)
    assert found is not None and found.date.isoformat() == "2024-06-03" and found.shape == "juche"
    assert find_published("A note with (Juche113.13.40.) nonsense in it") is None
