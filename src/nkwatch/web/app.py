"""The web app: pages, static files, security headers and error answers in one place.

A page is a module with `routes(site: Site) -> APIRouter`; listing it in
`PAGES` is all it takes to serve it.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from nkwatch.web import apidocs, failures, home, mapview
from nkwatch.web.headers import SecurityHeaders
from nkwatch.web.responses import SafeJSONResponse
from nkwatch.web.settings import WebSettings
from nkwatch.web.site import Site, make_templates

PAGES: tuple[Callable[[Site], APIRouter], ...] = (home.routes, mapview.routes, apidocs.routes)


def create_app(*, settings: WebSettings) -> FastAPI:
    site = Site(settings=settings, templates=make_templates())
    app = FastAPI(
        title=f"{settings.product} API", docs_url=None, redoc_url=None,
        default_response_class=SafeJSONResponse,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("nkwatch.web", "static")]), name="static")
    for routes in PAGES:
        app.include_router(routes(site))
    failures.install(app, site)
    return app
