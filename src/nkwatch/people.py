"""Given names: the first word of a Western name no table holds ("Catherine Dill").

The list is the US Census given-name frequency tables that the `names` package
ships (about 5,000 names), cut at a frequency below which names are mostly
rare spellings, less the everyday English words of `common_words.txt` ("Will",
"Grace") and the Korean family names, which the Korean-name rule reads.
"""

from __future__ import annotations

from functools import cache

from nkwatch.pkgdata import read_lines

MIN_FREQUENCY = 0.004  # per cent of people with the name in the Census sample


@cache
def given_names() -> frozenset[str]:
    from importlib import resources

    guard = {w.casefold() for w in read_lines("common_words.txt")}
    guard |= {w.casefold() for w in read_lines("korean_surnames.txt")}
    out = set()
    for table in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(table).read_text("utf-8")
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= MIN_FREQUENCY:
                name = parts[0].title()
                if name.casefold() not in guard:
                    out.add(name)
    return frozenset(out)
