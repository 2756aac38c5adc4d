"""The engines `nkwatch ingest --engine` chooses between: the in-process ingest, and the
ingest on Dask (`nkwatch.engines.dask`), each called with the same options."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from nkwatch.cli.progress import IngestBar
    from nkwatch.engines.dask import Cluster
    from nkwatch.pipeline import IngestReport
    from nkwatch.store import Store

Opener = Callable[[], "Store"]


def engine_run(
    engine: str, scheduler: str | None, workers: int | None, jobs: int | None = None
) -> Callable[..., IngestReport]:
    """The ingest the options ask for: here (with `jobs` worker processes doing the
    per-document work ahead), or on Dask (a usage error, exit 2, when the options do not
    fit together or Dask is not installed)."""
    if engine != "dask":
        if scheduler or workers:
            raise click.UsageError("--scheduler and --workers go with --engine dask")
        return partial(local_run, jobs=jobs)
    if jobs is not None:
        raise click.UsageError("--jobs goes with --engine local; Dask has --workers")
    if scheduler and workers:
        raise click.UsageError(
            "--workers sizes a local cluster; a --scheduler has its own workers: give one"
        )
    from nkwatch.engines.dask import Cluster, require
    from nkwatch.errors import MissingExtra

    try:
        require()
    except MissingExtra as exc:
        raise click.UsageError(str(exc)) from exc
    return partial(dask_run, Cluster(scheduler, workers))


def local_run(
    paths: list[Path],
    store: Opener,
    bar: IngestBar | None = None,
    jobs: int | None = None,
    **options: Any,
) -> IngestReport:
    from nkwatch.engines import pool
    from nkwatch.pipeline import Pipeline, collect_less, ingest_paths

    pipeline = Pipeline()
    collect_less()
    if jobs == 0 or (jobs is None and pool.default_jobs() == 0):
        return ingest_paths(paths, store, pipeline, **options)
    return pool.ingest_paths(paths, store, pipeline, jobs, **options)


def dask_run(
    cluster: Cluster, paths: list[Path], store: Opener, bar: IngestBar | None = None, **options: Any
) -> IngestReport:
    from nkwatch.engines.dask import connect, ingest_paths

    with connect(cluster) as client:
        workers = bar.workers if bar is not None else None
        return ingest_paths(paths, store, client, on_workers=workers, **options)
