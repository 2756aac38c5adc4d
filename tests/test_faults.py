"""Faults while ingesting: a full disk, a read-only or damaged knowledge base, another
writer holding the lock, a file that changes while it is read, two ingests at once.
Each fault is one line and a non-zero exit, and the store is as it was before the batch
that failed. Real processes, real SQLite files, real faults: a file-size limit on the
process stands for a full disk, an immutable (root) or read-only (others) file for a
read-only one."""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkwatch.cli import main
from nkwatch.read import ReadFailure, read_one

from .conftest import SAMPLES

NKWATCH = [sys.executable, "-m", "nkwatch"]


def nkwatch(
    *args: str, before: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NKWATCH, *args], capture_output=True, text=True, preexec_fn=before, timeout=120
    )


def snapshot(db: Path) -> tuple[str, ...]:
    """What the store holds, as its commands show it: counts, posts, stories."""
    shown = [
        CliRunner().invoke(main, [*command, "--db", str(db)])
        for command in (["stats"], ["posts", "--format", "jsonl"], ["stories", "--format", "jsonl"])
    ]
    assert all(r.exit_code == 0 for r in shown), [r.output for r in shown]
    return tuple(r.stdout for r in shown)


def report(text: str, n: int) -> str:
    """A file of `n` dated posts in an archive page, in words of our own."""
    posts = [
        f"Hamhung shoe factory note {i}\n\nApril {1 + i % 28}, 2022\n\nThe factory in Hamhung"
        f" made {100 + i} pairs, {text} said.\n"
        for i in range(n)
    ]
    return "\n".join(posts)


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    db = tmp_path / "kb.db"
    done = CliRunner().invoke(main, ["ingest", str(SAMPLES), "--db", str(db), "-q"])
    assert done.exit_code == 0, done.output
    return db


def fresh_file(tmp_path: Path, n: int = 40) -> Path:
    path = tmp_path / "new" / "report.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(report("a source in the city", n))
    return path


def assert_one_line(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nkwatch: "), result.stderr
    assert says in lines[0] and "Traceback" not in result.stderr
    assert "no transaction is active" not in result.stderr


def test_full_disk(kb: Path, tmp_path: Path) -> None:
    before = snapshot(kb)
    limit = 40_000  # room for SQLite's shared-memory file, not for the batch's pages

    def small_disk() -> None:  # writes past `limit` bytes fail, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    big = fresh_file(tmp_path, 60)
    result = nkwatch("ingest", str(big), "--db", str(kb), before=small_disk)
    assert_one_line(result, "check the disk and its free space")
    assert snapshot(kb) == before


IMMUTABLE = 0x10  # FS_IMMUTABLE_FL
GET_FLAGS, SET_FLAGS = 0x80086601, 0x40086602  # FS_IOC_GETFLAGS, FS_IOC_SETFLAGS


def immutable(path: Path, on: bool) -> None:
    with path.open("rb") as f:
        (flags,) = struct.unpack("i", fcntl.ioctl(f.fileno(), GET_FLAGS, b"\0" * 4))
        flags = flags | IMMUTABLE if on else flags & ~IMMUTABLE
        fcntl.ioctl(f.fileno(), SET_FLAGS, struct.pack("i", flags))


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file made read-only for this process: immutable for root (whom permissions do
    not stop), no write permission for anyone else."""
    if os.geteuid() == 0:
        immutable(path, True)
        try:
            yield
        finally:
            immutable(path, False)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)


def test_read_only_knowledge_base(kb: Path, tmp_path: Path) -> None:
    before = snapshot(kb)
    with read_only(kb):
        result = nkwatch("ingest", str(fresh_file(tmp_path)), "--db", str(kb))
    assert_one_line(result, "the file is read-only; make it writable")
    assert snapshot(kb) == before


def test_locked_past_the_wait(kb: Path, tmp_path: Path) -> None:
    before = snapshot(kb)
    other = sqlite3.connect(kb, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer, in the middle of its batch
    try:
        result = nkwatch("ingest", str(fresh_file(tmp_path)), "--db", str(kb), "--wait", "0.5")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_one_line(result, "another program is writing to it")
    assert snapshot(kb) == before


@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_damaged_knowledge_base(kb: Path, tmp_path: Path, damage: str) -> None:
    data = kb.read_bytes()
    if damage == "truncated":
        kb.write_bytes(data[: len(data) // 3])
    else:
        middle = len(data) // 2
        kb.write_bytes(data[:middle] + b"\xa5" * 40_000 + data[middle + 40_000 :])
    damaged = kb.read_bytes()
    result = nkwatch("ingest", str(fresh_file(tmp_path)), "--db", str(kb))
    assert_one_line(result, "the file is damaged")
    assert kb.read_bytes() == damaged  # nothing written into it


APPEND = """
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)
while True:
    os.write(fd, b"More words arrive. ")
"""


def test_file_that_changes_while_read(tmp_path: Path) -> None:
    path = tmp_path / "growing.txt"
    path.write_text(report("a trader", 1) * 200_000)  # large: reading it takes a while
    size = path.stat().st_size
    writer = subprocess.Popen([sys.executable, "-c", APPEND, str(path)])
    reasons = []
    try:
        while path.stat().st_size == size:  # the writer is under way
            pass
        for _ in range(20):  # each read overlaps writes; one is enough to show the refusal
            [item] = read_one(path).items
            reasons.append(item.reason if isinstance(item, ReadFailure) else "read whole")
            if "changed while it was read" in reasons[-1]:
                break
    finally:
        writer.kill()
        writer.wait()
    assert reasons[-1] == "the file changed while it was read; ingest it again once it is written"


def test_two_ingests_at_once_match_one_after_the_other(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, who in (("a", "a source in Chongjin"), ("b", "a resident of Hyesan")):
        (corpus / f"{name}.txt").write_text(report(who, 24))
    shutil.copy(SAMPLES / "items.jsonl", corpus / "items.jsonl")
    serial = tmp_path / "serial.db"
    done = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(serial), "-q"])
    assert done.exit_code == 0, done.output

    together = tmp_path / "together.db"
    args = [*NKWATCH, "ingest", str(corpus), "--db", str(together), "-q", "--batch", "3"]
    first = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    errors = [p.communicate(timeout=120)[1] for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), errors
    assert not any("Traceback" in e or "no transaction is active" in e for e in errors)
    assert snapshot(together) == snapshot(serial)


PLACES = ("Kangso", "Sinuiju", "Hyesan", "Chongjin", "Wonsan", "Kimchaek", "Haeju")
GOODS = ("floor tiles", "cement", "shoes", "fertiliser", "glass", "soap", "paper")
PEOPLE = ("a trader", "a driver", "a teacher", "an engineer", "a farmer", "a clerk", "a miner")
TOWNS = ("Nampho", "Sariwon", "Anju", "Tanchon", "Kanggye", "Rason", "Hamhung")


def wire_items(outlet: str, count: int, backwards: bool = False) -> str:
    """JSON Lines of `count` reports on different things, each long enough to be judged a
    copy of its twin in the other outlet's file (the same words under another address,
    with a note of its own), and none of the others; `backwards`: the last first."""
    lines = []
    for i in reversed(range(count)) if backwards else range(count):
        place, goods = PLACES[i % 7], GOODS[(i // 7) % 7]
        who, town = PEOPLE[(i // 2) % 7], TOWNS[(i // 3) % 7]
        text = (
            f"The {place} {goods} works met its plan for the {i + 1}th week on April {1 + i},"
            f" 2022, turning out {1200 + 37 * i} units of {goods} for {town}, {who} in {town}"
            f" told reporters. Staff at the {place} works were promised {3 + i % 5} kilograms"
            f" of maize each for extra shifts; a line built with parts bought in Dandong in"
            f" {2010 + i} started on the {i + 2}nd, {who} said, adding that {goods} from"
            f" {place} sells for {4000 + 150 * i} won in {town}. ({outlet} copy)"
        )
        lines.append(json.dumps({"url": f"https://{outlet}.example/{i}", "text": text}))
    return "\n".join(lines) + "\n"


def partition(db: Path) -> set[frozenset[str]]:
    shown = CliRunner().invoke(main, ["stories", "--format", "jsonl", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    stories = [json.loads(line) for line in shown.stdout.splitlines()]
    return {frozenset(p["id"] for p in s["posts"]) for s in stories}


def test_two_ingests_at_once_find_each_others_copies(tmp_path: Path) -> None:
    """A run into a new knowledge base answers dedupe's questions from its own posts only
    while it is alone: once the other run commits, it asks the store, and copies across
    the two runs join as they do one after the other."""
    for outlet in ("north", "south"):  # read in opposite orders, the runs cross midway
        (tmp_path / f"{outlet}.jsonl").write_text(wire_items(outlet, 49, outlet == "south"))
    serial = tmp_path / "serial.db"
    for outlet in ("north", "south"):
        path = str(tmp_path / f"{outlet}.jsonl")
        done = CliRunner().invoke(main, ["ingest", path, "--db", str(serial), "-q"])
        assert done.exit_code == 0, done.output
    expected = partition(serial)
    assert len(expected) == 49 and all(len(story) == 2 for story in expected)

    together = tmp_path / "together.db"
    runs = [
        subprocess.Popen(
            [*NKWATCH, "ingest", str(tmp_path / f"{o}.jsonl"), "--db", str(together)]
            + ["-q", "--batch", "1", "--jobs", "0"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for o in ("north", "south")
    ]
    errors = [p.communicate(timeout=120)[1] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], errors
    assert partition(together) == expected
