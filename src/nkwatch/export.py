"""export: posts, stories and entities as JSON-ready dicts (the contracts in docs/contract.md)."""

from __future__ import annotations

from typing import Any

from nkwatch.model import Entity, Post, Story


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
            {"text": d.text, "date": d.date.isoformat(), "start": d.start, "end": d.end}
            for d in post.dates
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
