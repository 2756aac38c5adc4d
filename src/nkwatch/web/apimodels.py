"""The shapes of the JSON API, for validation and for the OpenAPI document at /docs."""

from __future__ import annotations

from pydantic import BaseModel


class OriginOut(BaseModel):
    name: str
    title: str | None
    author: str | None
    date: str | None


class MentionOut(BaseModel):
    text: str
    type: str
    start: int
    end: int
    name: str
    id: str


class QuantityOut(BaseModel):
    text: str
    kind: str
    value: float
    value_max: float | None = None
    unit: str | None
    per: str | None
    start: int
    end: int


class AttributionOut(BaseModel):
    text: str
    kind: str
    source: str
    start: int
    end: int


class DateOut(BaseModel):
    text: str
    date: str
    start: int
    end: int


class PostOut(BaseModel):
    """A post in the `nkwatch extract --format jsonl` shape, with its story."""

    source: str
    post: int
    id: str
    title: str | None
    published: str | None
    authors: list[str]
    translators: list[str]
    origins: list[OriginOut]
    text: str
    entities: list[MentionOut]
    quantities: list[QuantityOut]
    attributions: list[AttributionOut]
    dates: list[DateOut]
    story: str | None


class EntityPostOut(BaseModel):
    id: str
    title: str | None
    published: str | None
    outlets: list[str]
    story: str | None
    grade: str | None


class MonthOut(BaseModel):
    month: str
    posts: int


class NamedCount(BaseModel):
    id: str
    type: str
    name: str
    posts: int


class SourceCount(BaseModel):
    name: str
    posts: int


class EntityOut(BaseModel):
    """An entity in the `nkwatch entities --format jsonl` shape, with its posts and neighbours."""

    id: str
    type: str
    name: str
    aliases: list[str]
    mentions: int
    stories: int
    place: str | None
    lat: float | None
    lon: float | None
    total_posts: int
    offset: int
    posts: list[EntityPostOut]
    timeline: list[MonthOut]
    co_mentioned: list[NamedCount]
    sources: list[SourceCount]


class StoryPostOut(BaseModel):
    source: str
    post: int
    id: str


class SourceOut(BaseModel):
    name: str
    reliability: str
    reason: str
    versions: int


class GradeOut(BaseModel):
    grade: str | int
    meaning: str
    reasons: list[str]


class StoryOut(BaseModel):
    """A story in the `nkwatch stories --format jsonl` shape."""

    id: str
    title: str | None
    earliest: str | None
    first_outlet: str | None
    versions: int
    independent_sources: int
    posts: list[StoryPostOut]
    sources: list[SourceOut]
    reliability: GradeOut
    credibility: GradeOut


class OutletOut(BaseModel):
    name: str
    grade: str
    meaning: str
    kind: str
    country: str
    reason: str


class OutletsOut(BaseModel):
    outlets: list[OutletOut]


class FailureOut(BaseModel):
    source: str
    reason: str


class IngestOut(BaseModel):
    """What an upload did, as `nkwatch ingest` reports it."""

    files: int
    documents: int
    new_documents: int
    posts: int
    failures: list[FailureOut]


class Problem(BaseModel):
    """Every error answer: one line saying what went wrong and what to do."""

    error: str


class RefOut(BaseModel):
    id: str
    name: str | None
    type: str | None = None


class FactOut(BaseModel):
    """A claim: a figure a post states, what it is about, when, and who says it."""

    post: str
    start: int
    end: int
    text: str
    kind: str
    measure: str
    value: float
    value_max: float | None
    unit: str | None
    per: str | None
    subject: RefOut | None
    product: RefOut | None
    place: RefOut | None
    period: str | None
    precision: str
    period_text: str | None
    said_by: str
    via: str | None
    said_by_kind: str
    reliability: str
    outlet: str | None
    published: str | None
    story: str | None
    grade: str | None
    sentence: str


class SideOut(BaseModel):
    fact: FactOut
    note: str | None


class ConflictOut(BaseModel):
    """Claims about one thing, measure and period whose figures disagree."""

    subject: str
    measure: str
    period: str
    place: str | None
    unit: str | None
    per: str | None
    sides: list[SideOut]


class FactsOut(BaseModel):
    id: str
    name: str
    type: str
    facts: list[FactOut]
    conflicts: list[ConflictOut]


class SeriesPointOut(BaseModel):
    month: str
    place: str | None
    unit: str | None
    per: str | None
    median: float
    low: float
    high: float
    claims: int
    sources: list[str]


class SeriesOut(BaseModel):
    thing: str
    measure: str
    place: str | None
    points: list[SeriesPointOut]
    left_out: int
