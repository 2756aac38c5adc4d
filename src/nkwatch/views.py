"""Read views: what a person looks at, built once for the CLI, the web pages and the API.

A view asks the store for rows and puts them together (a dossier, a story with
its grades, a post with its story); it never writes and never prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from nkwatch.conflicts import Conflict, ConflictRules, Fact, conflicts, fact_of
from nkwatch.lookup import find_entity, find_story
from nkwatch.model import Attribution, ClaimRow, Entity, EntitySummary, Post, PostRow, Story
from nkwatch.ratings import Ratings
from nkwatch.store import Store
from nkwatch.stories import view, views


def outlet_filter(ratings: Ratings, outlet: str | None) -> tuple[str, ...] | None:
    """The names a post's outlet may have to pass an --outlet filter: what was typed first
    (it also matches as part of a name), then every alias of the outlet it names."""
    if not outlet:
        return None
    return tuple(dict.fromkeys((outlet, *ratings.names(outlet))))


def one_name(rows: list[PostRow], ratings: Ratings) -> list[PostRow]:
    """Listing rows with each outlet under its one name (KCNA and Korean Central News Agency
    are one outlet), each once."""
    return [
        dataclasses.replace(
            r, outlets=tuple(dict.fromkeys(ratings.canonical(o) for o in r.outlets))
        )
        for r in rows
    ]


def posts(
    store: Store,
    ratings: Ratings,
    since: dt.date | None = None,
    until: dt.date | None = None,
    outlet: str | None = None,
    limit: int | None = None,
) -> list[PostRow]:
    """Posts newest first, of an outlet under any of its names, each outlet shown once."""
    rows = store.posts(since, until, outlet_filter(ratings, outlet), limit)
    return one_name(rows, ratings)


def entities(
    store: Store,
    ratings: Ratings,
    etype: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    outlet: str | None = None,
    limit: int | None = None,
) -> list[EntitySummary]:
    """Entities reported in the most stories first (a story filed in five places counts
    once), counted over the posts of since/until and the outlet."""
    return store.entities(
        etype,
        limit,
        since=since,
        until=until,
        outlet=outlet_filter(ratings, outlet),
        by_stories=True,
    )


@dataclass(frozen=True)
class Dossier:
    """Everything the knowledge base holds on one entity."""

    entity: Entity
    summary: EntitySummary
    posts: tuple[PostRow, ...]  # newest first, each with its story (a page of them: `offset`)
    grades: dict[str, str]  # story id -> grade ("C3")
    co_mentioned: tuple[EntitySummary, ...]
    timeline: tuple[tuple[str, int], ...]  # (YYYY-MM, posts) in month order
    sources: tuple[tuple[str, int], ...] = ()  # (outlet, posts) over all its posts, most first
    offset: int = 0  # where `posts` starts among all its posts

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(a for a in self.entity.aliases if a != self.entity.name)


def dossier(
    store: Store, name: str, ratings: Ratings, limit: int | None = None, offset: int = 0
) -> Dossier:
    entity_id = find_entity(store, name)
    post_ids = store.entity_post_ids(entity_id)
    page = post_ids[offset : offset + limit] if limit else post_ids[offset:]
    rows = one_name(store.post_rows(page), ratings)
    story_ids = sorted({r.story for r in rows if r.story})
    grades = {s.id: s.grade for s in views(store.story_versions(story_ids), ratings)}
    months: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    canonical: dict[str, str] = {}  # a few outlets recur over thousands of posts
    for r in rows if len(page) == len(post_ids) else store.post_rows(post_ids):
        if r.published:
            months[r.published[:7]] += 1
        for o in r.outlets:
            if o not in canonical:
                canonical[o] = ratings.canonical(o)
        outlets.update(set(canonical[o] for o in r.outlets))
    return Dossier(
        store.entity(entity_id),
        store.entity_summary(entity_id),
        tuple(rows),
        grades,
        tuple(store.co_mentioned(entity_id)),
        tuple(sorted(months.items())),
        tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0].casefold()))),
        offset,
    )


def stories(
    store: Store, ratings: Ratings, limit: int | None = None, min_versions: int = 1
) -> list[Story]:
    """Stories, the newest first."""
    ids = store.story_ids(limit, min_versions)
    order = {sid: n for n, sid in enumerate(ids)}
    return sorted(views(store.story_versions(ids), ratings), key=lambda s: order[s.id])


def story(store: Store, ref: str, ratings: Ratings) -> Story:
    """A story by its id, a former id, or the id of any of its posts."""
    story_id = find_story(store, ref)
    return view(story_id, store.story_versions([story_id]), ratings)


@dataclass(frozen=True)
class PostView:
    post: Post
    story: Story | None
    publisher: str | None

    @property
    def other_versions(self) -> int:
        return len(self.story.versions) - 1 if self.story else 0


def post_view(store: Store, post_id: str, ratings: Ratings) -> PostView:
    """A post with its story; its origins under their outlets' one names."""
    post = store.post(post_id)
    origins = tuple(dataclasses.replace(o, name=ratings.canonical(o.name)) for o in post.origins)
    post = dataclasses.replace(post, origins=tuple(dict.fromkeys(origins)))
    story_id = store.story_of(post.id)
    found = view(story_id, store.story_versions([story_id]), ratings) if story_id else None
    publisher = next(
        (v.publisher for v in (found.versions if found else ()) if v.post_id == post.id), None
    )
    return PostView(post, found, publisher)


def chain(
    publisher: str | None, origins: tuple[str, ...], attributions: tuple[Attribution, ...]
) -> str:
    """'NK Econ Watch quoting Daily NK citing a source in North Pyongan Province [anonymous-source]'."""
    links = [publisher or "this post"]
    links += [f"quoting {o}" for o in origins if o != publisher]
    cited = list(
        dict.fromkeys(f"{a.source} [{a.kind}]" for a in attributions if a.source not in origins)
    )
    if cited:
        links.append("citing " + "; ".join(cited[:6]) + ("; ..." if len(cited) > 6 else ""))
    return " ".join(links)


@dataclass(frozen=True)
class FactSheet:
    """The claims about an entity (as subject, product or place), in period order, and
    those of them that disagree."""

    entity: Entity
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]


def graded(store: Store, rows: list[ClaimRow], ratings: Ratings) -> list[Fact]:
    """Claims with their sources' ratings and their stories' grades."""
    story_ids = sorted({r.story for r in rows if r.story})
    grades = {s.id: s.grade for s in views(store.story_versions(story_ids), ratings)}
    return [fact_of(r, ratings, grades.get(r.story or "")) for r in rows]


def facts(
    store: Store,
    ratings: Ratings,
    name: str,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    rules: ConflictRules | None = None,
) -> FactSheet:
    """A timeline of what is claimed about an entity or in a place, by any of its names."""
    entity_id = find_entity(store, name)
    rows = list(store.claim_rows(entity_id, kind=kind, since=since, until=until))
    found = graded(store, rows, ratings)
    return FactSheet(
        store.entity(entity_id), tuple(found), tuple(conflicts(found, rules or ConflictRules()))
    )


@dataclass(frozen=True)
class SeriesPoint:
    """One month of a series in one place: the median of its claims (a range counts by its
    middle), their spread, how many there are and who makes them."""

    month: str
    place: str | None
    unit: str | None
    per: str | None
    median: float
    low: float
    high: float
    claims: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Series:
    thing: str
    measure: str
    place: str | None
    points: tuple[SeriesPoint, ...]  # by place, unit and denominator, then month
    left_out: int  # claims dated only to a year, or not at all


def series(
    store: Store,
    ratings: Ratings,
    thing: str,
    place: str | None = None,
    measure: str = "price",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Series:
    """A monthly series of one measure of a product (or, for exchange rates, of a currency
    code: USD, CNY), by place."""
    place_id = find_entity(store, place) if place else None
    if measure == "exchange_rate":
        name = thing.strip().upper()
        rows = list(
            store.claim_rows(kind=measure, per=name, place=place_id, since=since, until=until)
        )
    else:
        thing_id = find_entity(store, thing)
        name = store.entity(thing_id).name
        rows = [
            r
            for r in store.claim_rows(
                thing_id, kind=measure, place=place_id, since=since, until=until
            )
            if thing_id in (r.claim.product, r.claim.subject)
        ]
    months: dict[tuple[str, str, str, str], list[Fact]] = {}
    left_out = 0
    for f in (fact_of(r, ratings, None) for r in rows):
        c = f.row.claim
        if c.value is None:
            continue  # a dated event, not a figure of the series
        if c.period is None or c.precision == "year":
            left_out += 1
            continue
        key = (f.row.place_name or "", c.unit or "", c.per or "", c.iso[:7] if c.iso else "")
        months.setdefault(key, []).append(f)
    points = tuple(
        SeriesPoint(
            month,
            where or None,
            unit or None,
            per or None,
            statistics.median(f.middle for f in found),
            min(f.low for f in found),
            max(f.high for f in found),
            len(found),
            tuple(sorted({f.outlet or f.source for f in found}, key=str.casefold)),
        )
        for (where, unit, per, month), found in sorted(months.items())
    )
    shown_place = store.entity(place_id).name if place_id else None
    return Series(name, measure, shown_place, points, left_out)


__all__ = [
    "Dossier",
    "FactSheet",
    "Series",
    "SeriesPoint",
    "PostView",
    "chain",
    "dossier",
    "entities",
    "facts",
    "find_entity",
    "find_story",
    "one_name",
    "outlet_filter",
    "post_view",
    "posts",
    "series",
    "stories",
    "story",
]
