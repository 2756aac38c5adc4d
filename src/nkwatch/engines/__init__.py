"""Engines that run the per-document stages somewhere other than this process.

The in-process engine is `nkwatch.pipeline.ingest_paths`. `nkwatch.engines.dask` runs
read, split, describe and extract, and each post's claims and fingerprint
(`pipeline.Stages`), on Dask workers (a local cluster, or a scheduler named by its
address) and feeds their results, in reading order, to the same global stages
(`pipeline.store_batch`: resolve, dedupe, store) in this process. Dask is an optional
extra: `pip install 'nkwatch[dask]'`. `nkwatch.engines.pool` does the same work ahead in
worker processes forked on this machine, with nothing to install; `nkwatch ingest` uses
it wherever there is more than one core.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nkwatch.store import Store


class Opener:
    """The store, opened on first use only (so nothing is created when nothing is read),
    and the same one for the reader and the global stages."""

    def __init__(self, store: Store | Callable[[], Store]) -> None:
        self.store = store
        self.opened: Store | None = None

    def __call__(self) -> Store:
        if self.opened is None:
            self.opened = self.store() if callable(self.store) else self.store
        return self.opened


def portable(exc: Exception) -> BaseException:
    """The exception itself when it can travel back to the client, else its words."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
