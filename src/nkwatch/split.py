"""split: a Document -> its Posts.

An archive or listing page (a blog category or month page) holds one post per
dated entry: a title line, then a line that is only a date, then the body; or,
where the listing shows no titles, a date line that credits the writers
('May 6, 2021, by Jane Doe and John Roe—') above each teaser. A single article
is one post. Date lines come in several written shapes; on a
listing page the post headers share one shape, while dates in source lines and
citation blocks usually take another, so the shape that heads the most
title-led entries wins.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from nkwatch.dates import DateLine, find_published, parse_date_line
from nkwatch.describe import (
    byline_names,
    is_boilerplate_line,
    is_byline,
    is_citation_lead,
    is_sidebar_heading,
)
from nkwatch.model import Document, Origin, Post

PREAMBLE_MAX_WORDS = 40
UNTITLED_MIN = 2  # dated bylines with no title above them that make a listing
SIDEBAR_AFTER_WORDS = 50  # a sidebar follows an article; a page that opens with one is a listing
SIDEBAR_MAX_WORDS = 1_000  # ...and is a few dozen headlines, some with teasers: what runs on
# longer after such a heading is more of the document (pages run together in one file)
POST_MAX_CHARS = 200_000  # no article runs this long: a longer post is cut into parts
CUT_MARKS = ("\n\n", "\n", ". ", " ")  # where a part ends, the first found in its last half
LABELLED_MIN = 3  # titles over section labels that make an undated listing
SECTION_LABELS = re.compile(r"[A-Z][\w'’-]*(?:(?:,\s*|\s+&\s+|\s+and\s+|\s+)[A-Z][\w'’-]*){0,5}")


@dataclass(frozen=True)
class Unit:
    """A paragraph (or, in text with no blank lines, a line) with its offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Header:
    title: Unit | None
    date_unit: Unit  # the date line, or the section label under an undated title
    date: DateLine | None

    @property
    def start(self) -> int:
        return (self.title or self.date_unit).start


def units_of(text: str, lines: bool = False) -> list[Unit]:
    """Paragraphs split at blank lines; in text with no blank line (or with `lines`),
    single lines."""
    blocky = not lines and re.search(r"\n[ \t]*\n", text) is not None
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
    untitled: list[Header] = []
    for i in range(len(units)):
        if "\n" in units[i].text:
            continue
        date = parse_date_line(units[i].text)
        if date is None or any(is_citation_lead(u.text) for u in units[max(0, i - 5) : i]):
            continue  # the title, outlet, author and date lines of a citation block
        if i > 0 and is_title_like(units[i - 1]):
            candidates.append(Header(units[i - 1], units[i], date))
        if date.byline:
            untitled.append(Header(None, units[i], date))
    if len(untitled) >= UNTITLED_MIN and len(untitled) > len(candidates):
        return untitled  # a listing of teasers under dated bylines
    if not candidates:
        return labelled_headers(units)
    shapes = [h.date.shape if h.date else "" for h in candidates]
    counts = Counter(shapes)
    first_seen = {shape: n for n, shape in reversed(list(enumerate(shapes)))}
    shape = max(counts, key=lambda s: (counts[s], -first_seen[s]))
    return [h for h, s in zip(candidates, shapes, strict=True) if s == shape]


def without_sidebar(text: str) -> str:
    """The text up to a trailing block of other items ('More From KCNA', 'Related
    articles', 'You may also like') that follows at least SIDEBAR_AFTER_WORDS words and
    runs on for at most SIDEBAR_MAX_WORDS."""
    total: int | None = None  # words in the text, counted once a heading needs it
    before, counted = 0, 0  # words before the line looked at, counted up to `counted`
    for m in re.finditer(r"(?m)^[^\n]+$", text):
        if not is_sidebar_heading(m.group()):
            continue
        before += len(text[counted : m.start()].split())
        counted = m.start()
        if before < SIDEBAR_AFTER_WORDS:
            continue
        total = len(text.split()) if total is None else total
        if total - before <= SIDEBAR_MAX_WORDS:
            return text[: m.start()].rstrip()
    return text


def untitled_headers(lines: list[Unit]) -> list[Header]:
    """Dated bylines heading teasers line by line, in a page whose paragraphs hide them."""
    headers = [
        Header(None, line, date)
        for line in lines
        if (date := parse_date_line(line.text)) is not None and date.byline
    ]
    return headers if len(headers) >= UNTITLED_MIN else []


def labelled_headers(units: list[Unit]) -> list[Header]:
    """An undated listing: each entry a title, a line of section labels ('Analysis,
    Economics'), then its teaser; LABELLED_MIN of them, or none."""
    headers = []
    for i in range(1, len(units)):
        label, newline, rest = units[i].text.partition("\n")
        if not (newline and rest.strip()) and not (
            i + 1 < len(units) and not is_title_like(units[i + 1])
        ):
            continue
        title = units[i - 1]
        if (
            SECTION_LABELS.fullmatch(label)
            and is_title_like(title)
            and len(title.text.split()) >= 3
        ):
            headers.append(
                Header(title, Unit(label, units[i].start, units[i].start + len(label)), None)
            )
    return headers if len(headers) >= LABELLED_MIN else []


def split(document: Document) -> list[Post]:
    """The posts a document holds, in reading order."""
    text = without_sidebar(document.text)
    units = units_of(text)
    headers = find_headers(units) or untitled_headers(units_of(text, lines=True))
    if not headers:
        return in_parts([single_post(document, units)])
    posts = []
    document_id = document.id  # a hash of the whole text: taken once, not once a post
    preamble = text[: headers[0].start].strip()
    if len(preamble.split()) > PREAMBLE_MAX_WORDS:
        posts.append(Post(document_id, 0, document.source, preamble))
    for n, header in enumerate(headers):
        end = headers[n + 1].start if n + 1 < len(headers) else len(text)
        # a byline names its writers in the text; a bare date line says nothing more
        byline = header.date.byline if header.date else None
        body = text[header.date_unit.start if byline else header.date_unit.end : end].strip()
        authors = tuple(byline_names(byline)) if byline else ()
        title = header.title.text if header.title else None
        posts.append(
            Post(
                document_id=document_id,
                index=len(posts),
                source=document.source,
                text="\n\n".join(part for part in (title, body) if part),
                title=title,
                published=header.date.date if header.date else None,
                authors=authors,
                origins=publisher_of(document),
            )
        )
    return in_parts(posts)


def in_parts(posts: list[Post]) -> list[Post]:
    """The posts, each over POST_MAX_CHARS characters cut into parts that are posts of
    their own, titled 'Title (part 2 of 25)', so that no stage holds a whole file of text
    with no breaks as one post, and parts go to several processes."""
    if all(len(post.text) <= POST_MAX_CHARS for post in posts):
        return posts
    out: list[Post] = []
    for post in posts:
        pieces = cut(post.text, POST_MAX_CHARS)
        for k, piece in enumerate(pieces, 1):
            title = post.title
            if title and len(pieces) > 1:
                title = f"{title} (part {k} of {len(pieces)})"
            out.append(replace(post, index=len(out), text=piece, title=title))
    return out


def cut(text: str, limit: int) -> list[str]:
    """The text in pieces of at most `limit` characters, each ending at a paragraph break,
    else a line break, a sentence end or a space in its last half (else at the limit)."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for mark in CUT_MARKS:
            at = text.rfind(mark, start + limit // 2, end)
            if at != -1:
                end = at + len(mark)
                break
        pieces.append(text[start:end].strip())
        start = end
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


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
    while (
        head
        and "\n" not in head[0].text
        and (parse_date_line(head[0].text) is not None or is_boilerplate_line(head[0].text))
    ):
        head = head[1:]  # a blog's date line above the headline, a page's 'Close' button
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
            authors = tuple(byline_names(found.byline))
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
