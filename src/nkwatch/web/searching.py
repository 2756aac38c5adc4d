"""The search the web layer calls: a function over the full-text index.

`WebSettings.search` holds it (`nkwatch.indexing.Finder` is the one `nkwatch
serve` gives); when it is None the search page says so and `/api/search`
answers 503. Any callable with this signature fits.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from nkwatch.search import SearchResult


class SearchFunction(Protocol):
    def __call__(
        self,
        q: str,
        *,
        outlet: str | None = ...,
        entity: str | None = ...,
        type: str | None = ...,
        since: dt.date | None = ...,
        until: dt.date | None = ...,
        grade: str | None = ...,
        story: str | None = ...,
        by_story: bool = ...,
        limit: int = ...,
        offset: int = ...,
    ) -> SearchResult: ...


__all__ = ["SearchFunction", "SearchResult"]
