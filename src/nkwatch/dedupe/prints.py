"""What comparison needs of a post: shingles of its wording, its names and figures, its lead,
headlines, address, and LSH band keys that let the store find candidates by index."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from functools import cache, cached_property
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from nkwatch.dedupe.thresholds import DEFAULT
from nkwatch.describe import is_sidebar_heading
from nkwatch.names import Keys, strip_marks
from nkwatch.pkgdata import compile_lines, read_lines

SHINGLE = 3
BANDS, ROWS = 50, 3  # P(candidate) is 0.75 at Jaccard 0.3, 0.96 at 0.4, 0.998 at 0.5
NUM_PERM = BANDS * ROWS
FACT_BANDS, FACT_ROWS = 8, 4  # over names and figures, to find retellings in other words
LEAD_BAND = BANDS + FACT_BANDS  # one more band: the opening words of the lead paragraph
ADDRESS_BAND = LEAD_BAND + 1  # and one for the page's address, when it is one article
TITLE_BAND = ADDRESS_BAND + 1  # and one for a headline long enough to be a post's own
TITLE_KEY_WORDS = 5
LEAD_MIN_WORDS = 20  # the lead is the first line at least this long
LEADS = 2  # paragraphs whose opening words are filed: a standfirst, then the lead
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
    kept = []
    for line in text.split("\n"):
        if is_sidebar_heading(line):
            break
        if not line_of.match(line.strip().strip("*•·").strip()):
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


def leads_of(text: str, count: int) -> list[list[str]]:
    """The words of the lead sentences of the first `count` paragraphs long enough to hold
    one (the first sentence, at most LEAD_WORDS words): the first is the lead, and a page
    may set a standfirst above it that its copies drop."""
    out: list[list[str]] = []
    for line in text.split("\n"):
        if len(out) == count:
            break
        if len(words_of(line)) >= LEAD_MIN_WORDS:
            words = words_of(SENTENCE_END.split(line.strip(), 1)[0])
            out.append(
                words[:LEAD_WORDS] if len(words) >= LEAD_MIN_WORDS else words_of(line)[:LEAD_WORDS]
            )
    return out


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
        leads = leads_of(body, LEADS)
        self.lead = shingles_of(leads[0]) if leads else frozenset[str]()
        self.lead_keys = [" ".join(words[:LEAD_KEY_WORDS]) for words in leads]
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
        keys += [band_key(lead, LEAD_BAND) for lead in self.lead_keys]
        if self.address_band is not None:
            keys.append(self.address_band)
        if self.title and len(self.title.split()) >= TITLE_KEY_WORDS:
            keys.append(band_key(self.title, TITLE_BAND))
        return keys

    @cached_property
    def address_band(self) -> int | None:
        return band_key(self.address, ADDRESS_BAND) if self.address else None


def band_key(value: str, band: int) -> int:
    """A 63-bit key for one value in one band."""
    h = hashlib.blake2b(value.encode(), digest_size=8, person=band_person(band))
    return int.from_bytes(h.digest(), "big") >> 1


@cache
def band_person(band: int) -> bytes:
    return band.to_bytes(2, "big")


def lsh_keys(
    items: frozenset[str], permutations: object, bands: int, rows: int, first_band: int
) -> list[int]:
    from datasketch import MinHash

    m = MinHash(num_perm=bands * rows, permutations=permutations, scheme=SCHEME)
    m.update_batch([s.encode() for s in items])
    values = m.hashvalues.tobytes()  # row after row, each `rows` values in machine order
    width = len(values) // bands
    blake2b, person, big = hashlib.blake2b, band_person, int.from_bytes
    return [
        big(blake2b(values[i : i + width], digest_size=8, person=person(band)).digest(), "big") >> 1
        for band, i in enumerate(range(0, len(values), width), start=first_band)
    ]


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
