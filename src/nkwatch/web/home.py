"""The front page: what nkwatch holds and where to go from here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from nkwatch.web.site import Site


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return site.page(request, "home.html")

    return router
