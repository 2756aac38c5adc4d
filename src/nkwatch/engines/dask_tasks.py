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

from nkwatch.model import Document
from nkwatch.pipeline import Pipeline, Prepared, Stages
from nkwatch.read import FileReading, read_one

PLUGIN = "nkwatch-pipeline"

Outcome = Prepared | BaseException  # a document's posts, or what went wrong with it


class PipelinePlugin(WorkerPlugin):
    """Holds one worker's stages: built from the Pipeline `factory` makes as the worker
    takes the plugin, in a thread of its own (the gazetteer takes a second or two to
    load, while the client reads its first files), and kept for every task after it."""

    def __init__(self, factory: Callable[[], Pipeline]) -> None:
        self.factory = factory
        self.built: Stages | None = None
        self.lock: threading.Lock | None = None

    def setup(self, worker: Worker) -> None:
        self.built = None
        self.lock = threading.Lock()
        threading.Thread(target=self.stages, name="nkwatch-stages", daemon=True).start()

    def stages(self) -> Stages:
        assert self.lock is not None, "the plugin was not set up on this worker"
        with self.lock:  # a worker with several threads builds it once
            if self.built is None:
                self.built = Stages(self.factory())
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
    """The posts of each document, with their claims and fingerprints, in order. A
    document a stage fails on gives the exception in its place (the rest of the chunk goes
    on), as the in-process ingest reports it."""
    plugin = get_worker().plugins[PLUGIN]
    assert isinstance(plugin, PipelinePlugin)
    return plugin.stages().outcomes(documents)
