"""What every reader shares: the file being read, failures, text and metadata clean-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import TypeVar, cast

from nkwatch.model import Document
from nkwatch.printable import printable


@dataclass(frozen=True)
class ReadFailure:
    """A file (or one item in it) that could not be read, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Skipped:
    """An item of a file left out on purpose (a KCNA item with no text: a photo page)."""

    source: str
    reason: str


@dataclass(frozen=True)
class ReadNote:
    """Something a reader left out of an item it kept (a date outside the calendar), and
    why: a warning, not a failure."""

    source: str
    reason: str


@dataclass(frozen=True)
class FileInfo:
    """The file a reader works on: where it is, the hash of its bytes, when it was saved."""

    source: str
    sha256: str
    modified: dt.date  # the file's modification day: no page can be published after it


Reading = list[Document | ReadFailure | Skipped | ReadNote]


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


Item = TypeVar("Item", bound=Document | ReadFailure | Skipped | ReadNote)


def cleaned(item: Item) -> Item:
    """The item with terminal escape sequences and control characters removed from every
    text it carries, so that nothing stored can act on a terminal that shows it."""
    if not isinstance(item, Document):
        return cast(
            Item,
            dataclasses.replace(item, source=printable(item.source), reason=printable(item.reason)),
        )
    return dataclasses.replace(
        item,
        source=printable(item.source),
        text=printable(item.text),
        title=printable(item.title) if item.title is not None else None,
        authors=tuple(printable(a) for a in item.authors),
        outlet=printable(item.outlet) if item.outlet is not None else None,
        url=printable(item.url) if item.url is not None else None,
    )
