"""The in-process ingest with its per-document work done ahead, in worker processes on
this machine: split, describe and extract, and each post's claims and fingerprint.

The workers are forks of this process made once its stages are built, before the
knowledge base is opened: they start at once and share the gazetteer's pages. New
documents go to them in chunks, a bounded number ahead of the global stages, and come
back in reading order whatever order the workers finish in. Resolve, dedupe and store
stay here and see the same posts in the same order, so the knowledge base is the one
the in-process ingest makes, byte for byte.

A document the stages fail on is reported as in-process. A worker that dies takes
nothing with it: its chunk, and everything after it, is done here instead. A lone
document (a single file of one document) is not sent whole: a long one shares its work
with the workers (`Stages.share`), a listing's posts made there a part at a time as the
global stages store them. The workers run at a lower priority than this process, whose
global stages every post waits for.

    report = ingest_paths([Path("archive/")], store, Pipeline(), jobs=2)
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from nkwatch.engines import Opener
from nkwatch.model import Document, Post
from nkwatch.pipeline import (
    Arriving,
    Batching,
    Finished,
    IngestReport,
    MadeAhead,
    Pipeline,
    Prepared,
    Progress,
    Stages,
    Stored,
    Tally,
    ingest_items,
    read_files,
)
from nkwatch.read import MAX_BYTES, MAX_CHARS, ReadFailure, select_files
from nkwatch.store import Store

MAX_JOBS = 8
WORTH_BYTES = 256 * 1024  # less input than this is done sooner than workers start
WORKER_NICE = 10  # the global stages here come first when the cores are all busy
T = TypeVar("T")


def can_fork() -> bool:
    """Whether workers can be forks of this process: where fork is the way processes are
    started (Linux); macOS and Windows start them afresh, which would cost a gazetteer
    load each."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def size_of(files: Sequence[Path]) -> int:
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            continue  # the reader says what is wrong with it
    return total


def default_jobs() -> int:
    """Workers beside this process: one per core (the global stages here wait on them much
    of the time), none on a single core, where sending work costs more than it saves, or
    where workers cannot be forks of this process."""
    cores = os.cpu_count() or 1
    return min(MAX_JOBS, cores) if cores > 1 and can_fork() else 0


@dataclass(frozen=True)
class Flow:
    """How work is sent: documents per chunk, and at most how many documents and
    characters are in flight ahead of the global stages."""

    chunk: int = 16
    ahead: int = 2048  # the workers go on while the global stages commit and feed the index
    ahead_chars: int = 32_000_000


_forked: Stages | None = None  # a worker's stages: set before the fork, inherited


def _quiet() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.nice(WORKER_NICE)


def _started() -> None:
    """Nothing: each worker runs it once, so that all are forked before anything else."""


def _stages() -> Stages:
    assert _forked is not None, "a worker is a fork of a process that set its stages"
    return _forked


def _prepare(documents: Sequence[Document]) -> list[Prepared | BaseException]:
    return _stages().outcomes(documents)


def _finish(posts: list[Post]) -> list[Finished]:
    return _stages().finish(posts)


class Workers:
    """The worker processes, forked now, with the stages they inherit."""

    def __init__(self, stages: Stages, jobs: int):
        global _forked
        _forked = stages
        context = multiprocessing.get_context("fork")
        self.executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_quiet)
        try:
            for started in [self.executor.submit(_started) for _ in range(jobs)]:
                started.result()  # every worker forks now, before anything else is opened
        finally:
            _forked = None

    def submit(self, documents: list[Document]) -> Future[list[Prepared | BaseException]]:
        return self.executor.submit(_prepare, documents)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class Helping:
    """The workers as a `Helper` to this process's work on one long document (a listing's
    posts, a long post's parts): a worker that dies leaves its part to be done here."""

    def __init__(self, workers: Workers, stages: Stages):
        self.workers = workers
        self.stages = stages

    def finished(self, posts: list[Post]) -> Callable[[], list[Finished]]:
        return self.later(_finish, self.stages.finish, posts)

    def later(self, there: Callable[..., T], here: Callable[..., T], *args: Any) -> Callable[[], T]:
        """`there(*args)` on a worker, or `here(*args)` in this process if the workers are
        gone (before or after it is sent)."""
        try:
            future = self.workers.executor.submit(there, *args)
        except BrokenProcessPool:
            return partial(here, *args)

        def result() -> T:
            try:
                return future.result()
            except BrokenProcessPool:
                return here(*args)

        return result


@dataclass
class Entry:
    """One item in reading order, with the chunk its document went out in."""

    item: Document | ReadFailure
    chunk: Chunk | None = None
    index: int = 0


@dataclass
class Chunk:
    """Documents sent together (or done here: no future), and what came of them."""

    documents: list[Document]
    future: Future[list[Prepared | BaseException]] | None
    outcomes: Sequence[Prepared | Arriving | BaseException] | None = None


class Feed:
    """Items in reading order for the global stages, prepared ahead on the workers."""

    def __init__(self, stages: Stages, workers: Workers | None, kb: Opener, flow: Flow):
        self.stages = stages
        self.workers = workers
        self.kb = kb
        self.flow = flow
        self.current: Entry | None = None
        self.pipeline = PooledPosts(self)

    def items(self, source: Iterator[Document | ReadFailure]) -> Iterator[Document | ReadFailure]:
        waiting: deque[Entry] = deque()
        unsent: deque[Entry] = deque()
        ahead = chars = 0  # new documents read and not yet handed on, and their characters
        more = True
        while True:
            while more and ahead < self.flow.ahead and chars < self.flow.ahead_chars:
                read = list(islice(source, self.flow.chunk))  # the store is asked once for them
                more = len(read) == self.flow.chunk
                ids = [item.id for item in read if isinstance(item, Document)]
                known = self.kb().known_documents(ids) if ids else set()
                for item in read:
                    waiting.append(entry := Entry(item))
                    if isinstance(item, Document) and item.id not in known:
                        unsent.append(entry)
                        ahead += 1
                        chars += len(item.text)
            while len(unsent) >= self.flow.chunk or (unsent and not more):
                self.send(unsent, alone=not more and len(unsent) == 1 and ahead == 1)
            if not waiting:
                return
            entry = waiting.popleft()
            if entry.chunk is not None:
                ahead -= 1
                chars -= len(entry.item.text) if isinstance(entry.item, Document) else 0
            self.current = entry
            yield entry.item

    def send(self, unsent: deque[Entry], alone: bool) -> None:
        entries = [unsent.popleft() for _ in range(min(self.flow.chunk, len(unsent)))]
        documents = [e.item for e in entries if isinstance(e.item, Document)]
        future = None
        if self.workers is not None and not alone:
            try:
                future = self.workers.submit(documents)
            except BrokenProcessPool:
                self.workers = None  # a worker died: the rest is done here
        chunk = Chunk(documents, future)
        for index, entry in enumerate(entries):
            entry.chunk, entry.index = chunk, index

    def is_new(self, document: Document) -> bool | None:
        """What the store said of the document as it was read (None: not asked then)."""
        entry = self.current
        if entry is None or entry.item is not document:
            return None
        return entry.chunk is not None

    def prepared(self, document: Document) -> Prepared | Arriving:
        entry = self.current
        got: Prepared | Arriving | BaseException
        if entry is None or entry.item is not document or entry.chunk is None:
            got = self.stages.outcomes([document])[0]  # known when read, new now: cannot be
        else:
            chunk = entry.chunk
            if chunk.outcomes is None:
                chunk.outcomes = self.outcomes(chunk)
            got = chunk.outcomes[entry.index]
        if isinstance(got, BaseException):
            raise got
        return got

    def outcomes(self, chunk: Chunk) -> Sequence[Prepared | Arriving | BaseException]:
        if chunk.future is not None:
            try:
                return chunk.future.result()
            except BrokenProcessPool:
                self.workers = None  # a worker died with this chunk: do it here
        if self.workers is None:
            return self.stages.outcomes(chunk.documents)
        return self.stages.shared(chunk.documents, Helping(self.workers, self.stages))

    def drop(self) -> None:
        if self.workers is not None:
            self.workers.close()


class PooledPosts(MadeAhead):
    """The Pipeline the global stages see: its posts, claims and fingerprints are the
    feed's, made ahead."""

    def __init__(self, feed: Feed) -> None:
        super().__init__(feed.stages.pipeline.gazetteer)
        self.feed = feed

    def prepared(self, document: Document) -> Prepared | Arriving:
        return self.feed.prepared(document)

    def is_new(self, document: Document, store: Store) -> bool:
        """As the store said when the document was read: its work is under way if so."""
        said = self.feed.is_new(document)
        return super().is_new(document, store) if said is None else said


def ingest_paths(
    paths: list[Path],
    store: Store | Callable[[], Store],
    pipeline: Pipeline | None = None,
    jobs: int | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[Progress], None] | None = None,
    on_stored: Callable[[Stored], None] | None = None,
    exclude: Sequence[str] = (),
    batching: Batching | None = None,
    max_chars: int = MAX_CHARS,
    flow: Flow | None = None,
) -> IngestReport:
    """`nkwatch.pipeline.ingest_paths` with the per-document work on `jobs` worker
    processes (default: `default_jobs()`)."""
    stages = Stages(pipeline or Pipeline())
    selection = select_files(paths, exclude)
    if jobs is None:
        jobs = default_jobs() if size_of(selection.files) >= WORTH_BYTES else 0
    workers = Workers(stages, jobs) if jobs > 0 and can_fork() else None
    tally = Tally(files=len(selection.files))
    feed = Feed(stages, workers, Opener(store), flow or Flow())
    try:
        items = feed.items(read_files(selection.files, tally, max_bytes, max_chars))
        report = ingest_items(
            items, feed.kb, feed.pipeline, progress, on_stored, batching or Batching(), tally
        )
    finally:
        feed.drop()
    report.left_out = [str(p) for p in selection.left_out]
    return report
