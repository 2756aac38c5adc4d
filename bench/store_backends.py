"""Ingest into SQLite and into PostgreSQL, the same corpus in one run.

Generates N posts (default 100,000) as archive pages of 20 posts each (the
corpus of `ingest_throughput.py`), then ingests them page group by page group
into a fresh SQLite file and into a fresh database on a PostgreSQL server this
script starts itself (Debian's postgresql package, as the tests do), with
entity extraction off so that the store and the story step are what is timed.
Reports posts/s over the first 10,000 posts on each backend, and the time per
post in windows around 1k, 10k and 100k stored posts: how the cost grows as
the knowledge base does.

    python bench/store_backends.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ingest_throughput import make_corpus  # noqa: E402

from nkwatch import Pipeline, ingest_paths, open_store  # noqa: E402
from tests.servers import running_postgres  # noqa: E402

STEP = 50  # pages (1,000 posts) per timed group
MARKS = (1_000, 10_000, 30_000, 100_000)


def timed(name: str, target: str, pages: list[Path], pipeline: Pipeline) -> list[tuple[int, float]]:
    """(posts stored so far, seconds per post in this group) for each group of pages;
    each group is printed as it ends, so a cut-short run still tells its curve."""
    store = open_store(target, write=True)
    done, out = 0, []
    try:
        for i in range(0, len(pages), STEP):
            start = time.perf_counter()
            report = ingest_paths(pages[i : i + STEP], store, pipeline)
            elapsed = time.perf_counter() - start
            done += report.posts
            out.append((done, elapsed / max(report.posts, 1)))
            print(f"  {name:<11}{done:>8,} posts  {1000 * out[-1][1]:.2f} ms/post", flush=True)
    finally:
        store.close()
    return out


def around(curve: list[tuple[int, float]], mark: int) -> float | None:
    """Mean seconds per post of the groups ending within 20% of `mark` posts."""
    near = [s for n, s in curve if 0.8 * mark <= n <= 1.2 * mark]
    return sum(near) / len(near) if near else None


def rate(curve: list[tuple[int, float]], upto: int) -> float:
    spent = posts = 0.0
    previous = 0
    for n, per_post in curve:
        if previous >= upto:
            break
        spent += per_post * (n - previous)
        posts += n - previous
        previous = n
    return posts / spent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    pipeline = Pipeline(entities=False)
    with tempfile.TemporaryDirectory() as tmp, running_postgres() as server:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, n)
        pages = sorted(corpus.iterdir())
        with server.database() as url:
            curves = {
                "SQLite": timed("SQLite", str(Path(tmp) / "kb.db"), pages, pipeline),
                "PostgreSQL": timed("PostgreSQL", url, pages, pipeline),
            }
    print(f"{n:,} posts, entity extraction off, groups of {STEP * 20:,} posts\n")
    print(
        f"{'backend':<12}{'posts/s (first 10k)':>22}"
        + "".join(f"{f'ms/post @{m:,}':>16}" for m in MARKS)
    )
    for name, curve in curves.items():
        cells = "".join(
            f"{(f'{ms * 1000:.2f}' if (ms := around(curve, m)) else '-'):>16}" for m in MARKS
        )
        print(f"{name:<12}{rate(curve, 10_000):>22,.0f}{cells}")


if __name__ == "__main__":
    main()
