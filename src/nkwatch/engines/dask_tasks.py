"""What runs on a Dask worker: reading a file, and the per-document stages of a chunk of
documents, with the stages built once per worker (a worker plugin), never per task.

Imported only where Dask is installed (`nkwatch.engines.dask` imports it after checking).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

from distributed import Worker, WorkerPlugin, get_worker

from nkwatch.engines import portable
from nkwatch.model import Document, Post
from nkwatch.pipeline import Pipeline
from nkwatch.read import FileReading, read_one

PLUGIN = "nkwatch-pipeline"

Outcome = list[Post] | BaseException  # a document's posts, or what went wrong with it


class PipelinePlugin(WorkerPlugin):
    """Holds one worker's Pipeline: built by `factory` as the worker takes the plugin, in
    a thread of its own (the gazetteer takes a second or two to load, while the client
    reads its first files), and kept for every task after it."""

    def __init__(self, factory: Callable[[], Pipeline]) -> None:
        self.factory = factory
        self.built: Pipeline | None = None
        self.lock: threading.Lock | None = None

    def setup(self, worker: Worker) -> None:
        self.built = None
        self.lock = threading.Lock()
        threading.Thread(target=self.pipeline, name="nkwatch-pipeline", daemon=True).start()

    def pipeline(self) -> Pipeline:
        assert self.lock is not None, "the plugin was not set up on this worker"
        with self.lock:  # a worker with several threads builds it once
            if self.built is None:
                self.built = self.factory()
            return self.built


class CalmWorker(WorkerPlugin):
    """Leaves Ctrl-C to the client: a local worker process shares the terminal, and the
    client stops it in order once the committed batches are safe."""

    def setup(self, worker: Worker) -> None:
        with suppress(ValueError):  # not the process's main thread: nothing to quiet here
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def read_task(path: str, max_bytes: int, max_chars: int) -> FileReading:
    """One file's documents and unusable items; a bad file is a failure in it, never raised."""
    return read_one(Path(path), max_bytes, max_chars)


def posts_task(documents: Sequence[Document]) -> list[Outcome]:
    """The posts of each document, in order. A document a stage fails on gives the
    exception in its place (the rest of the chunk goes on), as the in-process ingest
    reports it."""
    plugin = get_worker().plugins[PLUGIN]
    assert isinstance(plugin, PipelinePlugin)
    pipeline = plugin.pipeline()
    outcomes: list[Outcome] = []
    for document in documents:
        try:
            outcomes.append(pipeline.posts(document))
        except Exception as exc:  # a defect in a stage must not sink the rest
            outcomes.append(portable(exc))
    return outcomes
