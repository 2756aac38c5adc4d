"""The search the web layer codes against: a function and the shapes of what it returns.

These are Protocols, not an implementation: any object with these attributes
fits (the full-text index supplies one). `WebSettings.search` holds the function;
when it is None the search page says so and `/api/search` answers 503.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol


class SearchHit(Protocol):
    id: str  # post id
    source: str
    post: int  # index of the post in its document
    title: str | None
    published: dt.date | None
    outlet: str | None
    story: str | None
    versions: int  # posts in its story
    grade: str | None  # "C3"
    score: float
    snippet: Sequence[tuple[str, bool]]  # (text, marked) fragments, in order


class SearchFacets(Protocol):
    # each a list of (value to filter by, label to show, count)
    outlets: Sequence[tuple[str, str, int]]
    years: Sequence[tuple[str, str, int]]
    entities: Sequence[tuple[str, str, int]]
    grades: Sequence[tuple[str, str, int]]


class SearchResult(Protocol):
    total: int
    hits: Sequence[SearchHit]
    facets: SearchFacets


class SearchFunction(Protocol):
    def __call__(
        self,
        q: str,
        *,
        outlet: str | None,
        entity: str | None,
        type: str | None,
        since: dt.date | None,
        until: dt.date | None,
        grade: str | None,
        story: str | None,
        by_story: bool,
        limit: int,
        offset: int,
    ) -> SearchResult: ...
