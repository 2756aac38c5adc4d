"""The passage of a post that best shows why it matched, as marked fragments.

A fragment is `(text, marked)`: a page escapes every text and wraps the marked
ones (`snippet_html` does this), so nothing in a document can become markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..names import Keys, tokens
from .model import Fragment

WIDTH = 240  # characters of a snippet
LEAD = 40  # characters shown before the first match of the passage
SCAN = 50_000  # characters of a long text looked at
SUFFIXES = ("", "s", "es", "ed", "d", "ing", "er", "ers", "ly", "'s", "’s")
SPACE = re.compile(r"\s+")


def matches(
    text: str, keys: frozenset[str], stems: Sequence[str], fold: Keys
) -> list[tuple[int, int]]:
    """(start, end) of each word of a text that the query matched."""
    words = tokens(text[:SCAN])
    folded = [fold.fold(w) for w, _, _ in words]
    out: list[tuple[int, int]] = []
    for i, (word, start, end) in enumerate(words):
        key = folded[i]
        lower = word.lower()
        if (
            key in keys
            or any(lower.startswith(s) and lower[len(s) :] in SUFFIXES for s in stems)
            or (i and folded[i - 1] + key in keys)
            or (i + 1 < len(words) and key + folded[i + 1] in keys)
        ):
            out.append((start, end))
    return out


def snippet(
    text: str, keys: frozenset[str], stems: Sequence[str], fold: Keys, width: int = WIDTH
) -> tuple[Fragment, ...]:
    spans = matches(text, keys, stems, fold) if keys or stems else []
    begin = max(0, spans[densest(spans, width - LEAD)][0] - LEAD) if spans else 0
    end = min(len(text), begin + width)
    if begin:  # start and end on word boundaries
        space = text.find(" ", begin, begin + LEAD)
        begin = space + 1 if space >= 0 else begin
    if end < len(text):
        space = text.rfind(" ", end - LEAD, end)
        end = space if space > begin else end
    out: list[Fragment] = [("… ", False)] if begin else []
    at = begin
    for start, stop in spans:
        if start < begin or stop > end:
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:stop], True))
        at = stop
    if end > at:
        out.append((text[at:end], False))
    if end < len(text):
        out.append((" …", False))
    return tuple((SPACE.sub(" ", t), m) for t, m in out if t)


def densest(spans: Sequence[tuple[int, int]], width: int) -> int:
    """The index of the span that opens the window of `width` holding most spans."""
    best, most, j = 0, 0, 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + width:
            j += 1
        if j - i > most:
            best, most = i, j - i
    return best


def snippet_html(fragments: Sequence[Fragment], tag: str = "mark") -> str:
    """Fragments as HTML: every text escaped, the marked ones wrapped in `tag`."""
    return "".join(
        f"<{tag}>{html.escape(t)}</{tag}>" if marked else html.escape(t) for t, marked in fragments
    )
