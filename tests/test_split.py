from __future__ import annotations

import datetime as dt

import pytest

from nkwatch.dates import parse_date_line
from nkwatch.describe import describe, is_citation_lead
from nkwatch.model import Document
from nkwatch.split import POST_MAX_CHARS, SIDEBAR_MAX_WORDS, split


def doc(text: str, **kw: object) -> Document:
    return Document(source="t.txt", kind="text", text=text, file_sha256="0" * 64, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Friday, September 5th, 2014", "2014-09-05"),
        ("June 18th, 2017", "2017-06-18"),
        ("2014-9-4", "2014-09-04"),
        ("5 September 2014", "2014-09-05"),
        ("Sept. 5, 2014", "2014-09-05"),
        ("Posted on March 2, 2020 by Jane Roe", "2020-03-02"),
    ],
)
def test_date_line_shapes(line: str, day: str) -> None:
    found = parse_date_line(line)
    assert found is not None and found.date == dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    "line", ["In 2014 output rose.", "September was busy", "2014-13-40", "Share"]
)
def test_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


def test_listing_page_one_post_per_dated_entry() -> None:
    text = (
        "Archive for the 'Power' Category\n\n"
        "First headline\n\nMonday, March 2nd, 2020\n\nSource Institute (SI)\n2020-2-28\n\nBody one.\n\nShare\n\n"
        "Second headline\n\nFriday, February 14th, 2020\n\nBody two.\n\n"
        "Read the full story here:\nOriginal title\nSome Outlet\nJane Roe\n2020-2-14\n\nShare\n"
    )
    posts = split(doc(text))
    assert [p.title for p in posts] == ["First headline", "Second headline"]
    assert [p.published for p in posts] == [dt.date(2020, 3, 2), dt.date(2020, 2, 14)]
    assert "Body one." in posts[0].text and "Body two." not in posts[0].text
    assert "Archive for" not in posts[0].text


def test_single_article_first_paragraph_is_not_a_title() -> None:
    [post] = split(doc("North Korea's steel output rose, sources said.\n\nMore text follows here."))
    assert post.title is None


def test_single_article_heading_line_is_a_title() -> None:
    [post] = split(doc("Cement plant meets its plan\n\nBy Jane Roe\n\nThe plant met its plan."))
    assert post.title == "Cement plant meets its plan"


def test_metadata_title_is_kept() -> None:
    [post] = split(
        doc("Pyongyang, May 1 (KCNA) -- Text.", title="Headline", published=dt.date(2024, 5, 1))
    )
    assert post.title == "Headline" and post.published == dt.date(2024, 5, 1)


LEADS = ["Read the full story here:", "Source:", "Full article", "Original story:", "Read more"]


@pytest.mark.parametrize("lead", LEADS)
def test_citation_leads_are_one_list_for_split_and_describe(lead: str) -> None:
    text = (
        "Rice prices climb in Hyesan\nMarch 1, 2014\nRice rose again.\n"
        "Coal exports slow at Nampo\nMarch 5, 2014\nFewer ships called.\n"
        f"{lead}\nTraders feel the squeeze\nDaily NK\nMarch 3, 2014"
    )
    posts = split(doc(text))  # "Daily NK" over a date line is a cited story, not a post
    assert [p.title for p in posts] == ["Rice prices climb in Hyesan", "Coal exports slow at Nampo"]
    [origin] = describe(posts[1]).origins
    assert (origin.name, origin.title, origin.date) == (
        "Daily NK",
        "Traders feel the squeeze",
        dt.date(2014, 3, 3),
    )
    assert is_citation_lead(f"  {lead}  ")


def test_a_line_that_is_no_citation_lead_can_title_a_post() -> None:
    assert not is_citation_lead("Read this too")
    text = (
        "Rice prices climb\nMarch 1, 2014\nRice rose.\nSourcing coal abroad\nMarch 3, 2014\nBody."
    )
    assert [p.title for p in split(doc(text))] == ["Rice prices climb", "Sourcing coal abroad"]


def test_a_byline_above_a_date_line_is_not_a_title() -> None:
    """A single article whose byline sits over a labelled date line stays one post."""
    from nkwatch.model import Document
    from nkwatch.split import split

    text = (
        "The Daily Paper\n\nPlant output falls short of the annual plan in Hamhung\n\n"
        "By Yonhap\n\nPublished : Mar. 3, 2021 - 10:15\n\n"
        "Output at a fertilizer plant in Hamhung fell short of its plan last year, state media said."
    )
    [post] = split(Document("paper.txt", "text", text, "sha-byline"))
    assert post.title != "By Yonhap"
    assert "fertilizer plant" in post.text and "Plant output falls short" in post.text


ARTICLE = (
    "Cement plant meets its plan\n\nMay 3, 2021\n\n"
    + "The Sangwon cement plant met its yearly plan early, a source in the province said. " * 8
)


def test_a_sidebar_after_an_article_is_left_out() -> None:
    sidebar = "\n\nRelated articles\n\nTractor plant opens\n\nRail line to Hyesan reopens\n"
    [post] = split(doc(ARTICLE + sidebar))
    assert "Tractor" not in post.text and post.text.rstrip().endswith("said.")


def test_pages_run_together_are_not_cut_at_the_first_sidebar() -> None:
    # one page's sidebar heading, then far more than a sidebar holds: more pages of the file
    sidebar = "\n\nRelated articles\n\nTractor plant opens\n\n"
    later = [ARTICLE.replace("May 3", f"May {day}") for day in range(4, 24)]
    assert len(" ".join(later).split()) > SIDEBAR_MAX_WORDS
    posts = split(doc(ARTICLE + sidebar + "\n\n".join(later)))
    assert [p.published for p in posts] == [dt.date(2021, 5, day) for day in range(3, 24)]


def test_a_post_over_the_limit_is_cut_into_parts_at_paragraph_breaks() -> None:
    paragraph = "The Sangwon cement plant met its yearly plan early, a source said. " * 30
    body = "\n\n".join([paragraph.strip()] * (2 * POST_MAX_CHARS // len(paragraph) + 40))
    text = f"Cement plant meets its plan\n\nMay 3, 2021\n\n{body}"
    posts = split(doc(text))
    assert [p.index for p in posts] == [0, 1, 2]
    assert [p.title for p in posts] == [
        f"Cement plant meets its plan (part {k} of 3)" for k in (1, 2, 3)
    ]
    assert {p.published for p in posts} == {dt.date(2021, 5, 3)}
    assert all(len(p.text) <= POST_MAX_CHARS and p.text.endswith("said.") for p in posts)
    kept = " ".join(p.text for p in posts).split()
    assert kept == f"Cement plant meets its plan {body}".split()  # all but the date line


def test_a_post_with_no_break_at_all_is_cut_at_the_limit() -> None:
    text = "x" * (2 * POST_MAX_CHARS + 5)
    posts = split(doc(text))
    assert [len(p.text) for p in posts] == [POST_MAX_CHARS, POST_MAX_CHARS, 5]
    assert [p.title for p in posts] == [None, None, None]


def test_a_post_within_the_limit_is_whole() -> None:
    text = "word " * (POST_MAX_CHARS // 5)
    [post] = split(doc(text))
    assert post.text == text.strip()
