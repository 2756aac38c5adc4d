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


def searched_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span as a search of its windows finds it: the oracle."""
    from nkwatch.extract.quantities import SENTENCE_END, SENTENCE_REACH

    left = max(0, start - SENTENCE_REACH)
    for m in SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right = min(len(text), end + SENTENCE_REACH)
    found = SENTENCE_END.search(text, end, right)
    return left, (found.end() if found else right)


def test_sentence_bounds_looked_up_are_those_a_search_finds() -> None:
    from nkwatch.extract.quantities import sentence

    rng = random.Random(4)
    letters = ["a", "b", " ", " ", ".", "!", "?", '"', "'", "\u201d", ")", "\n", "A", "1"]
    for _ in range(400):
        n = rng.randrange(1, 1500)
        text = "".join(rng.choice(letters) for _ in range(n))
        for _ in range(20):
            start = rng.randrange(0, n)
            end = min(n, start + rng.randrange(0, 30))
            assert sentence(text, start, end) == searched_sentence(text, start, end)
