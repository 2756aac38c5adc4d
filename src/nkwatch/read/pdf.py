"""PDF files: the text layer of every page and the document information (title, author,
creation date), through pypdf.

pypdf rather than pdfminer.six: it is pure Python with no C dependencies, actively
maintained, and its text extraction is adequate for reports and newsletters (lines come
out in reading order for single-column pages). A scanned PDF has no text layer; nkwatch
does no OCR itself and says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import re
from collections.abc import Iterator
from typing import Any

from nkwatch.errors import MalformedInput, UnreadableInput
from nkwatch.model import Document
from nkwatch.read.common import FileInfo, Reading, normalise_newlines, plausible_date, split_authors

MAGIC = b"%PDF-"


def is_pdf(raw: bytes) -> bool:
    """PDF bytes: the header may follow up to 1 KB of leading junk, as readers allow."""
    return MAGIC in raw[:1024]


def read_pdf(raw: bytes, file: FileInfo) -> Reading:
    source = file.source
    if not is_pdf(raw):
        raise MalformedInput(
            f"{source}: named .pdf but the bytes are not a PDF ({looks_like(raw)}); "
            "download the PDF again or rename the file"
        )
    if b"%%EOF" not in raw[-2048:]:
        raise MalformedInput(
            f"{source}: the PDF is truncated (no end-of-file marker); download it again"
        )
    import pypdf

    try:
        with quiet_pypdf():
            reader = pypdf.PdfReader(io.BytesIO(raw))
            if reader.is_encrypted and not reader.decrypt(""):
                raise UnreadableInput(
                    f"{source}: the PDF is encrypted with a password; save an unlocked copy"
                )
            pages = [page.extract_text() or "" for page in reader.pages]
            info: Any = reader.metadata
    except UnreadableInput:
        raise
    except pypdf.errors.DependencyError as exc:  # AES encryption needs `cryptography`
        raise UnreadableInput(
            f"{source}: the PDF is AES-encrypted; pip install cryptography to read it"
        ) from exc
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise MalformedInput(
            f"{source}: the PDF is damaged and cannot be read ({type(exc).__name__}); "
            "download it again or re-save it from a PDF viewer"
        ) from exc
    text = "\n\n".join(t for t in (join_hyphenated(normalise_newlines(p)) for p in pages) if t)
    if not text.strip():
        raise UnreadableInput(
            f"{source}: no text layer; run OCR first (e.g. ocrmypdf) and ingest the result"
        )
    return [
        Document(
            source=source,
            kind="pdf",
            text=text,
            file_sha256=file.sha256,
            title=info_text(info, "/Title"),
            published=plausible_date(pdf_date(info_text(info, "/CreationDate")), file),
            authors=split_authors(info_text(info, "/Author")),
        )
    ]


def join_hyphenated(text: str) -> str:
    """'produc-\\ntion' -> 'production': a hyphen at a line's end between lower-case letters
    is taken for a line-break hyphen (as pdftotext does; a compound split at its own
    hyphen loses it)."""
    return re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)


def info_text(info: Any, key: str) -> str | None:
    """A document information string, None when absent or blank."""
    if info is None:
        return None
    try:
        value = info.get(key)
    except Exception:  # an indirect object that does not resolve
        return None
    text = str(value).strip() if value is not None else ""
    return text or None


def pdf_date(value: str | None) -> dt.date | None:
    """'D:20230405103000+09'00'' -> 2023-04-05 (the day as the writer's clock gave it)."""
    if not value:
        return None
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def looks_like(raw: bytes) -> str:
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "it is an HTML page"
    if not head:
        return "it is empty"
    return f"it starts with {raw[:8]!r}"


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf logs its repairs of sloppy files; nkwatch reports one line per file instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 1)
    try:
        yield
    finally:
        logger.setLevel(level)
