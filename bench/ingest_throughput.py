"""Throughput of read + split + describe + store, in posts per second.

Generates an archive corpus of N posts (default 10,000) as listing pages of 20
dated posts each, ingests it into a fresh SQLite file with entity extraction
off (the stages this benchmark measures) and again with it on, and reports
posts/s for both. The named alternative is a bare `executemany` of the same
posts into SQLite, the floor any ingest pays.

    python bench/ingest_throughput.py [N]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from nkwatch import Pipeline, ingest_paths, open_store

PLACES = ["Chongjin", "Hamhung", "Nampo", "Sinuiju", "Wonsan", "Kanggye", "Haeju", "Hyesan"]
HEADS = ["Machine Factory", "Coal Mine", "Textile Mill", "Power Station", "Cement Complex"]


def make_corpus(folder: Path, n_posts: int, per_page: int = 20) -> None:
    rng = random.Random(7)
    for page in range(0, n_posts, per_page):
        lines = [f"Archive page {page // per_page}", ""]
        for i in range(page, min(page + per_page, n_posts)):
            place, head = rng.choice(PLACES), rng.choice(HEADS)
            day = 1 + i % 28
            lines += [
                f"{place} {head} report number {i}",
                "",
                f"Monday, March {day}th, 2021",
                "",
                "Institute for Far Eastern Studies (IFES)",
                f"2021-3-{day}",
                "",
                f"The {place} {head} raised output by {rng.randint(2, 40)} percent, the Rodong Sinmun "
                f"said. Workers were paid {rng.randint(3, 90) * 1000:,} KPW a month, a source in "
                "North Hamgyong Province told Daily NK.",
                "",
                "Share",
                "",
            ]
        (folder / f"page-{page // per_page:05d}.txt").write_text("\n".join(lines), encoding="utf-8")


def timed_ingest(corpus: Path, db: Path, entities: bool) -> tuple[int, float]:
    pipeline = Pipeline(entities=entities)
    store = open_store(db, write=True)
    start = time.perf_counter()
    report = ingest_paths([corpus], store, pipeline)
    elapsed = time.perf_counter() - start
    store.close()
    return report.posts, elapsed


def bare_insert(db: Path, n: int) -> float:
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT, published TEXT, text TEXT)")
    rows = [(f"p{i}", f"title {i}", "2021-03-01", "body " * 60) for i in range(n)]
    start = time.perf_counter()
    with con:
        con.executemany("INSERT INTO posts VALUES (?,?,?,?)", rows)
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        make_corpus(corpus, n)
        posts, seconds = timed_ingest(corpus, root / "a.db", entities=False)
        posts_e, seconds_e = timed_ingest(corpus, root / "b.db", entities=True)
        floor = bare_insert(root / "c.db", n)
    print(f"posts: {posts:,}")
    print(f"read+split+describe+store:          {posts / seconds:,.0f} posts/s ({seconds:.1f} s)")
    print(
        f"... plus entity extraction:         {posts_e / seconds_e:,.0f} posts/s ({seconds_e:.1f} s)"
    )
    print(
        f"bare sqlite executemany (floor):    {n / floor:,.0f} posts/s; nkwatch is {floor / seconds:.3f}x it"
    )


if __name__ == "__main__":
    main()
