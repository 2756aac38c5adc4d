"""split: a Document -> its Posts.

An archive or listing page (a blog category or month page) holds one post per
dated entry: a title line, then a line that is only a date, then the body. A
single article is one post. Date lines come in several written shapes; on a
listing page the post headers share one shape, while dates in source lines and
citation blocks usually take another, so the shape that heads the most
title-led entries wins.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nkwatch.dates import DateLine, find_published, parse_date_line
from nkwatch.describe import is_boilerplate_line, is_byline, is_citation_lead
from nkwatch.model import Document, Origin, Post

PREAMBLE_MAX_WORDS = 40


@dataclass(frozen=True)
class Unit:
    """A paragraph (or, in text with no blank lines, a line) with its offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Header:
    title: Unit
    date_unit: Unit
    date: DateLine


def units_of(text: str) -> list[Unit]:
    """Paragraphs split at blank lines; in text with no blank line, single lines."""
    blocky = re.search(r"\n[ \t]*\n", text) is not None
    pattern = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+" if blocky else r"[^\n]+")
    units = []
    for m in pattern.finditer(text):
        chunk = m.group()
        stripped = chunk.strip()
        if stripped:
            start = m.start() + len(chunk) - len(chunk.lstrip())
            units.append(Unit(stripped, start, start + len(stripped)))
    return units


def is_title_like(unit: Unit) -> bool:
    line = unit.text
    return (
        "\n" not in line
        and 3 <= len(line) <= 250
        and not line.endswith((".", ":", ";", ","))
        and parse_date_line(line) is None
        and not is_boilerplate_line(line)
        and not is_citation_lead(line)
        and not is_byline(line)
    )


def find_headers(units: list[Unit]) -> list[Header]:
    """Title + date-line pairs that head posts, all of the winning date shape."""
    candidates: list[Header] = []
    for i in range(1, len(units)):
        if "\n" in units[i].text:
            continue
        date = parse_date_line(units[i].text)
        if date is None or not is_title_like(units[i - 1]):
            continue
        if any(is_citation_lead(u.text) for u in units[max(0, i - 5) : i - 1]):
            continue  # the title, outlet, author and date lines of a citation block
        candidates.append(Header(units[i - 1], units[i], date))
    if not candidates:
        return []
    counts = Counter(h.date.shape for h in candidates)
    first_seen = {h.date.shape: n for n, h in reversed(list(enumerate(candidates)))}
    shape = max(counts, key=lambda s: (counts[s], -first_seen[s]))
    return [h for h in candidates if h.date.shape == shape]


def split(document: Document) -> list[Post]:
    """The posts a document holds, in reading order."""
    text = document.text
    units = units_of(text)
    headers = find_headers(units)
    if not headers:
        return [single_post(document, units)]
    posts = []
    preamble = text[: headers[0].title.start].strip()
    if len(preamble.split()) > PREAMBLE_MAX_WORDS:
        posts.append(Post(document.id, 0, document.source, preamble))
    for n, header in enumerate(headers):
        end = headers[n + 1].title.start if n + 1 < len(headers) else len(text)
        body = text[header.date_unit.end : end].strip()
        authors = byline_names(header.date.byline) if header.date.byline else ()
        posts.append(
            Post(
                document_id=document.id,
                index=len(posts),
                source=document.source,
                text=f"{header.title.text}\n\n{body}" if body else header.title.text,
                title=header.title.text,
                published=header.date.date,
                authors=authors,
                origins=publisher_of(document),
            )
        )
    return posts


def byline_names(byline: str) -> tuple[str, ...]:
    """'Jane Doe and John Roe' -> each writer."""
    return tuple(n for n in re.split(r"\s*(?:,|\band\b|&)\s*", byline) if n)


def address_of(document: Document) -> str | None:
    """Where the document was published, when that is a web address."""
    if document.url:
        return document.url
    return document.source if document.source.startswith(("http://", "https://")) else None


def publisher_of(document: Document) -> tuple[Origin, ...]:
    """The publisher the container names (site name, feed, agency), for `describe` to weigh."""
    return (Origin(document.outlet),) if document.outlet else ()


def single_post(document: Document, units: list[Unit]) -> Post:
    """A document that is one article: its title from metadata, or a heading line; its date
    from metadata, or a date line in its header zone, or its address."""
    title, published, authors = document.title, document.published, document.authors
    text = document.text.strip()
    head = units
    while head and "\n" not in head[0].text and parse_date_line(head[0].text) is not None:
        head = head[1:]  # a blog's date line above the headline
    if (
        title is None
        and len(head) >= 3
        and is_title_like(head[0])
        and len(head[0].text.split()) >= 3
    ):
        title = head[0].text
    if published is None and (found := find_published(text, address_of(document))):
        published = found.date
        if found.byline and not authors:
            authors = byline_names(found.byline)
    return Post(
        document_id=document.id,
        index=0,
        source=document.source,
        text=text,
        title=title,
        published=published,
        authors=authors,
        origins=publisher_of(document),
    )
