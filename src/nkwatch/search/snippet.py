"""The passage of a post that best shows why it matched, as marked fragments.

A fragment is `(text, marked)`: a page escapes every text and wraps the marked
ones (`snippet_html` does this), so nothing in a document can become markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..names import fold, tokens
from .model import Fragment

WIDTH = 240  # characters of a snippet
LEAD = 40  # characters shown before the first match of the passage
SCAN = 20_000  # characters of a text looked at when the match is not known to be nearer
MEMO = 200_000  # words whose keys a `Folds` remembers
SUFFIXES = ("", "s", "es", "ed", "d", "ing", "er", "ers", "ly", "'s", "’s")
SPACE = re.compile(r"\s+")


class Folds:
    """`nkwatch.names.fold` with a bounded memo, shared by the queries of one index."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        key = self._memo.get(word)
        if key is None:
            if len(self._memo) >= MEMO:
                self._memo.clear()
            key = self._memo[word] = fold(word)
        return key


def matches(
    text: str, keys: frozenset[str], stems: Sequence[str], fold: Folds, offset: int = 0
) -> list[tuple[int, int]]:
    """(start, end) of each word of a text that the query matched, plus `offset`."""
    words = tokens(text)
    folded = [fold(w) for w, _, _ in words]
    starts = tuple(stems)
    out: list[tuple[int, int]] = []
    last = len(words) - 1
    for i, (word, start, end) in enumerate(words):
        key = folded[i]
        if (
            key in keys
            or (starts and stemmed(word.lower(), starts))
            or (  # one half of a name the query writes as one word
                word[:1].isupper()
                and (
                    (i and folded[i - 1] + key in keys)
                    or (i < last and key + folded[i + 1] in keys)
                )
            )
        ):
            out.append((start + offset, end + offset))
    return out


def stemmed(word: str, stems: tuple[str, ...]) -> bool:
    """Whether a lower-case word is one of the stems with a common English ending."""
    return word.startswith(stems) and any(
        word.startswith(s) and word[len(s) :] in SUFFIXES for s in stems
    )


def snippet(
    text: str,
    keys: frozenset[str],
    stems: Sequence[str],
    fold: Folds,
    near: int | None = None,
    width: int = WIDTH,
) -> tuple[Fragment, ...]:
    """The passage of `text` with most matched words, looked for around character `near`
    when the search engine has found a match there, else in the first SCAN characters."""
    if not (keys or stems):
        spans = []
    elif near is None:
        spans = matches(text[:SCAN], keys, stems, fold)
    else:
        low = max(0, near - width // 2)
        spans = matches(text[low : near + width], keys, stems, fold, low)
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
