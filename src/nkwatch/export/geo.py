"""GeoJSON (RFC 7946): entities with coordinates as Point features, longitude first."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from nkwatch.export.records import location, other_names
from nkwatch.model import EntityRow


def feature(row: EntityRow) -> dict[str, Any] | None:
    """A Point feature for an entity with coordinates; None for one without."""
    e, where = row.entity, location(row.entity)
    if where.lat is None or where.lon is None:
        return None
    return {
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [where.lon, where.lat]},
        "properties": {
            "id": e.id,
            "type": str(e.type),
            "name": e.name,
            "aliases": other_names(e),
            "mentions": row.mentions,
            "stories": row.stories,
            "first_seen": row.first_seen,
            "last_seen": row.last_seen,
            "located_by": where.located_by,
        },
    }


def collection_lines(rows: Iterable[EntityRow]) -> Iterator[str]:
    """A FeatureCollection written a feature per line, so it streams."""
    yield '{"type": "FeatureCollection", "features": ['
    sep = "\n"
    for row in rows:
        found = feature(row)
        if found is not None:
            yield sep + json.dumps(found, ensure_ascii=False)
            sep = ",\n"
    yield "\n]}\n"
