"""Latency of the entity page and its API for entities with many mentions.

Ingests the seeds and the KCNA archive (`../shared/corpus`) into a fresh
SQLite file (or uses `--db` if given), then requests `/entities/{id}` and
`/api/entities/{id}` in-process (FastAPI's test client, the real app and
store) for the most mentioned entities: at least one with 1,000 or more
mentions. The named alternative, in the same run, is the floor: the same
rows read with bare `sqlite3` (the entity's posts with their dates, titles
and outlets). Reports p50 and p95 over the repeats.

    python bench/entity_page.py [--db kb.db] [--repeat 30]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def timed(call: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def bare_rows(db: Path, entity_id: str) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute(
        "SELECT p.id, p.published, p.title, d.outlet FROM posts p JOIN documents d"
        " ON d.id = p.document_id WHERE p.id IN (SELECT post_id FROM mentions WHERE entity_id = ?)"
        " ORDER BY p.published DESC",
        (entity_id,),
    ).fetchall()
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from nkwatch.pipeline import Pipeline, ingest_paths
    from nkwatch.store import open_store
    from nkwatch.web import WebSettings, create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "kb.db"
            store = open_store(db, write=True)
            ingest_paths(
                [SHARED / "corpus" / "seeds", SHARED / "corpus" / "kcna"], store, Pipeline()
            )
            store.close()
        reader = open_store(db)
        top = reader.entities(limit=4)
        client = TestClient(create_app(settings=WebSettings(db=str(db))))
        print(
            f"{'entity':<36}{'mentions':>9}{'page p50/p95 ms':>18}{'api p50/p95':>14}{'bare sqlite3':>14}"
        )
        for e in top:
            path = quote(e.id, safe="")
            client.get(f"/entities/{path}")  # warm
            page = percentiles(timed(lambda p=path: client.get(f"/entities/{p}"), args.repeat))
            api = percentiles(timed(lambda p=path: client.get(f"/api/entities/{p}"), args.repeat))
            floor = percentiles(timed(lambda i=e.id: bare_rows(db, i), args.repeat))
            print(
                f"{e.name[:35]:<36}{e.mentions:>9,}{page[0]:>9.0f}/{page[1]:<8.0f}"
                f"{api[0]:>6.0f}/{api[1]:<7.0f}{floor[0]:>6.1f}/{floor[1]:<7.1f}"
            )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
