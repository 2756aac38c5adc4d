"""Linear in the size of the input: each hostile shape (tests/hostile.py) read, extracted
and turned into claims at two sizes, four times apart, within one test. A stage worse than linear
takes sixteen times as long or more at four times the size; the bound here is ten times,
on the processor time of the best of two runs each (other processes on the machine
do not count), with a floor for noise."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from nkwatch import Pipeline, extract_paths
from nkwatch.facts import Claimer

from .hostile import SHAPES

SMALL = 12_000
FACTOR = 4
BOUND = 10.0
NOISE = 0.1  # seconds any run may take whatever its size


def extract_seconds(path: Path, pipeline: Pipeline) -> float:
    """Processor time to read and extract a file and make the claims of its posts."""
    claimer = Claimer(pipeline.gazetteer)
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        for item in extract_paths([path], pipeline):
            if not hasattr(item, "reason"):
                claimer.claims(item)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_four_times_the_input_takes_at_most_ten_times_as_long(
    shape: object, tmp_path: Path, pipeline: Pipeline
) -> None:
    assert hasattr(shape, "make")
    small = tmp_path / f"small{shape.suffix}"  # type: ignore[attr-defined]
    large = tmp_path / f"large{shape.suffix}"  # type: ignore[attr-defined]
    small.write_bytes(shape.make(SMALL))  # type: ignore[attr-defined]
    large.write_bytes(shape.make(SMALL * FACTOR))  # type: ignore[attr-defined]
    t_small = extract_seconds(small, pipeline)
    t_large = extract_seconds(large, pipeline)
    assert t_large <= BOUND * t_small + NOISE, (t_small, t_large)


def test_a_document_over_the_limit_is_refused_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nkwatch.cli import main

    path = tmp_path / "items.jsonl"
    long_text = "The Kangson steel works ran. " * 200
    lines = [{"url": "https://example.org/1", "text": "The Nampo port loaded coal."}]
    lines += [{"url": "https://example.org/2", "text": long_text}]
    path.write_text("\n".join(json.dumps(x) for x in lines))
    result = CliRunner().invoke(main, ["extract", str(path), "--max-chars", "1000"])
    assert result.exit_code == 0 and result.stdout.count("\n") == 1
    [line] = result.stderr.splitlines()
    assert line == (
        f"nkwatch: could not read https://example.org/2: a document of {len(long_text.strip()):,}"
        " characters is over the 1,000-character limit; split it or raise --max-chars"
    )


def test_claims_of_a_post_full_of_figures_take_linear_time(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    """Each figure looks only at its own sentence: a post with four times the figures and
    dates takes about four times as long to turn into claims."""
    from .hostile import digits

    claimer = Claimer(pipeline.gazetteer)
    seconds = []
    for size in (40_000, 160_000):
        path = tmp_path / f"digits-{size}.txt"
        path.write_bytes(digits(size))
        [post] = [p for p in extract_paths([path], pipeline) if not hasattr(p, "reason")]
        assert len(post.quantities) > size // 60 and len(post.dates) > size // 120
        start = time.process_time()
        claims = claimer.claims(post)
        seconds.append(time.process_time() - start)
        assert len(claims) >= len(post.quantities)
    assert seconds[1] <= BOUND * seconds[0] + NOISE, seconds
