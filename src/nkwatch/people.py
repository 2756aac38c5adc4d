"""Given names: the first word of a Western name no table holds ("Catherine Dill").

The list (`data/given_names.txt`) is the US Census given-name frequency tables
cut at a frequency below which names are mostly rare spellings, less the
everyday English words of `common_words.txt` ("Will", "Grace") and the Korean
family names, which the Korean-name rule reads.
"""

from __future__ import annotations

from functools import cache

from nkwatch.pkgdata import read_lines


@cache
def given_names() -> frozenset[str]:
    guard = {w.casefold() for w in read_lines("common_words.txt")}
    guard |= {w.casefold() for w in read_lines("korean_surnames.txt")}
    return frozenset(n for n in read_lines("given_names.txt") if n.casefold() not in guard)
