"""A post's text as segments: plain stretches and entity mentions, for a template to mark up.

The template escapes every segment's text, so nothing from a document is ever
read as HTML; mentions that overlap keep the first (and at one start, the
longest), and the text is always shown whole, in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nkwatch.model import Mention


@dataclass(frozen=True)
class Segment:
    text: str
    entity_id: str | None = None  # None for plain text
    type: str | None = None
    name: str | None = None  # the canonical name, for a title attribute


def segments(text: str, mentions: Iterable[Mention]) -> list[Segment]:
    """The whole text cut at the mentions; overlapping or out-of-range mentions are skipped."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.entity_id))
    out: list[Segment] = []
    at = 0
    for m in ordered:
        if m.start < at or m.end <= m.start or m.end > len(text):
            continue
        if m.start > at:
            out.append(Segment(text[at : m.start]))
        out.append(Segment(text[m.start : m.end], m.entity_id, str(m.type), m.name))
        at = m.end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def paragraphs(parts: list[Segment]) -> list[list[Segment]]:
    """Segments split into paragraphs at blank lines (a mention never holds one)."""
    out: list[list[Segment]] = [[]]
    for part in parts:
        if part.entity_id is not None:
            out[-1].append(part)
            continue
        pieces = part.text.split("\n\n")
        for n, piece in enumerate(pieces):
            if n:
                out.append([])
            if piece.strip("\n"):
                out[-1].append(Segment(piece.strip("\n") if len(pieces) > 1 else piece))
    return [p for p in out if p]
