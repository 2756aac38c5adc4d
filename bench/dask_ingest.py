"""The ingest in this process against the ingest on Dask (1 and 2 local workers).

Generates a corpus of N posts (default 20,000) from the KCNA archive in
../shared/corpus: each post is an archive item with its paragraphs after the
dateline shuffled, its figures changed and its place names swapped, with a date of
its own, so that no two are copies (some remain retellings of one another, as a
real archive's are). Then, in one run:

1. per-stage costs on a sample (read; split + describe; extract; and the global
   stages resolve, dedupe, store, apportioned by a profile of `store_batch`);
2. the whole corpus ingested into a fresh SQLite file by each engine, each in a
   process of its own, printing the time per post as the knowledge base grows;
3. a table: posts/s, the time per post at the start and at the end, and the peak
   memory (RSS) of the process running the global stages and of each worker.

    python bench/dask_ingest.py [POSTS] [--sample N]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nkwatch import Pipeline, open_store
from nkwatch.dedupe import StoryAssigner
from nkwatch.describe import describe
from nkwatch.model import Document
from nkwatch.pipeline import Progress, ingest_paths, store_batch
from nkwatch.read import read_one
from nkwatch.split import split

ROOT = Path(__file__).resolve().parent.parent
KCNA = Path(os.environ.get("NKWATCH_SHARED", ROOT.parent / "shared")) / "corpus/kcna"
PLACES = [
    "Pyongyang", "Chongjin", "Hamhung", "Wonsan", "Nampho", "Sinuiju", "Kaesong", "Hyesan",
    "Kanggye", "Haeju", "Sariwon", "Anju", "Tanchon", "Kimchaek", "Rason", "Sunchon",
]  # fmt: skip
NUMBER = re.compile(r"\b\d[\d,.]*\b")
PER_FILE = 1_000


def make_corpus(folder: Path, n_posts: int, seed: int = 15) -> None:
    items = json.loads(next(KCNA.glob("*.json")).read_text(encoding="utf-8"))
    texts = [i for i in items if str(i.get("story_text") or "").strip()]
    rng = random.Random(seed)
    place = re.compile(r"\b(" + "|".join(PLACES) + r")\b")
    for start in range(0, n_posts, PER_FILE):
        lines = []
        for i in range(start, min(start + PER_FILE, n_posts)):
            item = rng.choice(texts)
            paragraphs = [p for p in str(item["story_text"]).split("\n") if p.strip()]
            head, rest = paragraphs[0], paragraphs[1:]
            rng.shuffle(rest)
            swap = {p: rng.choice(PLACES) for p in PLACES}
            text = "\n".join([head, *rest])
            text = NUMBER.sub(lambda m: str(rng.randint(2, 99_999)), text)
            text = place.sub(lambda m, swap=swap: swap[m[1]], text)
            day = f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            lines.append(
                json.dumps(
                    {
                        "url": f"http://archive.example/kcna/{i}",
                        "title": f"{item['headline']} ({i})",
                        "date": day,
                        "outlet": "KCNA",
                        "text": text,
                    }
                )
            )
        (folder / f"part-{start // PER_FILE:05d}.jsonl").write_text("\n".join(lines) + "\n")


def peak_mib() -> float:
    """This process's peak resident memory, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


GLOBAL_PARTS = {  # profiled function -> the global stage it belongs to
    "entities_of": "resolve",
    "found_names": "resolve",
    "mention_texts": "resolve",
    "rename_entity": "resolve",
    "decide": "dedupe",
    "fingerprint": "dedupe: fingerprint",  # inside decide; needs no store
}


def stage_costs(corpus: Path, sample: int, db: Path | str) -> dict[str, float]:
    """Milliseconds per post of each stage over the first `sample` documents."""
    pipeline = Pipeline()
    assert pipeline.extractor is not None
    files = sorted(corpus.glob("*.jsonl"))
    t = time.perf_counter()
    documents: list[Document] = []
    for f in files:
        documents += [d for d in read_one(f).items if isinstance(d, Document)]
        if len(documents) >= sample:
            break
    documents = documents[:sample]
    read = time.perf_counter() - t
    t = time.perf_counter()
    described = [[describe(p, pipeline.canonical_outlet) for p in split(d)] for d in documents]
    split_describe = time.perf_counter() - t
    t = time.perf_counter()
    posts = [[pipeline.extractor.extract(p) for p in ps] for ps in described]
    extract = time.perf_counter() - t
    n = sum(len(ps) for ps in posts)
    store = open_store(db, write=True)
    stories = StoryAssigner()
    batches = [list(zip(documents, posts, strict=True))[i : i + 100] for i in range(0, sample, 100)]
    t = time.perf_counter()
    for batch in batches[: len(batches) // 2]:
        store_batch(store, batch, pipeline, stories)
    plain = time.perf_counter() - t
    profile = cProfile.Profile()
    t = time.perf_counter()
    profile.enable()
    for batch in batches[len(batches) // 2 :]:
        store_batch(store, batch, pipeline, stories)
    profile.disable()
    profiled = time.perf_counter() - t
    store.close()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    parts = dict.fromkeys(("resolve", "dedupe", "dedupe: fingerprint"), 0.0)
    for (_, _, name), row in stats.items():
        if name in GLOBAL_PARTS:
            parts[GLOBAL_PARTS[name]] += row[3]  # cumulative time
    total = sum(row[2] for row in stats.values())  # all time spent, own time summed
    share = {k: v / total for k, v in parts.items()}
    first_half = sum(len(ps) for batch in batches[: len(batches) // 2] for _, ps in batch)
    global_ms = plain / max(first_half, 1) * 1000  # unprofiled; the profile only apportions it
    return {
        "posts": n,
        "read": read / n * 1000,
        "split+describe": split_describe / n * 1000,
        "extract": extract / n * 1000,
        "resolve": global_ms * share["resolve"],
        "dedupe": global_ms * share["dedupe"],
        "  of which fingerprint (MinHash)": global_ms * share["dedupe: fingerprint"],
        "store": global_ms * (1 - share["resolve"] - share["dedupe"]),
        "global stages together": global_ms,
        "profiled run (for scale)": profiled / max(n - first_half, 1) * 1000,
    }


def print_costs(costs: dict[str, float], where: str) -> None:
    print(
        f"per-stage costs over {costs.pop('posts'):,.0f} posts, global stages on {where} (ms/post):"
    )
    for stage, ms in costs.items():
        print(f"  {stage:<32} {ms:7.2f}")


def stages_only(posts: int, sample: int) -> None:
    sys.path[:0] = [str(ROOT)]
    from tests.servers import running_postgres

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, max(posts, sample))
        print_costs(stage_costs(corpus, sample, Path(tmp) / "stages.db"), "SQLite")
        with running_postgres() as server, server.database() as url:
            print_costs(stage_costs(corpus, sample, url), "PostgreSQL (local, fsync off)")


def child(engine: str, workers: int, corpus: Path, db: Path, total: int) -> None:
    """One ingest, in this process: checkpoints as it goes, then a RESULT line."""
    from nkwatch.engines.dask import Cluster, connect
    from nkwatch.engines.dask import ingest_paths as dask_ingest_paths

    label = "in-process" if engine == "local" else f"dask x{workers}"
    step = max(total // 10, 1)
    marks: list[tuple[int, float]] = []
    start = [0.0]

    def progress(p: Progress) -> None:
        if p.posts >= (marks[-1][0] // step + 1 if marks else 1) * step:
            now = time.perf_counter() - start[0]
            last_n, last_t = marks[-1] if marks else (0, 0.0)
            marks.append((p.posts, now))
            per = (now - last_t) / max(p.posts - last_n, 1) * 1000
            print(f"  {label}: {p.posts:>9,} posts  {now:7.1f} s  {per:6.2f} ms/post", flush=True)

    store = open_store(db, write=True)
    workers_mib: list[float] = []
    if engine == "local":
        pipeline = Pipeline()
        start[0] = time.perf_counter()
        report = ingest_paths([corpus], store, pipeline, progress=progress)
        elapsed = time.perf_counter() - start[0]
        startup = 0.0
    else:
        t = time.perf_counter()
        with connect(Cluster(workers=workers)) as client:
            startup = time.perf_counter() - t
            start[0] = time.perf_counter()
            report = dask_ingest_paths([corpus], store, client, progress=progress)
            elapsed = time.perf_counter() - start[0]
            workers_mib = sorted(client.run(peak_mib).values())
    store.close()
    result = {
        "engine": label,
        "posts": report.posts,
        "seconds": elapsed,
        "startup": startup,
        "first_ms": marks[0][1] / marks[0][0] * 1000 if marks else None,
        "last_ms": (marks[-1][1] - marks[-2][1]) / (marks[-1][0] - marks[-2][0]) * 1000
        if len(marks) > 1
        else None,
        "driver_mib": peak_mib(),
        "workers_mib": workers_mib,
        "failures": len(report.failures),
    }
    print("RESULT " + json.dumps(result), flush=True)


def run(engine: str, workers: int, corpus: Path, db: Path, total: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", engine, str(workers), str(corpus), str(db)]
    proc = subprocess.Popen([*command, str(total)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    found: dict[str, object] = {}
    for line in proc.stdout:
        if line.startswith("RESULT "):
            found = json.loads(line[len("RESULT ") :])
        else:
            print(line, end="", flush=True)
    assert proc.wait() == 0, f"{engine} x{workers} failed"
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("posts", nargs="?", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=1_000)
    parser.add_argument("--child", nargs=5)
    parser.add_argument(
        "--stages-only",
        action="store_true",
        help="Only the per-stage costs, on SQLite and on a PostgreSQL server started here.",
    )
    args = parser.parse_args()
    if args.child:
        engine, workers, corpus, db, total = args.child
        child(engine, int(workers), Path(corpus), Path(db), int(total))
        return
    if args.stages_only:
        stages_only(args.posts, args.sample)
        return
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        t = time.perf_counter()
        make_corpus(corpus, args.posts)
        size = sum(f.stat().st_size for f in corpus.iterdir()) / 2**20
        print(
            f"corpus: {args.posts:,} posts, {size:,.0f} MiB, made in {time.perf_counter() - t:.0f} s"
        )
        print_costs(stage_costs(corpus, args.sample, root / "stages.db"), "SQLite")
        results = [
            run(engine, workers, corpus, root / f"{engine}{workers}.db", args.posts)
            for engine, workers in (("local", 0), ("dask", 1), ("dask", 2))
        ]
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print()
    print(
        "| engine | posts | posts/s | startup s | ms/post, first tenth | ms/post, last tenth checkpointed | peak MiB (global stages) | peak MiB per worker |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        rate = float(r["posts"]) / float(r["seconds"])  # type: ignore[arg-type]
        workers = ", ".join(f"{m:,.0f}" for m in r["workers_mib"]) or "-"  # type: ignore[attr-defined]
        print(
            f"| {r['engine']} | {r['posts']:,} | {rate:,.1f} | {r['startup']:.1f} |"
            f" {r['first_ms']:.2f} | {r['last_ms']:.2f} | {r['driver_mib']:,.0f} | {workers} |"
        )


if __name__ == "__main__":
    main()
