"""CSV rows: one header row, UTF-8, lists joined with "; ", empty cells for unknowns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from nkwatch.export.records import location, other_names
from nkwatch.model import EntityRow, MentionRow, PostEntry, Story

JOIN = "; "

ENTITY_COLUMNS = (
    "id", "type", "name", "aliases", "country", "province", "city", "lat", "lon",
    "mentions", "stories", "first_seen", "last_seen",
)  # fmt: skip
POST_COLUMNS = (
    "id", "source", "title", "published", "outlet", "authors", "origins", "story", "grade",
)  # fmt: skip
MENTION_COLUMNS = (
    "post_id", "entity_id", "entity_name", "type", "text", "start", "end", "published", "outlet",
)  # fmt: skip
STORY_COLUMNS = (
    "id", "title", "earliest", "latest", "first_outlet", "versions", "sources", "grade",
)  # fmt: skip
CLAIM_COLUMNS = (
    "post", "start", "end", "text", "kind", "measure", "value", "value_max", "unit", "per",
    "subject_id", "subject", "subject_type", "product", "place", "period", "precision",
    "period_text", "said_by", "said_by_kind", "via", "reliability", "outlet", "published",
    "story", "grade",
)  # fmt: skip
DOSSIER_COLUMNS = (
    "entity_id", "entity_name", "type", "aliases", "place", "province", "lat", "lon",
    "post_id", "published", "outlet", "title", "story", "grade", "text", "start", "end",
    "snippet",
)  # fmt: skip


def cell(value: Any) -> Any:
    """Lists joined; the csv module writes None as an empty cell and numbers as written."""
    if isinstance(value, list | tuple):
        return JOIN.join(str(v) for v in value)
    return value


def entity_row(row: EntityRow) -> dict[str, Any]:
    e, where = row.entity, location(row.entity)
    return {
        "id": e.id,
        "type": e.type,
        "name": e.name,
        "aliases": other_names(e),
        "country": where.country,
        "province": where.province,
        "city": where.city,
        "lat": where.lat,
        "lon": where.lon,
        "mentions": row.mentions,
        "stories": row.stories,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
    }


def post_row(entry: PostEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "source": entry.source,
        "title": entry.title,
        "published": entry.published,
        "outlet": entry.outlet,
        "authors": entry.authors,
        "origins": entry.origins,
        "story": entry.story,
        "grade": entry.grade,
    }


def mention_row(row: MentionRow) -> dict[str, Any]:
    return {c: getattr(row, c) for c in MENTION_COLUMNS}


def story_row(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "earliest": story.earliest,
        "latest": story.latest,
        "first_outlet": story.first_outlet,
        "versions": len(story.versions),
        "sources": [s.name for s in story.sources],
        "grade": story.grade,
    }


def csv_lines(
    columns: Sequence[str], rows: Iterable[dict[str, Any]], batch: int = 256
) -> Iterator[str]:
    """The header, then the rows (RFC 4180 quoting, CRLF line ends), `batch` rows a piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for n, row in enumerate(rows, start=1):
        writer.writerow([cell(row.get(c)) for c in columns])
        if n % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def claim_row(record: dict[str, Any]) -> dict[str, Any]:
    """A claim's full record (`records.fact_record`) flattened to CLAIM_COLUMNS."""
    subject, product, place = (record[k] or {} for k in ("subject", "product", "place"))
    flat = {k: record.get(k) for k in CLAIM_COLUMNS}
    flat.update(
        subject_id=subject.get("id"),
        subject=subject.get("name"),
        subject_type=subject.get("type"),
        product=product.get("name"),
        place=place.get("name"),
    )
    return flat
