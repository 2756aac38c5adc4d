"""The ingest on Dask: read, split, describe and extract on workers, with each post's
claims and dedupe fingerprint (`pipeline.Stages`); resolve, dedupe and store here, in
reading order.

Files are read on the workers (a few files ahead), the new documents go back to them in
chunks (a bounded number of documents in flight, earlier ones first), and their posts
are taken back in the order the documents were read, whatever order the workers finish
in. The global stages are the in-process ingest's own (`pipeline.ingest_items`, batches,
Ctrl-C and all), so the same documents give the same posts, entity ids, stories and
grades on any number of workers.

A worker that dies loses nothing: the scheduler gives its tasks to another worker (and a
task that fails is tried again, `Flow.retries`). A document a stage fails on is reported
like an unreadable file, as in the in-process ingest.

    with connect(Cluster(workers=2)) as client:
        report = ingest_paths([Path("archive/")], store, client)

The workers must see the files at the paths given (a local cluster does; a remote one
needs them on a shared or copied folder, at the same paths) and have nkwatch installed.
"""

from __future__ import annotations

import logging
import signal
import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nkwatch.engines import Opener
from nkwatch.errors import EngineError, MissingExtra
from nkwatch.gazetteer import load as gazetteer_load
from nkwatch.model import Document
from nkwatch.pipeline import (
    Batching,
    IngestReport,
    MadeAhead,
    Pipeline,
    Prepared,
    Progress,
    Stored,
    Tally,
    ingest_items,
)
from nkwatch.read import MAX_BYTES, MAX_CHARS, FileReading, ReadFailure, select_files
from nkwatch.store import Store

if TYPE_CHECKING:
    from distributed import Client, Future

INSTALL_HINT = "--engine dask needs Dask; install it with pip install 'nkwatch[dask]'"


def require() -> None:
    """Raise MissingExtra (one line: what to install) when Dask's distributed is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(INSTALL_HINT) from exc


@dataclass(frozen=True)
class Cluster:
    """Where the workers are: a running scheduler's address (tcp://HOST:PORT), or a local
    cluster of `workers` processes (one per core when None) started for the run."""

    scheduler: str | None = None
    workers: int | None = None
    processes: bool = True  # local workers in their own processes (False: threads here)
    wait: float = 30.0  # seconds to wait for a scheduler and its first worker


@dataclass(frozen=True)
class Flow:
    """How work is sent: documents per task, documents in flight ahead of the global
    stages (the bound on what waits to be stored), files read ahead, and how many times a
    failed task is tried again."""

    chunk: int = 8
    ahead: int = 256
    files_ahead: int = 4
    retries: int = 2


@dataclass(frozen=True)
class WorkerProgress:
    """The Dask side of an ingest: documents sent to the workers, done there, and workers."""

    sent: int
    done: int
    workers: int


@contextmanager
def connect(cluster: Cluster = Cluster()) -> Iterator[Client]:
    """A client of the scheduler named, or of a local cluster started here (and stopped
    on the way out)."""
    require()
    from distributed import Client, LocalCluster

    if cluster.scheduler is not None:
        try:
            client = Client(cluster.scheduler, timeout=cluster.wait)
        except (OSError, TimeoutError) as exc:
            raise EngineError(
                f"could not reach the Dask scheduler at {cluster.scheduler} ({exc});"
                " start it (dask scheduler) or check the address"
            ) from exc
        try:
            wait_for_workers(client, cluster)
            yield client
        finally:
            client.close()
        return
    from nkwatch.engines.dask_tasks import CalmWorker

    with interrupts_ignored():  # worker processes started now ignore Ctrl-C from the start
        local = LocalCluster(
            n_workers=cluster.workers,
            threads_per_worker=1,  # the stages hold the GIL: one thread per process
            processes=cluster.processes,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,  # what it recovers from is not news
        )
    try:
        with Client(local) as client:
            if cluster.processes:  # and so do those the nannies start again after a crash
                client.register_plugin(CalmWorker(), name="nkwatch-calm")
            yield client
    finally:
        local.close()


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """SIGINT ignored while child processes are started (they inherit it), then restored."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def wait_for_workers(client: Client, cluster: Cluster) -> None:
    try:
        client.wait_for_workers(1, timeout=cluster.wait)
    except TimeoutError as exc:
        raise EngineError(
            f"the Dask scheduler at {cluster.scheduler} has no workers after"
            f" {cluster.wait:g} s; start some with: dask worker {cluster.scheduler}"
        ) from exc


def ingest_paths(
    paths: Sequence[Path],
    store: Store | Callable[[], Store],
    client: Client,
    pipeline: Callable[[], Pipeline] = Pipeline,
    max_bytes: int = MAX_BYTES,
    max_chars: int = MAX_CHARS,
    progress: Callable[[Progress], None] | None = None,
    on_stored: Callable[[Stored], None] | None = None,
    exclude: Sequence[str] = (),
    batching: Batching | None = None,
    on_workers: Callable[[WorkerProgress], None] | None = None,
    flow: Flow = Flow(),
) -> IngestReport:
    """`nkwatch.pipeline.ingest_paths` with the per-document stages on the client's
    workers. `pipeline` builds the stages on each worker (once per worker); `on_workers`
    hears of each chunk done there (called from the client's event loop thread)."""
    require()
    from nkwatch.engines.dask_tasks import PLUGIN, PipelinePlugin

    try:
        client.register_plugin(PipelinePlugin(pipeline), name=PLUGIN)
    except Exception as exc:  # a worker without nkwatch (or another version of it)
        raise EngineError(
            f"the Dask workers could not take nkwatch's stages ({type(exc).__name__}: {exc});"
            " install this nkwatch on every worker"
        ) from exc
    selection = select_files(paths, exclude)
    tally = Tally(files=len(selection.files))
    kb = Opener(store)
    feed = Feed(client, kb, flow, (max_bytes, max_chars), tally, on_workers)
    try:
        report = ingest_items(
            feed.items(selection.files),
            kb,
            feed.pipeline,
            progress,
            on_stored,
            batching or Batching(),
            tally,
        )
    finally:
        feed.drop()
    report.left_out = [str(p) for p in selection.left_out]
    return report


class Chunk:
    """One task: a few documents' posts, fetched once and shared by its documents."""

    def __init__(self, future: Future, size: int) -> None:
        self.future = future
        self.size = size
        self.taken = 0
        self.outcomes: list[Any] | None = None

    def outcome(self, index: int) -> Prepared:
        if self.outcomes is None:
            try:
                self.outcomes = self.future.result()
            except Exception as exc:  # the task itself failed (workers lost, retries spent)
                raise WorkerLost(
                    f"the workers could not finish it ({type(exc).__name__}: {exc})"
                ) from exc
            finally:
                self.future.release()
        got = self.outcomes[index]
        if isinstance(got, BaseException):
            raise got
        assert isinstance(got, Prepared)
        return got


class WorkerLost(RuntimeError):
    """A task the workers could not finish after its retries (reported for its documents)."""


@dataclass
class Entry:
    """One item as read, in reading order: a document (with its chunk once sent), a
    failure, or the start of a file (for the progress tally)."""

    item: Document | ReadFailure | None = None
    reading: FileReading | None = None  # set on a file's first entry
    source: str = ""
    new: bool = False  # a document the knowledge base did not hold when it was read
    chunk: Chunk | None = None
    index: int = 0


class Feed:
    """Items in reading order for the global stages, with the posts of the new documents
    computed ahead on the workers."""

    def __init__(
        self,
        client: Client,
        kb: Opener,
        flow: Flow,
        limits: tuple[int, int],
        tally: Tally,
        on_workers: Callable[[WorkerProgress], None] | None,
    ) -> None:
        self.client = client
        self.kb = kb
        self.flow = flow
        self.limits = limits  # bytes per file, characters per document
        self.tally = tally
        self.on_workers = on_workers
        self.pipeline = RemotePosts(self)
        self.current: Entry | None = None
        self.chunks: weakref.WeakSet[Chunk] = weakref.WeakSet()  # sent, not yet handed on
        self.sent = 0
        self.done = 0
        self.lock = threading.Lock()
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))

    def items(self, files: Sequence[Path]) -> Iterator[Document | ReadFailure]:
        waiting: deque[Entry] = deque()  # read, not yet handed on
        unsent: deque[Entry] = deque()  # new documents not yet sent to the workers
        readings = self.readings(files)
        in_flight = 0  # documents sent and not yet handed on
        more = True
        while True:
            while more and len(unsent) < self.flow.ahead and len(waiting) < 4 * self.flow.ahead:
                reading = next(readings, None)
                if reading is None:
                    more = False
                    break
                waiting.extend(self.entries(*reading, unsent))
            while unsent and in_flight < self.flow.ahead:
                in_flight += self.send(unsent)
            if not waiting:
                return
            entry = waiting.popleft()
            if entry.reading is not None:  # a file starts: what ingest_paths tallies
                self.tally.read += 1
                self.tally.file = entry.source
                self.tally.items = len(entry.reading.items)
                self.tally.skipped += entry.reading.skipped
                self.tally.notes.extend(entry.reading.notes)
            if entry.item is None:
                continue
            while entry.new and entry.chunk is None:
                in_flight += self.send(unsent)
            if entry.chunk is not None:
                in_flight -= 1
            self.current = entry
            yield entry.item

    def entries(self, path: Path, reading: FileReading, unsent: deque[Entry]) -> list[Entry]:
        found = [Entry(reading=reading, source=str(path))]
        ids = [item.id for item in reading.items if isinstance(item, Document)]
        known = self.kb().known_documents(ids) if ids else set()
        for item in reading.items:
            new = isinstance(item, Document) and item.id not in known
            found.append(Entry(item=item, source=item.source, new=new))
            if new:
                unsent.append(found[-1])
        if reading.items:  # the file's first item carries its start
            first = found.pop(0)
            found[0].reading, found[0].source = first.reading, first.source
        return found

    def readings(self, files: Sequence[Path]) -> Iterator[tuple[Path, FileReading]]:
        """Each file's reading, in order, read on the workers a few files ahead."""
        from nkwatch.engines.dask_tasks import read_task

        ahead: deque[tuple[Path, Future]] = deque()
        queue = iter(files)
        for path in queue:
            ahead.append(
                (path, self.client.submit(read_task, str(path), *self.limits, **self.task()))
            )
            if len(ahead) >= self.flow.files_ahead:
                break
        while ahead:
            path, future = ahead.popleft()
            following = next(queue, None)
            if following is not None:
                ahead.append(
                    (
                        following,
                        self.client.submit(read_task, str(following), *self.limits, **self.task()),
                    )
                )
            try:
                reading = future.result()
            except Exception as exc:  # the task itself failed (workers lost, retries spent)
                reason = f"the workers could not read it ({type(exc).__name__}: {exc})"
                reading = FileReading((ReadFailure(str(path), reason),))
            finally:
                future.release()
            yield path, reading

    def send(self, unsent: deque[Entry]) -> int:
        """Send the next chunk of new documents to the workers; how many were sent."""
        from nkwatch.engines.dask_tasks import posts_task

        entries = [unsent.popleft() for _ in range(min(self.flow.chunk, len(unsent)))]
        documents = [e.item for e in entries if isinstance(e.item, Document)]
        future = self.client.submit(posts_task, documents, **self.task())
        chunk = Chunk(future, len(entries))
        for index, entry in enumerate(entries):
            entry.chunk, entry.index = chunk, index
        self.chunks.add(chunk)
        with self.lock:
            self.sent += len(entries)
        future.add_done_callback(lambda f: self.finished(chunk))
        return len(entries)

    def task(self) -> dict[str, Any]:
        """Submission options: a key of its own (documents are not hashed), tries, and
        earlier work first."""
        from uuid import uuid4

        with self.lock:
            order = self.sent
        return {"key": f"nkwatch-{uuid4().hex}", "retries": self.flow.retries, "priority": -order}

    def finished(self, chunk: Chunk) -> None:
        """A chunk is done on the workers (called from the client's event loop)."""
        with self.lock:
            self.done += chunk.size
            seen = WorkerProgress(self.sent, self.done, self.workers)
        if self.on_workers is not None:
            try:
                self.on_workers(seen)
            except Exception:  # the progress display must not stop the ingest
                logging.getLogger(__name__).exception("progress display failed")

    def drop(self) -> None:
        """Cancel what the workers are still doing for this ingest (after Ctrl-C)."""
        pending = [c.future for c in list(self.chunks) if c.outcomes is None]
        if pending:
            self.client.cancel(pending)

    def prepared(self, document: Document) -> Prepared:
        entry = self.current
        if entry is None or entry.item is not document or entry.chunk is None:
            # a document that was known when read but is new now cannot happen (the
            # knowledge base only grows); run it on the workers all the same
            from nkwatch.engines.dask_tasks import posts_task

            future = self.client.submit(posts_task, [document], **self.task())
            return Chunk(future, 1).outcome(0)
        return entry.chunk.outcome(entry.index)


class RemotePosts(MadeAhead):
    """The Pipeline the global stages see: its gazetteer is loaded here (resolve needs
    it), its per-document work runs on the workers."""

    def __init__(self, feed: Feed) -> None:
        super().__init__(gazetteer_load())
        self.feed = feed

    def prepared(self, document: Document) -> Prepared:
        return self.feed.prepared(document)
