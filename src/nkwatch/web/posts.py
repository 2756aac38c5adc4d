"""/posts/{id}: a post's text with its entities marked, its people, origins, chain and story."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from nkwatch.export import post_record
from nkwatch.views import chain, post_view
from nkwatch.web.apimodels import PostOut, Problem
from nkwatch.web.marking import paragraphs, segments
from nkwatch.web.site import Site

POST_ID = Path(..., min_length=1, max_length=200, description="a post id, e.g. 3f9c2a1b7d4e.0")
MISSING: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "no such post"}}


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/posts/{post_id}", response_class=HTMLResponse, include_in_schema=False)
    def post_page(request: Request, post_id: str = POST_ID) -> HTMLResponse:
        shown = post_view(site.store, post_id, site.ratings)
        post = shown.post
        origins = tuple(o.name for o in post.origins)
        others = [v for v in shown.story.versions if v.post_id != post.id] if shown.story else []
        return site.page(
            request,
            "post.html",
            {
                "title": post.title or "Untitled post",
                "post": post,
                "publisher": shown.publisher,
                "paragraphs": paragraphs(segments(post.text, post.mentions)),
                "entities": sorted({(m.type, m.name, m.entity_id) for m in post.mentions}),
                "chain": chain(shown.publisher, origins, post.attributions),
                "story": shown.story,
                "others": others,
            },
        )

    @router.get(
        "/api/posts/{post_id}",
        response_model=PostOut,
        responses=MISSING,
        summary="One post, as `nkwatch extract` prints it, with its story id",
    )
    def post_api(post_id: str = POST_ID) -> dict[str, Any]:
        post = site.store.post(post_id)
        return {**post_record(post), "story": site.store.story_of(post.id)}

    return router
