"""Time and peak memory of `nkwatch extract` and `nkwatch ingest` on hostile inputs of 1,
5 and 20 MB.

Shapes (tests/hostile.py): one long line of prose, a great many short dated posts,
deeply nested HTML, a long HTML article, runs of capitals, of figures and of
punctuation, a long JSON list. Each case runs in a fresh process, which loads the
pipeline and then reads and extracts the file; only the reading and extraction are
timed (wall clock, and processor time, which other work on the machine does not
inflate), and the peak resident memory of the whole process is reported.

With `--ingest`, each case is instead the whole `nkwatch ingest FILE --db NEW` command
in a child process (start-up, reading, every stage, the store and the search index):
wall clock, processor time and peak memory of that process.

Two named baselines are printed with each case, from the same run:
- `x read`: the processor time over the time merely to read and decode the file
  (measured in a child of its own when `--ingest`);
- `x linear`: the processor time over the 1 MB time of the same shape times the
  size ratio (1.0 is linear; a quadratic stage shows as 5 at 5 MB and 20 at 20 MB).

    python bench/hostile_inputs.py [SIZES_MB...] [--shapes a,b] [--timeout SECONDS] [--ingest]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import SHAPES  # noqa: E402

CHILD = """
import json, resource, sys, time
from pathlib import Path
from nkwatch import Pipeline, extract_paths
from nkwatch.read import decode
path = Path(sys.argv[1])
pipeline = Pipeline()
t = time.perf_counter()
decode(path.read_bytes(), str(path))
read = time.perf_counter() - t
t, cpu = time.perf_counter(), time.process_time()
posts = failures = 0
for item in extract_paths([path], pipeline, max_bytes=1 << 40):
    if hasattr(item, "reason"):
        failures += 1
    else:
        posts += 1
took, cpu = time.perf_counter() - t, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": took, "cpu": cpu, "read": read, "peak_mb": peak, "posts": posts,
                  "failures": failures}))
"""


def run(path: Path, timeout: float) -> dict[str, float] | None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


READ_ONLY = """
import sys, time
from pathlib import Path
from nkwatch.read import decode
path = Path(sys.argv[1])
t = time.perf_counter()
decode(path.read_bytes(), str(path))
print(time.perf_counter() - t)
"""


INGEST = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]))
except subprocess.TimeoutExpired:  # the ingest is killed with it
    print("null")
    sys.exit()
took = time.perf_counter() - t
use = resource.getrusage(resource.RUSAGE_CHILDREN)
stored = [w for w in done.stdout.split(";")[-1].split() if w.isdigit()]
print(json.dumps({"seconds": took, "cpu": use.ru_utime + use.ru_stime, "status": done.returncode,
                  "peak_mb": use.ru_maxrss / 1024, "posts": int(stored[0]) if stored else 0}))
"""


def run_ingest(path: Path, timeout: float) -> dict[str, float] | None:
    """The whole `nkwatch ingest` command on `path` into a new knowledge base, run under a
    parent of its own so that its processor time and peak memory are its alone."""
    read = float(
        subprocess.run(
            [sys.executable, "-c", READ_ONLY, str(path)], capture_output=True, text=True, check=True
        ).stdout
    )
    command = [sys.executable, "-m", "nkwatch", "ingest", str(path), "--db", str(path) + ".db"]
    command += ["--max-chars", str(1 << 30)]  # a 20 MB document is over the default limit
    done = subprocess.run(
        [sys.executable, "-c", INGEST, str(timeout), *command],
        capture_output=True,
        text=True,
        check=True,
    )
    last = json.loads(done.stdout.strip().splitlines()[-1])
    if last is None:
        return None
    found = dict(last)
    if found.pop("status"):
        raise SystemExit(f"ingest of {path.name} failed")
    return {**found, "read": read}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=float, default=[1, 5, 20])
    parser.add_argument("--shapes", default="")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--ingest", action="store_true", help="time the whole ingest command")
    args = parser.parse_args()
    measure = run_ingest if args.ingest else run
    wanted = set(filter(None, args.shapes.split(",")))
    print(
        f"{'shape':<14} {'MB':>4} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'posts':>7} "
        f"{'x read':>8} {'x linear':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for shape in SHAPES:
            if wanted and shape.name not in wanted:
                continue
            per_mb: float | None = None
            for size in args.sizes:
                path = Path(tmp) / f"{shape.name}-{size:g}{shape.suffix}"
                path.write_bytes(shape.make(int(size * 1024 * 1024)))
                found = measure(path, args.timeout)
                path.unlink()
                if found is None:
                    print(f"{shape.name:<14} {size:>4g} {'>' + str(int(args.timeout)):>8}")
                    continue
                cpu = found["cpu"]
                if per_mb is None:
                    per_mb = cpu / size
                linear = cpu / (per_mb * size) if per_mb else float("nan")
                print(
                    f"{shape.name:<14} {size:>4g} {found['seconds']:>8.2f} {cpu:>8.2f} "
                    f"{found['peak_mb']:>8.0f} {int(found['posts']):>7} "
                    f"{cpu / max(found['read'], 1e-6):>8.0f} {linear:>9.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
