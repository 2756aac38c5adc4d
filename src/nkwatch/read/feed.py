"""RSS and Atom feeds (feedparser): one document per entry with text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from nkwatch.dates import parse_loose_date
from nkwatch.errors import MalformedInput
from nkwatch.model import Document
from nkwatch.read.common import FileInfo, ReadFailure, Reading, Skipped, normalise_newlines
from nkwatch.read.html import html_to_text


def read_feed(text: str, file: FileInfo) -> Reading:
    import feedparser

    source = file.source
    parsed = feedparser.parse(text)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise MalformedInput(f"{source}: a feed with no readable entries{why}; check the XML")
    outlet = parsed.feed.get("title") or None
    docs: Reading = []
    for i, entry in enumerate(parsed.entries):
        try:
            doc = feed_entry(entry, i, file, outlet)
        except (TypeError, ValueError, OverflowError, AttributeError, IndexError) as exc:
            reason = f"entry {i + 1} is unusable ({type(exc).__name__}: {exc}); the rest of the feed is read"
            docs.append(ReadFailure(source, reason))
            continue
        docs.append(doc if doc is not None else Skipped(source, f"entry {i + 1} has no text"))
    if not any(isinstance(d, (Document, ReadFailure)) for d in docs):
        raise MalformedInput(f"{source}: the feed's entries hold no text")
    return docs


def feed_entry(entry: Any, i: int, file: FileInfo, outlet: str | None) -> Document | None:
    """One entry -> a Document; None when it holds no text."""
    content = entry.get("content")
    body = content[0].get("value", "") if content else entry.get("summary", "")
    body = normalise_newlines(html_to_text(body or ""))
    if not body.strip():
        return None
    stamp = entry.get("published") or entry.get("updated") or ""
    published = parse_loose_date(stamp) if stamp else None
    parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
    if published is None and parsed_time:
        try:
            published = dt.date(parsed_time.tm_year, parsed_time.tm_mon, parsed_time.tm_mday)
        except (ValueError, OverflowError):
            published = None  # a date outside the calendar is none
    author = entry.get("author")
    if author and (named := re.search(r"\(([^()@]+)\)\s*$", author)) and "@" in author:
        author = named[1].strip()  # RSS writes "address (Name)"
    return Document(
        source=entry.get("link") or f"{file.source}#{i}",
        kind="feed",
        text=body,
        file_sha256=file.sha256,
        title=entry.get("title") or None,
        published=published,
        authors=(author,) if author else (),
        outlet=outlet,
        url=entry.get("link") or None,
    )
