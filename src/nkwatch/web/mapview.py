"""/map and /api/map: entities with coordinates as markers over country outlines."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from nkwatch.store import Store
from nkwatch.web.site import Site

# Legend order; a type outside it is drawn as "other".
TYPES = ("facility", "organization", "place", "person", "outlet", "product")


@dataclass(frozen=True)
class MapPoint:
    id: str
    type: str
    name: str
    mentions: int
    lon: float
    lat: float
    url: str

    def feature(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": {
                "id": self.id,
                "type": self.type,
                "name": self.name,
                "mentions": self.mentions,
                "url": self.url,
            },
        }


def entity_url(entity_id: str) -> str:
    return "/entities/" + quote(entity_id, safe="")


def local_url(url: object, entity_id: str) -> str:
    """The feature's own link when it is a path on this site, else the entity's page."""
    if (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
    ):
        return url
    return entity_url(entity_id)


def map_point(feature: Mapping[str, Any]) -> MapPoint | None:
    """A Point feature with finite, in-range coordinates and an id; None for anything else."""
    geometry = feature.get("geometry") or {}
    props = feature.get("properties") or {}
    coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    if not isinstance(coords, list | tuple) or len(coords) < 2 or props.get("id") in (None, ""):
        return None
    try:
        lon, lat = float(coords[0]), float(coords[1])
        mentions = max(int(props.get("mentions") or 0), 0)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    entity_id = str(props["id"])
    kind = str(props.get("type") or "")
    return MapPoint(
        id=entity_id,
        type=kind if kind in TYPES else "other",
        name=str(props.get("name") or entity_id),
        mentions=mentions,
        lon=lon,
        lat=lat,
        url=local_url(props.get("url"), entity_id),
    )


def map_points(collection: Mapping[str, Any]) -> list[MapPoint]:
    """The usable points of a FeatureCollection, most mentioned first."""
    points = [p for f in collection.get("features") or () if (p := map_point(f)) is not None]
    return sorted(points, key=lambda p: (-p.mentions, p.name.casefold()))


def stored_points(store: Store) -> list[MapPoint]:
    """Every entity with coordinates in the knowledge base (one query), most mentioned first."""
    points = []
    for entity, mentions, _posts in store.located_entities():
        try:
            lat, lon = float(entity.info["lat"]), float(entity.info["lon"])
        except (TypeError, ValueError):
            continue
        if math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180:
            kind = str(entity.type)
            points.append(
                MapPoint(
                    id=entity.id,
                    type=kind if kind in TYPES else "other",
                    name=entity.name,
                    mentions=mentions,
                    lon=lon,
                    lat=lat,
                    url=entity_url(entity.id),
                )
            )
    return sorted(points, key=lambda p: (-p.mentions, p.name.casefold()))


def routes(site: Site) -> APIRouter:
    router = APIRouter()
    source = site.settings.map_features

    def all_points() -> list[MapPoint]:
        return stored_points(site.store) if source is None else map_points(source())

    @router.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        points = all_points()
        counts = Counter(p.type for p in points)
        legend = [(t, counts[t]) for t in (*TYPES, "other") if counts[t]]
        return site.page(request, "map.html", {"title": "Map", "points": points, "legend": legend})

    @router.get("/api/map", summary="Entities with coordinates, as GeoJSON")
    def map_api(
        type: str | None = Query(None, description="only entities of this type, e.g. facility"),
        entity: str | None = Query(None, max_length=300, description="only this entity id"),
        limit: int | None = Query(None, ge=1, le=100_000, description="the most mentioned N"),
    ) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of Point features; properties: id, type, name, mentions, url."""
        points = [
            p
            for p in all_points()
            if (type is None or p.type == type) and (entity is None or p.id == entity)
        ][:limit]
        return {"type": "FeatureCollection", "features": [p.feature() for p in points]}

    return router
