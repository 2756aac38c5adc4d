"""Export a knowledge base in every format: wall time and peak memory of each run, the
FollowTheMoney validation count, and what the reconciliation service answers.

Each export runs as its own `nkwatch export` process writing to a file, so its
peak resident memory (from wait4) is its own. The FtM output of `--what all` is
then checked with followthemoney's model (schema validation, and no property
dropped or changed when the values are cleaned).

    nkwatch ingest ../shared/corpus/seeds ../shared/corpus/kcna samples --db /tmp/kb.db
    python bench/export_scale.py /tmp/kb.db
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.test_export import ftm_problems  # noqa: E402

RUNS = [
    ("csv", "entities"),
    ("csv", "posts"),
    ("csv", "mentions"),
    ("jsonl", "posts"),
    ("geojson", "entities"),
    ("ftm", "entities"),
    ("ftm", "posts"),
    ("ftm", "mentions"),
    ("ftm", "all"),
]
NAMES = [
    ("Kimchaek Iron Steel", "facility"),
    ("Hwanghae Iron and Steel Complex", "facility"),
    ("Rodong Sinmun", None),
]


def run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of one command."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(args)} failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main(db: str) -> None:
    nkwatch = str(Path(sys.executable).with_name("nkwatch"))
    seconds, peak = run([nkwatch, "stats", "--db", db])
    print(f"{'nkwatch stats (baseline)':<26}{seconds:>7.2f} s {peak:>7.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, what in RUNS:
            out = Path(tmp) / f"{what}.{fmt}"
            seconds, peak = run(
                [nkwatch, "export", "--db", db, "--format", fmt, "--what", what, "-o", str(out)]
            )
            lines = sum(1 for _ in out.open(encoding="utf-8"))
            print(
                f"{fmt + ' ' + what:<26}{seconds:>7.2f} s {peak:>7.0f} MB"
                f" {out.stat().st_size / 1e6:>8.1f} MB out {lines:>8,} lines"
            )
        records = [json.loads(x) for x in (Path(tmp) / "all.ftm").open(encoding="utf-8")]
    problems = Counter(p.split(":")[0] for r in records for p in ftm_problems(r))
    schemata = Counter(r["schema"] for r in records)
    print(f"FtM: {len(records):,} records {dict(schemata)}; problems: {sum(problems.values())}")
    for kind, n in problems.most_common():
        print(f"  {n:>6}  {kind}")
    reconcile(db)


def reconcile(db: str) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from nkwatch.store import open_store
    from nkwatch.web import reconcile as service

    store = open_store(db)
    app = FastAPI()
    app.include_router(service.router(lambda: store), prefix="/reconcile")
    client = TestClient(app)
    queries = {
        f"q{n}": {"query": name, "limit": 3, **({"type": t} if t else {})}
        for n, (name, t) in enumerate(NAMES)
    }
    start = time.perf_counter()
    answer = client.post("/reconcile", data={"queries": json.dumps(queries)}).json()
    print(
        f"reconciliation, {len(NAMES)} queries: {time.perf_counter() - start:.2f} s (index built)"
    )
    for n, (name, t) in enumerate(NAMES):
        print(f"  {name!r} (type {t or 'any'}):")
        for r in answer[f"q{n}"]["result"]:
            print(f"    {r['score']:>5}  match={str(r['match']):<5}  {r['id']}  {r['name']}")
    store.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "nkwatch.db")
