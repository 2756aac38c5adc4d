"""Package data: the tables and word lists nkwatch ships (gazetteers, patterns)."""

from __future__ import annotations

import csv
import re
from importlib import resources


def read_lines(name: str) -> list[str]:
    """The non-comment, non-blank lines of a data file."""
    text = resources.files("nkwatch").joinpath("data", name).read_text("utf-8")
    return [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]


def read_table(name: str) -> list[dict[str, str]]:
    """A tab-separated data file with a header row, '#' lines skipped."""
    lines = read_lines(name)
    return [
        {k: (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


def compile_lines(name: str, whole_line: bool = True) -> re.Pattern[str]:
    """One regular expression that matches any of a data file's patterns."""
    parts = [f"(?:{p})" for p in read_lines(name)]
    body = "|".join(parts)
    return re.compile(rf"^(?:{body})$" if whole_line else body, re.I)
