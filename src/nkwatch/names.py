"""Name keys: one spelling-blind key per word, so romanizations of a name meet.

McCune-Reischauer (Ch'ŏngjin), its plain form (Chongjin), Revised Romanization
(Cheongjin) and DPRK spellings (Phyongyang, Rodong / Nodong, Pothong / Potong)
fold to one key. The folding is applied to the text and to every alias alike,
so it may merge spellings freely: what matters is that distinct names in the
gazetteer do not collide, which the tests check.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from types import MappingProxyType

from nkwatch.pkgdata import read_table

TOKEN = re.compile(
    r"[0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0102-\u01B0]+(?:['’ʼ][A-Za-z\u00C0-\u024F]+)*['’ʼ]?"
    r"|[\uAC00-\uD7A3]+|&"
)
APOSTROPHES = str.maketrans("", "", "'’ʼ‘`")
FOLDS = (
    ("shi", "si"),
    ("sh", "s"),
    ("eo", "o"),
    ("eu", "u"),
    ("ch", "j"),
    ("th", "t"),
    ("ph", "p"),
    ("kh", "k"),
    ("k", "g"),
    ("t", "d"),
    ("p", "b"),
    ("l", "r"),
)
DOUBLE = re.compile(r"([a-z])\1")


@cache
def combining_marks() -> re.Pattern[str]:
    """Every character with a non-zero canonical combining class, as one character class,
    so that marks are taken out of a text in one pass in C."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    body = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{body}]+")


def strip_marks(text: str) -> str:
    """The text decomposed (NFKD) with its combining marks taken out: Ch'ŏngjin -> Ch'ongjin."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    return combining_marks().sub("", decomposed)


def fold(word: str) -> str:
    """The key of one word: case, diacritics, apostrophes and romanization folded away."""
    if "\uac00" <= word[:1] <= "\ud7a3":
        return word
    if word == "&":
        return "and"
    key = (word if word.isascii() else strip_marks(word)).casefold().translate(APOSTROPHES)
    if key.isdigit():
        return key
    for a, b in FOLDS:
        key = key.replace(a, b)
    key = DOUBLE.sub(r"\1", key)
    if key.startswith("n") and len(key) > 2 and key[1] in "aeiouwy":
        key = "r" + key[1:]  # DPRK initial r- where the South writes n- (Rodong / Nodong)
    return key


SPACES = re.compile(r"\s+")
LEADING_THE = re.compile(r"^the\s+", re.I)
MINISTER_OF = re.compile(r"^Minister(?= of \S)")
POSSESSIVE = re.compile(r"['’]s$")
CAMEL = re.compile(r"(?<=[a-z\u00DF-\u00FF])(?=[A-Z])")
GLUED = re.compile(r"[a-z\u00DF-\u00FF][A-Z]")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every word of a text; glued words ("ofKim") come apart."""
    if not GLUED.search(text):  # the common case, in one pass in C
        return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]
    out: list[tuple[str, int, int]] = []
    append = out.append
    for m in TOKEN.finditer(text):
        word = m.group()
        if word.islower() or word[1:].islower() or word.isupper() or not CAMEL.search(word):
            append((word, m.start(), m.end()))  # the common case, tested cheaply in C
            continue
        start = m.start()
        cuts = [c.start() for c in CAMEL.finditer(word)]
        for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True):
            append((word[a:b], start + a, start + b))
    return out


def key_of(name: str) -> str:
    """The key of a whole name: its word keys joined by single spaces."""
    return " ".join(fold(w) for w, _, _ in tokens(name))


class Keys:
    """`fold` and `key_of` with bounded memos: words recur, so most are folded once per run."""

    def __init__(self, size: int = 1 << 16) -> None:
        self.fold: Callable[[str], str] = lru_cache(maxsize=size)(fold)
        self.key_of: Callable[[str], str] = lru_cache(maxsize=size)(self._key_of)

    def _key_of(self, name: str) -> str:
        return " ".join(self.fold(w) for w, _, _ in tokens(name))


def without_article(name: str) -> str:
    """A name without a leading 'the' ("the Daily NK" -> "Daily NK"), in any case."""
    return LEADING_THE.sub("", name)


def display(name: str) -> str:
    """A name as it should be filed: no leading article, no possessive, single spaces."""
    name = SPACES.sub(" ", name).strip(" ,.;:*\"“”'’")
    return POSSESSIVE.sub("", without_article(name))


def ministry_of(name: str) -> str | None:
    """The body an office title names ("Minister of Railways" -> "Ministry of Railways");
    None for a name that is no such title."""
    return MINISTER_OF.sub("Ministry", name) if MINISTER_OF.match(name) else None


def slug(text: str) -> str:
    s = strip_marks(text).casefold().translate(APOSTROPHES)
    return re.sub(r"[^0-9a-z\uac00-\ud7a3]+", "-", s).strip("-")


@cache
def demonyms() -> Mapping[str, str]:
    """'North Korean' -> 'KP': words that say whose a body is, with the owner's country."""
    return MappingProxyType({row["demonym"]: row["country"] for row in read_table("demonyms.tsv")})
