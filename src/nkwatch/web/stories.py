"""/stories/{id}: a story's versions, how each joined, its provenance chains and grades."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from nkwatch.export import story_record
from nkwatch.model import Version
from nkwatch.views import chain, story
from nkwatch.web.apimodels import Problem, StoryOut
from nkwatch.web.site import Site

STORY_ID = Path(
    ..., min_length=1, max_length=200, description="a story id, a former one, or a post id"
)
MISSING: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "no such story"}}


@dataclass(frozen=True)
class Shown:
    version: Version
    chain: str


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str = STORY_ID) -> HTMLResponse:
        s = story(site.store, story_id, site.ratings)
        shown = [
            Shown(v, chain(v.publisher, v.origins, site.store.post(v.post_id).attributions))
            for v in s.versions
        ]
        return site.page(
            request,
            "story.html",
            {
                "title": s.title or "Untitled story",
                "s": s,
                "versions": shown,
            },
        )

    @router.get(
        "/api/stories/{story_id}",
        response_model=StoryOut,
        responses=MISSING,
        summary="One story, as `nkwatch stories --format jsonl` prints it",
    )
    def story_api(story_id: str = STORY_ID) -> dict[str, Any]:
        return story_record(story(site.store, story_id, site.ratings))

    return router
