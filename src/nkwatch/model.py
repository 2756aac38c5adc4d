"""The records that flow between pipeline stages, as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from functools import cached_property


class EntityType(StrEnum):
    FACILITY = "facility"
    ORGANIZATION = "organization"
    PERSON = "person"
    PLACE = "place"
    OUTLET = "outlet"
    PRODUCT = "product"


class LinkKind(StrEnum):
    """How a post joined the story of another: the kind of copy it is."""

    SAME_TEXT = "same-text"
    NEAR_COPY = "near-copy"
    EXCERPT = "excerpt"
    RE_POST = "re-post"
    RETELLING = "retelling"


class AttributionKind(StrEnum):
    ANONYMOUS_SOURCE = "anonymous-source"
    NAMED_OFFICIAL = "named-official"
    STATE_MEDIA = "state-media"
    PRO_DPRK_MEDIA = "pro-dprk-media"
    DEFECTOR_MEDIA = "defector-media"
    FOREIGN_MEDIA = "foreign-media"
    RESEARCH_INSTITUTE = "research-institute"
    FOREIGN_GOVERNMENT = "foreign-government"
    DPRK_AUTHORITY = "dprk-authority"
    SATELLITE_IMAGERY = "satellite-imagery"


# Attributions that name an outlet or institute a post relays (its citation chain).
RELAYED = frozenset(
    {
        AttributionKind.STATE_MEDIA,
        AttributionKind.PRO_DPRK_MEDIA,
        AttributionKind.DEFECTOR_MEDIA,
        AttributionKind.FOREIGN_MEDIA,
        AttributionKind.RESEARCH_INSTITUTE,
    }
)


class Reliability(StrEnum):
    """Admiralty source reliability."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def meaning(self) -> str:
        return {
            "A": "completely reliable",
            "B": "usually reliable",
            "C": "fairly reliable",
            "D": "not usually reliable",
            "E": "unreliable",
            "F": "reliability cannot be judged",
        }[self.value]


class Credibility(IntEnum):
    """Admiralty information credibility."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_JUDGE = 6

    @property
    def meaning(self) -> str:
        return {
            1: "confirmed by other sources",
            2: "probably true",
            3: "possibly true",
            4: "doubtful",
            5: "improbable",
            6: "truth cannot be judged",
        }[self.value]


def digest(*parts: str) -> str:
    """A stable hex digest of some strings, used for ids."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


@dataclass(frozen=True)
class Document:
    """One readable unit: a text file, an HTML page, or one item of a feed or archive."""

    source: str  # path or URL it came from
    kind: str  # text | html | pdf | feed | jsonl | kcna
    text: str
    file_sha256: str  # hash of the raw bytes of the file holding it
    title: str | None = None
    published: dt.date | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None  # the publisher named by the container (site name, agency)
    url: str | None = None

    @cached_property
    def id(self) -> str:
        """Hash of where it was published and what it says: reading it again changes nothing,
        while the same text at two addresses stays two versions for `dedupe` to group. Made
        once (the text may be megabytes long)."""
        return digest(
            self.source, self.kind, self.title or "", str(self.published or ""), self.text
        )


@dataclass(frozen=True)
class Origin:
    """Where a post says its story comes from."""

    name: str
    title: str | None = None
    author: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Mention:
    """A stretch of a post's text naming an entity."""

    text: str
    type: EntityType
    start: int
    end: int
    name: str  # canonical name the knowledge base files it under
    entity_id: str
    extractor: str = "gazetteer"

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", EntityType(self.type))


@dataclass(frozen=True)
class Quantity:
    """A number with a unit found in a post: money, percentage, tonnage, capacity, head count.

    `value` is in `unit` ("1.5 million tons" -> 1500000, "t"); a range ("5-10%") keeps its
    high end in `value_max`; `per` is the denominator ("month", "kg", "USD" for an exchange
    rate). `kind` is what the figure is about: price, wage, exchange_rate, trade,
    production, capacity, share, growth, workforce, population or other.
    """

    text: str
    kind: str
    value: float
    unit: str | None
    start: int
    end: int
    per: str | None = None
    value_max: float | None = None


@dataclass(frozen=True)
class DateMention:
    """A date or period named in a post's text, resolved against its publication date.

    `date` is the first day of what the text names; `precision` says how much of it the
    text gives ("day", "month" or "year"), and `iso` writes it at that precision.
    """

    text: str
    date: dt.date
    start: int
    end: int
    precision: str = "day"

    @property
    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


@dataclass(frozen=True)
class Attribution:
    """A sentence in a post that says who the information comes from."""

    text: str
    kind: AttributionKind
    source: str  # who is cited, as written
    start: int
    end: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", AttributionKind(self.kind))


@dataclass(frozen=True)
class Claim:
    """A figure a post states, tied to what it is about, when it holds and who says it.

    `start`/`end` are the figure's offsets in the post's text and `sentence_start`/
    `sentence_end` those of its sentence. `kind` is the figure's kind (price, wage,
    production...) and `measure` the same refined by the product it is about ("rice
    price"). `period` is the first day of what the text dates it to (`period_text`), or the
    post's publication day when the sentence names no date (`period_text` None);
    `precision` says how much of it is known. `subject`, `product` and `place` are entity
    ids; `said_by` is whom the sentence attributes it to (`said_by_kind`: an attribution
    kind), else the outlet the post quotes (`said_by_kind` "outlet").
    """

    post_id: str
    start: int
    end: int
    text: str
    kind: str
    measure: str
    value: float | None  # None for a dated event (kind "event"), which states no figure
    unit: str | None
    value_max: float | None = None
    per: str | None = None
    subject: str | None = None
    product: str | None = None
    place: str | None = None
    period: dt.date | None = None
    precision: str = "day"
    period_text: str | None = None
    said_by: str | None = None
    said_by_kind: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    part: int = 0  # which of the figures written at one span ("70/30" is two)

    @property
    def iso(self) -> str | None:
        """The period at its precision: '2014', '2014-08' or '2014-08-05'."""
        if self.period is None:
            return None
        return DateMention("", self.period, 0, 0, self.precision).iso

    @property
    def period_end(self) -> dt.date | None:
        """The last day of the period."""
        if self.period is None:
            return None
        if self.precision == "year":
            return dt.date(self.period.year, 12, 31)
        if self.precision == "month":
            following = (self.period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        return self.period


@dataclass(frozen=True)
class Post:
    """One dated entry: an article, or one post of an archive page."""

    document_id: str
    index: int
    source: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    origins: tuple[Origin, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    attributions: tuple[Attribution, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.document_id[:12]}.{self.index}"


@dataclass(frozen=True)
class Entity:
    """A canonical real-world thing, with the names it goes by."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    info: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", EntityType(self.type))


@dataclass(frozen=True)
class Version:
    """One post of a story, with what provenance needs to know of it."""

    story_id: str
    post_id: str
    source: str
    index: int
    title: str | None
    published: str | None
    publisher: str | None  # the outlet the container names (site, feed, agency)
    url: str | None
    origins: tuple[str, ...]
    link: tuple[LinkKind, str] | None  # (kind, reason) of the match that brought it in
    cited: tuple[str, ...] = ()  # outlets and institutes its text attributes information to


@dataclass(frozen=True)
class Rating:
    """How far an outlet can be trusted, and why."""

    name: str
    grade: Reliability
    reason: str
    kind: str = ""  # state-media | pro-dprk-abroad | defector-run | foreign-media | ...
    country: str = ""
    aliases: tuple[str, ...] = ()  # every other name it goes by

    @property
    def meaning(self) -> str:
        return self.grade.meaning


@dataclass(frozen=True)
class Source:
    """An independent source of a story: copies and citation chains collapsed to it."""

    name: str
    rating: Rating
    versions: int


@dataclass(frozen=True)
class Grade:
    code: str  # "B" or "3"
    meaning: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    """Posts that are versions of one another, their independent sources and grades."""

    id: str
    versions: tuple[Version, ...]
    sources: tuple[Source, ...]
    reliability: Grade
    credibility: Grade

    @property
    def earliest(self) -> str | None:
        dates = [v.published for v in self.versions if v.published]
        return min(dates) if dates else None

    @property
    def latest(self) -> str | None:
        dates = [v.published for v in self.versions if v.published]
        return max(dates) if dates else None

    @property
    def title(self) -> str | None:
        return next((v.title for v in self.versions if v.title), None)

    @property
    def grade(self) -> str:
        """'C3': reliability letter and credibility number."""
        return f"{self.reliability.code}{self.credibility.code}"

    @property
    def first_outlet(self) -> str | None:
        """Who ran it first: the publisher (or quoted outlet) of the earliest dated version."""
        dated = sorted((v for v in self.versions if v.published), key=lambda v: v.published or "")
        first = dated[0] if dated else (self.versions[0] if self.versions else None)
        if first is None:
            return None
        return first.publisher or (first.origins[0] if first.origins else None)


@dataclass(frozen=True)
class StoryLink:
    """A confirmed match: post `new` is a copy of kind `kind` of the stored post `old`."""

    old: str
    new: str
    kind: LinkKind
    score: float
    reason: str


@dataclass(frozen=True)
class StoryDecision:
    """Where the dedupe stage files one new post: the story it joins (or founds), the
    stories that merge into it, and the evidence; the store records it as given."""

    post_id: str
    exact: str  # hash of the post's normalised words
    band_keys: tuple[int, ...]  # LSH keys to index (empty for an exact copy)
    story_id: str
    links: tuple[StoryLink, ...] = ()
    merged: tuple[str, ...] = ()  # story ids folded into story_id


@dataclass(frozen=True)
class PostRow:
    """A stored post with the names a listing shows."""

    id: str
    source: str
    title: str | None
    published: str | None
    outlets: tuple[str, ...]
    authors: tuple[str, ...]
    story: str | None = None


@dataclass(frozen=True)
class EntitySummary:
    """An entity with how much the knowledge base says of it."""

    id: str
    type: EntityType
    name: str
    mentions: int
    posts: int
    stories: int = 0


@dataclass(frozen=True)
class EntityRow:
    """An entity with its names and what the knowledge base holds of it, for exports."""

    entity: Entity
    mentions: int
    posts: int
    stories: int
    first_seen: str | None  # the earliest and latest publication day of a post naming it
    last_seen: str | None


@dataclass(frozen=True)
class PostEntry:
    """A stored post as exports see it: its metadata, its story and (when asked) its text."""

    id: str
    source: str
    title: str | None
    published: str | None
    publisher: str | None  # the outlet its container names (site, feed, agency)
    url: str | None
    authors: tuple[str, ...]
    origins: tuple[str, ...]
    story: str | None
    text: str | None = None
    grade: str | None = None  # its story's Admiralty grade ("C3"), when graded

    @property
    def outlet(self) -> str | None:
        """Who published it: the container's publisher, else the first outlet it quotes."""
        return self.publisher or (self.origins[0] if self.origins else None)


@dataclass(frozen=True)
class MentionRow:
    """One mention with the post it stands in; `left` and `right` hold up to 80 characters
    of the text on either side when asked for."""

    post_id: str
    entity_id: str
    entity_name: str
    type: EntityType
    text: str
    start: int
    end: int
    published: str | None
    outlet: str | None  # the post's publisher, else the first outlet it quotes
    title: str | None = None
    story: str | None = None
    left: str = ""
    right: str = ""
    grade: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", EntityType(self.type))


@dataclass(frozen=True)
class ClaimRow:
    """A stored claim with the names of what it is about and the post it stands in."""

    claim: Claim
    subject_name: str | None
    subject_type: str | None
    product_name: str | None
    place_name: str | None
    published: str | None
    outlet: str | None  # the post's publisher, else the first outlet it quotes
    title: str | None
    story: str | None
    sentence: str = ""
