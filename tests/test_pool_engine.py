"""`nkwatch ingest --jobs N`: the per-document work done ahead in worker processes gives
the knowledge base the in-process ingest gives (posts, entities, stories, grades and
claims, byte for byte), with a worker killed mid-run, and reports what fails in a worker
as the in-process ingest does."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from click.testing import CliRunner

from nkwatch import Pipeline, extract_paths
from nkwatch.cli import main
from nkwatch.engines import pool
from nkwatch.extract import Figures
from nkwatch.model import Document, Post
from nkwatch.pipeline import HELPED_CHARS, PART_POSTS, IngestReport, ingest_paths
from nkwatch.read import ReadFailure
from nkwatch.split import POST_MAX_CHARS
from nkwatch.store import open_store

from .test_dask_engine import (
    Result,
    corpus,
    ingest_killing_a_worker,
    listings,
    nkwatch,
    serial,
    worker_processes,
)

__all__ = ["corpus", "serial"]  # the fixtures, shared with the Dask engine's tests


def claims(db: Path) -> str:
    done = CliRunner().invoke(
        main, ["export", "--what", "claims", "--format", "jsonl", "--db", str(db)]
    )
    assert done.exit_code == 0, done.output
    return done.output


def test_workers_give_the_in_process_result_though_one_is_killed_mid_run(
    corpus: list[str], serial: Result, tmp_path: Path
) -> None:
    db = tmp_path / "kb.db"
    command = nkwatch("ingest", *corpus, "--db", str(db), "--jobs", "2", "--batch", "10")
    assert ingest_killing_a_worker(command, db, worker_processes) == serial  # forks: any child


def test_workers_make_the_claims_the_in_process_ingest_makes(
    corpus: list[str], tmp_path: Path
) -> None:
    made = {}
    for jobs in ("0", "2"):
        db = tmp_path / f"kb-{jobs}.db"
        done = subprocess.run(
            nkwatch("ingest", *corpus, "--db", str(db), "--jobs", jobs),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        made[jobs] = claims(db)
    assert made["0"].count("\n") > 20
    assert made["2"] == made["0"]


class Brittle(Pipeline):
    """The stages, failing on a document that says 'BRITTLE' (a defect in a worker)."""

    def posts(self, document: Document) -> list[Post]:
        if "BRITTLE" in document.text:
            raise ValueError("a stage broke on this document")
        return super().posts(document)


class Fragile(Pipeline):
    """The stages, whose worker process dies on a document that says 'FRAGILE'."""

    def __init__(self) -> None:
        super().__init__()
        self.parent = os.getpid()

    def posts(self, document: Document) -> list[Post]:
        if "FRAGILE" in document.text and os.getpid() != self.parent:
            os._exit(3)  # the worker dies mid-chunk; the parent must do it itself
        return super().posts(document)


def documents(folder: Path, marked: str) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("The Sunchon Cement Complex raised output, KCNA said.\n")
    (folder / "b.txt").write_text(f"{marked}: the Musan Mining Complex sent ore to Chongjin.\n")
    (folder / "c.txt").write_text("")  # unreadable: empty
    (folder / "d.txt").write_text("The Hungnam Fertilizer Complex met its plan in March.\n")
    return folder


def test_what_fails_in_a_worker_is_reported_as_in_process(tmp_path: Path) -> None:
    folder = documents(tmp_path / "docs", "BRITTLE")
    reports = []
    for jobs in (0, 1):
        store = open_store(tmp_path / f"kb-{jobs}.db", write=True)
        try:
            if jobs:
                reports.append(
                    pool.ingest_paths([folder], store, Brittle(), jobs, flow=pool.Flow(chunk=1))
                )
            else:
                reports.append(ingest_paths([folder], store, Brittle()))
        finally:
            store.close()
    serial, pooled = reports
    assert [f.reason for f in pooled.failures] == [f.reason for f in serial.failures]
    assert any("ValueError: a stage broke on this document" in f.reason for f in pooled.failures)
    assert (pooled.new_documents, pooled.posts) == (serial.new_documents, serial.posts) == (2, 2)


def test_a_worker_that_dies_loses_nothing(tmp_path: Path) -> None:
    folder = documents(tmp_path / "docs", "FRAGILE")
    store = open_store(tmp_path / "kb.db", write=True)
    try:
        report = pool.ingest_paths([folder], store, Fragile(), 2, flow=pool.Flow(chunk=1))
        assert (report.new_documents, report.posts) == (3, 3)
        assert store.stats()["posts"] == 3
    finally:
        store.close()


class Dying(Pipeline):
    """The stages, whose worker process dies as it takes a post's figures."""

    def __init__(self) -> None:
        super().__init__()
        parent = os.getpid()
        extractor = self.extractor
        assert extractor is not None
        figures = extractor.figures

        def dying(post: Post) -> Figures:
            if os.getpid() != parent:
                os._exit(3)
            return figures(post)

        extractor.figures = dying  # type: ignore[method-assign]


def test_a_post_too_long_for_one_is_made_in_parts_on_the_workers_as_in_process(
    tmp_path: Path,
) -> None:
    from .hostile import one_long_line

    path = tmp_path / "long.txt"
    path.write_bytes(one_long_line(2 * POST_MAX_CHARS + 20_000))
    runs = ingests(path, ((0, Pipeline()), (2, Pipeline()), (2, Dying())), tmp_path)
    assert all((r.new_documents, r.posts) == (1, 3) for r, _ in runs)
    made = [kb for _, kb in runs]
    assert made[0][2].count('"id"') == 3 and made[0][3].count("\n") > 100
    assert made[1] == made[0]
    assert made[2] == made[0]


def ingests(
    path: Path, runs: tuple[tuple[int, Pipeline], ...], tmp_path: Path
) -> list[tuple[IngestReport, list[str]]]:
    """The report of each ingest of `path` (jobs, pipeline) into a new knowledge base, and
    what that knowledge base then lists: stories, entities, posts and claims."""
    made = []
    for jobs, pipeline in runs:
        db = tmp_path / f"kb-{len(made)}.db"
        store = open_store(db, write=True)
        try:
            report = pool.ingest_paths([path], store, pipeline, jobs)
        finally:
            store.close()
        made.append((report, [*listings(db), claims(db)]))
    return made


class DyingOnPosts(Pipeline):
    """The stages, whose worker process dies as it describes a listing's posts."""

    def __init__(self) -> None:
        super().__init__()
        self.parent = os.getpid()

    def describe(self, post: Post) -> Post:
        if os.getpid() != self.parent:
            os._exit(3)
        return super().describe(post)


class BrittlePost(Pipeline):
    """The stages, failing on a post that says 'BRITTLE' (a defect, wherever it runs)."""

    def describe(self, post: Post) -> Post:
        if "BRITTLE" in post.text:
            raise ValueError("a stage broke on this post")
        return super().describe(post)


def listing(path: Path, marked: int | None = None) -> Path:
    """A listing long enough to be shared with the workers, its posts made a part at a time."""
    from .hostile import short_posts

    text = short_posts(HELPED_CHARS + 20_000).decode()
    if marked is not None:  # that post's line says 'BRITTLE'
        at = text.index("a source said", text.index(f"report number {marked}\n"))
        text = text[:at] + "BRITTLE, " + text[at:]
    path.write_text(text)
    return path


def test_a_listing_made_a_part_at_a_time_gives_the_in_process_result(tmp_path: Path) -> None:
    path = listing(tmp_path / "listing.txt")
    runs = ingests(path, ((0, Pipeline()), (2, Pipeline()), (2, DyingOnPosts())), tmp_path)
    for report, _ in runs:
        assert report.new_documents == 1 and report.posts > 2 * PART_POSTS
        assert not report.failures
    made = [kb for _, kb in runs]
    assert made[1] == made[0]
    assert made[2] == made[0]


def test_a_post_a_stage_fails_on_is_left_out_of_its_listing_and_named(tmp_path: Path) -> None:
    stored = {}
    for name, marked in (("whole", None), ("marked", 300)):
        store = open_store(tmp_path / f"{name}.db", write=True)
        try:
            path = listing(tmp_path / f"{name}.txt", marked)
            stored[name] = (pool.ingest_paths([path], store, BrittlePost(), 2), store.stats())
        finally:
            store.close()
    (whole, _), (report, stats) = stored["whole"], stored["marked"]
    assert report.new_documents == 1
    assert report.posts == whole.posts - 1 == stats["posts"]
    assert [(f.source, f.reason) for f in report.failures] == [
        (
            str(tmp_path / "marked.txt"),
            "nkwatch failed on a post of it (ValueError: a stage broke on this post);"
            " please report this",
        )
    ]


def test_extract_says_a_post_a_stage_fails_on_in_its_place_and_keeps_the_rest(
    tmp_path: Path,
) -> None:
    whole = list(extract_paths([listing(tmp_path / "whole.txt")], BrittlePost()))
    marked = list(extract_paths([listing(tmp_path / "marked.txt", 300)], BrittlePost()))
    failures = [(n, i) for n, i in enumerate(marked) if isinstance(i, ReadFailure)]
    assert [(n, i.reason) for n, i in failures] == [
        (
            300,
            "nkwatch failed on a post of it (ValueError: a stage broke on this post);"
            " please report this",
        )
    ]
    kept = [i for i in marked if isinstance(i, Post)]
    assert [p.title for p in kept] == [p.title for n, p in enumerate(whole) if n != 300]


def test_jobs_go_with_the_local_engine_only(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        main,
        [
            "ingest",
            str(tmp_path),
            "--engine",
            "dask",
            "--jobs",
            "2",
            "--db",
            str(tmp_path / "kb.db"),
        ],
    )
    assert done.exit_code == 2
    assert "--jobs goes with --engine local; Dask has --workers" in done.output
    assert not (tmp_path / "kb.db").exists()
