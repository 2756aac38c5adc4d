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
where a new post goes as a `StoryDecision`; the store records it. A page that
is one article also files a key of its address with scheme, `www.`, mobile
host and tracking parameters taken off, so the desktop, mobile and https copies
of one page find each other whatever their page furniture.
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
from urllib.parse import parse_qsl, urlencode, urlsplit

from nkwatch.model import LinkKind, Post, StoryDecision, StoryLink, digest
from nkwatch.names import Keys, strip_marks
from nkwatch.pkgdata import compile_lines, read_lines

SHINGLE = 3
BANDS, ROWS = 50, 3  # P(candidate) is 0.75 at Jaccard 0.3, 0.96 at 0.4, 0.998 at 0.5
NUM_PERM = BANDS * ROWS
FACT_BANDS, FACT_ROWS = 8, 4  # over names and figures, to find retellings in other words
MAX_CANDIDATES = 50  # the most promising matches per new post, by shared bands
BAND_CAP = 50  # posts kept under one band key: more share only boilerplate or one story
FINGERPRINTS_KEPT = 2_000  # a batch's posts are the likeliest matches of the next
LEAD_BAND = BANDS + FACT_BANDS  # one more band: the opening words of the lead paragraph
ADDRESS_BAND = LEAD_BAND + 1  # and one for the page's address, when it is one article
TITLE_BAND = ADDRESS_BAND + 1  # and one for a headline long enough to be a post's own
TITLE_KEY_WORDS = 5
LEAD_MIN_WORDS = 20  # the lead is the first line at least this long
LEAD_KEY_WORDS = 15  # copies that keep the lead share these words, whatever else they cut
LEAD_WORDS = 60  # the most of the lead sentence a shorter version must keep
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘])")
HEADLINE_LINES = 8  # where a page puts its headline
HEADLINE_WORDS = (6, 25)

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


def comparable_text(text: str) -> str:
    """The text without what copies of one story on different sites do not share: page
    furniture lines, and everything from a sidebar or subscription offer on."""
    line_of = compile_lines("boilerplate_copies.txt")
    tail = compile_lines("boilerplate_tails.txt")
    kept = []
    for line in text.split("\n"):
        bare = line.strip().strip("*•·").strip()
        if tail.match(bare):
            break
        if not line_of.match(bare):
            kept.append(line)
    return "\n".join(kept)


MOBILE_HOST = re.compile(r"^(?:www\d?|m|mobile|amp)\.|^m-(?=[\w-]+\.)")
PAGE_SUFFIX = re.compile(r"(?:/amp|\.amp|/index\.(?:html?|php|asp))?/*$")


@cache
def tracking_params() -> re.Pattern[str]:
    names = [re.escape(n).replace(r"\*", ".*") for n in read_lines("tracking_params.txt")]
    return re.compile("|".join(names), re.IGNORECASE)


def address_key(url: str | None) -> str | None:
    """One key for the copies of a page: 'https://m-en.example.kr/view/A1?input=tw' and
    'http://www.en.example.kr/view/A1/' give the same; a site's front page gives None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    while (bare := MOBILE_HOST.sub("", host, count=1)) != host:
        host = bare
    path = PAGE_SUFFIX.sub("", parts.path)
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if not tracking_params().fullmatch(k))
    if not path and not query:
        return None
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def words_of(text: str) -> list[str]:
    return WORD.findall(strip_marks(text).casefold())


def shingles_of(words: Sequence[str]) -> frozenset[str]:
    return frozenset(
        " ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))
    )


def lead_of(text: str) -> list[str]:
    """The words of the lead sentence: the first sentence of the first paragraph long enough
    to be the lead (at most LEAD_WORDS of them), [] when no paragraph is."""
    for line in text.split("\n"):
        if len(words_of(line)) >= LEAD_MIN_WORDS:
            words = words_of(SENTENCE_END.split(line.strip(), 1)[0])
            return (
                words[:LEAD_WORDS] if len(words) >= LEAD_MIN_WORDS else words_of(line)[:LEAD_WORDS]
            )
    return []


def headlines_of(text: str) -> list[frozenset[str]]:
    """Lines near the top that could be the headline, as sets of words."""
    out = []
    lines = [line.strip() for line in text.split("\n") if line.strip()][:HEADLINE_LINES]
    low, high = HEADLINE_WORDS
    for line in lines:
        words = words_of(
            line.removeprefix("(").split(") ", 1)[-1] if line.startswith("(") else line
        )
        if low <= len(words) <= high and not line.rstrip().endswith((".", ",", ":")):
            out.append(
                frozenset("".join(words[i : i + 2]) for i in range(len(words) - 1))
                | frozenset(words)
            )
    return out


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
        address: str | None = None,
    ):
        self.published = published
        self.address = address_key(address)
        heading = words_of(title or "")
        self.title = " ".join(heading) if len(heading) >= 3 else None  # "Press Review" recurs
        self.exact = hashlib.blake2b(" ".join(words_of(text)).encode(), digest_size=16).hexdigest()
        body = comparable_text(text)
        self.shingles = shingles_of(words_of(body))
        self.facts = facts_of(body, keys)
        lead = lead_of(body)
        self.lead = shingles_of(lead) if lead else frozenset[str]()
        self.lead_key = " ".join(lead[:LEAD_KEY_WORDS]) if lead else None
        self.headlines = headlines_of(body)

    @cached_property
    def band_keys(self) -> list[int]:
        """LSH band keys, 63-bit, band number mixed in so that one indexed column serves all:
        bands of the wording, and bands of the names and figures when there are enough of them."""
        keys = lsh_keys(self.shingles, permutations(1, NUM_PERM), BANDS, ROWS, 0)
        if len(self.facts) >= DEFAULT.retelling_min_facts:
            keys += lsh_keys(
                self.facts, permutations(2, FACT_BANDS * FACT_ROWS), FACT_BANDS, FACT_ROWS, BANDS
            )
        if self.lead_key:
            keys.append(band_key(self.lead_key, LEAD_BAND))
        if self.address is not None:
            keys.append(band_key(self.address, ADDRESS_BAND))
        if self.title and len(self.title.split()) >= TITLE_KEY_WORDS:
            keys.append(band_key(self.title, TITLE_BAND))
        return keys

    @cached_property
    def address_band(self) -> int | None:
        return band_key(self.address, ADDRESS_BAND) if self.address else None


def band_key(value: str, band: int) -> int:
    """A 63-bit key for one value in one band."""
    h = hashlib.blake2b(value.encode(), digest_size=8, person=band.to_bytes(2, "big"))
    return int.from_bytes(h.digest(), "big") >> 1


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
    truncated: float = 0.8  # share of a cut copy (paywall, teaser) found inside the full text
    truncated_min_shared: int = 60  # ...over at least this many shingles
    lead_kept: float = 0.9  # a shorter wire version keeps its lead paragraph's opening
    lead_min_shingles: int = 18
    lead_contained: float = 0.4  # ...and this share of all its wording
    headline: float = 0.75  # word overlap of two headlines that are one headline re-edited
    headline_contained: float = 0.3
    headline_facts: float = 0.35
    headline_min_shingles: int = 100
    address_contained: float = 0.3  # one address, and this much of the wording kept
    teaser_max_shingles: int = 80  # a listing's teaser under a post's own headline
    teaser_facts_kept: float = 0.5  # ...repeats this share of its names and figures


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
    shared: int = 0  # shingles both posts have
    lead: int = 0  # shingles of the shorter post's lead
    lead_kept: float = 0.0  # share of the shorter post's lead inside the other
    headline: float = 0.0  # best word overlap between the headlines near their tops
    same_address: bool = False  # both pages are one article at one address

    @classmethod
    def of(cls, a: Fingerprint, b: Fingerprint, same_address: bool = False) -> Pair:
        shared = len(a.shingles & b.shingles)
        shorter, longer = sorted((a, b), key=lambda x: len(x.shingles))
        small = len(shorter.shingles)
        union = a.facts | b.facts
        lead = shorter.lead
        return cls(
            a,
            b,
            shared / (len(a.shingles) + len(b.shingles) - shared),
            shared / small if small else 0.0,
            small,
            len(a.facts & b.facts) / len(union) if union else 1.0,
            abs((a.published - b.published).days) if a.published and b.published else None,
            shared,
            len(lead),
            len(lead & longer.shingles) / len(lead) if lead else 0.0,
            max((len(x & y) / len(x | y) for x in a.headlines for y in b.headlines), default=0.0),
            same_address,
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


def truncated_copy(p: Pair, th: Thresholds) -> Match | None:
    """A copy cut short (a paywall blurb and the first paragraphs, a teaser) of a longer text:
    most of it inside the other, over enough wording to rule out a shared formula."""
    if p.contained >= th.truncated and p.shared >= th.truncated_min_shared:
        return Match(
            LinkKind.EXCERPT,
            p.contained,
            f"{p.contained:.0%} of the shorter text ({p.shared} word runs) is inside the longer",
        )
    return None


def same_lead(p: Pair, th: Thresholds) -> Match | None:
    """A shorter version of a wire story: its lead paragraph opens as the other's does, and
    much of the rest is the other's wording, published within days of it."""
    if p.far(th) or p.lead < th.lead_min_shingles:
        return None
    if p.lead_kept >= th.lead_kept and p.contained >= th.lead_contained:
        return Match(
            LinkKind.EXCERPT,
            p.contained,
            f"the shorter one keeps the other's lead and {p.contained:.0%} of its wording",
        )
    return None


def same_headline(p: Pair, th: Thresholds) -> Match | None:
    """One story re-edited at another paper: nearly the same headline over shared wording and
    facts, published within days of the other."""
    if p.far(th) or p.small < th.headline_min_shingles:
        return None
    if (
        p.headline >= th.headline
        and p.contained >= th.headline_contained
        and p.fact_overlap >= th.headline_facts
    ):
        return Match(
            LinkKind.NEAR_COPY,
            p.contained,
            f"nearly the same headline, {p.contained:.0%} of the shorter one's wording and"
            f" {p.fact_overlap:.0%} of their names and figures shared",
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


def same_address(p: Pair, th: Thresholds) -> Match | None:
    """One page fetched twice (desktop and mobile, http and https, with and without 'www'):
    the same address, and the same headline or enough of the same wording."""
    if not p.same_address:
        return None
    if p.contained >= th.address_contained or (p.a.title and p.a.title == p.b.title):
        return Match(LinkKind.RE_POST, p.contained, "the same page at another address")
    return None


def listing_teaser(p: Pair, th: Thresholds) -> Match | None:
    """A listing's entry for a post: the post's own headline over a short teaser that repeats
    its names and figures, dated the same day (or undated): a series of short items under
    one headline ('Press Statement of ...') runs from day to day."""
    if p.days or not (p.a.title and p.a.title == p.b.title):
        return None
    if p.small > th.teaser_max_shingles:
        return None
    teaser, full = sorted((p.a, p.b), key=lambda x: len(x.shingles))
    if not teaser.facts:
        return None
    kept = len(teaser.facts & full.facts) / len(teaser.facts)
    if kept >= th.teaser_facts_kept:
        return Match(
            LinkKind.EXCERPT,
            kept,
            f"the same headline over a teaser that repeats {kept:.0%} of its names and figures",
        )
    return None


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


RULES: tuple[Rule, ...] = (
    same_text,
    near_copy,
    excerpt,
    truncated_copy,
    same_lead,
    same_headline,
    re_post,
    listing_teaser,
    reworded,
    retelling,
    same_address,  # last: the wording names the kind of copy when it can
)


def judge(
    a: Fingerprint, b: Fingerprint, th: Thresholds = DEFAULT, same_address: bool = False
) -> Match | None:
    """The kind of copy b is of a, or None when they tell different stories. `same_address`:
    both are the one article of a page at one address (the store found them by its key)."""
    if a.exact != b.exact and not (a.shingles & b.shingles) and not same_address:
        return None
    pair = Pair.of(a, b, same_address)
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

    def fingerprint(self, post: Post, address: str | None = None) -> Fingerprint:
        return Fingerprint(post.text, post.published, post.title, self.keys, address)

    def decide(self, store: Candidates, post: Post, address: str | None = None) -> StoryDecision:
        """Where `post` goes; `address` is its page's, when the page holds only this post."""
        fp = self.fingerprint(post, address)
        links: list[StoryLink] = []
        keys: tuple[int, ...] = ()
        twin = store.twin_of(fp.exact)
        if twin is not None:  # exact copies join by hash and add nothing to the index
            links.append(StoryLink(twin, post.id, LinkKind.SAME_TEXT, 1.0, "the same text"))
        else:
            every = fp.band_keys
            band = fp.address_band
            peers = set(store.band_candidates([band], MAX_CANDIDATES)) if band else set()
            others = dict.fromkeys([*store.band_candidates(every, MAX_CANDIDATES), *sorted(peers)])
            for other in others:
                match = judge(self._print_of(store, other), fp, self.thresholds, other in peers)
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
