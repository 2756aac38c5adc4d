"""Span lookups (`nkwatch.spans`) answer exactly what testing every span in turn would."""

from __future__ import annotations

import random
from dataclasses import dataclass

from nkwatch.spans import Placed, Spans


@dataclass(frozen=True)
class Thing:
    start: int
    end: int
    n: int


def things(seed: int, count: int = 200) -> list[Thing]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        start = rng.randrange(0, 1000)
        out.append(Thing(start, start + rng.choice([0, 1, 5, 20, 300]), n))
    return out


def test_placed_finds_what_a_scan_of_every_item_finds() -> None:
    for seed in range(20):
        items = things(seed)
        placed = Placed(items)
        ordered = sorted(items, key=lambda x: x.start)  # ties keep the order given
        rng = random.Random(seed + 100)
        for _ in range(200):
            a = rng.randrange(-50, 1100)
            b = a + rng.randrange(0, 400)
            assert placed.inside(a, b) == [x for x in ordered if a <= x.start and x.end <= b]
            assert placed.overlapping(a, b) == [x for x in ordered if x.start < b and a < x.end]
            assert placed.ending_within(a, b) == [x for x in ordered if a <= x.end <= b]


def test_spans_overlap_as_a_scan_of_every_span_says() -> None:
    rng = random.Random(3)
    added: list[tuple[int, int]] = []
    spans = Spans()
    for _ in range(300):
        a = rng.randrange(0, 2000)
        b = a + rng.randrange(0, 40)
        spans.add(a, b)
        added.append((a, b))
        x = rng.randrange(0, 2000)
        y = x + rng.randrange(1, 40)
        assert spans.overlaps(x, y) == any(x < e and s < y for s, e in added if s < e) or any(
            s == e and x < s < y for s, e in added
        )
