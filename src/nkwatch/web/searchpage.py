"""/search and /api/search over `WebSettings.search`; without one, a one-line 503.

The page and the API take the same filters. The search function is the
full-text index's (see `searching.py` for what it must look like).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from nkwatch.errors import NkwatchError, NotFound
from nkwatch.web.apimodels import Problem
from nkwatch.web.searching import SearchFunction, SearchResult
from nkwatch.web.site import Site

NOT_SET_UP = "Search is not set up on this server; build the search index and restart it."
FACETS = (
    ("outlets", "outlet", "Outlets"),
    ("years", "year", "Years"),
    ("entities", "entity", "Entities"),
    ("grades", "grade", "Grades"),
)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    outlet: str | None = None
    entity: str | None = None
    type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    grade: str | None = None
    story: str | None = None
    by_story: bool = False
    limit: int = 20
    offset: int = 0

    def url(self, **changes: Any) -> str:
        """/search with these filters, some changed (None drops one); offset resets unless given."""
        values = {**asdict(self), "offset": 0, **changes}
        if values.get("year"):
            year = values.pop("year")
            values["since"], values["until"] = f"{year}-01-01", f"{year}-12-31"
        values.pop("year", None)
        kept = {k: v for k, v in values.items() if v not in (None, "", False, 0) or k == "q"}
        if kept.get("limit") == 20:
            kept.pop("limit")
        return "/search?" + urlencode(
            {k: str(v).lower() if v is True else v for k, v in kept.items()}
        )


def filters(
    q: str = Query("", max_length=500, description="words to find; quotes for a phrase"),
    outlet: str | None = Query(None, max_length=200),
    entity: str | None = Query(None, max_length=300, description="an entity id"),
    type: str | None = Query(
        None, max_length=40, description="posts naming an entity of this type"
    ),
    since: dt.date | None = Query(None, description="published on or after (YYYY-MM-DD)"),
    until: dt.date | None = Query(None, description="published on or before (YYYY-MM-DD)"),
    grade: str | None = Query(None, max_length=4, description="a story grade, e.g. B2"),
    story: str | None = Query(None, max_length=200),
    by_story: bool = Query(False, description="one hit per story"),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=10_000),
) -> Filters:
    return Filters(
        q.strip(),
        outlet or None,
        entity or None,
        type or None,
        since,
        until,
        grade or None,
        story or None,
        by_story,
        limit,
        offset,
    )


def run(search: SearchFunction | None, f: Filters) -> SearchResult:
    if search is None:
        raise HTTPException(503, NOT_SET_UP)
    try:
        return search(
            f.q,
            outlet=f.outlet,
            entity=f.entity,
            type=f.type,
            since=f.since,
            until=f.until,
            grade=f.grade,
            story=f.story,
            by_story=f.by_story,
            limit=f.limit,
            offset=f.offset,
        )
    except NotFound:
        raise
    except NkwatchError as exc:  # a query the index cannot parse, say
        raise HTTPException(400, str(exc)) from exc


def result_record(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "hits": [
            {
                "id": h.id,
                "source": h.source,
                "post": h.post,
                "title": h.title,
                "published": h.published.isoformat() if h.published else None,
                "outlet": h.outlet,
                "story": h.story,
                "versions": h.versions,
                "grade": h.grade,
                "score": h.score,
                "snippet": [{"text": text, "marked": marked} for text, marked in h.snippet],
            }
            for h in result.hits
        ],
        "facets": {
            name: [
                {"value": c.value, "label": c.label, "count": c.count}
                for c in getattr(result.facets, name)
            ]
            for name, _, _ in FACETS
        },
    }


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, f: Filters = Depends(filters)) -> HTMLResponse:
        search = site.settings.search
        if search is None:
            return site.page(
                request,
                "error.html",
                {"title": "Search", "message": NOT_SET_UP, "status": 503},
                status_code=503,
            )
        result = run(search, f) if f.q or f.entity or f.story else None
        return site.page(
            request,
            "search.html",
            {
                "title": f"Search: {f.q}" if f.q else "Search",
                "f": f,
                "result": result,
                "facets": FACETS,
                "earlier": f.url(offset=max(f.offset - f.limit, 0)) if f.offset else None,
                "later": f.url(offset=f.offset + f.limit)
                if result and f.offset + f.limit < result.total
                else None,
            },
        )

    @router.get(
        "/api/search",
        summary="Full-text search of posts, with facets",
        responses={503: {"model": Problem, "description": "search is not set up"}},
    )
    def search_api(f: Filters = Depends(filters)) -> dict[str, Any]:
        """Hits (id, source, post, title, published, outlet, story, versions, grade, score,
        snippet as [{text, marked}]) and facets (outlets, years, entities, grades as
        [{value, label, count}])."""
        return result_record(run(site.settings.search, f))

    return router
