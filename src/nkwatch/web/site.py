"""What every page shares: the settings, the store, the outlet grades, the templates and how a
page is rendered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from nkwatch.ratings import Ratings
from nkwatch.store import Store
from nkwatch.web.settings import WebSettings

NAV = (("/", "Home"), ("/search", "Search"), ("/outlets", "Outlets"), ("/map", "Map"))


def path_segment(value: object) -> str:
    """A value quoted to be one segment of a URL path: '/' and all."""
    return quote(str(value), safe="")


def make_templates() -> Jinja2Templates:
    """The package's templates, autoescaped whatever their file name."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nkwatch.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["segment"] = path_segment
    return Jinja2Templates(env=env)


@dataclass(frozen=True)
class Site:
    settings: WebSettings
    templates: Jinja2Templates
    store: Store  # opened for reading once per app; shared by every request's thread
    ratings: Ratings

    def page(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        """Render a template that extends base.html."""
        full = {
            "product": self.settings.product,
            "nav": NAV,
            "here": request.url.path,
            "q": request.query_params.get("q", ""),
            "title": None,
            **(context or {}),
        }
        return self.templates.TemplateResponse(request, template, full, status_code=status_code)
