"""RSS and Atom feeds (feedparser): one document per entry with text."""

from __future__ import annotations

import datetime as dt
import re

from nkwatch.dates import parse_loose_date
from nkwatch.errors import MalformedInput
from nkwatch.model import Document
from nkwatch.read.common import FileInfo, Reading, normalise_newlines
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
        content = entry.get("content")
        body = content[0].get("value", "") if content else entry.get("summary", "")
        body = normalise_newlines(html_to_text(body))
        if not body.strip():
            continue
        stamp = entry.get("published") or entry.get("updated") or ""
        published = parse_loose_date(stamp) if stamp else None
        parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
        if published is None and parsed_time:
            published = dt.date(parsed_time.tm_year, parsed_time.tm_mon, parsed_time.tm_mday)
        author = entry.get("author")
        if author and (named := re.search(r"\(([^()@]+)\)\s*$", author)) and "@" in author:
            author = named[1].strip()  # RSS writes "address (Name)"
        docs.append(
            Document(
                source=entry.get("link") or f"{source}#{i}",
                kind="feed",
                text=body,
                file_sha256=file.sha256,
                title=entry.get("title") or None,
                published=published,
                authors=(author,) if author else (),
                outlet=outlet,
                url=entry.get("link") or None,
            )
        )
    if not docs:
        raise MalformedInput(f"{source}: the feed's entries hold no text")
    return docs
