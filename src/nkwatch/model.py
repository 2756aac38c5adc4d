"""The records that flow between pipeline stages, as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


def digest(*parts: str) -> str:
    """A stable hex digest of some strings, used for ids."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


@dataclass(frozen=True)
class Document:
    """One readable unit: a text file, an HTML page, or one item of a feed or archive."""

    source: str  # path or URL it came from
    kind: str  # text | html | feed | jsonl | kcna
    text: str
    file_sha256: str  # hash of the raw bytes of the file holding it
    title: str | None = None
    published: dt.date | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None  # the publisher named by the container (site name, agency)
    url: str | None = None

    @property
    def id(self) -> str:
        """Hash of where it was published and what it says: reading it again changes nothing,
        while the same text at two addresses stays two versions for `dedupe` to group."""
        return digest(
            self.source, self.kind, self.title or "", str(self.published or ""), self.text
        )


@dataclass(frozen=True)
class Origin:
    """Where a post says its story comes from."""

    name: str
    title: str | None = None
    author: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Mention:
    """A stretch of a post's text naming an entity."""

    text: str
    type: str  # facility | organization | person | place | outlet | product
    start: int
    end: int
    name: str  # canonical name the knowledge base files it under
    entity_id: str
    extractor: str = "gazetteer"


@dataclass(frozen=True)
class Quantity:
    """A number with a unit found in a post: money, percentage, tonnage, count."""

    text: str
    kind: str  # money | percent | mass | count
    value: float
    unit: str | None
    start: int
    end: int
    per: str | None = None


@dataclass(frozen=True)
class DateMention:
    text: str
    date: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class Attribution:
    """A sentence in a post that says who the information comes from."""

    text: str
    kind: str  # anonymous-source | named-official | state-media | ...
    source: str  # who is cited, as written
    start: int
    end: int


@dataclass(frozen=True)
class Post:
    """One dated entry: an article, or one post of an archive page."""

    document_id: str
    index: int
    source: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    origins: tuple[Origin, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    attributions: tuple[Attribution, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.document_id[:12]}.{self.index}"


@dataclass(frozen=True)
class Entity:
    """A canonical real-world thing, with the names it goes by."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    info: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
