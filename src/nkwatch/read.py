"""read: bytes on disk -> Documents (text plus page metadata).

Plain text, HTML (main text and metadata through trafilatura), RSS/Atom feeds
(feedparser), JSON Lines of {url, title, date, text}, and the KCNA archive JSON
shape ({headline, date in epoch ms, story_text, link}).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nkwatch.dates import from_epoch_ms, parse_loose_date
from nkwatch.errors import InputError, MalformedInput, UnreadableInput
from nkwatch.model import Document

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass(frozen=True)
class ReadFailure:
    """A file (or one item in it) that could not be read, and why."""

    source: str
    reason: str


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Files named, and files under folders named (recursively, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if child.is_file() and not any(p.startswith(".") for p in rel):
                    yield child
        else:
            yield path


def decode(raw: bytes, source: str) -> str:
    """Bytes -> str, detecting the encoding; refuses empty and binary input."""
    if not raw.strip():
        raise UnreadableInput(f"{source}: the file is empty; nothing to read")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableInput(
            f"{source}: looks binary (NUL bytes); give nkwatch text, HTML, a feed or JSON"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise UnreadableInput(
            f"{source}: the bytes are in no text encoding nkwatch can detect; save the file as UTF-8"
        )
    return str(best)


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> list[Document]:
    """One file -> its documents. Raises InputError when the file as a whole is unusable."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableInput(f"{source}: cannot open it ({exc.strerror}); check the path") from exc
    if size > max_bytes:
        raise UnreadableInput(
            f"{source}: {size:,} bytes is over the {max_bytes:,}-byte limit; split it or raise --max-bytes"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"{source}: cannot read it ({exc.strerror})") from exc
    sha = hashlib.sha256(raw).hexdigest()
    text = decode(raw, source)
    kind = sniff(path, text)
    reader = READERS[kind]
    return reader(text, source, sha)


def sniff(path: Path, text: str) -> str:
    """Which reader a file needs, by its suffix first and its opening bytes second."""
    suffix = path.suffix.lower()
    head = text[:2048].lstrip().lower()
    if suffix == ".json":
        return "json"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES or (
        head.startswith("<?xml") and ("<rss" in head or "<feed" in head)
    ):
        return "feed"
    if head.startswith(("<rss", "<feed")):
        return "feed"
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        return "html"
    return "text"


def read_text(text: str, source: str, sha: str) -> list[Document]:
    text = normalise_newlines(text)
    if not text.strip():
        raise UnreadableInput(f"{source}: the file holds only white space; nothing to read")
    return [Document(source=source, kind="text", text=text, file_sha256=sha)]


def read_html(html: str, source: str, sha: str) -> list[Document]:
    import trafilatura

    if "<" not in html or not re.search(r"<\s*(html|body|p|div|article)\b", html, re.I):
        raise MalformedInput(
            f"{source}: no HTML elements found; if it is plain text, rename it .txt"
        )
    try:
        doc: Any = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
        )
    except Exception as exc:  # trafilatura raises a variety of lxml errors
        raise MalformedInput(
            f"{source}: the HTML could not be parsed ({type(exc).__name__})"
        ) from exc
    if doc is None or not (doc.text or "").strip():
        raise MalformedInput(f"{source}: no main text found in the HTML page")
    text = normalise_newlines(doc.text)
    published = parse_loose_date(doc.date) if doc.date else None
    authors = tuple(a.strip() for a in re.split(r";|\band\b", doc.author or "") if a.strip())
    return [
        Document(
            source=source,
            kind="html",
            text=text,
            file_sha256=sha,
            title=(doc.title or None),
            published=published,
            authors=authors,
            outlet=doc.sitename or None,
            url=doc.url or None,
        )
    ]


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs kept apart."""
    import lxml.html

    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # a broken fragment: fall back to stripping tags
        return re.sub(r"<[^>]+>", " ", fragment)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = []
    for el in root.iter("p", "li", "h1", "h2", "h3", "h4", "blockquote", "pre"):
        blocks.append(el.text_content().strip())
    text = "\n\n".join(b for b in blocks if b) or root.text_content()
    return text.strip()


def read_feed(text: str, source: str, sha: str) -> list[Document]:
    import feedparser

    parsed = feedparser.parse(text)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise MalformedInput(f"{source}: a feed with no readable entries{why}; check the XML")
    outlet = parsed.feed.get("title") or None
    docs = []
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
            import datetime as dt

            published = dt.date(parsed_time.tm_year, parsed_time.tm_mon, parsed_time.tm_mday)
        author = entry.get("author")
        if author and (named := re.search(r"\(([^()@]+)\)\s*$", author)) and "@" in author:
            author = named[1].strip()  # RSS writes "address (Name)"
        docs.append(
            Document(
                source=entry.get("link") or f"{source}#{i}",
                kind="feed",
                text=body,
                file_sha256=sha,
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


def read_json(text: str, source: str, sha: str) -> list[Document]:
    """A JSON file: the KCNA archive shape, or a list of {url, title, date, text}."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(f"{source}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(data, dict):
        data = data.get("items") or data.get("articles") or [data]
    if not isinstance(data, list):
        raise MalformedInput(f"{source}: expected a JSON list of articles")
    docs = [doc for i, item in enumerate(data) if (doc := json_item(item, source, sha, i))]
    if not docs:
        raise MalformedInput(
            f"{source}: no item with text; expected objects with 'story_text' or 'text'"
        )
    return docs


def read_jsonl(text: str, source: str, sha: str) -> list[Document]:
    docs = []
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MalformedInput(f"{source}: line {i + 1} is not valid JSON ({exc.msg})") from exc
        if (doc := json_item(item, source, sha, i)) is not None:
            docs.append(doc)
    if not docs:
        raise MalformedInput(f"{source}: no line holds an object with 'text'")
    return docs


def json_item(item: object, source: str, sha: str, index: int) -> Document | None:
    """One JSON article object -> a Document; None when it carries no text."""
    if not isinstance(item, dict):
        return None
    if "story_text" in item or "headline" in item:  # the KCNA archive shape
        body = item.get("story_text") or ""
        title, stamp, kind = item.get("headline"), item.get("date"), "kcna"
        outlet: str | None = "KCNA"
    else:
        body = item.get("text") or item.get("content") or ""
        title, stamp, kind = item.get("title"), item.get("date"), "jsonl"
        outlet = item.get("outlet") or item.get("source_name") or None
    if not isinstance(body, str) or not body.strip():
        return None
    published = None
    if isinstance(stamp, int | float):
        published = from_epoch_ms(stamp)
    elif isinstance(stamp, str):
        published = parse_loose_date(stamp)
    url = item.get("link") or item.get("url") or None
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    return Document(
        source=url or f"{source}#{index}",
        kind=kind,
        text=normalise_newlines(body),
        file_sha256=sha,
        title=title.strip() if isinstance(title, str) and title.strip() else None,
        published=published,
        authors=tuple(str(a) for a in authors),
        outlet=outlet,
        url=url,
    )


def normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return re.sub(r"[ \t]+\n", "\n", text).strip("\n")


READERS = {
    "text": read_text,
    "html": read_html,
    "feed": read_feed,
    "json": read_json,
    "jsonl": read_jsonl,
}


def read_paths(paths: list[Path], max_bytes: int = MAX_BYTES) -> Iterator[Document | ReadFailure]:
    """Every document under the paths, in order; failures are yielded, never raised."""
    for path in iter_files(paths):
        if not path.exists():
            yield ReadFailure(str(path), "no such file or folder; check the path")
            continue
        try:
            yield from read_file(path, max_bytes)
        except InputError as exc:
            yield ReadFailure(str(path), str(exc).removeprefix(f"{path}: "))
