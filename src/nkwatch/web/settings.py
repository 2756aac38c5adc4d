"""What a web app is made from: its knowledge base, outlet grades, search and upload token."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nkwatch.web.searching import SearchFunction

FeatureSource = Callable[[], Mapping[str, Any]]
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def no_features() -> dict[str, Any]:
    """An empty GeoJSON FeatureCollection: a map with outlines and no markers."""
    return {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True)
class WebSettings:
    """Everything `create_app` needs; pages read it through `Site.settings`.

    db is the knowledge base (a file path or a postgresql:// URL), opened for
    reading once per app; uploads open it for writing, and only when `token`
    is set and the request carries it. map_features, when given, replaces the
    store's located entities on `/map` and `/api/map`: a GeoJSON
    FeatureCollection of Point features whose properties carry id, type, name,
    mentions and (optionally) url.
    """

    db: str
    outlets: Path | None = None  # an outlet table whose grades replace the shipped ones
    token: str | None = None  # bearer token that allows POST /api/documents; None refuses all
    search: SearchFunction | None = None  # the full-text search; None: "search is not set up"
    index: Path | None = None  # the search index folder that uploads add their posts to
    map_features: FeatureSource | None = None
    product: str = "nkwatch"
    max_upload_bytes: int = MAX_UPLOAD_BYTES
