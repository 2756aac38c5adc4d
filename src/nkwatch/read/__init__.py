"""read: bytes on disk -> Documents (text plus page metadata).

Plain text, HTML (main text and metadata through trafilatura and htmldate, the visible
text when there is no main text), PDF (pypdf), RSS/Atom feeds (feedparser), JSON Lines
of {url, text, ...} items, and the KCNA archive JSON shape ({headline, date in epoch ms,
story_text, link}).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from nkwatch.errors import InputError, UnreadableInput
from nkwatch.model import Document
from nkwatch.read.common import FileInfo, ReadFailure, Reading, normalise_newlines
from nkwatch.read.feed import read_feed
from nkwatch.read.html import html_to_text, read_html
from nkwatch.read.items import read_json, read_jsonl
from nkwatch.read.pdf import MAGIC as PDF_MAGIC
from nkwatch.read.pdf import read_pdf

__all__ = [
    "MAX_BYTES",
    "ReadFailure",
    "decode",
    "html_to_text",
    "iter_files",
    "normalise_newlines",
    "read_file",
    "read_items",
    "read_paths",
    "sniff",
]

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


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
            f"{source}: looks binary (NUL bytes); give nkwatch text, HTML, PDF, a feed or JSON"
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


def read_items(path: Path, max_bytes: int = MAX_BYTES) -> Reading:
    """One file -> its documents, and a failure for each item in it that could not be used
    (in file order). Raises InputError when the file as a whole is unusable."""
    source = str(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise UnreadableInput(f"{source}: cannot open it ({exc.strerror}); check the path") from exc
    if stat.st_size > max_bytes:
        raise UnreadableInput(
            f"{source}: {stat.st_size:,} bytes is over the {max_bytes:,}-byte limit; split it or raise --max-bytes"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"{source}: cannot read it ({exc.strerror})") from exc
    if not raw.strip():
        raise UnreadableInput(f"{source}: the file is empty; nothing to read")
    modified = dt.datetime.fromtimestamp(stat.st_mtime).date()
    file = FileInfo(source, hashlib.sha256(raw).hexdigest(), modified)
    if path.suffix.lower() == ".pdf" or raw.lstrip().startswith(PDF_MAGIC):
        return read_pdf(raw, file)
    text = decode(raw, source)
    return READERS[sniff(path, text)](text, file)


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> list[Document]:
    """One file -> its documents (items that could not be used are left out; `read_items`
    names them). Raises InputError when the file as a whole is unusable."""
    return [d for d in read_items(path, max_bytes) if isinstance(d, Document)]


def sniff(path: Path, text: str) -> str:
    """Which reader a text file needs, by its suffix first and its opening bytes second."""
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


def read_text(text: str, file: FileInfo) -> Reading:
    text = normalise_newlines(text)
    if not text.strip():
        raise UnreadableInput(f"{file.source}: the file holds only white space; nothing to read")
    return [Document(source=file.source, kind="text", text=text, file_sha256=file.sha256)]


READERS: dict[str, Callable[[str, FileInfo], Reading]] = {
    "text": read_text,
    "html": read_html,
    "feed": read_feed,
    "json": read_json,
    "jsonl": read_jsonl,
}


def read_paths(paths: list[Path], max_bytes: int = MAX_BYTES) -> Iterator[Document | ReadFailure]:
    """Every document under the paths, in order; failures (of files, or of items in them)
    are yielded, never raised."""
    for path in iter_files(paths):
        if not path.exists():
            yield ReadFailure(str(path), "no such file or folder; check the path")
            continue
        try:
            yield from read_items(path, max_bytes)
        except InputError as exc:
            yield ReadFailure(str(path), str(exc).removeprefix(f"{path}: "))
