"""dedupe: tell whether two posts are versions of one story.

Posts are compared by their word 3-gram shingles. Candidates come from
MinHash signatures (datasketch) cut into LSH bands, so finding the posts a new
one may copy costs the same at ten thousand posts as at a million: the store
keeps the band keys in an indexed table and looks the new post's keys up.
Every candidate is then confirmed on the exact shingle sets and on the facts
both posts state (names and figures), with a stricter bar for short formulaic
items and for posts published far apart. `judge` says which kind of copy a
pair is, or None.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from datasketch import MinHash

from nkwatch.names import Keys, strip_marks
from nkwatch.pkgdata import read_lines

SHINGLE = 3
BANDS, ROWS = 50, 3  # P(candidate) is 0.75 at Jaccard 0.3, 0.96 at 0.4, 0.998 at 0.5
NUM_PERM = BANDS * ROWS
FACT_BANDS, FACT_ROWS = 8, 4  # over names and figures, to find retellings in other words
MAX_CANDIDATES = 50
RETELLING_FACTS = 12  # fewer names and figures than this and formulaic items look alike
RETELLING_FIGURES = 4  # a retelling repeats the numbers; years do not count
YEAR = re.compile(r"(?:19|20)\d\d")  # the most promising matches per new post, by shared bands

WORD = re.compile(r"\w+")
FACT = re.compile(r"(?<![\w.])(?:\d[\d,.]*\d|\d{2,}|[A-Z][\w'’-]*[a-z][\w'’-]*)")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n)\s*([A-Z][\w'’-]*)")
COMMON = frozenset(w.lower() for w in read_lines("stopwords.txt"))

SCHEME = "affine32"  # named, so stored band keys survive a datasketch upgrade
_KEYS = Keys()  # names recur across posts: fold each word once
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations  # built once
_FACT_PERMUTATIONS = MinHash(num_perm=FACT_BANDS * FACT_ROWS, seed=2, scheme=SCHEME).permutations


@dataclass(frozen=True)
class Match:
    kind: str  # same-text | near-copy | excerpt | re-post | retelling
    score: float  # the measure behind the kind, 0-1
    reason: str


class Fingerprint:
    """What comparison needs of one post, computed once."""

    def __init__(self, text: str, published: dt.date | None = None, title: str | None = None):
        words = WORD.findall(strip_marks(text).casefold())
        self.published = published
        heading = WORD.findall(strip_marks(title or "").casefold())
        self.title = " ".join(heading) if len(heading) >= 3 else None  # "Press Review" recurs
        self.exact = hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()
        self.shingles = frozenset(
            " ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))
        )
        self.facts = facts_of(text)

    @cached_property
    def band_keys(self) -> list[int]:
        """LSH band keys, 63-bit, band number mixed in so that one indexed column serves all:
        bands of the wording, and bands of the names and figures when there are enough of them."""
        keys = lsh_keys(self.shingles, _PERMUTATIONS, BANDS, ROWS, 0)
        if len(self.facts) >= RETELLING_FACTS:
            keys += lsh_keys(self.facts, _FACT_PERMUTATIONS, FACT_BANDS, FACT_ROWS, BANDS)
        return keys


def lsh_keys(
    items: frozenset[str], permutations: object, bands: int, rows: int, first_band: int
) -> list[int]:
    m = MinHash(num_perm=bands * rows, permutations=permutations, scheme=SCHEME)
    m.update_batch([s.encode() for s in items])
    values = np.asarray(m.hashvalues).reshape(bands, rows)
    keys = []
    for band, row in enumerate(values, start=first_band):
        h = hashlib.blake2b(row.tobytes(), digest_size=8, person=band.to_bytes(2, "big"))
        keys.append(int.from_bytes(h.digest(), "big") >> 1)
    return keys


def facts_of(text: str) -> frozenset[str]:
    """Names and figures a post states: capitalised words not opening a sentence, and numbers."""
    openers = {m.start(1) for m in SENTENCE_START.finditer(text)}
    return frozenset(
        _KEYS.fold(m.group().replace(",", ""))
        for m in FACT.finditer(text)
        if m.start() not in openers and m.group().lower() not in COMMON
    )


def required_overlap(size: int) -> float:
    """The Jaccard two posts must share to be near copies: short formulaic items
    ("Delegation arrives", "Delegation leaves") share most of their words while
    telling different events, so the bar rises as texts get shorter."""
    return min(0.6, max(0.3, 0.3 + 0.3 * (400 - size) / 350))


def judge(a: Fingerprint, b: Fingerprint) -> Match | None:
    """The kind of copy b is of a, or None when they tell different stories."""
    if a.exact == b.exact:
        return Match("same-text", 1.0, "the same text")
    shared = len(a.shingles & b.shingles)
    if not shared:
        return None
    small = min(len(a.shingles), len(b.shingles))
    jaccard = shared / (len(a.shingles) + len(b.shingles) - shared)
    contained = shared / small
    fact_union = a.facts | b.facts
    fact_overlap = len(a.facts & b.facts) / len(fact_union) if fact_union else 1.0
    days = abs((a.published - b.published).days) if a.published and b.published else None
    far = days is not None and days > 3

    if jaccard >= 0.85:
        return Match("near-copy", jaccard, f"{jaccard:.0%} of their wording is shared")
    if contained >= 0.9 and small >= 40:
        return Match(
            "excerpt", contained, f"{contained:.0%} of the shorter text is inside the longer"
        )
    if a.title and a.title == b.title and fact_overlap >= 0.5 and contained >= 0.3:
        numbers = [{f for f in x.facts if f[0].isdigit()} for x in (a, b)]
        fewer, more = sorted(numbers, key=len)
        if not far or (len(fewer) >= 2 and fewer <= more):  # a later re-post repeats the figures
            return Match(
                "re-post",
                contained,
                f"the same headline, {fact_overlap:.0%} of their names and figures shared",
            )
    if far:
        return None  # beyond this, a later post has to be a near-verbatim copy
    bar = required_overlap(small)
    if fact_overlap >= 0.85 and small >= 100:
        bar -= 0.15  # the same names and figures throughout: a second translation rewords more
    if jaccard >= bar and fact_overlap >= 0.5:
        return Match(
            "near-copy",
            jaccard,
            f"{jaccard:.0%} of their wording and {fact_overlap:.0%} of their names and figures"
            " are shared (a re-edit or a second translation)",
        )
    smaller_facts = min(a.facts, b.facts, key=len)
    if len(smaller_facts) >= RETELLING_FACTS and contained >= 0.15:
        kept = len(a.facts & b.facts) / len(smaller_facts)
        figures = sum(1 for f in a.facts & b.facts if f[0].isdigit() and not YEAR.fullmatch(f))
        if kept >= 0.8 and figures >= RETELLING_FIGURES:
            return Match(
                "retelling",
                kept,
                f"the shorter one repeats {kept:.0%} of the other's names and figures"
                f" ({figures} figures) in other words",
            )
    return None
