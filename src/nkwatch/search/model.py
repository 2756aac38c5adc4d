"""The records that go into the search index and come out of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Fragment = tuple[str, bool]  # a stretch of text, and whether it matched the query


@dataclass(frozen=True)
class IndexedPost:
    """What the store hands the index for one post."""

    id: str  # post id, e.g. "3f9c2a1b7d4e.0"
    source: str  # path or URL
    post: int  # index of the post in its document
    title: str | None
    text: str
    published: dt.date | None
    outlet: str | None  # canonical outlet name (publisher or first origin)
    outlet_aliases: tuple[str, ...] = ()  # every name of that outlet
    authors: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    # (entity id, type, every name): the first name is the one shown in facets
    entities: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    story: str | None = None  # story id
    versions: int = 1  # versions in its story
    grade: str | None = None  # e.g. "C3": reliability letter + credibility digit of its story


@dataclass(frozen=True)
class Hit:
    """One post (or, grouped by story, the best post of one story) in a result page."""

    id: str
    source: str
    post: int
    title: str | None
    published: dt.date | None
    outlet: str | None
    story: str | None
    versions: int
    grade: str | None
    score: float
    # the best passage of the text; marked fragments are the words that matched
    snippet: tuple[Fragment, ...]


@dataclass(frozen=True)
class FacetCount:
    value: str  # what to filter on: outlet name, year, entity id, grade
    count: int  # matching posts
    label: str  # what to show: the entity's name, else the value


@dataclass(frozen=True)
class Facets:
    """Counts over the whole match set, not just the page (posts, also when grouped)."""

    outlets: tuple[FacetCount, ...] = ()
    years: tuple[FacetCount, ...] = ()  # oldest first
    entities: tuple[FacetCount, ...] = ()  # the 20 most mentioned
    grades: tuple[FacetCount, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """`total` counts posts, or stories when grouped by story (exactly up to 2,000
    matching posts, past that tantivy's HyperLogLog estimate, within about 2%).
    `match` says how words combined: "all" (every word matched, or no words were
    given) or "any" (nothing matched every word, so posts matching some are ranked
    instead)."""

    total: int
    hits: list[Hit]
    facets: Facets = field(default_factory=Facets)
    match: Literal["all", "any"] = "all"
