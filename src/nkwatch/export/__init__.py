"""export: the knowledge base as FollowTheMoney, CSV, GeoJSON or JSON Lines, streamed.

    lines = export_lines(store, "csv", "posts", Scope(since=date(2024, 1, 1)), ratings)
    for line in lines: out.write(line)

`EXPORTS` declares which format exports which kind of row; each entry is a
generator from the store to text, so a row at a time flows from a server-side
cursor to the file. The record shapes live in `records` (JSON), `tabular`
(CSV), `geo` (GeoJSON) and `ftm` (FollowTheMoney); docs/exports.md describes
them. Claims (figures tied to what they are about) export as CSV and JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from nkwatch.export import ftm, geo, tabular
from nkwatch.export.feeds import (
    Scope,
    entity_mentions,
    graded_facts,
    graded_posts,
    graded_stories,
)
from nkwatch.export.records import (
    dossier_record,
    entity_record,
    entity_row_record,
    fact_record,
    mention_record,
    post_entry_record,
    post_record,
    story_record,
)
from nkwatch.model import Entity
from nkwatch.ratings import Ratings

if TYPE_CHECKING:  # the store is imported by whoever opens one
    from nkwatch.store import Store

T = TypeVar("T")

Tick = Callable[[int], None]


def no_tick(_: int) -> None:
    """Progress nobody watches."""


@dataclass(frozen=True)
class Job:
    """What one export reads and how it reports progress (rows read so far)."""

    store: Store
    scope: Scope
    ratings: Ratings
    tick: Tick = no_tick


def counted(items: Iterable[T], tick: Tick) -> Iterator[T]:
    for item in items:
        yield item
        tick(1)


def jsonl(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    for r in records:
        yield json.dumps(r, ensure_ascii=False) + "\n"


def entity_rows(job: Job) -> Iterator[Any]:
    s = job.scope
    return counted(job.store.entity_rows(s.etype, s.since, s.until), job.tick)


def mention_rows(job: Job) -> Iterator[Any]:
    s = job.scope
    return counted(job.store.mention_rows(s.etype, s.since, s.until), job.tick)


def post_entries(job: Job, text: bool = False) -> Iterator[Any]:
    return counted(graded_posts(job.store, job.scope, job.ratings, text), job.tick)


def stories(job: Job) -> Iterator[Any]:
    return counted(graded_stories(job.store, job.scope, job.ratings), job.tick)


def claims(job: Job) -> Iterator[dict[str, Any]]:
    return (
        fact_record(f) for f in counted(graded_facts(job.store, job.scope, job.ratings), job.tick)
    )


def ftm_entities(job: Job) -> Iterator[str]:
    return jsonl(r for row in entity_rows(job) for r in ftm.entity_records(row))


def ftm_posts(job: Job) -> Iterator[str]:
    return jsonl(ftm.article(p) for p in post_entries(job, text=True))


def ftm_mentions(job: Job) -> Iterator[str]:
    return jsonl(ftm.documentations(mention_rows(job)))


def ftm_all(job: Job) -> Iterator[str]:
    yield from ftm_entities(job)
    yield from ftm_posts(job)
    yield from ftm_mentions(job)


Exporter = Callable[[Job], Iterator[str]]

EXPORTS: dict[tuple[str, str], Exporter] = {
    ("ftm", "entities"): ftm_entities,
    ("ftm", "posts"): ftm_posts,
    ("ftm", "mentions"): ftm_mentions,
    ("ftm", "all"): ftm_all,
    ("csv", "entities"): lambda job: tabular.csv_lines(
        tabular.ENTITY_COLUMNS, map(tabular.entity_row, entity_rows(job))
    ),
    ("csv", "posts"): lambda job: tabular.csv_lines(
        tabular.POST_COLUMNS, map(tabular.post_row, post_entries(job))
    ),
    ("csv", "mentions"): lambda job: tabular.csv_lines(
        tabular.MENTION_COLUMNS, map(tabular.mention_row, mention_rows(job))
    ),
    ("csv", "stories"): lambda job: tabular.csv_lines(
        tabular.STORY_COLUMNS, map(tabular.story_row, stories(job))
    ),
    ("csv", "claims"): lambda job: tabular.csv_lines(
        tabular.CLAIM_COLUMNS, map(tabular.claim_row, claims(job))
    ),
    ("geojson", "entities"): lambda job: geo.collection_lines(entity_rows(job)),
    ("jsonl", "entities"): lambda job: jsonl(map(entity_row_record, entity_rows(job))),
    ("jsonl", "posts"): lambda job: jsonl(map(post_entry_record, post_entries(job, text=True))),
    ("jsonl", "mentions"): lambda job: jsonl(map(mention_record, mention_rows(job))),
    ("jsonl", "stories"): lambda job: jsonl(map(story_record, stories(job))),
    ("jsonl", "claims"): lambda job: jsonl(claims(job)),
}

FORMATS = tuple(dict.fromkeys(f for f, _ in EXPORTS))
KINDS = tuple(dict.fromkeys(w for _, w in EXPORTS))


def kinds_of(fmt: str) -> tuple[str, ...]:
    return tuple(w for f, w in EXPORTS if f == fmt)


def export_size(job: Job, what: str) -> int:
    """How many rows an export reads (for a progress bar)."""
    s = job.scope
    parts = ("entities", "posts", "mentions") if what == "all" else (what,)
    return sum(job.store.export_count(p, s.etype, s.since, s.until) for p in parts)


def export_lines(job: Job, fmt: str, what: str) -> Iterator[str]:
    """The text of an export, a piece at a time; ValueError for a pair EXPORTS lacks."""
    try:
        exporter = EXPORTS[fmt, what]
    except KeyError:
        raise ValueError(f"--format {fmt} exports {', '.join(kinds_of(fmt))}, not {what}") from None
    return exporter(job)


def dossier_lines(store: Store, entity: Entity, ratings: Ratings, fmt: str) -> Iterator[str]:
    """Every mention of one entity, newest first, with its post, date, outlet, story grade
    and snippet, as JSON Lines or CSV."""
    rows = (dossier_record(entity, r) for r in entity_mentions(store, entity, ratings))
    if fmt == "csv":
        return tabular.csv_lines(tabular.DOSSIER_COLUMNS, rows)
    return jsonl(rows)


__all__ = [
    "EXPORTS",
    "FORMATS",
    "KINDS",
    "Job",
    "Scope",
    "dossier_lines",
    "entity_record",
    "export_lines",
    "export_size",
    "kinds_of",
    "post_record",
    "story_record",
]
