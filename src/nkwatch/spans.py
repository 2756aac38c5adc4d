"""Character spans looked up in logarithmic time, so that stages which take spans one by
one stay linear in the length of a text however many spans it holds: `Spans`, a set that
answers "does this span overlap any of them?", and `Placed`, the things standing at spans
of one text, asked which lie inside or across a stretch of it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar


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


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


class Placed(Generic[S]):
    """Things that stand at spans of one text (mentions, dates, figures), kept in order of
    their starts (ties in the order given), that answer "which lie inside [start, end)?"
    and "which overlap it?" by bisection, so a stage that asks once per figure stays
    linear in the length of the text however many things it holds."""

    def __init__(self, items: Iterable[S]):
        self.items: list[S] = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]
        self.reach = max((item.end - item.start for item in self.items), default=0)

    def __len__(self) -> int:
        return len(self.items)

    def inside(self, start: int, end: int) -> list[S]:
        """Those with `start <= item.start` and `item.end <= end`, in order."""
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, end)
        return [item for item in self.items[lo:hi] if item.end <= end]

    def overlapping(self, start: int, end: int) -> list[S]:
        """Those with `item.start < end` and `start < item.end`, in order."""
        lo, hi = bisect_left(self.starts, start - self.reach), bisect_left(self.starts, end)
        return [item for item in self.items[lo:hi] if start < item.end]

    def ending_within(self, start: int, end: int) -> list[S]:
        """Those with `start <= item.end <= end`, in order."""
        lo, hi = bisect_left(self.starts, start - self.reach), bisect_right(self.starts, end)
        return [item for item in self.items[lo:hi] if start <= item.end <= end]
