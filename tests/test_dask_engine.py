"""`nkwatch ingest --engine dask`: the per-document stages on Dask workers give the same
knowledge base as the in-process ingest (posts, entities, stories and grades, byte for
byte), with a worker killed mid-run, with Ctrl-C and a re-run, and report what fails on a
worker as the in-process ingest does."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from nkwatch import Pipeline
from nkwatch.cli import main
from nkwatch.engines.dask import Cluster, Flow, connect
from nkwatch.engines.dask import ingest_paths as dask_ingest_paths
from nkwatch.errors import EngineError, StoreError
from nkwatch.model import Document, Post
from nkwatch.pipeline import ingest_paths
from nkwatch.read import ReadFailure
from nkwatch.store import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LISTINGS = (
    ("stories", "--format", "jsonl", "--limit", "100000"),
    ("entities", "--format", "jsonl", "--limit", "100000"),
    ("posts", "--format", "jsonl", "--limit", "100000"),
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> list[str]:
    """A slice of the KCNA archive, the seeds and real saved pages, as paths to ingest."""
    root = tmp_path_factory.mktemp("dask-corpus")
    items = json.loads((shared / "corpus" / "kcna" / "kcna-archive-2024.json").read_text())
    (root / "kcna-slice.json").write_text(json.dumps(items[:120]))
    pages = root / "pages"
    shutil.copytree(FIXTURES / "stories", pages / "stories")
    shutil.copytree(FIXTURES / "read", pages / "read")
    return [str(root / "kcna-slice.json"), str(shared / "corpus" / "seeds"), str(pages)]


@dataclass(frozen=True)
class Result:
    """What an ingest said (its summary, the knowledge base's name left out; the files it
    could not read) and the listings of what it stored."""

    said: str
    failures: str
    listings: list[str]


@pytest.fixture(scope="module")
def serial(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> Result:
    """The in-process ingest of the corpus (in a process of its own, as the Dask ingests
    below run)."""
    db = tmp_path_factory.mktemp("serial") / "kb.db"
    done = subprocess.run(
        nkwatch("ingest", *corpus, "--db", str(db), "--jobs", "0"), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return result(db, done.stdout, done.stderr)


def result(db: Path, said: str, failures: str) -> Result:
    return Result(said.replace(str(db), "KB"), failures, listings(db))


def nkwatch(*args: str) -> list[str]:
    return [sys.executable, "-m", "nkwatch", *args]


def listings(db: Path | str) -> list[str]:
    runner = CliRunner()
    outputs = []
    for args in LISTINGS:
        result = runner.invoke(main, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return outputs


def committed(db: Path) -> int:
    try:
        if not db.exists():
            return 0
        store = open_store(db)
        try:
            return store.stats()["documents"]
        finally:
            store.close()
    except StoreError:  # still being created
        return 0


def worker_processes(parent: psutil.Process, marked: str = "") -> list[psutil.Process]:
    """The processes under `parent` whose command line says `marked`, beside the
    resource tracker."""
    found = []
    for child in parent.children(recursive=True):
        try:
            line = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if marked in line and "resource_tracker" not in line:
            found.append(child)
    return found


def dask_workers(parent: psutil.Process) -> list[psutil.Process]:
    """The Dask worker processes a local cluster started (the nannies run in the parent)."""
    return worker_processes(parent, "multiprocessing")


def ingest_killing_a_worker(
    command: list[str], db: Path, workers_of: Callable[[psutil.Process], list[psutil.Process]]
) -> Result:
    """Run an ingest with two workers, kill one of them once a batch is committed (its
    work in hand and the results it holds are lost), and let the ingest finish."""
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(child.pid)
    deadline = time.monotonic() + 90
    while committed(db) < 1 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = workers_of(parent)
    assert child.poll() is None and len(workers) == 2, "the ingest ended before a kill"
    workers[0].kill()
    killed_at = committed(db)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert killed_at < 100, "the kill came too late to test anything"
    return result(db, out, err)


def test_two_workers_give_the_serial_result_though_one_is_killed_mid_run(
    corpus: list[str], serial: Result, tmp_path: Path
) -> None:
    db = tmp_path / "kb.db"
    command = nkwatch("ingest", *corpus, "--db", str(db), "--engine", "dask", "--workers", "2")
    got = ingest_killing_a_worker([*command, "--batch", "10"], db, dask_workers)
    assert "could not read" in serial.failures  # the real pages hold a few bad ones
    assert got == serial


def interruptible() -> None:
    """In the child: Ctrl-C as at a terminal, even when the tests run as a background job
    (which starts with SIGINT ignored, and a child would inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_one_worker_stopped_by_ctrl_c_and_run_again_gives_the_serial_result(
    corpus: list[str], serial: Result, tmp_path: Path
) -> None:
    db = tmp_path / "kb.db"
    command = nkwatch("ingest", *corpus, "--db", str(db), "--engine", "dask", "--workers", "1")
    child = subprocess.Popen(
        [*command, "--batch", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C at a terminal reaches the whole process group
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 90
    while committed(db) < 10 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the ingest ended before it could be interrupted"
    os.killpg(child.pid, signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    kept = committed(db)
    assert kept >= 10
    assert err.strip().splitlines() == [
        f"interrupted: {kept:,} documents kept; run the same command to go on"
    ]
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f", {kept} already known;" in again.stdout
    assert again.stderr == serial.failures
    assert listings(db) == serial.listings


class Brittle(Pipeline):
    """The stages, failing on a document that says 'BRITTLE' (a defect on a worker)."""

    def posts(self, document: Document) -> list[Post]:
        if "BRITTLE" in document.text:
            raise ValueError("a stage broke on this document")
        return super().posts(document)


def test_what_fails_on_a_worker_is_reported_as_in_process(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The Sunchon Cement Complex raised output, KCNA said.\n")
    (folder / "b.txt").write_text("BRITTLE: the Musan Mining Complex sent ore to Chongjin.\n")
    (folder / "c.txt").write_text("")  # unreadable: empty
    (folder / "d.txt").write_text("The Hungnam Fertilizer Complex met its plan in March.\n")

    store = open_store(tmp_path / "serial.db", write=True)
    try:
        expected = ingest_paths([folder], store, Brittle())
    finally:
        store.close()
    store = open_store(tmp_path / "dask.db", write=True)
    try:
        with connect(Cluster(workers=1, processes=False)) as client:
            report = dask_ingest_paths([folder], store, client, Brittle, flow=Flow(chunk=1))
    finally:
        store.close()
    assert [f.source for f in report.failures] == [str(folder / n) for n in ("b.txt", "c.txt")]
    assert report.failures[0] == ReadFailure(
        str(folder / "b.txt"),
        "nkwatch failed on it (ValueError: a stage broke on this document); please report this",
    )
    assert report.failures == expected.failures
    assert (report.documents, report.new_documents, report.posts) == (3, 2, 2)
    assert listings(tmp_path / "dask.db") == listings(tmp_path / "serial.db")


def test_without_dask_the_engine_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The Sunchon Cement Complex raised output.\n")
    script = (
        "import sys; sys.modules['distributed'] = None\n"  # a Python without Dask
        "from nkwatch.cli import main; main(prog_name='nkwatch')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "ingest", str(tmp_path / "a.txt"), "--engine", "dask"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "nkwatch: --engine dask needs Dask; install it with pip install 'nkwatch[dask]'"
        " (see 'nkwatch ingest --help')"
    ]
    assert not (tmp_path / "nkwatch.db").exists()


@pytest.mark.parametrize(
    "options, said",
    [
        (["--workers", "2"], "--scheduler and --workers go with --engine dask"),
        (
            ["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"],
            "give one",
        ),
    ],
)
def test_engine_options_that_do_not_fit_are_usage_errors(
    tmp_path: Path, options: list[str], said: str
) -> None:
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path), "--db", str(tmp_path / "kb.db"), *options]
    )
    assert result.exit_code == 2
    assert said in result.output


def test_a_running_scheduler_writes_into_postgresql_as_the_serial_ingest_into_sqlite(
    tmp_path: Path, postgres_url: str
) -> None:
    from distributed import LocalCluster

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The Sunchon Cement Complex raised output, KCNA said.\n")
    (folder / "b.txt").write_text("The Musan Mining Complex sent ore to Chongjin in May.\n")
    runner = CliRunner()
    sqlite = str(tmp_path / "serial.db")
    serial = runner.invoke(main, ["ingest", str(folder), "--db", sqlite])
    assert serial.exit_code == 0, serial.output
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        args = ["ingest", str(folder), "--db", postgres_url, "--index", str(tmp_path / "idx")]
        done = runner.invoke(
            main, [*args, "--engine", "dask", "--scheduler", cluster.scheduler_address]
        )
    assert done.exit_code == 0, done.output
    assert done.output.replace(postgres_url, "KB") == serial.output.replace(sqlite, "KB")
    assert listings(postgres_url) == listings(sqlite)


def test_an_unreachable_scheduler_is_one_line_saying_what_to_do() -> None:
    with pytest.raises(EngineError) as caught, connect(Cluster("tcp://127.0.0.1:9", wait=1)):
        pass
    assert str(caught.value).startswith("could not reach the Dask scheduler at tcp://127.0.0.1:9")
    assert str(caught.value).endswith("start it (dask scheduler) or check the address")
