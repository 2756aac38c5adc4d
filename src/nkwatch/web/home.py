"""The front page: what the knowledge base holds, its latest stories and most-named entities."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from nkwatch.views import stories
from nkwatch.web.site import Site

LATEST_STORIES = 10
TOP_ENTITIES = 15
COUNTED = (
    ("posts", "posts"),
    ("stories", "stories"),
    ("entities", "entities"),
    ("documents", "documents"),
    ("mentions", "mentions"),
)


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        counts = site.store.stats()
        return site.page(
            request,
            "home.html",
            {
                "counts": [(label, counts.get(key, 0)) for key, label in COUNTED],
                "latest": stories(site.store, site.ratings, LATEST_STORIES),
                "top": site.store.entities(limit=TOP_ENTITIES),
            },
        )

    return router
