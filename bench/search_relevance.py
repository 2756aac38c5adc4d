"""Search relevance on a development set of real pages: is a relevant post in the top 10?

A development set is a folder holding `pages/` (the documents) and
`queries.jsonl` (`{"q", "relevant": [page paths], "outlet"?, "since"?,
"until"?}` per line). The pages belong to their outlets and stay outside the
repository. This ingests the pages into a fresh knowledge base, runs each
query through `nkwatch search --format jsonl` (the same command users run) and
reports, per query and overall, whether a relevant page is in the top 10
(success@10), the share of relevant pages found there (recall@10), and the
reciprocal rank of the first relevant hit. The named alternative in the same
run is SQLite FTS5 (bm25, porter stemmer) over the same post texts.

    python bench/search_relevance.py /path/to/devset
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

TOP = 10


def nkwatch(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nkwatch", *args], capture_output=True, text=True, check=False
    )
    if done.returncode not in (0,):
        raise SystemExit(f"nkwatch {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def page_of(source: str, root: Path) -> str:
    return Path(source).resolve().relative_to(root.resolve()).as_posix()


def scores(found: list[str], relevant: set[str]) -> tuple[int, float, float]:
    top = found[:TOP]
    hit = [i for i, page in enumerate(top) if page in relevant]
    first = 1 / (hit[0] + 1) if hit else 0.0
    return int(bool(hit)), len(set(top) & relevant) / len(relevant), first


def fts_search(con: sqlite3.Connection, q: str) -> list[str]:
    words = [w for w in "".join(c if c.isalnum() else " " for c in q).split() if w]
    if not words:
        return []
    match = " ".join(f'"{w}"' for w in words)
    try:
        rows = con.execute(
            "SELECT source FROM posts WHERE posts MATCH ? ORDER BY bm25(posts) LIMIT 50", (match,)
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return list(dict.fromkeys(r[0] for r in rows))


def main() -> None:
    root = Path(sys.argv[1])
    queries = [
        json.loads(line) for line in (root / "queries.jsonl").read_text().splitlines() if line
    ]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "dev.db")
        nkwatch("ingest", str(root / "pages"), "--db", db)
        fts = sqlite3.connect(":memory:")
        fts.execute(
            "CREATE VIRTUAL TABLE posts USING fts5(source UNINDEXED, title, text, tokenize='porter unicode61')"
        )
        source = sqlite3.connect(db)
        fts.executemany(
            "INSERT INTO posts VALUES (?,?,?)",
            [
                (page_of(s, root), t or "", x)
                for s, t, x in source.execute("SELECT source, title, text FROM posts")
            ],
        )
        totals = {"nkwatch": [0, 0.0, 0.0], "FTS5": [0, 0.0, 0.0]}
        print(f"{'query':<44}{'nkwatch s/r/rr':>18}{'FTS5 s/r/rr':>18}")
        for item in queries:
            filters: list[str] = []
            for key in ("outlet", "since", "until"):
                if item.get(key):
                    filters += [f"--{key}", str(item[key])]
            out = nkwatch(
                "search", item["q"], *filters, "--limit", "50", "--format", "jsonl", "--db", db
            )
            found = list(
                dict.fromkeys(page_of(json.loads(x)["source"], root) for x in out.splitlines())
            )
            relevant = set(item["relevant"])
            mine = scores(found, relevant)
            theirs = scores(fts_search(fts, item["q"]), relevant)
            for name, got in (("nkwatch", mine), ("FTS5", theirs)):
                for i, v in enumerate(got):
                    totals[name][i] += v
            print(
                f"{item['q'][:43]:<44}{mine[0]:>6}/{mine[1]:.2f}/{mine[2]:.2f}"
                f"{theirs[0]:>8}/{theirs[1]:.2f}/{theirs[2]:.2f}"
            )
        n = len(queries)
        for name, (s, r, rr) in totals.items():
            print(
                f"{name}: success@{TOP} {s}/{n} ({s / n:.0%}), recall@{TOP} {r / n:.2f}, MRR {rr / n:.2f}"
            )


if __name__ == "__main__":
    main()
