"""dedupe: tell whether two posts are versions of one story.

Posts are compared by their word 3-gram shingles. Candidates come from
MinHash signatures (datasketch) cut into LSH bands, so finding the posts a new
one may copy costs the same at ten thousand posts as at a million: the store
keeps the band keys in an indexed table and looks the new post's keys up.
Every candidate is then confirmed on the exact shingle sets and on the facts
both posts state (names and figures), with a stricter bar for short formulaic
items and for posts published far apart. `judge` says which kind of copy a
pair is, or None: the first of `RULES` (small named tests over the pair's
features, with their thresholds named in `Thresholds`) that holds.
`StoryAssigner` is the stage: it asks the store for candidates and returns
where a new post goes as a `StoryDecision`; the store records it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Protocol

from nkwatch.model import LinkKind, Post, StoryDecision, StoryLink, digest
from nkwatch.names import Keys, strip_marks
from nkwatch.pkgdata import read_lines

SHINGLE = 3
BANDS, ROWS = 50, 3  # P(candidate) is 0.75 at Jaccard 0.3, 0.96 at 0.4, 0.998 at 0.5
NUM_PERM = BANDS * ROWS
FACT_BANDS, FACT_ROWS = 8, 4  # over names and figures, to find retellings in other words
MAX_CANDIDATES = 50  # the most promising matches per new post, by shared bands
BAND_CAP = 50  # posts kept under one band key: more share only boilerplate or one story
FINGERPRINTS_KEPT = 2_000  # a batch's posts are the likeliest matches of the next

WORD = re.compile(r"\w+")
FACT = re.compile(r"(?<![\w.])(?:\d[\d,.]*\d|\d{2,}|[A-Z][\w'’-]*[a-z][\w'’-]*)")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n)\s*([A-Z][\w'’-]*)")
YEAR = re.compile(r"(?:19|20)\d\d")
SCHEME = "affine32"  # named, so stored band keys survive a datasketch upgrade


@cache
def common_words() -> frozenset[str]:
    return frozenset(w.lower() for w in read_lines("stopwords.txt"))


@cache
def permutations(seed: int, num_perm: int) -> Any:
    """MinHash permutations, built on first use (datasketch and numpy load then)."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations


@dataclass(frozen=True)
class Match:
    kind: LinkKind
    score: float  # the measure behind the kind, 0-1
    reason: str


class Fingerprint:
    """What comparison needs of one post, computed once."""

    def __init__(
        self,
        text: str,
        published: dt.date | None = None,
        title: str | None = None,
        keys: Keys | None = None,
    ):
        words = WORD.findall(strip_marks(text).casefold())
        self.published = published
        heading = WORD.findall(strip_marks(title or "").casefold())
        self.title = " ".join(heading) if len(heading) >= 3 else None  # "Press Review" recurs
        self.exact = hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()
        self.shingles = frozenset(
            " ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))
        )
        self.facts = facts_of(text, keys)

    @cached_property
    def band_keys(self) -> list[int]:
        """LSH band keys, 63-bit, band number mixed in so that one indexed column serves all:
        bands of the wording, and bands of the names and figures when there are enough of them."""
        keys = lsh_keys(self.shingles, permutations(1, NUM_PERM), BANDS, ROWS, 0)
        if len(self.facts) >= DEFAULT.retelling_min_facts:
            keys += lsh_keys(
                self.facts, permutations(2, FACT_BANDS * FACT_ROWS), FACT_BANDS, FACT_ROWS, BANDS
            )
        return keys


def lsh_keys(
    items: frozenset[str], permutations: object, bands: int, rows: int, first_band: int
) -> list[int]:
    import numpy as np
    from datasketch import MinHash

    m = MinHash(num_perm=bands * rows, permutations=permutations, scheme=SCHEME)
    m.update_batch([s.encode() for s in items])
    values = np.asarray(m.hashvalues).reshape(bands, rows)
    keys = []
    for band, row in enumerate(values, start=first_band):
        h = hashlib.blake2b(row.tobytes(), digest_size=8, person=band.to_bytes(2, "big"))
        keys.append(int.from_bytes(h.digest(), "big") >> 1)
    return keys


def facts_of(text: str, keys: Keys | None = None) -> frozenset[str]:
    """Names and figures a post states: capitalised words not opening a sentence, and numbers."""
    fold = (keys or Keys()).fold
    common = common_words()
    openers = {m.start(1) for m in SENTENCE_START.finditer(text)}
    return frozenset(
        fold(m.group().replace(",", ""))
        for m in FACT.finditer(text)
        if m.start() not in openers and m.group().lower() not in common
    )


@dataclass(frozen=True)
class Thresholds:
    """Every number the judgement uses, named."""

    near_copy: float = 0.85  # Jaccard of the wording that makes two posts one text
    excerpt: float = 0.9  # share of the shorter text found inside the longer
    excerpt_min_shingles: int = 40  # shorter than this, containment proves little
    re_post_facts: float = 0.5  # names and figures a same-headline re-post shares
    re_post_contained: float = 0.3
    far_days: int = 3  # beyond this gap, only copies and re-posts join
    reworded_facts: float = 0.5  # a re-edit keeps at least this share of names and figures
    translation_facts: float = 0.85  # ...and a second translation keeps nearly all of them
    translation_min_shingles: int = 100
    translation_discount: float = 0.15  # how much less wording a second translation must share
    retelling_min_facts: int = 12  # fewer names and figures and formulaic items look alike
    retelling_contained: float = 0.15
    retelling_kept: float = 0.8  # the shorter one repeats this share of names and figures
    retelling_figures: int = 4  # a retelling repeats the numbers; years do not count


DEFAULT = Thresholds()


@dataclass(frozen=True)
class Pair:
    """What the rules look at in two posts, computed once."""

    a: Fingerprint
    b: Fingerprint
    jaccard: float
    contained: float  # share of the shorter post's shingles inside the other
    small: int  # shingles of the shorter post
    fact_overlap: float  # Jaccard of their names and figures
    days: int | None  # days between their publication dates

    @classmethod
    def of(cls, a: Fingerprint, b: Fingerprint) -> Pair:
        shared = len(a.shingles & b.shingles)
        small = min(len(a.shingles), len(b.shingles))
        union = a.facts | b.facts
        return cls(
            a,
            b,
            shared / (len(a.shingles) + len(b.shingles) - shared),
            shared / small if small else 0.0,
            small,
            len(a.facts & b.facts) / len(union) if union else 1.0,
            abs((a.published - b.published).days) if a.published and b.published else None,
        )

    def far(self, th: Thresholds) -> bool:
        return self.days is not None and self.days > th.far_days


Rule = Callable[[Pair, Thresholds], Match | None]


def same_text(p: Pair, th: Thresholds) -> Match | None:
    return Match(LinkKind.SAME_TEXT, 1.0, "the same text") if p.a.exact == p.b.exact else None


def near_copy(p: Pair, th: Thresholds) -> Match | None:
    if p.jaccard >= th.near_copy:
        return Match(LinkKind.NEAR_COPY, p.jaccard, f"{p.jaccard:.0%} of their wording is shared")
    return None


def excerpt(p: Pair, th: Thresholds) -> Match | None:
    if p.contained >= th.excerpt and p.small >= th.excerpt_min_shingles:
        return Match(
            LinkKind.EXCERPT,
            p.contained,
            f"{p.contained:.0%} of the shorter text is inside the longer",
        )
    return None


def re_post(p: Pair, th: Thresholds) -> Match | None:
    """The same headline over the same facts; a later re-post repeats the figures."""
    if not (
        p.a.title
        and p.a.title == p.b.title
        and p.fact_overlap >= th.re_post_facts
        and p.contained >= th.re_post_contained
    ):
        return None
    numbers = [{f for f in x.facts if f[0].isdigit()} for x in (p.a, p.b)]
    fewer, more = sorted(numbers, key=len)
    if p.far(th) and not (len(fewer) >= 2 and fewer <= more):
        return None
    return Match(
        LinkKind.RE_POST,
        p.contained,
        f"the same headline, {p.fact_overlap:.0%} of their names and figures shared",
    )


def required_overlap(size: int) -> float:
    """The Jaccard two posts must share to be near copies: short formulaic items
    ("Delegation arrives", "Delegation leaves") share most of their words while
    telling different events, so the bar rises as texts get shorter."""
    return min(0.6, max(0.3, 0.3 + 0.3 * (400 - size) / 350))


def reworded(p: Pair, th: Thresholds) -> Match | None:
    """A re-edit or a second translation, published within days of the other."""
    if p.far(th):
        return None
    bar = required_overlap(p.small)
    if p.fact_overlap >= th.translation_facts and p.small >= th.translation_min_shingles:
        bar -= th.translation_discount  # the same names and figures throughout
    if p.jaccard >= bar and p.fact_overlap >= th.reworded_facts:
        return Match(
            LinkKind.NEAR_COPY,
            p.jaccard,
            f"{p.jaccard:.0%} of their wording and {p.fact_overlap:.0%} of their names and"
            " figures are shared (a re-edit or a second translation)",
        )
    return None


def retelling(p: Pair, th: Thresholds) -> Match | None:
    """The same names and figures in other words, published within days of the other."""
    if p.far(th):
        return None
    smaller = min(p.a.facts, p.b.facts, key=len)
    if len(smaller) < th.retelling_min_facts or p.contained < th.retelling_contained:
        return None
    shared = p.a.facts & p.b.facts
    kept = len(shared) / len(smaller)
    figures = sum(1 for f in shared if f[0].isdigit() and not YEAR.fullmatch(f))
    if kept >= th.retelling_kept and figures >= th.retelling_figures:
        return Match(
            LinkKind.RETELLING,
            kept,
            f"the shorter one repeats {kept:.0%} of the other's names and figures"
            f" ({figures} figures) in other words",
        )
    return None


RULES: tuple[Rule, ...] = (same_text, near_copy, excerpt, re_post, reworded, retelling)


def judge(a: Fingerprint, b: Fingerprint, th: Thresholds = DEFAULT) -> Match | None:
    """The kind of copy b is of a, or None when they tell different stories."""
    if a.exact != b.exact and not (a.shingles & b.shingles):
        return None
    pair = Pair.of(a, b)
    for rule in RULES:
        if match := rule(pair, th):
            return match
    return None


def story_id_of(first_post_id: str) -> str:
    """A story is named after its smallest post id, so its id does not depend on ingest order."""
    return "st-" + digest("story", first_post_id)[:12]


class Candidates(Protocol):
    """What the stage asks of the store (a write transaction's `Batch`)."""

    def twin_of(self, exact: str) -> str | None: ...
    def band_candidates(self, keys: Sequence[int], limit: int) -> list[str]: ...
    def crowded_bands(self, keys: Sequence[int], cap: int) -> set[int]: ...
    def post_prints(
        self, post_ids: Sequence[str]
    ) -> dict[str, tuple[str, str | None, str | None]]: ...
    def stories_of(self, post_ids: Sequence[str]) -> dict[str, str]: ...
    def first_posts(self, story_ids: Sequence[str]) -> list[str]: ...


class StoryAssigner:
    """The dedupe stage: where each new post goes, given the posts stored before it."""

    def __init__(self, thresholds: Thresholds = DEFAULT, kept: int = FINGERPRINTS_KEPT):
        self.thresholds = thresholds
        self.keys = Keys()
        self._kept = kept
        self._prints: OrderedDict[str, Fingerprint] = OrderedDict()

    def fingerprint(self, post: Post) -> Fingerprint:
        return Fingerprint(post.text, post.published, post.title, self.keys)

    def decide(self, store: Candidates, post: Post) -> StoryDecision:
        fp = self.fingerprint(post)
        links: list[StoryLink] = []
        keys: tuple[int, ...] = ()
        twin = store.twin_of(fp.exact)
        if twin is not None:  # exact copies join by hash and add nothing to the index
            links.append(StoryLink(twin, post.id, LinkKind.SAME_TEXT, 1.0, "the same text"))
        else:
            every = fp.band_keys
            for other in store.band_candidates(every, MAX_CANDIDATES):
                match = judge(self._print_of(store, other), fp, self.thresholds)
                if match:
                    links.append(StoryLink(other, post.id, match.kind, match.score, match.reason))
            # A band key shared by BAND_CAP posts already says nothing new: it is not filed
            # again, so every look-up stays bounded however large the store grows.
            crowded = store.crowded_bands(every, BAND_CAP)
            keys = tuple(k for k in every if k not in crowded)
        self._remember(post.id, fp)
        joined = sorted(set(store.stories_of([x.old for x in links]).values()))
        story = story_id_of(min([post.id, *store.first_posts(joined)]))
        return StoryDecision(
            post.id, fp.exact, keys, story, tuple(links), tuple(s for s in joined if s != story)
        )

    def _print_of(self, store: Candidates, post_id: str) -> Fingerprint:
        fp = self._prints.get(post_id)
        if fp is None:
            text, published, title = store.post_prints([post_id])[post_id]
            fp = Fingerprint(
                text, dt.date.fromisoformat(published) if published else None, title, self.keys
            )
            self._remember(post_id, fp)
        else:
            self._prints.move_to_end(post_id)
        return fp

    def _remember(self, post_id: str, fp: Fingerprint) -> None:
        self._prints[post_id] = fp
        if len(self._prints) > self._kept:
            self._prints.popitem(last=False)
