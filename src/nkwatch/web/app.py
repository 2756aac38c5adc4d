"""The web app: pages, static files, security headers and error answers in one place.

A page is a module with `routes(site: Site) -> APIRouter`; listing it in
`PAGES` is all it takes to serve it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from nkwatch.ratings import Ratings
from nkwatch.store import open_store
from nkwatch.web import (
    apidocs,
    entities,
    facts,
    failures,
    home,
    mapview,
    outlets,
    posts,
    reconcile,
    searchpage,
    stories,
    upload,
)
from nkwatch.web.headers import SecurityHeaders
from nkwatch.web.responses import SafeJSONResponse
from nkwatch.web.settings import WebSettings
from nkwatch.web.site import Site, make_templates

PAGES: tuple[Callable[[Site], APIRouter], ...] = (
    home.routes,
    posts.routes,
    facts.routes,  # before entities: its paths end in /facts
    entities.routes,
    stories.routes,
    outlets.routes,
    searchpage.routes,
    mapview.routes,
    upload.routes,
    apidocs.routes,
)


def create_app(*, settings: WebSettings) -> FastAPI:
    """The app over `settings.db`, opened for reading here: a missing or foreign knowledge
    base raises StoreError before anything is served."""
    ratings = Ratings.load(settings.outlets)
    store = open_store(settings.db)
    site = Site(settings=settings, templates=make_templates(), store=store, ratings=ratings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title=f"{settings.product} API",
        docs_url=None,
        redoc_url=None,
        default_response_class=SafeJSONResponse,
        lifespan=lifespan,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("nkwatch.web", "static")]), name="static")
    for routes in PAGES:
        app.include_router(routes(site))
    app.include_router(reconcile.router(lambda: store), prefix="/reconcile")
    failures.install(app, site)
    return app
