"""The dedupe stage: where each new post goes, given the posts stored before it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import Protocol

from nkwatch.dedupe.prints import Fingerprint
from nkwatch.dedupe.rules import judge
from nkwatch.dedupe.thresholds import DEFAULT, Thresholds
from nkwatch.model import LinkKind, Post, StoryDecision, StoryLink, digest
from nkwatch.names import Keys

MAX_CANDIDATES = 50  # the most promising matches per new post, by shared bands
BAND_CAP = 50  # posts kept under one band key: more share only boilerplate or one story
CROWDED_CANDIDATES = 10  # the most judged of the posts found under crowded keys only
SHINGLES_KEPT = 600_000  # fingerprints kept, counted by their word runs (about 100 MB):
# the posts just stored are the likeliest matches of the next; short ones, many more of them
PRINT_WEIGHT = 12  # what a fingerprint holds besides its word runs, as many word runs


def story_id_of(first_post_id: str) -> str:
    """A story is named after its smallest post id, so its id does not depend on ingest order."""
    return "st-" + digest("story", first_post_id)[:12]


def weight(fp: Fingerprint) -> int:
    """What keeping a fingerprint costs, in word runs (about 150 bytes each)."""
    return len(fp.shingles) + PRINT_WEIGHT


def top(counts: list[tuple[str, int]], n: int) -> list[tuple[str, int]]:
    """The `n` posts sharing most keys, most first, then by id."""
    if len(counts) > n:  # only those that tie the last place or beat it are sorted
        last = sorted([count for _, count in counts], reverse=True)[n - 1]
        counts = [item for item in counts if item[1] >= last]
    # by id, then (a stable sort) by count, most first
    return sorted(sorted(counts), key=itemgetter(1), reverse=True)[:n]


class Candidates(Protocol):
    """What the stage asks of the store (a write transaction's `Batch`)."""

    def is_empty(self) -> bool: ...
    def batches(self) -> int: ...
    def twin_of(self, exact: str) -> str | None: ...
    def band_counts(self, keys: Sequence[int]) -> list[tuple[str, int]]: ...
    def band_members(self, keys: Sequence[int]) -> dict[int, list[str]]: ...
    def crowded_bands(self, keys: Sequence[int], cap: int) -> set[int]: ...
    def post_prints(
        self, post_ids: Sequence[str]
    ) -> dict[str, tuple[str, str | None, str | None]]: ...
    def stories_of(self, post_ids: Sequence[str]) -> dict[str, str]: ...
    def first_posts(self, story_ids: Sequence[str]) -> list[str]: ...


class Index(Protocol):
    """The questions about stored posts' bands, hashes and stories: the store's, or a
    run's own."""

    def twin_of(self, exact: str) -> str | None: ...
    def stories_of(self, post_ids: Sequence[str]) -> dict[str, str]: ...
    def first_posts(self, story_ids: Sequence[str]) -> list[str]: ...
    def band_counts(self, keys: Sequence[int]) -> list[tuple[str, int]]: ...
    def band_members(self, keys: Sequence[int]) -> dict[int, list[str]]: ...
    def crowded_bands(self, keys: Sequence[int], cap: int) -> set[int]: ...


class RunIndex:
    """The band keys and exact hashes of the posts one run filed, answering as the store
    would about them. It stands in for the store while the run is alone: the knowledge
    base held no post when the run began and no other writer has committed since."""

    def __init__(self) -> None:
        self.bands: dict[int, list[str]] = {}
        self.exact: dict[str, str] = {}
        self.story: dict[str, str] = {}  # each post's story
        self.members: dict[str, list[str]] = {}  # each story's posts
        self.first: dict[str, str] = {}  # each story's smallest post id

    def twin_of(self, exact: str) -> str | None:
        return self.exact.get(exact)

    def stories_of(self, post_ids: Sequence[str]) -> dict[str, str]:
        return {p: self.story[p] for p in post_ids if p in self.story}

    def first_posts(self, story_ids: Sequence[str]) -> list[str]:
        return [self.first[s] for s in sorted(set(story_ids)) if s in self.first]

    def band_counts(self, keys: Sequence[int]) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for key in keys:
            if (members := self.bands.get(key)) is not None:
                counts.update(members)
        return list(counts.items())

    def band_members(self, keys: Sequence[int]) -> dict[int, list[str]]:
        return {k: list(self.bands.get(k, ())) for k in keys}

    def crowded_bands(self, keys: Sequence[int], cap: int) -> set[int]:
        bands = self.bands
        return {k for k in keys if k in bands and len(bands[k]) >= cap}

    def file(self, d: StoryDecision) -> None:
        self.exact.setdefault(d.exact, d.post_id)
        for key in d.band_keys:
            self.bands.setdefault(key, []).append(d.post_id)
        members = self.members.setdefault(d.story_id, [])
        for old in d.merged:  # the stories the post joined move into its story
            for post_id in self.members.pop(old, []):
                self.story[post_id] = d.story_id
                members.append(post_id)
            del self.first[old]
        self.story[d.post_id] = d.story_id
        members.append(d.post_id)
        # the story is named after the smallest post of the post and the stories it joined
        self.first[d.story_id] = min(d.post_id, self.first.get(d.story_id, d.post_id))


class StoryAssigner:
    """The dedupe stage: where each new post goes, given the posts stored before it."""

    def __init__(self, thresholds: Thresholds = DEFAULT, kept: int = SHINGLES_KEPT):
        self.thresholds = thresholds
        self.keys = Keys()
        self._kept = kept  # word runs of the fingerprints kept, at most
        self._held = 0  # ...and now
        self._prints: OrderedDict[str, Fingerprint] = OrderedDict()
        # The posts under each crowded band key: no post is filed under it again, so the
        # list is final and is read once per run instead of once per post that shares it.
        self._crowded: dict[int, tuple[str, ...]] = {}
        self._run: RunIndex | None = None  # while this run is alone in a new knowledge base
        self._began = False
        self._batches = 0  # write batches committed, as of this run's last

    @property
    def alone(self) -> bool:
        """Whether this run's own index answers for the store (so the store may write a
        story's rows at the end of the batch)."""
        return self._run is not None

    def begin(self, store: Candidates) -> None:
        """A write batch begins: the run's index answers for the store only while the run is
        alone, from a knowledge base with no post, with no batch but its own since."""
        batches = store.batches()
        if not self._began:
            self._began = True
            self._run = RunIndex() if store.is_empty() else None
        elif batches != self._batches:
            self._run = None  # another writer has committed: ask the store from now on
        self._batches = batches

    def committed(self, batches: int) -> None:
        """This run's batch is counted (`batches` in all): the next begins from there."""
        self._batches = batches

    def fingerprint(self, post: Post, address: str | None = None) -> Fingerprint:
        return Fingerprint(post.text, post.published, post.title, self.keys, address)

    def decide(
        self,
        store: Candidates,
        post: Post,
        address: str | None = None,
        fp: Fingerprint | None = None,
    ) -> StoryDecision:
        """Where `post` goes; `address` is its page's, when the page holds only this post.
        `fp` is the post's fingerprint when it was made ahead (with that address)."""
        fp = fp or self.fingerprint(post, address)
        index: Index = self._run or store
        links: list[StoryLink] = []
        keys: tuple[int, ...] = ()
        twin = index.twin_of(fp.exact)
        if twin is not None:  # exact copies join by hash and add nothing to the index
            links.append(StoryLink(twin, post.id, LinkKind.SAME_TEXT, 1.0, "the same text"))
        else:
            every = fp.band_keys
            band = fp.address_band
            peers = set(self.candidates(index, [band])) if band else set()
            others = dict.fromkeys([*self.candidates(index, every), *sorted(peers)])
            self._fetch(store, [other for other in others if other not in self._prints])
            for other in others:
                match = judge(self._print_of(store, other), fp, self.thresholds, other in peers)
                if match:
                    links.append(StoryLink(other, post.id, match.kind, match.score, match.reason))
            # A band key shared by BAND_CAP posts already says nothing new: it is not filed
            # again, so every look-up stays bounded however large the store grows.
            keys = tuple(k for k in every if k not in self._crowded)
        self._remember(post.id, fp)
        joined = sorted(set(index.stories_of([x.old for x in links]).values()))
        story = story_id_of(min([post.id, *index.first_posts(joined)]))
        decision = StoryDecision(
            post.id, fp.exact, keys, story, tuple(links), tuple(s for s in joined if s != story)
        )
        if self._run is not None:
            self._run.file(decision)
        return decision

    def candidates(self, store: Index, keys: Sequence[int]) -> list[str]:
        """Stored posts sharing band keys with these, most shared first (then by id), at
        most MAX_CANDIDATES. Of those that share only crowded keys (each filed under
        BAND_CAP posts already), at most CROWDED_CANDIDATES are taken: a crowded key is a
        formula many posts share, or one story's, which its likeliest few stand for."""
        keys = list(dict.fromkeys(keys))
        unknown = [k for k in keys if k not in self._crowded]
        crowded = store.crowded_bands(unknown, BAND_CAP) if unknown else set()
        if crowded:
            for key, posts in store.band_members(sorted(crowded)).items():
                self._crowded[key] = tuple(posts)
        crowd = [self._crowded[k] for k in keys if k in self._crowded]
        rest = [k for k in keys if k not in self._crowded]
        counts = Counter(chain.from_iterable(crowd))
        free = store.band_counts(rest) if rest else []
        ranked = [(post_id, n + counts.pop(post_id, 0)) for post_id, n in free]
        if counts:  # posts that share crowded keys only
            ranked += top(list(counts.items()), CROWDED_CANDIDATES)
        return [post_id for post_id, _ in top(ranked, MAX_CANDIDATES)]

    def _print_of(self, store: Candidates, post_id: str) -> Fingerprint:
        fp = self._prints.get(post_id)
        if fp is None:
            fp = self._fetch(store, [post_id])[post_id]
        else:
            self._prints.move_to_end(post_id)
        return fp

    def _fetch(self, store: Candidates, post_ids: list[str]) -> dict[str, Fingerprint]:
        """The fingerprints of stored posts, made again from their text (asked at once)."""
        if not post_ids:
            return {}
        made = {}
        for post_id, (text, published, title) in store.post_prints(post_ids).items():
            day = dt.date.fromisoformat(published) if published else None
            made[post_id] = fp = Fingerprint(text, day, title, self.keys)
            self._remember(post_id, fp)
        return made

    def _remember(self, post_id: str, fp: Fingerprint) -> None:
        if (old := self._prints.pop(post_id, None)) is not None:
            self._held -= weight(old)
        self._prints[post_id] = fp
        self._held += weight(fp)
        while self._held > self._kept and len(self._prints) > 1:
            _, dropped = self._prints.popitem(last=False)
            self._held -= weight(dropped)
