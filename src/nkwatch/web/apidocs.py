"""/docs: the OpenAPI explorer, served from files shipped in the package."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from nkwatch.web.headers import csp_allowing_inline
from nkwatch.web.site import Site

VENDOR = "/static/vendor/swagger-ui"


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{site.settings.product} API",
            swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None},
        )
        html = bytes(page.body).decode()
        page.headers["Content-Security-Policy"] = csp_allowing_inline(html)
        return page

    return router
