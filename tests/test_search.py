from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nkwatch.errors import NkwatchError, SearchError
from nkwatch.search import IndexedPost, SearchIndex, SearchResult, snippet_html

KIM_CHAEK = "facility:kim-chaek-iron-and-steel-complex"
HWANGHAE = "facility:hwanghae-iron-and-steel-complex"
CHONGJIN = ("place:chongjin", "place", ("Chongjin", "Ch'ŏngjin"))
DAILY_NK = ("Daily NK", "DailyNK")


def post(id: str, text: str, **fields: object) -> IndexedPost:
    values: dict[str, object] = {
        "source": f"reports/{id}.txt",
        "post": 0,
        "title": None,
        "published": None,
        "outlet": None,
    }
    values.update(fields)
    return IndexedPost(id=id, text=text, **values)  # type: ignore[arg-type]


POSTS = [
    post(
        "a1.0",
        "Furnace crews at the Kimchaek Iron and Steel Complex raised pig iron output in April, "
        "a resident of North Hamgyong told our reporter.",
        title="Pig iron output up at Kimchaek",
        published=dt.date(2021, 5, 3),
        outlet="Daily NK",
        outlet_aliases=DAILY_NK,
        story="st-a",
        versions=2,
        grade="C3",
    ),
    post(
        "a2.0",
        "Output of steel at the Kim Ch'aek works went up this spring, the Seoul-based site said.",
        title="Steel production rises in the north-east",
        published=dt.date(2021, 5, 5),
        outlet="Yonhap",
        outlet_aliases=("Yonhap", "Yonhap News Agency"),
        story="st-a",
        versions=2,
        grade="C3",
        entities=(CHONGJIN,),
    ),
    post(
        "b1.0",
        "Power cuts idled the blast furnaces of the complex in Chongjin for a week in January.",
        title="Blackouts hit the north-east",
        published=dt.date(2022, 1, 20),
        outlet="Daily NK",
        outlet_aliases=DAILY_NK,
        entities=(
            (KIM_CHAEK, "facility", ("Kim Chaek Iron and Steel Complex",)),
            CHONGJIN,
        ),
        story="st-b",
        grade="C2",
    ),
    post(
        "c1.0",
        "The Hwanghae Iron and Steel Complex in Songrim fulfilled its yearly plan ahead of time, "
        "the agency reported, crediting oxygen-blown furnaces.",
        title="Songrim steelmakers finish plan early",
        published=dt.date(2019, 11, 20),
        outlet="KCNA",
        outlet_aliases=("KCNA", "Korean Central News Agency"),
        entities=((HWANGHAE, "facility", ("Hwanghae Iron and Steel Complex",)),),
        story="st-c",
        grade="F6",
    ),
    post(
        "d1.0",
        "Coal barges queued at Nampho harbour while exports <b>stalled</b> & prices fell.",
        entities=(("place:nampho", "place", ("Nampho", "Nampo", "Namp'o")),),
    ),
    post(
        "e1.0",
        "The Chollima Steel Complex commissioned a new rolling line, the newspaper wrote.",
        title="Rolling line at Chollima",
        published=dt.date(2016, 3, 1),
        outlet="Rodong Sinmun",
        entities=((HWANGHAE, "facility", ("Hwanghae Iron and Steel Complex",)),),
        story="st-e",
        grade="B2",
    ),
]


def ids(result: SearchResult) -> set[str]:
    return {hit.id for hit in result.hits}


@pytest.fixture()
def index(tmp_path: Path) -> SearchIndex:
    index = SearchIndex.open(tmp_path / "search")
    index.add(POSTS, stamp=len(POSTS))
    return index


@pytest.mark.parametrize("q", ["Kimchaek steel", "Kim Ch'aek", "Gimchaek", "KIM CHAEK"])
def test_spellings_of_a_name_find_the_same_posts(index: SearchIndex, q: str) -> None:
    result = index.query(q)
    assert {"a1.0", "a2.0"} <= ids(result), q
    assert "c1.0" not in ids(result) and "e1.0" not in ids(result)


def test_phrases_match_words_in_order_in_any_spelling(index: SearchIndex) -> None:
    # b1.0 by the name of the complex it is tagged with
    assert ids(index.query('"Kim Chaek Iron and Steel"')) == {"a1.0", "b1.0"}
    assert ids(index.query('"Kimchaek works"')) == {"a2.0"}
    assert ids(index.query('"steel iron"')) == set()


def test_every_word_must_match_else_any_word_ranks(index: SearchIndex) -> None:
    every = index.query("steel Songrim")
    assert every.match == "all" and ids(every) == {"c1.0"}
    some = index.query("Songrim zeppelin")
    assert some.match == "any" and ids(some) == {"c1.0"}
    either = index.query("Songrim OR Chollima")
    assert either.match == "all" and ids(either) == {"c1.0", "e1.0"}


def test_stems_match(index: SearchIndex) -> None:
    assert "c1.0" in ids(index.query("furnace"))
    assert "e1.0" in ids(index.query("commissioning"))


def test_entity_names_match_posts_tagged_with_them(index: SearchIndex) -> None:
    assert "b1.0" in ids(index.query("Kimchaek steel complex"))


def test_expand_finds_posts_tagged_with_the_named_entity(index: SearchIndex) -> None:
    def expand(q: str) -> list[tuple[str, str]]:
        return [(KIM_CHAEK, "Kim Chaek Iron and Steel Complex")] if "Seishin" in q else []

    assert index.query("Seishin ironworks").total == 0
    found = index.query("Seishin ironworks", expand=expand)
    assert [hit.id for hit in found.hits] == ["b1.0"]
    # words the entity's name does not cover must still match
    assert ids(index.query("Kim Chaek blackouts", expand=lambda q: [(KIM_CHAEK, "Kim Chaek")]))
    rolling = index.query("Kim Chaek rolling", expand=lambda q: [(KIM_CHAEK, "Kim Chaek")])
    assert rolling.match == "any"


def test_filters(index: SearchIndex) -> None:
    assert ids(index.query(outlet="Daily NK")) == {"a1.0", "b1.0"}
    assert ids(index.query(outlet="dailynk")) == {"a1.0", "b1.0"}  # any name, any spelling
    assert ids(index.query("steel", outlet="KCNA")) == {"c1.0"}
    assert ids(index.query(entity=HWANGHAE)) == {"c1.0", "e1.0"}
    assert ids(index.query(type="place")) == {"a2.0", "b1.0", "d1.0"}
    assert ids(index.query(grade="C3")) == {"a1.0", "a2.0"}
    assert ids(index.query(grade="c")) == {"a1.0", "a2.0", "b1.0"}
    assert ids(index.query(story="st-a")) == {"a1.0", "a2.0"}
    assert index.query(outlet="Nobody Weekly").total == 0


def test_dates_are_inclusive_days_and_undated_posts_drop_out(index: SearchIndex) -> None:
    day = dt.date(2021, 5, 3)
    assert ids(index.query(since=day, until=day)) == {"a1.0"}
    assert ids(index.query(since=day)) == {"a1.0", "a2.0", "b1.0"}
    assert ids(index.query(until=dt.date(2019, 11, 20))) == {"c1.0", "e1.0"}
    assert "d1.0" in ids(index.query("coal")) and index.query("coal", since=day).total == 0


def test_facets_count_the_whole_match_set(index: SearchIndex) -> None:
    result = index.query("", limit=1)
    assert result.total == 6 and len(result.hits) == 1
    facets = result.facets
    assert {(f.value, f.count) for f in facets.outlets} == {
        ("Daily NK", 2),
        ("Yonhap", 1),
        ("KCNA", 1),
        ("Rodong Sinmun", 1),
    }
    assert [(f.value, f.count) for f in facets.years] == [
        ("2016", 1),
        ("2019", 1),
        ("2021", 2),
        ("2022", 1),
    ]
    entities = {f.value: (f.count, f.label) for f in facets.entities}
    assert entities[HWANGHAE] == (2, "Hwanghae Iron and Steel Complex")
    assert entities["place:chongjin"] == (2, "Chongjin")
    assert {(f.value, f.count) for f in facets.grades} == {
        ("C3", 2),
        ("C2", 1),
        ("F6", 1),
        ("B2", 1),
    }
    steel = index.query("steel", limit=1).facets
    assert {f.value for f in steel.outlets} == {"Daily NK", "Yonhap", "KCNA", "Rodong Sinmun"}
    assert index.query("steel", facets=False).facets.outlets == ()


def test_by_story_keeps_the_best_post_of_each_story(index: SearchIndex) -> None:
    posts = index.query("steel Kimchaek")
    assert ids(posts) == {"a1.0", "a2.0", "b1.0"} and posts.total == 3
    stories = index.query("steel Kimchaek", by_story=True)
    assert stories.total == 2
    assert [h.story for h in stories.hits].count("st-a") == 1
    best = next(h for h in stories.hits if h.story == "st-a")
    assert best.id == posts.hits[[h.story for h in posts.hits].index("st-a")].id
    assert best.versions == 2
    assert index.query("", by_story=True).total == 5  # the undated post is a story of its own


def test_stories_are_counted_past_the_first_page(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "ix")
    copies = [
        post(f"s{n}.{v}", f"Copy {v} of report {n} on the Sunchon cement works.", story=f"st-{n}")
        for n in range(60)
        for v in range(3)
    ]
    index.add(copies, stamp=1)
    result = index.query("Sunchon cement", by_story=True, limit=5, offset=10)
    assert result.total == 60 and len(result.hits) == 5
    assert len({h.story for h in result.hits}) == 5


def test_pages(index: SearchIndex) -> None:
    pages = [index.query("", limit=2, offset=n) for n in (0, 2, 4, 6)]
    assert [p.total for p in pages] == [6, 6, 6, 6]
    seen = [h.id for p in pages for h in p.hits]
    assert len(seen) == 6 and set(seen) == {p.id for p in POSTS}
    assert seen[0] == "b1.0" and seen[-1] == "d1.0"  # newest first, undated last
    assert pages[3].hits == []
    grouped = [index.query("", by_story=True, limit=2, offset=n).hits for n in (0, 2, 4)]
    assert len({h.story or h.id for page in grouped for h in page}) == 5
    assert index.query("steel", limit=0).hits == [] and index.query("steel", limit=0).total > 0
    with pytest.raises(SearchError):
        index.query("steel", limit=-1)


def test_snippets_mark_the_matched_words(index: SearchIndex) -> None:
    [hit] = index.query("Gimchaek furnace", limit=1).hits
    assert hit.id == "a1.0"
    marked = {text for text, mark in hit.snippet if mark}
    assert marked == {"Kimchaek", "Furnace"}
    assert "".join(text for text, _ in hit.snippet).startswith("Furnace crews at the Kimchaek")
    [kim] = index.query("Kimchaek", outlet="Yonhap").hits
    assert {text for text, mark in kim.snippet if mark} == {"Kim", "Ch'aek"}


def test_snippets_leave_document_markup_inert(index: SearchIndex) -> None:
    [hit] = index.query("stalled").hits
    assert ("stalled", True) in hit.snippet
    assert any("<b>" in text for text, _ in hit.snippet)  # the document's own text, unmarked
    html = snippet_html(hit.snippet)
    assert "&lt;b&gt;<mark>stalled</mark>&lt;/b&gt; &amp; prices" in html


def test_long_texts_snippet_around_the_match(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "ix")
    text = "Nothing to see here. " * 100 + "The Ryongsong machine complex built turbines. " * 2
    index.add([post("long.0", text)], stamp=1)
    [hit] = index.query("Ryongsong turbines").hits
    words = "".join(t for t, _ in hit.snippet)
    assert words.startswith("… ") and len(words) < 300
    assert ("Ryongsong", True) in hit.snippet and ("turbines", True) in hit.snippet


def test_stamp_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "search"
    index = SearchIndex.open(path)
    assert index.stamp() == 0 and index.count() == 0
    index.add(POSTS[:3], stamp=41)
    index.add(POSTS[3:], stamp=42)
    again = SearchIndex.open(path)
    assert again.stamp() == 42 and again.count() == 6
    assert ids(again.query("Songrim")) == {"c1.0"}
    again.remove(["c1.0", "no-such-post"])
    assert again.count() == 5 and again.stamp() == 42
    again.clear()
    assert again.count() == 0 and again.stamp() == 0
    assert SearchIndex.open(path).stamp() == 0


def test_readding_a_post_replaces_it(index: SearchIndex) -> None:
    changed = post("c1.0", "The Hwanghae works in Songrim missed its quota for coke.")
    index.add([changed, changed], stamp=9)
    assert index.count() == len(POSTS)
    assert ids(index.query("coke")) == {"c1.0"}
    assert index.query("oxygen").total == 0
    assert index.stamp() == 9


def test_an_index_of_another_schema_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "search"
    SearchIndex.open(path).add(POSTS, stamp=5)
    state = path / "nkwatch-search.json"
    state.write_text(json.dumps({"schema": -1, "stamp": 5}))
    index = SearchIndex.open(path)
    assert index.stamp() == 0 and index.count() == 0


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "search"
    first, second = SearchIndex.open(path), SearchIndex.open(path)

    def posts() -> Iterator[IndexedPost]:
        yield POSTS[0]
        with pytest.raises(SearchError, match="another process"):
            second.add(POSTS[1:], stamp=2)
        yield POSTS[1]

    assert first.add(posts(), stamp=1) == 2
    assert second.add(POSTS[2:], stamp=3) == 4
    assert SearchIndex.open(path).count() == 6


def test_a_file_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "search"
    path.write_text("not an index")
    with pytest.raises(NkwatchError, match="folder"):
        SearchIndex.open(path)


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        "AND",
        "OR",
        "(",
        ")",
        "*",
        "title:",
        "text:steel",
        "",
        "   ",
        "steel AND",
        "OR steel OR",
        "-steel",
        "+steel^2",
        "steel~",
        '"unclosed phrase',
        "[2020 TO 2021]",
        "\\",
        "\x00",
        "김책",
        "x" * 10_000,
        "steel " * 2_000,
        '"' + "iron " * 3_000 + '"',
    ],
)
def test_no_query_raises(index: SearchIndex, q: str) -> None:
    result = index.query(q, expand=lambda _: [], by_story=True)
    assert isinstance(result, SearchResult)
    assert result.total >= 0
