"""`nkwatch ingest` at the terminal: interrupted and resumed, what it reads and leaves
out, what it creates, and how much it says."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from nkwatch import Pipeline
from nkwatch.cli import main
from nkwatch.errors import StoreError
from nkwatch.pipeline import ingest_paths
from nkwatch.store import open_store

SITES = (
    "Sangwon Cement Complex",
    "Musan Mining Complex",
    "Kim Chaek Iron and Steel Complex",
    "Hungnam Fertilizer Complex",
    "Chollima Steel Complex",
    "Sunchon Cement Complex",
)
DEEDS = ("raised output at", "finished repairs at", "opened a new shop at", "met its plan at")


def archive(n: int, seed: int = 14) -> list[dict[str, object]]:
    """A KCNA-shaped archive of `n` short made-up items; every tenth has no text."""
    r = random.Random(seed)
    items: list[dict[str, object]] = []
    for i in range(n):
        site = r.choice(SITES)
        text = (
            f"Pyongyang, March {1 + i % 28} (KCNA) -- Workers {r.choice(DEEDS)} the {site},"
            f" turning out {r.randint(100, 99_999):,} tonnes in item {i}. The {r.choice(SITES)}"
            f" sent {r.randint(2, 90)} trucks of materials to {r.choice(['Chongjin', 'Nampo'])}."
        )
        items.append(
            {
                "headline": f"Report {i} from the {site}",
                "date": 1_703_376_000_000 + i * 86_400_000,
                "link": f"http://archive.example/item/{i}",
                "story_text": text if i % 10 else "",
            }
        )
    return items


def committed(db: Path) -> int:
    """Documents committed so far (0 while the knowledge base is being created)."""
    try:
        return stats(db)["documents"] if db.exists() else 0
    except StoreError:
        return 0


def stats(db: Path) -> dict[str, int]:
    store = open_store(db)
    try:
        return store.stats()
    finally:
        store.close()


def nkwatch(*args: str) -> list[str]:
    return [sys.executable, "-m", "nkwatch", *args]


def interruptible() -> None:
    """In the child: Ctrl-C as at a terminal, even when the tests run as a background job
    (which starts with SIGINT ignored, and a child would inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_committed_batches_and_a_rerun_finishes_the_same(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "archive.json").write_text(json.dumps(archive(450)))
    db = tmp_path / "kb.db"
    env = {**os.environ, "COLUMNS": "100"}
    child = subprocess.Popen(
        nkwatch("ingest", str(corpus), "--db", str(db), "--batch", "25"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.2)
        if committed(db) >= 25:  # a batch is committed
            break
    assert child.poll() is None, "the ingest ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    kept = stats(db)["documents"]
    assert 25 <= kept < 405
    assert err.strip().splitlines() == [
        f"interrupted: {kept:,} documents kept; run the same command to go on"
    ]
    assert "Traceback" not in err and out == ""

    again = subprocess.run(
        nkwatch("ingest", str(corpus), "--db", str(db)), capture_output=True, text=True, env=env
    )
    assert again.returncode == 0, again.stderr
    assert f"{405 - kept} new, {kept} already known" in again.stdout
    assert "45 items without text skipped" in again.stdout

    whole = tmp_path / "whole.db"
    store = open_store(whole, write=True)
    try:
        report = ingest_paths([corpus], store, pipeline)
    finally:
        store.close()
    assert report.new_documents == 405 and report.skipped_items == 45
    assert stats(db) == stats(whole)


def test_nothing_is_created_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.dat").write_bytes(b"\x00\x01" * 20)
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 1 and "nothing could be ingested" in result.output
    assert not db.exists() and not Path(f"{db}.search").exists()


def test_a_folder_s_own_papers_and_unusable_files_are_left_out(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "notes").mkdir(parents=True)
    report = "The Sangwon Cement Complex met its plan for the {} quarter, state media said."
    (corpus / "report.txt").write_text(report.format("first"))
    (corpus / "notes" / "draft.txt").write_text(report.format("second"))
    (corpus / "notes" / "old.txt").write_text(report.format("third"))
    (corpus / "README.md").write_text("How this folder was collected.")
    (corpus / "LICENSE-CC0.txt").write_text("No rights reserved.")
    (corpus / "CHANGELOG").write_text("Added files.")
    (corpus / ".hidden.txt").write_text(report.format("fourth"))
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    db = str(tmp_path / "kb.db")
    result = CliRunner().invoke(
        main, ["ingest", str(corpus), "--exclude", "notes/old*", "--db", db, "--verbose"]
    )
    assert result.exit_code == 0, result.output
    assert "2 files, 2 documents read" in result.stdout
    assert "6 files left out" in result.stdout
    for name in (
        "README.md",
        "LICENSE-CC0.txt",
        "CHANGELOG",
        ".hidden.txt",
        "photo.png",
        "old.txt",
    ):
        assert f"left out {corpus}" in result.stderr and name in result.stderr
    assert "reading " + str(corpus / "report.txt") in result.stderr
    named = CliRunner().invoke(main, ["ingest", str(corpus / "README.md"), "--db", db])
    assert "1 files, 1 documents read: 1 new" in named.stdout  # named on its own, it is read


def test_quiet_says_nothing_but_failures(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("The Musan Mining Complex shipped ore to Chongjin.")
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path), "--quiet", "--db", str(tmp_path / "kb.db")]
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "could not read" in result.stderr


def test_items_without_text_are_counted(tmp_path: Path) -> None:
    f = tmp_path / "archive.json"
    f.write_text(json.dumps(archive(20)))
    result = CliRunner().invoke(main, ["ingest", str(f), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 0
    assert "18 documents read" in result.stdout and "2 items without text skipped" in result.stdout
