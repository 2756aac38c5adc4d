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

from nkwatch.dedupe.assign import (
    BAND_CAP,
    CROWDED_CANDIDATES,
    MAX_CANDIDATES,
    SHINGLES_KEPT,
    Candidates,
    StoryAssigner,
    story_id_of,
)
from nkwatch.dedupe.prints import (
    BANDS,
    NUM_PERM,
    ROWS,
    Fingerprint,
    address_key,
    comparable_text,
    facts_of,
    shingles_of,
    words_of,
)
from nkwatch.dedupe.rules import (
    RULES,
    Match,
    Pair,
    Rule,
    excerpt,
    judge,
    listing_teaser,
    near_copy,
    re_post,
    required_overlap,
    retelling,
    reworded,
    same_address,
    same_headline,
    same_lead,
    same_text,
    shared_passage,
    truncated_copy,
)
from nkwatch.dedupe.thresholds import DEFAULT, Thresholds

__all__ = [
    "BANDS",
    "BAND_CAP",
    "CROWDED_CANDIDATES",
    "DEFAULT",
    "SHINGLES_KEPT",
    "MAX_CANDIDATES",
    "NUM_PERM",
    "ROWS",
    "RULES",
    "Candidates",
    "Fingerprint",
    "Match",
    "Pair",
    "Rule",
    "StoryAssigner",
    "Thresholds",
    "address_key",
    "comparable_text",
    "excerpt",
    "facts_of",
    "judge",
    "listing_teaser",
    "near_copy",
    "re_post",
    "required_overlap",
    "retelling",
    "reworded",
    "same_address",
    "same_headline",
    "same_lead",
    "same_text",
    "shared_passage",
    "shingles_of",
    "story_id_of",
    "truncated_copy",
    "words_of",
]
