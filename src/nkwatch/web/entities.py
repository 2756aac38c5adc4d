"""/entities/{id}: an entity's dossier; /entities?name= finds one by any name or spelling."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from nkwatch.export import entity_record
from nkwatch.export.records import figure
from nkwatch.views import Dossier, dossier, facts, find_entity
from nkwatch.web.apimodels import EntityOut, Problem
from nkwatch.web.charts import timeline_chart
from nkwatch.web.site import Site

PAGE = 200  # posts per page of a dossier
ENTITY_ID = Path(
    ...,
    min_length=1,
    max_length=300,
    description="an entity id, e.g. facility:kim-chaek-iron-and-steel-complex",
)
NAME = Query(..., min_length=1, max_length=300, description="any name, alias or spelling")
OFFSET = Query(0, ge=0, le=1_000_000, description="skip this many of its posts (pages of 200)")
MISSING: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "no such entity"}
}


def entity_url(entity_id: str) -> str:
    return "/entities/" + quote(entity_id, safe="")


def record(d: Dossier) -> dict[str, Any]:
    """The API's shape of a dossier: the entity record, a page of posts and its neighbours."""
    s = d.summary
    return {
        **entity_record(d.entity, s.mentions, s.stories),
        "total_posts": s.posts,
        "offset": d.offset,
        "posts": [
            {
                "id": p.id,
                "title": p.title,
                "published": p.published,
                "outlets": list(p.outlets),
                "story": p.story,
                "grade": d.grades.get(p.story or ""),
            }
            for p in d.posts
        ],
        "timeline": [{"month": m, "posts": n} for m, n in d.timeline],
        "co_mentioned": [
            {"id": c.id, "type": str(c.type), "name": c.name, "posts": c.posts}
            for c in d.co_mentioned
        ],
        "sources": [{"name": name, "posts": n} for name, n in d.sources],
    }


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/entities", include_in_schema=False)
    def entity_by_name(name: str = NAME) -> RedirectResponse:
        return RedirectResponse(entity_url(find_entity(site.store, name)), status_code=303)

    @router.get("/entities/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(
        request: Request, entity_id: str = ENTITY_ID, offset: int = OFFSET
    ) -> HTMLResponse:
        from nkwatch.web.facts import sheet_chart

        d = dossier(site.store, entity_id, site.ratings, PAGE, offset)
        sheet = facts(site.store, site.ratings, d.entity.id)
        info = d.entity.info
        more = offset + PAGE if offset + PAGE < d.summary.posts else None
        return site.page(
            request,
            "entity.html",
            {
                "title": d.entity.name,
                "d": d,
                "lat": info.get("lat"),
                "lon": info.get("lon"),
                "located_by": info.get("located_by"),
                "place": ", ".join(x for x in (info.get("place"), info.get("province")) if x),
                "details": [(k, info[k]) for k in ("sector", "kind", "country") if info.get(k)],
                "chart": timeline_chart(d.timeline),
                "sheet": sheet,
                "fact_chart": sheet_chart(sheet),
                "figure": figure,
                "more": more,
                "earlier": max(offset - PAGE, 0) if offset else None,
                "url": entity_url(d.entity.id),
            },
        )

    @router.get(
        "/api/entities",
        response_model=EntityOut,
        responses=MISSING,
        summary="The entity a name denotes: any alias, romanization or close spelling",
    )
    def entity_by_name_api(name: str = NAME) -> dict[str, Any]:
        return record(dossier(site.store, name, site.ratings, PAGE))

    @router.get(
        "/api/entities/{entity_id:path}",
        response_model=EntityOut,
        responses=MISSING,
        summary="One entity: its record, posts (pages of 200), timeline and neighbours",
    )
    def entity_api(entity_id: str = ENTITY_ID, offset: int = OFFSET) -> dict[str, Any]:
        site.store.entity(entity_id)  # an id here, never a name to guess from
        return record(dossier(site.store, entity_id, site.ratings, PAGE, offset))

    return router
