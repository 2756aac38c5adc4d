"""A set of character spans that answers "does this span overlap any of them?" in
logarithmic time, so that stages which take spans one by one stay linear in the length
of a text however many spans it holds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable


class Spans:
    """Half-open spans [start, end), kept sorted and disjoint (overlapping ones merged).

    A span overlaps the set when `start < e and s < end` for a span [s, e) added, exactly
    as testing each span added in turn would say; an empty span is a point, which
    overlaps a span it stands strictly inside."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []  # sorted too: the spans are disjoint
        for start, end in spans:
            self.add(start, end)

    def __len__(self) -> int:
        return len(self.starts)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a span of the set."""
        i = bisect_left(self.starts, end)  # spans before i begin before `end`
        return i > 0 and self.ends[i - 1] > start  # the one of them that ends last

    def add(self, start: int, end: int) -> None:
        """Add [start, end), merging it with the spans it overlaps."""
        if end < start:
            return
        if start == end:
            i = bisect_left(self.starts, start)
            if not (i > 0 and self.ends[i - 1] > start):  # not inside a span held
                self.starts.insert(i, start)
                self.ends.insert(i, end)
            return
        lo = bisect_right(self.ends, start)  # the first span that ends after `start`
        hi = bisect_left(self.starts, end)  # spans before hi begin before `end`
        if lo < hi:
            start, end = min(start, self.starts[lo]), max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]
