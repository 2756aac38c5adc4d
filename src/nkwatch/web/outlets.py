"""/outlets: every rated outlet with its grade, what the grade means, and why."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from nkwatch.model import Reliability
from nkwatch.web.apimodels import OutletsOut
from nkwatch.web.site import Site


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request) -> HTMLResponse:
        return site.page(
            request,
            "outlets.html",
            {
                "title": "Outlets",
                "rows": site.ratings.table(),
                "scale": [(r.value, r.meaning) for r in Reliability],
            },
        )

    @router.get(
        "/api/outlets",
        response_model=OutletsOut,
        summary="The outlet table: reliability grades A-F with their reasons",
    )
    def outlets_api() -> dict[str, Any]:
        return {
            "outlets": [
                {
                    "name": r.name,
                    "grade": r.grade.value,
                    "meaning": r.meaning,
                    "kind": r.kind,
                    "country": r.country,
                    "reason": r.reason,
                }
                for r in site.ratings.table()
            ]
        }

    return router
