"""The story judgement, rule by rule: each named rule holds on its own case and not beside it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

from nkwatch.dedupe import (
    BAND_CAP,
    CROWDED_CANDIDATES,
    DEFAULT,
    MAX_CANDIDATES,
    RULES,
    Fingerprint,
    Pair,
    StoryAssigner,
    address_key,
    comparable_text,
    excerpt,
    judge,
    listing_teaser,
    near_copy,
    re_post,
    retelling,
    reworded,
    same_address,
    same_headline,
    same_lead,
    same_text,
    shared_passage,
    story_id_of,
    truncated_copy,
)
from nkwatch.model import LinkKind, Post

DAY = dt.date(2024, 5, 2)
REPORT = (
    "Workers at the Kim Chaek Iron and Steel Complex in Chongjin were told to raise pig iron "
    "output by 12 percent before the October deadline, a source in North Hamgyong Province said. "
    "The complex shipped 3,400 tonnes of steel to Nampho last month and wages rose to 18,000 won. "
    "Managers at the Songjin works near Kimchaek asked the Ministry of Metal Industry for coke, "
    "while traders in Hoeryong said the price of rice held at 6,200 won a kilogram."
)


def fp(text: str, day: dt.date | None = DAY, title: str | None = None) -> Fingerprint:
    return Fingerprint(text, day, title)


def test_same_text_needs_the_same_words() -> None:
    a, b = fp(REPORT), fp(REPORT.upper())  # case and spacing do not count
    assert same_text(Pair.of(a, b), DEFAULT) is not None
    assert same_text(Pair.of(a, fp(REPORT + " One more line.")), DEFAULT) is None


def test_near_copy_holds_at_its_threshold_and_not_below() -> None:
    words = REPORT.split()
    edited = fp(" ".join(words[:-3] + ["kilogram", "in", "Hoeryong."]))
    pair = Pair.of(fp(REPORT), edited)
    assert pair.jaccard >= DEFAULT.near_copy and near_copy(pair, DEFAULT) is not None
    strict = dataclasses.replace(DEFAULT, near_copy=pair.jaccard + 0.01)
    assert near_copy(pair, strict) is None


def test_excerpt_is_a_short_text_inside_a_long_one() -> None:
    half = fp(" ".join(REPORT.split()[:45]))
    pair = Pair.of(fp(REPORT), half)
    assert near_copy(pair, DEFAULT) is None and excerpt(pair, DEFAULT) is not None
    tiny = Pair.of(fp(REPORT), fp(" ".join(REPORT.split()[:12])))
    assert excerpt(tiny, DEFAULT) is None  # too short to prove anything


def test_re_post_needs_the_headline_and_the_facts() -> None:
    title = "Steel output ordered up at Kim Chaek complex"
    reworded_half = " ".join(REPORT.split()[:40]) + " Officials gave no reason for the order."
    later = DAY + dt.timedelta(days=40)
    pair = Pair.of(fp(REPORT, title=title), fp(reworded_half, later, title=title))
    assert re_post(pair, DEFAULT) is not None
    other = Pair.of(fp(REPORT, title=title), fp(reworded_half, later, title="Another story"))
    assert re_post(other, DEFAULT) is None


def test_reworded_joins_close_in_time_only() -> None:
    words = REPORT.split()
    edited = " ".join(w if i % 20 != 7 else "indeed" for i, w in enumerate(words))
    close = Pair.of(fp(REPORT), fp(edited, DAY + dt.timedelta(days=1)))
    assert near_copy(close, DEFAULT) is None and reworded(close, DEFAULT) is not None
    far = Pair.of(fp(REPORT), fp(edited, DAY + dt.timedelta(days=90)))
    assert reworded(far, DEFAULT) is None


def test_retelling_repeats_names_and_figures_in_other_words() -> None:
    retold = (
        "A source in North Hamgyong Province said workers at the Kim Chaek Iron and Steel Complex "
        "in Chongjin must lift pig iron output by 12 percent by the October deadline. The complex "
        "sent 3,400 tonnes of steel to Nampho, wages went up to 18,000 won, the Songjin works near "
        "Kimchaek sought coke from the Ministry of Metal Industry, and in Hoeryong rice cost "
        "6,200 won a kilogram."
    )
    pair = Pair.of(fp(REPORT), fp(retold, DAY + dt.timedelta(days=1)))
    assert retelling(pair, DEFAULT) is not None
    fewer_figures = dataclasses.replace(DEFAULT, retelling_figures=99)
    assert retelling(pair, fewer_figures) is None


def test_judge_takes_the_first_rule_that_holds() -> None:
    assert [r.__name__ for r in RULES][:3] == ["same_text", "near_copy", "excerpt"]
    match = judge(fp(REPORT), fp(REPORT))
    assert match is not None and match.kind is LinkKind.SAME_TEXT
    assert judge(fp(REPORT), fp("Nothing in common here at all, none whatsoever.")) is None


class Memory:
    """The store's side of the stage, as a dict: what `decide` may ask of a write batch."""

    def __init__(self) -> None:
        self.posts: dict[str, Post] = {}
        self.story: dict[str, str] = {}
        self.bands: dict[int, list[str]] = {}
        self.exact: dict[str, str] = {}

    def is_empty(self) -> bool:
        return not self.posts

    def batches(self) -> int:
        return 0

    def twin_of(self, exact: str) -> str | None:
        return self.exact.get(exact)

    def band_counts(self, keys: object) -> list[tuple[str, int]]:
        found = Counter(p for k in keys for p in self.bands.get(k, []))  # type: ignore[attr-defined]
        return sorted(found.items())

    def band_members(self, keys: object) -> dict[int, list[str]]:
        return {k: list(self.bands.get(k, [])) for k in keys}  # type: ignore[attr-defined]

    def crowded_bands(self, keys: object, cap: int) -> set[int]:
        return {k for k in keys if len(self.bands.get(k, [])) >= cap}  # type: ignore[attr-defined]

    def post_prints(self, ids: object) -> dict[str, tuple[str, str | None, str | None]]:
        return {
            i: (p.text, p.published.isoformat() if p.published else None, p.title)
            for i, p in self.posts.items()
            if i in ids  # type: ignore[operator]
        }

    def stories_of(self, ids: object) -> dict[str, str]:
        return {i: self.story[i] for i in ids if i in self.story}  # type: ignore[attr-defined]

    def first_posts(self, stories: object) -> list[str]:
        return [min(p for p, s in self.story.items() if s == story) for story in stories]  # type: ignore[attr-defined]

    def add(self, post: Post, assigner: StoryAssigner, address: str | None = None) -> str:
        d = assigner.decide(self, post, address)
        self.posts[post.id] = post
        self.exact.setdefault(d.exact, post.id)
        for k in d.band_keys:
            self.bands.setdefault(k, []).append(post.id)
        for old in d.merged:
            for p, s in list(self.story.items()):
                if s == old:
                    self.story[p] = d.story_id
        self.story[post.id] = d.story_id
        return d.story_id


def test_the_stage_decides_and_names_stories_by_their_smallest_post() -> None:
    kb, assigner = Memory(), StoryAssigner()
    later = Post("b" * 64, 0, "b.txt", REPORT, "Steel", DAY)
    first = kb.add(later, assigner)
    assert first == story_id_of(later.id)
    copy = Post(
        "a" * 64, 0, "a.txt", REPORT, "Steel", DAY
    )  # a smaller id joins: the story is renamed
    assert kb.add(copy, assigner) == story_id_of(copy.id) == kb.story[later.id]
    other = Post("c" * 64, 0, "c.txt", "An unrelated note on fisheries in Sinpo.", None, DAY)
    assert kb.add(other, assigner) == story_id_of(other.id)


class Bands:
    """A band index as the store answers for it: the posts filed under each key."""

    def __init__(self, bands: dict[int, list[str]]):
        self.bands = bands

    def twin_of(self, exact: str) -> str | None:
        return None

    def band_counts(self, keys: object) -> list[tuple[str, int]]:
        return list(Counter(p for k in keys for p in self.bands.get(k, [])).items())  # type: ignore[attr-defined]

    def band_members(self, keys: object) -> dict[int, list[str]]:
        return {k: list(self.bands.get(k, [])) for k in keys}  # type: ignore[attr-defined]

    def crowded_bands(self, keys: object, cap: int) -> set[int]:
        return {k for k in keys if len(self.bands.get(k, [])) >= cap}  # type: ignore[attr-defined]


def test_posts_sharing_only_crowded_keys_are_few_of_the_candidates() -> None:
    crowd = [f"c{i:03d}" for i in range(2 * BAND_CAP)]
    bands = {
        1: crowd[:BAND_CAP],  # crowded: a formula many posts share
        2: crowd[BAND_CAP // 2 : BAND_CAP // 2 + BAND_CAP],  # crowded, overlapping the first
        3: ["f1", "f2", "c000"],  # shared by few
        4: ["f2"],
    }
    got = StoryAssigner().candidates(Bands(bands), [1, 2, 3, 4])
    # ranked by keys shared, then by id; of the 74 posts sharing crowded keys only, the
    # CROWDED_CANDIDATES that share both (and c000, which shares an uncrowded key too)
    both = crowd[BAND_CAP // 2 : BAND_CAP]
    assert got == ["c000", *both[:CROWDED_CANDIDATES], "f2", "f1"]
    # with no crowded key, every post sharing a key is a candidate, up to the most
    free = {key: [f"p{key:03d}"] for key in range(2 * MAX_CANDIDATES)}
    assert len(StoryAssigner().candidates(Bands(free), list(free))) == MAX_CANDIDATES


def test_a_story_copied_more_often_than_a_band_holds_still_takes_its_next_copy() -> None:
    kb, assigner = Memory(), StoryAssigner()
    for n in range(2 * BAND_CAP):  # each copy signed differently, so none is a twin
        copy = Post(f"{n:064x}", 0, f"{n}.txt", f"{REPORT} Filed by desk {n}.", None, DAY)
        kb.add(copy, assigner)
    (story,) = set(kb.story.values())
    # every key the next copy shares is crowded by now: it is found by crowded keys only
    late = Post("f" * 64, 0, "late.txt", REPORT + " Filed late.", None, DAY)
    assert kb.add(late, assigner) == story


WIRE = (
    "SINUIJU, China border (Wire) — North Korea reopened the rail bridge over the Yalu River "
    "to freight trains carrying flour, fertiliser and bus parts on Monday, customs officers in "
    "Dandong said, the first regular traffic since the border closed in early 2020.\n"
    "Officials counted 42 wagons crossing on the first day, against about 150 a day before the "
    "closure, and traders said prices of sugar and cooking oil in Sinuiju fell by a fifth within "
    "a week of the announcement.\n"
    "The trade ministry in Pyongyang did not comment. State media reported only that a "
    "disinfection yard at Uiju had been completed after eleven months of work.\n"
    "Analysts in Seoul said the reopening would ease shortages of medicine and spare parts but "
    "that sanctions on coal and iron ore exports would keep the volume of trade far below the "
    "levels of 2017."
)


def test_truncated_copy_is_a_paywall_blurb_with_the_first_paragraphs() -> None:
    cut = " ".join(WIRE.split()[:70]) + "\nBecome a member for less than $5 a week.\nSubscribe"
    pair = Pair.of(fp(WIRE), fp(cut))
    assert excerpt(pair, DEFAULT) is None or pair.contained >= DEFAULT.excerpt
    assert truncated_copy(pair, DEFAULT) is not None
    stricter = dataclasses.replace(DEFAULT, truncated_min_shared=pair.shared + 1)
    assert truncated_copy(pair, stricter) is None  # too little wording to prove a copy


def test_comparison_ignores_page_furniture_and_sidebars() -> None:
    page = (
        "Home > News > Economy\nShare this article\n" + WIRE + "\nRead more\n"
        "© 2024 Border Daily. All rights reserved.\nMore From KCNA\nTractor plant opens\n"
    )
    kept = comparable_text(page)
    assert "Share" not in kept and "Tractor" not in kept and "©" not in kept
    assert fp(page).shingles == fp(WIRE).shingles


def test_same_lead_is_a_shorter_wire_version() -> None:
    first = WIRE.split("\n")[0]
    short = (
        first + " Only 42 wagons crossed on the first day. Sugar and cooking oil got cheaper in "
        "Sinuiju, traders said, and Pyongyang said nothing."
    )
    pair = Pair.of(fp(WIRE), fp(short))
    assert excerpt(pair, DEFAULT) is None and truncated_copy(pair, DEFAULT) is None
    assert same_lead(pair, DEFAULT) is not None
    later = Pair.of(fp(WIRE), fp(short, DAY + dt.timedelta(days=200)))
    assert same_lead(later, DEFAULT) is None  # a year-on item that opens the same way


def test_same_lead_needs_the_whole_lead_sentence() -> None:
    """Formulaic items ('A delegation visited X') share the opening words, not the lead."""
    opening = (
        "Pyongyang, May 2 (KCNA) -- A trade delegation of the Ministry of External Economic "
        "Relations led by its vice-minister Kim Song Chol, who arrived here on Monday, visited "
    )
    one = (
        opening
        + "the Pyongyang Textile Mill on Tuesday.\nThe guests looked round the weaving shop."
    )
    two = (
        opening + "the Sunan tractor works on Tuesday.\nThe guests looked round the assembly shop."
    )
    assert same_lead(Pair.of(fp(one), fp(two)), DEFAULT) is None


def test_same_headline_is_one_story_re_edited_at_another_paper() -> None:
    wire = "(2nd LD) N. Korea reopens Yalu rail bridge to freight after long closure\n" + WIRE
    paras = WIRE.split("\n")
    edited = (
        "N. Korea reopens Yalu rail bridge to freight after long closure\nBy Wire\n"
        "Freight trains loaded with flour, fertiliser and parts for buses crossed the Yalu River "
        "bridge from Dandong into North Korea on Monday for the first time in years.\n"
        + paras[1]
        + "\nSeoul analysts doubted the trade would recover soon given sanctions on coal."
        + "\n"
        + paras[3]
    )
    pair = Pair.of(fp(wire), fp(edited))
    assert pair.contained < DEFAULT.truncated and same_lead(pair, DEFAULT) is None
    assert same_headline(pair, DEFAULT) is not None
    other = edited.replace(
        "N. Korea reopens Yalu rail bridge to freight after long closure",
        "Sugar prices in Sinuiju fall as wagons return",
    )
    assert same_headline(Pair.of(fp(wire), fp(other)), DEFAULT) is None


def test_address_key_folds_the_copies_of_one_page() -> None:
    desktop = address_key("https://en.example.kr/view/AEN20240502000300315")
    assert desktop == "en.example.kr/view/AEN20240502000300315"
    for copy in (
        "http://en.example.kr/view/AEN20240502000300315/",
        "https://m-en.example.kr/view/AEN20240502000300315?input=tw",
        "https://www.en.example.kr/view/AEN20240502000300315?utm_source=feed#top",
        "https://m.en.example.kr/view/AEN20240502000300315/amp",
    ):
        assert address_key(copy) == desktop, copy
    assert address_key("https://en.example.kr/view/AEN20240502000400315") != desktop
    assert address_key("https://news.example.com/article.php?id=12") != address_key(
        "https://news.example.com/article.php?id=13"
    )
    for front in ("https://www.example.kr/", "https://m.example.kr", "file:///tmp/a.html", "x"):
        assert address_key(front) is None, front


def test_same_address_joins_one_page_fetched_twice_with_other_furniture() -> None:
    mobile = "Menu\nBack to top\n" + " ".join(WIRE.split()[:60]) + "\nMost viewed\nTop stories"
    pair = Pair.of(fp(WIRE, title="Rail bridge reopens"), fp(mobile), same_address=True)
    assert same_address(pair, DEFAULT) is not None
    assert same_address(Pair.of(fp(WIRE), fp(mobile)), DEFAULT) is None  # other addresses
    updated = Pair.of(fp(WIRE), fp(REPORT), same_address=True)  # a page that now holds another
    assert same_address(updated, DEFAULT) is None


def test_a_listing_teaser_under_the_post_headline_joins_it() -> None:
    title = "Rail freight resumes across the Yalu"
    teaser = (
        "Customs officers in Dandong counted 42 wagons on the first day of traffic over the "
        "Yalu River bridge to Sinuiju."
    )
    pair = Pair.of(fp(WIRE, title=title), fp(teaser, None, title=title))
    assert listing_teaser(pair, DEFAULT) is not None
    other_title = Pair.of(fp(WIRE, title=title), fp(teaser, None, title="Another headline here"))
    assert listing_teaser(other_title, DEFAULT) is None
    unrelated = "A new column on fishing quotas and the winter catch off the east coast."
    assert (
        listing_teaser(Pair.of(fp(WIRE, title=title), fp(unrelated, title=title)), DEFAULT) is None
    )
    same_day = Pair.of(fp(WIRE, title=title), fp(teaser, DAY, title=title))
    assert listing_teaser(same_day, DEFAULT) is not None
    # a series of short items under one headline runs from day to day: the next is another
    next_day = Pair.of(fp(WIRE, title=title), fp(teaser, DAY + dt.timedelta(days=1), title=title))
    assert listing_teaser(next_day, DEFAULT) is None


def test_the_stage_finds_a_mobile_copy_by_its_address() -> None:
    kb, assigner = Memory(), StoryAssigner()
    desktop = Post("d" * 64, 0, "d.html", WIRE, "Rail bridge reopens", DAY)
    story = kb.add(desktop, assigner, "https://en.example.kr/view/AEN1")
    # a mobile rendering that kept little of the text: too little for any rule on wording
    mobile_text = "Menu\nSearch\n" + " ".join(WIRE.split()[:15]) + "\nMost viewed\nWeather"
    mobile = Post("e" * 64, 0, "e.html", mobile_text, "Rail bridge reopens", DAY)
    assert kb.add(mobile, assigner, "https://m-en.example.kr/view/AEN1?input=tw") == story
    kb, assigner = Memory(), StoryAssigner()
    story = kb.add(desktop, assigner, "https://en.example.kr/view/AEN1")
    assert kb.add(mobile, assigner, "https://en.example.kr/view/AEN2") != story


def test_shared_passage_is_another_papers_edit_of_one_wire_story() -> None:
    paragraphs = WIRE.split("\n")
    edit = (
        "Trains are crossing the Yalu again, carrying flour, fertiliser and spare parts from "
        "Chinese suppliers to the North Korean border city of Sinuiju after a long pause.\n"
        + "\n".join(paragraphs[1:])
        + "\nOfficials in Dandong declined to give figures for the coming months."
    )
    pair = Pair.of(fp(WIRE), fp(edit, DAY + dt.timedelta(days=1)))
    assert same_lead(pair, DEFAULT) is None  # the lead was rewritten
    assert shared_passage(pair, DEFAULT) is not None
    far = Pair.of(fp(WIRE), fp(edit, DAY + dt.timedelta(days=60)))
    assert shared_passage(far, DEFAULT) is None
    stricter = dataclasses.replace(DEFAULT, passage_shared=pair.shared + 1)
    assert shared_passage(pair, stricter) is None


def test_a_standfirst_above_the_lead_does_not_hide_a_copy_from_the_index() -> None:
    standfirst = (
        "Customs officers could not say why traffic rose so fast, but traders point to orders "
        "placed before the winter.\n"
    )
    with_standfirst, without = fp(standfirst + WIRE), fp(" ".join(WIRE.split()[:45]))
    assert set(with_standfirst.band_keys) & set(without.band_keys)


def test_a_run_alone_files_stories_as_the_store_would(tmp_path: Path) -> None:
    """A run into a new knowledge base answers which story a post is in from its own
    record; with a post stored before it, the store answers. A post that copies two
    stories merges them, and a later copy of either joins the merged story, both ways."""
    import json

    from click.testing import CliRunner

    from nkwatch.cli import main

    mill = (
        "The Kim Chaek steel complex in Chongjin raised its output of rolled steel by a fifth "
        "this spring after a new oxygen plant was finished, a source in North Hamgyong told "
        "reporters on Monday. Workers were moved from the coke ovens to the new line, and "
        "the complex asked the provincial committee for more coal from the Aoji mine. "
    )
    port = (
        "Fishing boats at Sinpo harbour stayed in port for most of May because diesel cost "
        "more than the catch could pay for, according to a trader in South Hamgyong. The "
        "price of a kilogram of squid at the Sinpo market doubled, and the local fisheries "
        "station cut the rations it hands to the families of its crews. "
    )
    texts = {
        "a": mill * 2,
        "b": port * 2,
        "c": mill * 2 + "\n\n" + port * 2,
        "d": mill * 2 + "More.",
    }
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in texts.items():  # one file, read in this order
        (docs / f"{name}.txt").write_text(text)

    def stories(db: Path) -> set[tuple[str, frozenset[str]]]:
        for folder in [docs] if not db.name.startswith("seeded") else [seed, docs]:
            done = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "-q"])
            assert done.exit_code == 0, done.output
        shown = CliRunner().invoke(main, ["stories", "--format", "jsonl", "--db", str(db)])
        found = [json.loads(line) for line in shown.stdout.splitlines()]
        return {(s["id"], frozenset(p["source"] for p in s["posts"])) for s in found}

    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "other.txt").write_text(
        "Rain fell on the rice paddies of South Hwanghae all week. " * 6
    )
    alone, seeded = stories(tmp_path / "alone.db"), stories(tmp_path / "seeded.db")
    merged = frozenset(str(docs / f"{n}.txt") for n in "abcd")
    assert merged in {posts for _, posts in alone}  # c joined a's and b's stories, d joined
    assert {s for s in seeded if str(seed / "other.txt") not in s[1]} == alone
