"""export: posts and entities as JSON-ready dicts (the extraction contract lives here)."""

from __future__ import annotations

from typing import Any

from nkwatch.model import Post


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
