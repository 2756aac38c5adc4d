"""JSON-ready records of posts, stories, entities and mentions (see docs/contract.md and
docs/exports.md), and where an entity is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nkwatch.model import Entity, EntityRow, EntityType, MentionRow, Post, PostEntry, Story

# Place kinds that are a settlement: such a place is its own city.
CITY_KINDS = frozenset(
    {"city", "capital city", "special city", "metropolitan city", "county", "district", "town"}
)
SPACES = re.compile(r"\s+")

if TYPE_CHECKING:
    from nkwatch.conflicts import Fact


def post_record(post: Post) -> dict[str, Any]:
    """One post in the stable `nkwatch extract --format jsonl` shape (see docs/contract.md)."""
    return {
        "source": post.source,
        "post": post.index,
        "id": post.id,
        "title": post.title,
        "published": post.published.isoformat() if post.published else None,
        "authors": list(post.authors),
        "translators": list(post.translators),
        "origins": [
            {
                "name": o.name,
                "title": o.title,
                "author": o.author,
                "date": o.date.isoformat() if o.date else None,
            }
            for o in post.origins
        ],
        "text": post.text,
        "entities": [
            {
                "text": m.text,
                "type": m.type,
                "start": m.start,
                "end": m.end,
                "name": m.name,
                "id": m.entity_id,
            }
            for m in post.mentions
        ],
        "quantities": [
            {
                "text": q.text,
                "kind": q.kind,
                "value": q.value,
                "value_max": q.value_max,
                "unit": q.unit,
                "per": q.per,
                "start": q.start,
                "end": q.end,
            }
            for q in post.quantities
        ],
        "attributions": [
            {"text": a.text, "kind": a.kind, "source": a.source, "start": a.start, "end": a.end}
            for a in post.attributions
        ],
        "dates": [
            {"text": d.text, "date": d.iso, "start": d.start, "end": d.end} for d in post.dates
        ],
    }


def story_record(story: Story) -> dict[str, Any]:
    """One story in the `nkwatch stories --format jsonl` shape."""
    return {
        "id": story.id,
        "title": story.title,
        "earliest": story.earliest,
        "first_outlet": story.first_outlet,
        "versions": len(story.versions),
        "independent_sources": len(story.sources),
        "posts": [{"source": v.source, "post": v.index, "id": v.post_id} for v in story.versions],
        "sources": [
            {
                "name": s.name,
                "reliability": s.rating.grade,
                "reason": s.rating.reason,
                "versions": s.versions,
            }
            for s in story.sources
        ],
        "reliability": {
            "grade": story.reliability.code,
            "meaning": story.reliability.meaning,
            "reasons": list(story.reliability.reasons),
        },
        "credibility": {
            "grade": int(story.credibility.code),
            "meaning": story.credibility.meaning,
            "reasons": list(story.credibility.reasons),
        },
    }


def entity_record(entity: Entity, mentions: int, stories: int) -> dict[str, Any]:
    """One entity in the `nkwatch entities --format jsonl` shape."""
    info = entity.info
    return {
        "id": entity.id,
        "type": str(entity.type),
        "name": entity.name,
        "aliases": sorted(a for a in entity.aliases if a != entity.name),
        "mentions": mentions,
        "stories": stories,
        "place": info.get("place") or info.get("province") or None,
        "lat": float(info["lat"]) if info.get("lat") else None,
        "lon": float(info["lon"]) if info.get("lon") else None,
    }


@dataclass(frozen=True)
class Location:
    """Where an entity is, as far as the knowledge base says; `located_by` names the town
    whose coordinates a facility carries when its own are not known."""

    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    province: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    located_by: str | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


def number(value: object) -> float | None:
    try:
        return float(value) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def location(entity: Entity) -> Location:
    info = entity.info
    iso = info.get("iso") or ""
    country = info.get("country") or (iso[:2] if len(iso) >= 2 else None)
    city = info.get("place")
    if entity.type == EntityType.PLACE and info.get("kind") in CITY_KINDS:
        city = entity.name
    province = info.get("province")
    if entity.type == EntityType.PLACE and info.get("kind") == "province":
        province = entity.name
    lat, lon = number(info.get("lat")), number(info.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    return Location(
        country.upper() if country else None,
        province or None,
        city or None,
        lat,
        lon,
        info.get("located_by") or None,
    )


def other_names(entity: Entity) -> list[str]:
    return sorted(a for a in entity.aliases if a != entity.name)


def entity_row_record(row: EntityRow) -> dict[str, Any]:
    """An entity with its names, place and counts: the `export --what entities` shape."""
    entity, where = row.entity, location(row.entity)
    return {
        "id": entity.id,
        "type": str(entity.type),
        "name": entity.name,
        "aliases": other_names(entity),
        "country": where.country,
        "province": where.province,
        "city": where.city,
        "lat": where.lat,
        "lon": where.lon,
        "located_by": where.located_by,
        "mentions": row.mentions,
        "posts": row.posts,
        "stories": row.stories,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "info": dict(entity.info),
    }


def post_entry_record(entry: PostEntry) -> dict[str, Any]:
    """A stored post with its story and grade: the `export --what posts` shape."""
    return {
        "id": entry.id,
        "source": entry.source,
        "url": entry.url,
        "title": entry.title,
        "published": entry.published,
        "outlet": entry.outlet,
        "publisher": entry.publisher,
        "authors": list(entry.authors),
        "origins": list(entry.origins),
        "story": entry.story,
        "grade": entry.grade,
        "text": entry.text,
    }


def mention_record(row: MentionRow) -> dict[str, Any]:
    """One mention: the `export --what mentions` shape."""
    return {
        "post_id": row.post_id,
        "entity_id": row.entity_id,
        "entity_name": row.entity_name,
        "type": str(row.type),
        "text": row.text,
        "start": row.start,
        "end": row.end,
        "published": row.published,
        "outlet": row.outlet,
    }


def snippet(row: MentionRow) -> str:
    """The mention with up to 80 characters either side, whitespace folded to single spaces."""
    return SPACES.sub(" ", row.left + row.text + row.right).strip()


def dossier_record(entity: Entity, row: MentionRow) -> dict[str, Any]:
    """One mention of a dossier's entity, with the entity's names and place."""
    where = location(entity)
    return {
        "entity_id": entity.id,
        "entity_name": entity.name,
        "type": str(entity.type),
        "aliases": other_names(entity),
        "place": where.city,
        "province": where.province,
        "lat": where.lat,
        "lon": where.lon,
        "post_id": row.post_id,
        "published": row.published,
        "outlet": row.outlet,
        "title": row.title,
        "story": row.story,
        "grade": row.grade,
        "text": row.text,
        "start": row.start,
        "end": row.end,
        "snippet": snippet(row),
    }


def figure(value: float | None, value_max: float | None, unit: str | None, per: str | None) -> str:
    """'6,300-6,500 KPW/kg'; '' for a dated event, which states no figure."""
    if value is None:
        return ""
    shown = f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if value_max is not None:
        shown += f"-{value_max:,.6g}" if abs(value_max) < 1e6 else f"-{value_max:,.0f}"
    unit_part = f" {unit}" if unit and unit != "%" else (unit or "")
    return shown + unit_part + (f"/{per}" if per else "")


def fact_record(f: Fact) -> dict[str, Any]:
    """The full record of a claim, as JSON Lines prints it and the API returns it."""
    c, r = f.row.claim, f.row
    return {
        "post": c.post_id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "kind": c.kind,
        "measure": c.measure,
        "value": c.value,
        "value_max": c.value_max,
        "unit": c.unit,
        "per": c.per,
        "subject": {"id": c.subject, "name": r.subject_name, "type": r.subject_type}
        if c.subject
        else None,
        "product": {"id": c.product, "name": r.product_name} if c.product else None,
        "place": {"id": c.place, "name": r.place_name} if c.place else None,
        "period": c.iso,
        "precision": c.precision,
        "period_text": c.period_text,
        "said_by": f.source,
        "via": f.outlet,
        "said_by_kind": f.source_kind,
        "reliability": str(f.rating.grade),
        "outlet": r.outlet,
        "published": r.published,
        "story": r.story,
        "grade": f.grade,
        "sentence": r.sentence.strip(),
    }
