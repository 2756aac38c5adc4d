"""read: bytes on disk -> Documents (text plus page metadata).

Plain text, HTML (main text and metadata through trafilatura and htmldate, the visible
text when there is no main text), PDF (pypdf), RSS/Atom feeds (feedparser), JSON Lines
of {url, text, ...} items, and the KCNA archive JSON shape ({headline, date in epoch ms,
story_text, link}).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from nkwatch.errors import InputError, UnreadableInput
from nkwatch.model import Document
from nkwatch.pkgdata import read_lines
from nkwatch.read.common import (
    FileInfo,
    ReadFailure,
    Reading,
    ReadNote,
    Skipped,
    cleaned,
    normalise_newlines,
)
from nkwatch.read.feed import read_feed
from nkwatch.read.html import html_to_text, read_html
from nkwatch.read.items import read_json, read_jsonl
from nkwatch.read.pdf import MAGIC as PDF_MAGIC
from nkwatch.read.pdf import read_pdf

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "FileReading",
    "ReadFailure",
    "ReadNote",
    "Selection",
    "Skipped",
    "decode",
    "html_to_text",
    "iter_files",
    "normalise_newlines",
    "read_file",
    "read_items",
    "read_file_items",
    "read_paths",
    "select_files",
    "sniff",
]

MAX_BYTES = 50 * 1024 * 1024
MAX_CHARS = 20_000_000  # one document's text; a longer one is refused with one line
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass(frozen=True)
class Selection:
    """The files to read, and those left out (by --exclude or by the default list)."""

    files: tuple[Path, ...]
    left_out: tuple[Path, ...]


def excluded(path: Path, root: Path | None, patterns: Sequence[str]) -> bool:
    """Whether a file matches a pattern: by its name, its path under the folder named, or
    its whole path; case-blind."""
    forms = {path.name.casefold(), path.as_posix().casefold()}
    if root is not None:
        forms.add(path.relative_to(root).as_posix().casefold())
    return any(fnmatch.fnmatchcase(f, p.casefold()) for p in patterns for f in forms)


def select_files(
    paths: Sequence[Path], exclude: Sequence[str] = (), defaults: bool = True
) -> Selection:
    """The files named, and the files under the folders named (recursively, in name order),
    less those matching `exclude`. Under a folder, hidden files and those of the default
    list (data/ingest_excludes.txt: READMEs, licences, images, archives...) are left out
    too, unless `defaults` is off; a file named on its own is read whatever its name."""
    usual = read_lines("ingest_excludes.txt") if defaults else []
    chosen: list[Path] = []
    left: list[Path] = []
    for path in paths:
        if not path.is_dir():
            (left if excluded(path, None, exclude) else chosen).append(path)
            continue
        for child in sorted(path.rglob("*")):
            if not child.is_file():
                continue
            rel = child.relative_to(path).parts
            if any(p.startswith(".") for p in rel) or excluded(child, path, [*usual, *exclude]):
                left.append(child)
            else:
                chosen.append(child)
    return Selection(tuple(chosen), tuple(left))


def iter_files(paths: list[Path], exclude: Sequence[str] = ()) -> Iterator[Path]:
    """The files `select_files` chooses, in order."""
    yield from select_files(paths, exclude).files


def decode(raw: bytes, source: str) -> str:
    """Bytes -> str, detecting the encoding; refuses empty and binary input."""
    if not raw.strip():
        raise UnreadableInput(f"{source}: the file is empty; nothing to read")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        if (text := utf16_without_mark(raw)) is not None:
            return text
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


def utf16_without_mark(raw: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark, told by where its NUL bytes fall (the
    high byte of every Latin letter); None when the bytes are not that."""
    head = raw[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2 or 1
    if max(even, odd) < half * 0.3 or min(even, odd) > half * 0.02:
        return None
    try:
        text = raw.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return None
    sample = text[:4096]
    shown = sum(c.isprintable() or c.isspace() for c in sample)
    return text if shown >= 0.95 * len(sample) and any(c.isalpha() for c in sample) else None


@dataclass(frozen=True)
class FileReading:
    """What one file held: its documents and unusable items in file order, how many
    items were left out on purpose (items with no text), and notes on what was left out
    of items kept (dates outside the calendar)."""

    items: tuple[Document | ReadFailure, ...]
    skipped: int = 0
    notes: tuple[ReadNote, ...] = ()


def read_items(path: Path, max_bytes: int = MAX_BYTES) -> list[Document | ReadFailure]:
    """One file -> its documents, and a failure for each item in it that could not be used
    (in file order). Raises InputError when the file as a whole is unusable."""
    return list(read_file_items(path, max_bytes).items)


def read_file_items(
    path: Path, max_bytes: int = MAX_BYTES, max_chars: int = MAX_CHARS
) -> FileReading:
    """One file -> a FileReading. Raises InputError when the file as a whole is unusable;
    a document of more than `max_chars` characters is a failure in its place."""
    reading = raw_reading(path, max_bytes)
    kept = tuple(
        cleaned(within(i, max_chars)) for i in reading if isinstance(i, Document | ReadFailure)
    )
    notes = tuple(cleaned(i) for i in reading if isinstance(i, ReadNote))
    skipped = sum(isinstance(i, Skipped) for i in reading)
    return FileReading(kept, skipped, notes)


def within(item: Document | ReadFailure, max_chars: int) -> Document | ReadFailure:
    """The item, or a failure in place of a document too long to read in one piece."""
    if isinstance(item, Document) and len(item.text) > max_chars:
        return ReadFailure(
            item.source,
            f"a document of {len(item.text):,} characters is over the {max_chars:,}-character"
            " limit; split it or raise --max-chars",
        )
    return item


def raw_reading(path: Path, max_bytes: int) -> Reading:
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
        after = path.stat()
    except OSError as exc:
        raise UnreadableInput(f"{source}: cannot read it ({exc.strerror})") from exc
    regular = S_ISREG(stat.st_mode)  # a pipe has no size to compare
    if regular and (after.st_mtime_ns, after.st_size) != (stat.st_mtime_ns, len(raw)):
        raise UnreadableInput(
            f"{source}: the file changed while it was read; ingest it again once it is written"
        )
    if len(raw) > max_bytes:
        raise UnreadableInput(
            f"{source}: {len(raw):,} bytes is over the {max_bytes:,}-byte limit; split it or raise --max-bytes"
        )
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


# A page saved as text with its date stamped before its first line ('date 2020-08-01 N Korea
# returns to growth'): the stamp is put on a line of its own, where it reads as a date line.
DATE_STAMP = re.compile(r"\A\s*(date:? \d{4}-\d{2}-\d{2})[ \t]+(?=\S)")


def read_text(text: str, file: FileInfo) -> Reading:
    text = DATE_STAMP.sub(r"\1\n\n", normalise_newlines(text), count=1)
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


def read_paths(
    paths: list[Path],
    max_bytes: int = MAX_BYTES,
    exclude: Sequence[str] = (),
    on_note: Callable[[ReadNote], None] | None = None,
    max_chars: int = MAX_CHARS,
) -> Iterator[Document | ReadFailure]:
    """Every document under the paths, in order; failures (of files, or of items in them)
    are yielded, never raised. `on_note` hears what was left out of the documents kept."""
    for path in iter_files(paths, exclude):
        reading = read_one(path, max_bytes, max_chars)
        if on_note is not None:
            for note in reading.notes:
                on_note(note)
        yield from reading.items


def read_one(path: Path, max_bytes: int = MAX_BYTES, max_chars: int = MAX_CHARS) -> FileReading:
    """A FileReading of one file; a file that cannot be used is one failure, never raised."""
    if not path.exists():
        return FileReading((ReadFailure(str(path), "no such file or folder; check the path"),))
    try:
        return read_file_items(path, max_bytes, max_chars)
    except InputError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
    except RecursionError:
        reason = "nested too deep to read; flatten it or leave it out"
    except Exception as exc:  # a defect in a reader must not sink the rest of the batch
        reason = f"nkwatch failed reading it ({type(exc).__name__}: {exc}); please report this"
    return FileReading((cleaned(ReadFailure(str(path), reason)),))
