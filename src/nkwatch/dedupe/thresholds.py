"""Every number the story judgement uses, in one place."""

from __future__ import annotations

from dataclasses import dataclass


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
    passage_shared: int = 80  # a passage this long (word runs) in common, within days...
    passage_contained: float = 0.55  # ...that is this share of the shorter text
    passage_facts: float = 0.25  # ...over some of the same names and figures
    address_contained: float = 0.3  # one address, and this much of the wording kept
    teaser_max_shingles: int = 80  # a listing's teaser under a post's own headline
    teaser_facts_kept: float = 0.5  # ...repeats this share of its names and figures


DEFAULT = Thresholds()
