"""What every reader shares: the file being read, failures, text and metadata clean-up."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from nkwatch.model import Document


@dataclass(frozen=True)
class ReadFailure:
    """A file (or one item in it) that could not be read, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class FileInfo:
    """The file a reader works on: where it is, the hash of its bytes, when it was saved."""

    source: str
    sha256: str
    modified: dt.date  # the file's modification day: no page can be published after it


Reading = list[Document | ReadFailure]


def normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return re.sub(r"[ \t]+\n", "\n", text).strip("\n")


def split_authors(value: str | None) -> tuple[str, ...]:
    """'A; B', 'A and B', 'A, B' -> ('A', 'B'); addresses and links are dropped."""
    if not value:
        return ()
    parts = re.split(r";|\band\b|\s&\s|,(?=\s*[A-Z][a-z])", value)
    names = (p.strip(" \t\n,") for p in parts)
    return tuple(n for n in names if n and "://" not in n and "@" not in n)


def plausible_date(date: dt.date | None, file: FileInfo) -> dt.date | None:
    """A metadata date, unless it is later than the file itself or than today (a day's
    grace for time zones)."""
    if date is None:
        return None
    latest = min(file.modified, dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=1)
    return date if date <= latest else None
