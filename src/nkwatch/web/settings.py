"""What a web app is made from: its name and where its data comes from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

FeatureSource = Callable[[], Mapping[str, Any]]


def no_features() -> dict[str, Any]:
    """An empty GeoJSON FeatureCollection: a map with outlines and no markers."""
    return {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True)
class WebSettings:
    """Everything `create_app` needs; pages read it through `Site.settings`.

    map_features returns a GeoJSON FeatureCollection of Point features whose
    properties carry id, type, name, mentions and (optionally) url; it is
    called on every request to `/map` and `/api/map`.
    """

    map_features: FeatureSource = no_features
    product: str = "nkwatch"
