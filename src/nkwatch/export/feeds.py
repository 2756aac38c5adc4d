"""What exports read: the store's streams, with story grades attached a batch at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from nkwatch.conflicts import Fact
from nkwatch.model import Entity, MentionRow, PostEntry, Story
from nkwatch.ratings import Ratings
from nkwatch.stories import views

BATCH = 500
if TYPE_CHECKING:  # the store is imported by whoever opens one
    from nkwatch.store import Store

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """Which rows an export takes: an entity type and a publication date range."""

    etype: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def in_batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def grades(store: Store, story_ids: Iterable[str | None], ratings: Ratings) -> dict[str, str]:
    """Story id -> Admiralty grade ("C3") for these stories."""
    wanted = sorted({s for s in story_ids if s})
    if not wanted:
        return {}
    return {s.id: s.grade for s in views(store.story_versions(wanted), ratings)}


def graded_posts(
    store: Store, scope: Scope, ratings: Ratings, text: bool = False
) -> Iterator[PostEntry]:
    for batch in in_batches(store.post_entries(scope.since, scope.until, text)):
        found = grades(store, (p.story for p in batch), ratings)
        for p in batch:
            yield replace(p, grade=found.get(p.story or ""))


def graded_stories(store: Store, scope: Scope, ratings: Ratings) -> Iterator[Story]:
    for batch in in_batches(store.story_id_stream(scope.since, scope.until)):
        yield from views(store.story_versions(batch), ratings)


def entity_mentions(store: Store, entity: Entity, ratings: Ratings) -> Iterator[MentionRow]:
    """Every mention of one entity, newest post first, with its context and story grade."""
    rows = store.mention_rows(entity_id=entity.id, context=True)
    for batch in in_batches(rows):
        found = grades(store, (r.story for r in batch), ratings)
        for r in batch:
            yield replace(r, grade=found.get(r.story or ""))


def graded_facts(store: Store, scope: Scope, ratings: Ratings) -> Iterator[Fact]:
    """Every claim whose period overlaps the scope's dates, with its source's rating and
    its story's grade."""
    from nkwatch.views import graded

    for batch in in_batches(store.claim_rows(since=scope.since, until=scope.until)):
        yield from graded(store, batch, ratings)
