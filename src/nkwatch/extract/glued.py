"""Words run together: "toKim Jong Unon", "Kim Il SungUniversity".

Some copies of KCNA items lost the spaces around the names they highlight.
`deglue` puts a space back where a known name begins or ends inside a run of
letters: at a lower-upper seam whose capitalised part starts a known name
("to|Kim") or whose left part ends one ("Sung|University"), and between a
known name's last word and a lower-case word glued to it ("Un|on"). A seam
inside a brand or a company name ("RasonConTrans") is left alone, because no
known name begins or ends there. The mended text keeps a map back to the
original offsets, so mentions point into the text as it was.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from nkwatch.gazetteer import Gazetteer

SEAM = re.compile(r"(?<=[a-z])(?=[A-Z])")
LEFT_PART = re.compile(r"[A-Z]?[a-z]+$")
RIGHT_PART = re.compile(r"[A-Z][a-z]*")
NAME_WORD = re.compile(r"(?<=[ a-z])[A-Z][a-z]{3,}\b")
WORDS_BEFORE = re.compile(r"(?:[A-Za-z]+[ ]){1,3}$")


@dataclass(frozen=True)
class Seamed:
    """A text with spaces put back, and where each one went in the original."""

    text: str
    inserted: tuple[int, ...]  # offsets in the mended text of the spaces put back

    def origin(self, index: int) -> int:
        """The offset in the original text of a character of the mended text."""
        return index - bisect.bisect_right(self.inserted, index - 1)


def deglue(text: str, gazetteer: Gazetteer) -> Seamed | None:
    """The text with spaces put back around known names, or None when none was lost."""
    if not SEAM.search(text):
        return None
    fold = gazetteer.keys.fold
    firsts, lasts = gazetteer.name_edges
    cuts: list[int] = []
    name_starts: list[int] = []  # where a known name begins after a seam
    for seam in SEAM.finditer(text):
        at = seam.start()
        left = LEFT_PART.search(text, max(0, at - 40), at)
        right = RIGHT_PART.match(text, at)
        if left is None or right is None:
            continue
        if fold(right.group()) in firsts:
            cuts.append(at)
            name_starts.append(at)
        elif left.group()[:1].isupper() and fold(left.group()) in lasts:
            cuts.append(at)
    for start in name_starts:  # a lower-case word glued to the end of that name ("Un|on")
        for piece in NAME_WORD.finditer(text, start, min(len(text), start + 60)):
            cut = glued_tail(text, piece.start(), piece.group(), gazetteer, lasts)
            if cut:
                cuts.append(piece.start() + cut)
                break
    if not cuts:
        return None
    out, inserted, last = [], [], 0
    for n, cut in enumerate(sorted(set(cuts))):
        out.append(text[last:cut])
        inserted.append(cut + n)
        out.append(" ")
        last = cut
    out.append(text[last:])
    return Seamed("".join(out), tuple(inserted))


def glued_tail(
    text: str, start: int, piece: str, gazetteer: Gazetteer, lasts: frozenset[str]
) -> int:
    """Where a lower-case word glued to a known name's last word begins ("Un|on"), or 0."""
    before = WORDS_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return 0
    whole = gazetteer.keys.key_of(before.group() + piece).split()
    if any(" ".join(whole[-n:]) in gazetteer.by_key for n in (2, 3, 4)) or any(
        entry.name.split()[-1] == piece for entry in gazetteer.by_key.get(whole[-1], [])
    ):
        return 0  # the word is a name as it stands (spelt as it is, not 'Ilon' as 'iron')
    for cut in range(len(piece) - 2, 1, -1):
        head = piece[:cut]
        if gazetteer.keys.fold(head) not in lasts:
            continue
        keys = gazetteer.keys.key_of(before.group() + head).split()
        if any(" ".join(keys[-n:]) in gazetteer.by_key for n in (2, 3, 4)):
            return cut
    return 0
