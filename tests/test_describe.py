from __future__ import annotations

import datetime as dt

from nkwatch.describe import describe
from nkwatch.model import Post


def post(text: str) -> Post:
    return Post(document_id="d" * 64, index=0, source="t", text=text)


def test_byline_and_translator_are_kept_apart() -> None:
    p = describe(post("By Jane Roe\n\nText.\n\n*Translated by John Doe"))
    assert p.authors == ("Jane Roe",)
    assert p.translators == ("John Doe",)


def test_staff_line_gives_author_and_outlet_and_is_cleaned() -> None:
    text = (
        "Text of the report.\n\nPlease direct any comments or questions about this article to\n\n"
        "Jane Roe is one of Daily NK's full-time journalists. Please direct any questions about her articles to"
    )
    p = describe(post(text))
    assert p.authors == ("Jane Roe",)
    assert [o.name for o in p.origins] == ["Daily NK"]
    assert "Please direct" not in p.text and "Jane Roe is one of" in p.text


def test_citation_block() -> None:
    text = "According to the Daily NK:\n\nBody.\n\nRead the full story here:\nA headline\nDaily NK\nJane Roe\n2014-8-5\n\nShare"
    p = describe(post(text))
    [origin] = p.origins
    assert origin.name == "Daily NK" and origin.title == "A headline"
    assert origin.author == "Jane Roe" and origin.date == dt.date(2014, 8, 5)
    assert p.authors == ("Jane Roe",)
    assert not p.text.endswith("Share")


def test_source_line_and_canonical_name(pipeline) -> None:  # type: ignore[no-untyped-def]
    p = describe(
        post("Title\n\nInstitute for Far Easter Studies (IFES)\n2014-9-4\n\nBody."),
        pipeline.canonical_outlet,
    )
    assert [(o.name, o.date) for o in p.origins] == [
        ("Institute for Far Eastern Studies", dt.date(2014, 9, 4))
    ]


def test_agency_dateline_and_read_it_on() -> None:
    assert [o.name for o in describe(post("Pyongyang, August 5 (KCNA) -- Text.")).origins] == [
        "Korean Central News Agency"
    ]
    assert [o.name for o in describe(post("You can read it here on 38 North.")).origins] == [
        "38 North"
    ]


def test_source_lead_with_only_an_outlet_and_a_date() -> None:
    p = describe(post("Body.\n\nSource:\nInstitute for Far Eastern Studies\n2014-9-4"))
    assert [(o.name, o.date) for o in p.origins] == [
        ("Institute for Far Eastern Studies", dt.date(2014, 9, 4))
    ]


def test_a_korean_family_name_an_is_no_article() -> None:
    p = describe(post("By An Chang-il\n\nText.\n\nAccording to the Daily NK:"))
    assert p.authors == ("An Chang-il",)
    assert [o.name for o in p.origins] == ["Daily NK"]


def test_writer_roles_name_author_and_outlet() -> None:
    p = describe(post("Text.\n\nJane Roe is a contributing columnist for the Asia Press."))
    assert p.authors == ("Jane Roe",)
    assert [o.name for o in p.origins] == ["Asia Press"]
