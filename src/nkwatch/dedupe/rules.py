"""The judgement: small named rules over a `Pair` of fingerprints; `judge` takes the first
that holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nkwatch.dedupe.prints import YEAR, Fingerprint
from nkwatch.dedupe.thresholds import DEFAULT, Thresholds
from nkwatch.model import LinkKind


@dataclass(frozen=True)
class Match:
    kind: LinkKind
    score: float  # the measure behind the kind, 0-1
    reason: str


class Pair:
    """What the rules look at in two posts. The word-run counts are taken at once; the
    rest (shared names and figures, lead, headlines) only when a rule asks, once."""

    __slots__ = (
        "a", "b", "same_address", "shared", "shorter", "longer", "small", "jaccard",
        "contained", "lead", "days", "_fact_overlap", "_lead_kept", "_headline",
    )  # fmt: skip

    def __init__(
        self,
        a: Fingerprint,
        b: Fingerprint,
        same_address: bool = False,
        shared: frozenset[str] | None = None,
    ):
        self.a, self.b = a, b
        self.same_address = same_address  # both pages are one article at one address
        common = len(shared if shared is not None else a.shingles & b.shingles)
        self.shared = common  # shingles both posts have
        self.shorter, self.longer = (b, a) if len(b.shingles) < len(a.shingles) else (a, b)
        small = len(self.shorter.shingles)
        self.small = small  # shingles of the shorter post
        self.jaccard = common / (len(a.shingles) + len(b.shingles) - common)
        self.contained = common / small if small else 0.0  # share of the shorter inside the other
        self.lead = len(self.shorter.lead)  # shingles of the shorter post's lead
        # days between their publication dates
        self.days = abs((a.published - b.published).days) if a.published and b.published else None
        # measured when a rule first asks
        self._fact_overlap: float | None = None
        self._lead_kept: float | None = None
        self._headline: float | None = None

    @classmethod
    def of(cls, a: Fingerprint, b: Fingerprint, same_address: bool = False) -> Pair:
        return cls(a, b, same_address)

    @property
    def fact_overlap(self) -> float:
        """Jaccard of their names and figures."""
        if self._fact_overlap is None:
            common = len(self.a.facts & self.b.facts)
            union = len(self.a.facts) + len(self.b.facts) - common
            self._fact_overlap = common / union if union else 1.0
        return self._fact_overlap

    @property
    def lead_kept(self) -> float:
        """Share of the shorter post's lead inside the other."""
        if self._lead_kept is None:
            lead = self.shorter.lead
            self._lead_kept = len(lead & self.longer.shingles) / len(lead) if lead else 0.0
        return self._lead_kept

    @property
    def headline(self) -> float:
        """Best word overlap between the headlines near their tops."""
        if self._headline is None:
            self._headline = max(
                (len(x & y) / len(x | y) for x in self.a.headlines for y in self.b.headlines),
                default=0.0,
            )
        return self._headline

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


def shared_passage(p: Pair, th: Thresholds) -> Match | None:
    """Another paper's edit of one wire story: a long passage word for word, half the
    shorter text or more, published within days, the lead and headline rewritten."""
    if p.far(th) or p.shared < th.passage_shared:
        return None
    if p.contained >= th.passage_contained and p.fact_overlap >= th.passage_facts:
        return Match(
            LinkKind.NEAR_COPY,
            p.contained,
            f"{p.shared} word runs in common, {p.contained:.0%} of the shorter one",
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
    teaser, full = p.shorter, p.longer
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
    shared_passage,
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
    shared = a.shingles & b.shingles
    if a.exact != b.exact and not shared and not same_address:
        return None
    pair = Pair(a, b, same_address, shared)
    for rule in RULES:
        if match := rule(pair, th):
            return match
    return None
