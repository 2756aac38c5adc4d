"""The flow: read -> split -> describe -> extract -> resolve -> dedupe -> store.

`Pipeline` holds the per-document stages, built once (loading the gazetteer
takes a second), and runs any number of documents. `ingest_paths` adds the
global stages: each batch of documents is written in one transaction, in which
`resolve` names the entities found only in text across the whole knowledge
base and `dedupe` decides each new post's story; the store records what they
decide. `extract_paths` and `ingest_paths` are what the CLI and the Python API
call.
"""

from __future__ import annotations

import gc
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Protocol, TypeVar, overload

from nkwatch import gazetteer as gazetteer_mod
from nkwatch.dedupe import StoryAssigner
from nkwatch.dedupe.prints import Fingerprint
from nkwatch.describe import describe, plain_name
from nkwatch.engines import portable
from nkwatch.extract import Extractor
from nkwatch.facts import Claimer
from nkwatch.model import Claim, Document, Post
from nkwatch.read import (
    MAX_BYTES,
    MAX_CHARS,
    ReadFailure,
    ReadNote,
    read_one,
    read_paths,
    select_files,
)
from nkwatch.resolve import UNKNOWN_MARK, entities_of, found_names
from nkwatch.split import address_of, split
from nkwatch.store import Store


def collect_less() -> None:
    """For a run over many documents, once its stages are built: the objects built so far
    (the gazetteer and its indexes) are frozen out of the cyclic garbage collector, and
    young objects are collected less often. The stages make few reference cycles, so this
    costs little memory and saves a sixth to a fifth of the time of a large ingest; forked
    workers do not copy the frozen objects' pages for the collector's sake."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)


class Pipeline:
    def __init__(self, entities: bool = True):
        self.gazetteer = gazetteer_mod.load()
        self.extractor = Extractor(self.gazetteer) if entities else None

    def canonical_outlet(self, raw: str) -> str:
        """An outlet or institute name as the knowledge base files it."""
        name = plain_name(raw)
        acronym = re.search(r"\(([A-Z][A-Za-z]{1,7})\)\s*$", name)
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", name)
        for form in (name, bare, acronym[1] if acronym else None):
            if (
                form
                and (entry := self.gazetteer.lookup(form))
                and entry.type in ("outlet", "organization")
            ):
                return entry.name
        return bare

    def posts(self, document: Document) -> Sequence[Post]:
        return [self.process(p) for p in split(document)]

    def process(self, post: Post) -> Post:
        """One post as split, described and extracted."""
        done = self.describe(post)
        return self.extractor.extract(done) if self.extractor is not None else done

    def describe(self, post: Post) -> Post:
        """One post as split, described: its title, date, authors and the outlets it cites."""
        return describe(post, self.canonical_outlet)

    def ready(self, post_id: str) -> Ready | None:
        """The claims and fingerprint of a post made ahead of the global stages, elsewhere
        (`Stages`, run by an engine); None here, where they are made as each post is stored."""
        return None

    def left_out(self) -> list[ReadFailure]:
        """Posts a stage failed on after their document was taken (a listing whose posts
        arrive as they are stored), said once each."""
        return []

    def is_new(self, document: Document, store: Store) -> bool:
        """Whether to run the stages on a document read: it is not stored yet. Storing it
        is the last word (a document another writer stored meanwhile adds nothing)."""
        return not store.has_document(document.id)


@dataclass(frozen=True)
class Ready:
    """What the per-document side can make of a post for the global stages: its claims
    (`facts`) and its fingerprint (`dedupe`), the same as they would make of it."""

    claims: tuple[Claim, ...]
    print: Fingerprint


@dataclass(frozen=True)
class Prepared:
    """A document's posts, and for each its claims and fingerprint."""

    posts: list[Post]
    ready: list[Ready]


HELPED_CHARS = 200_000  # a document this long shares its work with a helper, when there is one
PART_POSTS = 256  # a long document's posts go to the helper in parts of at most this many...
PART_CHARS = 64_000  # ...and about this many characters
PARTS_AHEAD = 8  # parts being made while the global stages take the one before them

Finished = tuple[Post, Ready] | BaseException  # a post with its claims and fingerprint, or why not


class Helper(Protocol):
    """Other processes that make a listing's posts, a part at a time, while this one
    stores those before them. Each call returns what waits for the answer."""

    def finished(self, posts: list[Post]) -> Callable[[], list[Finished]]: ...


class Stages:
    """The per-document work an engine can do elsewhere, ahead of the global stages:
    posts from the pipeline, and the claims and fingerprint of each."""

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline
        self.claimer = Claimer(pipeline.gazetteer)
        self.prints = StoryAssigner()

    def fingerprint(self, post: Post, address: str | None) -> Fingerprint:
        fp = self.prints.fingerprint(post, address)
        _ = fp.band_keys  # made here, not by the global stages
        return fp

    def finish(self, posts: list[Post]) -> list[Finished]:
        """Posts of a listing as split: each described and extracted, with its claims and
        fingerprint; one a stage fails on gives the exception in its place."""
        out: list[Finished] = []
        for post in posts:
            try:
                done = self.pipeline.process(post)
                out.append((done, Ready(self.claimer.claims(done), self.fingerprint(done, None))))
            except Exception as exc:  # a defect in a stage must not sink the rest
                out.append(portable(exc))
        return out

    def prepare(self, document: Document) -> Prepared:
        posts = list(self.pipeline.posts(document))
        address = address_of(document) if len(posts) == 1 else None
        ready = [Ready(self.claimer.claims(p), self.fingerprint(p, address)) for p in posts]
        return Prepared(posts, ready)

    def share(self, document: Document, helper: Helper) -> Prepared | Arriving:
        """A document's work, a long one's shared with the `helper`: a listing's posts (a
        long post's parts, `split.in_parts`) are made there, a part at a time, and arrive
        in order as the global stages take them. The result is the same as `prepare`'s."""
        if self.pipeline.extractor is None or len(document.text) < HELPED_CHARS:
            return self.prepare(document)
        posts = split(document)
        if len(posts) > 1:
            return Arriving(document, len(posts), map(helper.finished, parts(posts)))
        return self.prepare(document)

    def outcomes(self, documents: Sequence[Document]) -> list[Prepared | BaseException]:
        """Each document prepared, in order; one a stage fails on gives the exception in its
        place (the rest go on), as it can travel back from another process."""
        return each(documents, self.prepare)

    def shared(
        self, documents: Sequence[Document], helper: Helper
    ) -> list[Prepared | Arriving | BaseException]:
        """`outcomes`, with long documents shared with the helper (`share`)."""
        return each(documents, partial(self.share, helper=helper))


T = TypeVar("T")


def each(documents: Sequence[Document], stage: Callable[[Document], T]) -> list[T | BaseException]:
    out: list[T | BaseException] = []
    for document in documents:
        try:
            out.append(stage(document))
        except Exception as exc:  # a defect in a stage must not sink the rest
            out.append(portable(exc))
    return out


def parts(posts: list[Post]) -> Iterator[list[Post]]:
    """The posts in runs of at most PART_POSTS posts and about PART_CHARS characters."""
    part: list[Post] = []
    chars = 0
    for post in posts:
        part.append(post)
        chars += len(post.text)
        if len(part) >= PART_POSTS or chars >= PART_CHARS:
            yield part
            part, chars = [], 0
    if part:
        yield part


class Arriving:
    """A listing's posts as a helper makes them (`Stages.finish`), part after part: the
    global stages store the first while the next PARTS_AHEAD are being made (the helper
    is not kept busier than the global stages can use). A post a stage fails on is left
    out and said (`left_out`); its neighbours are kept."""

    def __init__(
        self, document: Document, count: int, parts: Iterator[Callable[[], list[Finished]]]
    ):
        self.document = document
        self.count = count  # posts split
        self.parts = parts  # each part is sent to the helper as it is drawn
        self.ahead = deque(islice(parts, PARTS_AHEAD))  # sent now
        self.left_out: list[ReadFailure] = []

    def posts(self, made: dict[str, Ready]) -> Iterator[Post]:
        """The posts in order, each one's claims and fingerprint filed in `made` first."""
        while self.ahead:
            part = self.ahead.popleft()
            self.ahead.extend(islice(self.parts, 1))
            for finished in part():
                if isinstance(finished, BaseException):
                    self.left_out.append(
                        stage_failure(self.document.source, finished, "a post of it")
                    )
                    continue
                post, ready = finished
                made[post.id] = ready
                yield post


class Taken(Sequence[Post]):
    """A listing's posts for the global stages, taken as they arrive; its length is the
    posts split (those a stage fails on are left out as they come)."""

    def __init__(self, coming: Iterator[Post], count: int):
        self._coming = coming
        self._seen: list[Post] = []
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Post]:
        yield from self._seen
        for post in self._coming:
            self._seen.append(post)
            yield post

    @overload
    def __getitem__(self, index: int) -> Post: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Post]: ...
    def __getitem__(self, index: int | slice) -> Post | Sequence[Post]:
        return list(self)[index]


def stage_failure(source: str, exc: BaseException, what: str = "it") -> ReadFailure:
    return ReadFailure(
        source, f"nkwatch failed on {what} ({type(exc).__name__}: {exc}); please report this"
    )


class MadeAhead(Pipeline):
    """The Pipeline the global stages see when an engine made the posts ahead (`Stages`,
    elsewhere): each document's posts as made there, and each post's claims and
    fingerprint, taken once by the batch that stores it. `prepared` is the engine's."""

    def __init__(self, gazetteer: gazetteer_mod.Gazetteer) -> None:
        self.gazetteer = gazetteer  # resolve and the claims' entities need it here
        self.extractor = None
        self.made: dict[str, Ready] = {}
        self.arriving: list[Arriving] = []  # listings whose posts are still being taken

    def prepared(self, document: Document) -> Prepared | Arriving:
        raise NotImplementedError

    def posts(self, document: Document) -> Sequence[Post]:
        prepared = self.prepared(document)
        if isinstance(prepared, Arriving):
            self.arriving.append(prepared)
            return Taken(prepared.posts(self.made), prepared.count)
        self.made.update(zip([p.id for p in prepared.posts], prepared.ready, strict=True))
        return list(prepared.posts)

    def left_out(self) -> list[ReadFailure]:
        failures = [f for a in self.arriving for f in a.left_out]
        self.arriving.clear()
        return failures

    def ready(self, post_id: str) -> Ready | None:
        return self.made.pop(post_id, None)


@dataclass
class IngestReport:
    files: int = 0
    documents: int = 0
    new_documents: int = 0  # committed: kept whatever happens to the rest of the run
    posts: int = 0
    failures: list[ReadFailure] = field(default_factory=list)
    skipped_items: int = 0  # items of files left out on purpose (KCNA items with no text)
    left_out: list[str] = field(default_factory=list)  # files --exclude or the defaults left out
    notes: list[ReadNote] = field(default_factory=list)  # what was left out of items kept
    interrupted: bool = False  # stopped by Ctrl-C (or SIGINT): committed batches are kept


@dataclass(frozen=True)
class Progress:
    """Where an ingest is: files and documents done, with the totals known so far."""

    source: str  # the file being read
    files_done: int
    files_total: int | None
    items_done: int  # documents of this file done
    items_total: int | None  # documents in this file, once it is read
    documents: int  # documents done in all
    posts: int  # posts stored so far


@dataclass
class Tally:
    """What the reader knows ahead of the pipeline: how many files there are, how many
    documents the current file holds, how many items it left out."""

    files: int | None = None
    read: int = 0  # files read so far
    file: str | None = None  # the file being read
    items: int | None = None
    skipped: int = 0
    notes: list[ReadNote] = field(default_factory=list)


@dataclass(frozen=True)
class Batching:
    """When a batch is committed: after this many documents, or this many seconds of work,
    or at the end of a file, whichever comes first. Time bounds the batches of ordinary
    documents; the count bounds those of very short items, whose commits would otherwise
    cost more than their work (each rewrites the pages of the band index it touched)."""

    documents: int = 1000
    seconds: float = 2.0


def extract_paths(
    paths: list[Path],
    pipeline: Pipeline | None = None,
    max_bytes: int = MAX_BYTES,
    exclude: Sequence[str] = (),
    on_note: Callable[[ReadNote], None] | None = None,
    max_chars: int = MAX_CHARS,
) -> Iterator[Post | ReadFailure]:
    """Posts of every document under the paths, in reading order; a file (or an item in
    it) that cannot be read is yielded as a ReadFailure, never raised, and so is a post a
    stage fails on, in its place (its neighbours are kept). `on_note` hears what was left
    out of items kept (a date outside the calendar)."""
    pipeline = pipeline or Pipeline()
    for item in read_paths(paths, max_bytes, exclude, on_note, max_chars):
        if isinstance(item, ReadFailure):
            yield item
            continue
        try:
            posts = split(item)
        except Exception as exc:  # a defect in a stage must not sink the rest
            yield stage_failure(item.source, exc)
            continue
        for post in posts:
            try:
                yield pipeline.process(post)
            except Exception as exc:
                yield stage_failure(item.source, exc, "a post of it")


def ingest_paths(
    paths: list[Path],
    store: Store | Callable[[], Store],
    pipeline: Pipeline | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[Progress], None] | None = None,
    on_stored: Callable[[Stored], None] | None = None,
    exclude: Sequence[str] = (),
    batching: Batching = Batching(),
    max_chars: int = MAX_CHARS,
) -> IngestReport:
    """Read, process and store every document under the paths (see `ingest_items`).
    `store` may be a function that opens it: it is called only once there is a document to
    store, so nothing is created when nothing could be read."""
    selection = select_files(paths, exclude)
    tally = Tally(files=len(selection.files))
    items = read_files(selection.files, tally, max_bytes, max_chars)
    report = ingest_items(items, store, pipeline, progress, on_stored, batching, tally)
    report.left_out = [str(p) for p in selection.left_out]
    return report


def read_files(
    files: Iterable[Path], tally: Tally, max_bytes: int, max_chars: int
) -> Iterator[Document | ReadFailure]:
    """The items of each file in turn, told to `tally` as each file is read."""
    for path in files:
        reading = read_one(path, max_bytes, max_chars)
        tally.read += 1
        tally.file = str(path)
        tally.items = len(reading.items)
        tally.skipped += reading.skipped
        tally.notes.extend(reading.notes)
        yield from reading.items


def ingest_items(
    items: Iterable[Document | ReadFailure],
    store: Store | Callable[[], Store],
    pipeline: Pipeline | None = None,
    progress: Callable[[Progress], None] | None = None,
    on_stored: Callable[[Stored], None] | None = None,
    batching: Batching = Batching(),
    tally: Tally | None = None,
) -> IngestReport:
    """Process and store documents as a reader yields them. Work is committed in batches
    (by count, by time, and at the end of each file), so an interruption (Ctrl-C: the report
    says `interrupted`) or a kill keeps every committed batch, and running the same ingest
    again goes on from there. `on_stored` hears of each committed batch that added
    something (the search index)."""
    pipeline = pipeline or Pipeline()
    tally = tally or Tally()
    stories = StoryAssigner()
    report = IngestReport()
    batch: list[tuple[Document, Sequence[Post]]] = []
    started = time.monotonic()
    current: str | None = None
    done_in_file = 0
    opened: list[Store] = [store] if not callable(store) else []

    def kb() -> Store:
        if not opened:
            assert callable(store)
            opened.append(store())
        return opened[0]

    def flush() -> None:
        nonlocal started
        started = time.monotonic()
        if batch:
            stored = store_batch(kb(), batch, pipeline, stories)
            report.new_documents += stored.documents
            report.posts += len(stored.posts)
            report.failures.extend(pipeline.left_out())
            batch.clear()
            if on_stored is not None and stored.documents:
                on_stored(stored)

    def tell(source: str) -> None:
        if progress is not None:
            progress(
                Progress(
                    tally.file or source,
                    tally.read if tally.files is not None else report.files,
                    tally.files,
                    done_in_file,
                    tally.items,
                    report.documents,
                    report.posts,
                )
            )

    try:
        for item in items:
            if isinstance(item, ReadFailure):
                report.failures.append(item)
                if item.source != current:
                    current = item.source
                    report.files += 1
                    done_in_file = 0
                tell(item.source)
                continue
            if item.file_sha256 != current:
                flush()
                current = item.file_sha256
                report.files += 1
                done_in_file = 0
                tell(item.source)
            report.documents += 1
            done_in_file += 1
            if pipeline.is_new(item, kb()):
                try:
                    posts = pipeline.posts(item)
                except Exception as exc:  # a defect in a stage must not sink the rest
                    report.failures.append(stage_failure(item.source, exc))
                else:
                    batch.append((item, posts))
            if len(batch) >= batching.documents or time.monotonic() - started >= batching.seconds:
                flush()
            tell(item.source)
        flush()
    except KeyboardInterrupt:
        report.interrupted = (
            True  # the batch in hand is dropped: its transaction never began or rolled back
        )
    report.skipped_items = tally.skipped
    report.notes = list(tally.notes)
    if tally.files is not None:  # the reader counted them, item failures and all
        report.files = tally.read
    return report


@dataclass(frozen=True)
class Stored:
    """What one committed batch added: new documents, new posts, the stories they joined."""

    documents: int
    posts: tuple[str, ...]
    stories: tuple[str, ...]


def store_batch(
    store: Store,
    batch: list[tuple[Document, Sequence[Post]]],
    pipeline: Pipeline,
    stories: StoryAssigner,
) -> Stored:
    """The global stages over one batch, in one transaction."""
    new_documents = 0
    post_ids: list[str] = []
    story_ids: set[str] = set()
    claimer = Claimer(pipeline.gazetteer)
    with store.writing() as kb:
        stories.begin(kb)
        found: set[str] = set()
        fresh = kb.add_documents([document for document, _ in batch])
        for document, posts in batch:
            if document.id not in fresh:
                continue  # stored before (by another writer, or earlier in this batch)
            fresh.discard(document.id)
            new_documents += 1
            address = address_of(document)
            for post in posts:
                kb.add_post(post, entities_of(post, pipeline.gazetteer))
                ready = pipeline.ready(post.id)
                claims = ready.claims if ready else claimer.claims(post)
                kb.add_claims(claims, claimer.entities(post, claims))
                decision = stories.decide(
                    kb, post, address if len(posts) == 1 else None, ready.print if ready else None
                )
                kb.file_story(decision, later=stories.alone)
                post_ids.append(post.id)
                story_ids.add(decision.story_id)
                found.update(m.entity_id for m in post.mentions if UNKNOWN_MARK in m.entity_id)
        for entity_id, name in found_names(kb.mention_texts(found)).items():
            kb.rename_entity(entity_id, name)
        if new_documents:
            stories.committed(kb.count_ingest())
    return Stored(new_documents, tuple(post_ids), tuple(sorted(story_ids)))
