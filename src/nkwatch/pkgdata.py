"""Package data: the tables and word lists nkwatch ships (gazetteers, patterns)."""

from __future__ import annotations

import csv
import re
from functools import cache


def read_lines(name: str) -> list[str]:
    """The non-comment, non-blank lines of a data file."""
    from importlib import resources

    return data_lines(resources.files("nkwatch").joinpath("data", name).read_text("utf-8"))


def data_lines(text: str) -> list[str]:
    return [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]


def read_table(name: str) -> list[dict[str, str]]:
    """A tab-separated data file with a header row, '#' lines skipped."""
    return parse_table(read_lines(name))


def parse_table(lines: list[str]) -> list[dict[str, str]]:
    """Rows of a tab-separated table whose first line is the header; cells stripped."""
    return [
        {k: (v or "").strip() for k, v in row.items() if k}
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


@cache
def compile_lines(name: str, whole_line: bool = True) -> re.Pattern[str]:
    """One regular expression that matches any of a data file's patterns; built once a run."""
    parts = [f"(?:{p})" for p in read_lines(name)]
    body = "|".join(parts)
    return re.compile(rf"^(?:{body})$" if whole_line else body, re.I)
