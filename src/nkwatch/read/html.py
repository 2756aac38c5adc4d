"""HTML pages: main text through trafilatura, the visible text when it finds none, and
the page's own metadata (publication date through htmldate, site name, canonical
address, authors)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from nkwatch.dates import parse_loose_date
from nkwatch.errors import MalformedInput
from nkwatch.model import Document
from nkwatch.printable import printable
from nkwatch.read.common import FileInfo, Reading, normalise_newlines, plausible_date, split_authors

HIDDEN = ("script", "style", "nav", "header", "footer", "aside", "noscript", "template",
          "head", "svg")  # fmt: skip
BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "figcaption",
        "figure",
        "address",
        "br",
        "hr",
        "body",
    ]
)


@dataclass(frozen=True)
class PageMeta:
    """What a page says about itself in its markup."""

    title: str | None = None
    published: dt.date | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    url: str | None = None


def read_html(html: str, file: FileInfo) -> Reading:
    if "<" not in html or not re.search(r"<\s*(html|body|p|div|article)\b", html, re.I):
        raise MalformedInput(
            f"{file.source}: no HTML elements found; if it is plain text, rename it .txt"
        )
    html = printable(html)  # a control character is no text, and the HTML parsers refuse it
    extracted = main_text(html)
    visible = visible_text(html)
    text = extracted.text if extracted is not None else ""
    if not shown(text, visible):
        text = visible
    if not text.strip():
        raise MalformedInput(f"{file.source}: the HTML page shows no text; nothing to read")
    meta = page_meta(html, extracted, file)
    return [
        Document(
            source=file.source,
            kind="html",
            text=normalise_newlines(text),
            file_sha256=file.sha256,
            title=meta.title,
            published=meta.published,
            authors=meta.authors,
            outlet=meta.outlet,
            url=meta.url,
        )
    ]


@dataclass(frozen=True)
class Extracted:
    """trafilatura's reading of a page: its main text and the metadata it found."""

    text: str
    title: str | None
    author: str | None
    sitename: str | None
    url: str | None


def main_text(html: str) -> Extracted | None:
    """trafilatura's main text and metadata; None when it cannot parse the page."""
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
        )
    except Exception:  # trafilatura raises a variety of lxml errors; the fallback reads the page
        return None
    if doc is None:
        return None
    return Extracted(doc.text or "", doc.title, doc.author, doc.sitename, doc.url)


def shown(text: str, visible: str) -> bool:
    """Whether trafilatura's text is what the page shows: most of its words are in the
    visible text. Text it took from navigation or headers alone is not."""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return False
    seen = set(re.findall(r"\w+", visible.lower()))
    return sum(w in seen for w in words) >= len(words) / 2


def parse_tree(html: str) -> Any | None:
    import lxml.html

    try:
        return lxml.html.document_fromstring(html.encode("utf-8"))
    except Exception:  # lxml rejects some broken documents outright
        return None


def visible_text(html: str) -> str:
    """The text a browser would show: hidden and chrome elements dropped, blocks on lines."""
    root = parse_tree(html)
    if root is None:
        return ""
    for el in list(root.iter(*HIDDEN)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS:  # a block starts and ends a line
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    text: str = root.text_content()
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def page_meta(html: str, extracted: Extracted | None, file: FileInfo) -> PageMeta:
    root = parse_tree(html)
    tags = meta_tags(root) if root is not None else {}
    canonical = None
    if root is not None:
        links = root.xpath("//link[@rel='canonical']/@href")
        canonical = links[0].strip() if links and links[0].strip() else None
    url = canonical or tags.get("og:url") or (extracted.url if extracted else None)
    url = url if url and url.startswith(("http://", "https://")) else None
    title = (extracted.title if extracted else None) or tags.get("og:title")
    if not title and root is not None:
        found = root.findtext(".//title")
        title = found.strip() if found else None
    outlet = tags.get("og:site_name") or (extracted.sitename if extracted else None)
    author = tags.get("author") or tags.get("article:author") or tags.get("byl")
    authors = split_authors(author) or split_authors(extracted.author if extracted else None)
    return PageMeta(
        title=title or None,
        published=plausible_date(publication_date(html, url, file), file),
        authors=authors,
        outlet=outlet or None,
        url=url,
    )


def meta_tags(root: Any) -> dict[str, str]:
    """<meta name|property=... content=...>, first of each, lower-cased keys."""
    tags: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in tags:
            tags[key] = value
    return tags


def publication_date(html: str, url: str | None, file: FileInfo) -> dt.date | None:
    """The page's own publication date from its markup; never a crawl or print date."""
    from htmldate import find_date

    try:
        found = find_date(
            html,
            url=url,
            original_date=True,
            extensive_search=False,
            max_date=file.modified.isoformat(),
        )
    except Exception:  # htmldate parses with lxml too, and may fail where we did not
        return None
    return parse_loose_date(found) if found else None


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs kept apart."""
    import lxml.html

    if "<" not in fragment:
        return fragment
    fragment = printable(fragment)  # as in read_html
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
