"""The search index kept in step with the store.

The index is derived data. Each ingest adds its new posts, and the other
versions of the stories they joined (their version counts and grades change),
and records the store's ingest counter; `catch_up` compares that counter with
the store's and rebuilds the index when they differ (a killed ingest, an
ingest that had no index to update, a missing or foreign index folder), so a
query never answers silently from a stale index. `entities_named` is the
query expansion: the known entities a query names, under any spelling.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nkwatch.errors import NkwatchError
from nkwatch.model import Story
from nkwatch.names import fold, tokens
from nkwatch.ratings import Ratings
from nkwatch.search import IndexedPost, SearchIndex, SearchResult
from nkwatch.store import Store, is_server
from nkwatch.stories import site_of, views
from nkwatch.views import find_entity

CHUNK = 500  # posts read from the store at a time
FLUSH_POSTS = 5_000  # an ingest commits the index at least this often
LONGEST_NAME = 8  # words: longer spans of a query are not looked up as names


def index_path(db: str, index: str | None = None) -> Path:
    """Where a knowledge base's index lives: given, else NKWATCH_INDEX, else beside the
    SQLite file (`kb.db` -> `kb.db.search`). A server database needs one named."""
    chosen = index or os.environ.get("NKWATCH_INDEX")
    if chosen:
        return Path(chosen)
    if is_server(db):
        raise NkwatchError(
            "a PostgreSQL knowledge base keeps its search index in a folder you name:"
            " pass --index PATH or set NKWATCH_INDEX"
        )
    return Path(f"{db}.search")


def indexed_posts(store: Store, ratings: Ratings, post_ids: list[str]) -> Iterator[IndexedPost]:
    """The index's records of these posts, read from the store in chunks."""
    for i in range(0, len(post_ids), CHUNK):
        posts = store.posts_by_id(post_ids[i : i + CHUNK])
        stories = store.stories_of([p.id for p in posts])
        found: dict[str, Story] = {
            s.id: s for s in views(store.story_versions(sorted(set(stories.values()))), ratings)
        }
        version = {v.post_id: v for s in found.values() for v in s.versions}
        names = store.names_of(sorted({m.entity_id for p in posts for m in p.mentions}))
        for post in posts:
            story = found.get(stories.get(post.id, ""))
            v = version.get(post.id)
            raw = (v.publisher if v else None) or (post.origins[0].name if post.origins else None)
            outlet = (
                ratings.canonical(raw)
                if raw
                else site_of(v.url or post.source if v else post.source)
            )
            rating = ratings.rate(outlet) if outlet else None
            yield IndexedPost(
                id=post.id,
                source=post.source,
                post=post.index,
                title=post.title,
                text=post.text,
                published=post.published,
                outlet=outlet,
                outlet_aliases=rating.aliases if rating else (),
                authors=post.authors,
                origins=tuple(ratings.canonical(o.name) for o in post.origins),
                entities=tuple(
                    (entity_id, str(kind), names.get(entity_id, (name,)))
                    for entity_id, kind, name in sorted(
                        {(m.entity_id, m.type, m.name) for m in post.mentions}
                    )
                ),
                story=story.id if story else None,
                versions=len(story.versions) if story else 1,
                grade=story.grade if story else None,
            )


class Feeder:
    """What one ingest adds to the index, committed every `FLUSH_POSTS` posts and at the end.

    The index records the store's ingest counter only when it has seen every batch up to
    it; a batch another process committed meanwhile leaves the index a step behind, so
    the next `catch_up` rebuilds it."""

    def __init__(self, index: SearchIndex, store: Store, ratings: Ratings):
        self.index, self.store, self.ratings = index, store, ratings
        catch_up(index, store, ratings)
        self.seen = index.stamp()  # store batches this index holds
        self.posts: set[str] = set()
        self.stories: set[str] = set()

    def add(self, post_ids: Iterable[str], story_ids: Iterable[str]) -> None:
        """One committed batch: its new posts and the stories they joined."""
        self.seen += 1
        self.posts.update(post_ids)
        self.stories.update(story_ids)
        if len(self.posts) >= FLUSH_POSTS:
            self.flush()

    def flush(self) -> None:
        if not self.posts and not self.stories:
            return
        ids = sorted(self.posts | set(self.store.post_ids(sorted(self.stories))))
        self.index.add(indexed_posts(self.store, self.ratings, ids), self.seen)
        self.posts.clear()
        self.stories.clear()


def rebuild(index: SearchIndex, store: Store, ratings: Ratings) -> int:
    """The whole index again from the store; returns the posts indexed."""
    stamp = store.ingest_count()
    index.clear()
    return index.add(indexed_posts(store, ratings, store.post_ids()), stamp)


def catch_up(index: SearchIndex, store: Store, ratings: Ratings) -> bool:
    """Rebuild the index when it does not hold what the store holds; True when it did."""
    if index.stamp() == store.ingest_count() and index.count() == store.stats()["posts"]:
        return False
    rebuild(index, store, ratings)
    return True


def entities_named(store: Store) -> Callable[[str], list[tuple[str, str]]]:
    """The query expansion: (entity id, name) of each known entity a query names, found by
    the spelling-blind keys of its names; the longest name wins where names overlap."""

    def expand(query: str) -> list[tuple[str, str]]:
        words = [w for w, _, _ in tokens(query)]
        keys = [fold(w) for w in words]
        taken = [False] * len(words)
        found: list[tuple[str, str]] = []
        for size in range(min(LONGEST_NAME, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                if size == 1 and len(keys[start]) < 4 and not words[start].isupper():
                    continue  # "of", "the", "Kim": too common to name anything alone
                hits = store.entities_by_key(" ".join(keys[start : start + size]))
                if hits:
                    entity_id = hits[0][0]
                    found.append((entity_id, store.entity(entity_id).name))
                    taken[start : start + size] = [True] * size
        return found

    return expand


@dataclass(frozen=True)
class Finder:
    """Search over a knowledge base: the index answers, the store names what filters name
    (an entity by any of its names, a story by any of its posts)."""

    index: SearchIndex
    store: Store

    def __call__(
        self,
        q: str,
        *,
        outlet: str | None = None,
        entity: str | None = None,
        type: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        grade: str | None = None,
        story: str | None = None,
        by_story: bool = False,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResult:
        return self.index.query(
            q,
            outlet=outlet,
            entity=find_entity(self.store, entity) if entity else None,
            type=type,
            since=since,
            until=until,
            grade=grade,
            story=self.store.find_story(story) if story else None,
            by_story=by_story,
            limit=limit,
            offset=offset,
            expand=entities_named(self.store),
        )


def open_finder(store: Store, path: Path, ratings: Ratings) -> Finder:
    """The search of a knowledge base, its index caught up with the store first."""
    index = SearchIndex.open(path)
    catch_up(index, store, ratings)
    return Finder(index, store)
