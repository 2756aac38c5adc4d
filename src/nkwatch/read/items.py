"""JSON article lists and JSON Lines (a scraper's output): the KCNA archive shape
({headline, date in epoch ms, story_text, link}) and {url, text} items with optional
date/published, title, author/authors and site/outlet keys."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from nkwatch.dates import DateOutOfRange, from_epoch_ms, parse_loose_date
from nkwatch.errors import MalformedInput
from nkwatch.model import Document
from nkwatch.read.common import (
    FileInfo,
    ReadFailure,
    Reading,
    ReadNote,
    Skipped,
    normalise_newlines,
    split_authors,
)


class WrongType(ValueError):
    """An item's key holds a value of a type nkwatch cannot use."""


def read_json(text: str, file: FileInfo) -> Reading:
    """A JSON file: the KCNA archive shape, or a list of {url, title, date, text}. A list
    damaged in places (a changed byte, a cut end) gives its whole items, and a failure
    naming each damaged one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        salvaged = salvage(text, file)
        if any(isinstance(r, Document) for r in salvaged):
            return salvaged
        raise MalformedInput(
            f"{file.source}: not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from exc
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits; deep nesting
        raise MalformedInput(f"{file.source}: not usable JSON ({json_trouble(exc)})") from exc
    if isinstance(data, dict):
        data = data.get("items") or data.get("articles") or [data]
    if not isinstance(data, list):
        raise MalformedInput(f"{file.source}: expected a JSON list of articles")
    found = [r for i, item in enumerate(data) for r in read_item(item, file, i, f"item {i + 1}")]
    return checked(found, file, "no item with text; expected objects with 'story_text' or 'text'")


NEXT_ITEM = re.compile(r"\}\s*,\s*(?=\{)")  # where one object of a list ends and the next begins
SPACE = re.compile(r"\s*")
WRAPPED_LIST = re.compile(r'"(?:items|articles)"\s*:\s*\[')  # as read_json reads a wrapper


def salvage(text: str, file: FileInfo) -> Reading:
    """The items of a JSON list that does not parse whole, read one at a time. An item
    that does not parse is named, and reading goes on at the next place where one object
    ends and another begins; a cut end names the item it cuts. Items are numbered as
    read: an item whose end is damaged takes the next with it, as one damaged item."""
    decoder = json.JSONDecoder()
    at = SPACE.match(text).end()  # type: ignore[union-attr]
    if text.startswith("{", at) and (wrapped := WRAPPED_LIST.search(text, at)):
        at = wrapped.end() - 1  # {"items": [...]}: the list inside
    if not text.startswith("[", at):
        return []
    found: Reading = []
    at += 1
    number = 0
    while True:
        at = SPACE.match(text, at).end()  # type: ignore[union-attr]
        if at >= len(text) or text[at] == "]":
            return found
        number += 1
        try:
            item, end = decoder.raw_decode(text, at)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, or no usable number
            said = exc.msg if isinstance(exc, json.JSONDecodeError) else json_trouble(exc)
            following = NEXT_ITEM.search(text, at + 1)
            if following is None:
                found.append(ReadFailure(file.source, f"item {number} is cut short ({said})"))
                return found
            found.append(
                ReadFailure(file.source, f"item {number} is not valid JSON ({said}); {REST}")
            )
            at = following.end()
            continue
        found.extend(read_item(item, file, number - 1, f"item {number}"))
        at = SPACE.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", at):
            at += 1
        elif not text.startswith("]", at) and at < len(text):  # something else between items
            at = text.find("{", at)  # the next item, if any, is an object
            if at < 0:
                return found


def json_trouble(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deep"
    return str(exc).split(";")[0].split(":")[0]


def read_jsonl(text: str, file: FileInfo) -> Reading:
    found: Reading = []
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            found.append(
                ReadFailure(file.source, f"line {i + 1} is not valid JSON ({exc.msg}); {REST}")
            )
            continue
        except (ValueError, RecursionError) as exc:
            found.append(
                ReadFailure(
                    file.source, f"line {i + 1} is not usable JSON ({json_trouble(exc)}); {REST}"
                )
            )
            continue
        found.extend(read_item(item, file, i, f"item on line {i + 1}"))
    return checked(found, file, "no line holds an object with 'text'")


REST = "the rest of the file is read"


def checked(found: Reading, file: FileInfo, empty: str) -> Reading:
    """The items read; MalformedInput when there is neither a document nor a failure."""
    if not any(isinstance(r, Document | ReadFailure) for r in found):
        raise MalformedInput(f"{file.source}: {empty}")
    return list(found)


def read_item(item: object, file: FileInfo, index: int, name: str) -> Reading:
    """One item -> a Document (after a note for each date it had to leave out), a failure
    naming the item, or Skipped when its text is empty."""
    notes: list[str] = []
    try:
        found = json_item(item, file, index, notes)
    except WrongType as exc:
        return [ReadFailure(file.source, f"{name}: {exc}; {REST}")]
    if found is None:
        return [Skipped(file.source, f"{name} has no text")]
    return [*(ReadNote(file.source, f"{name}: {note}") for note in notes), found]


@dataclass(frozen=True)
class Field:
    """How one optional key of an item is checked and read."""

    keys: tuple[str, ...]
    expected: str
    read: Callable[[object], object]


def text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError
    return value.strip() or None


def date_value(value: object) -> dt.date | None:
    """A date as text or epoch milliseconds; DateOutOfRange for one outside the calendar."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError
    return from_epoch_ms(value) if not isinstance(value, str) else parse_loose_date(value)


def author_names(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return split_authors(value)
    if isinstance(value, list) and all(isinstance(a, str) for a in value):
        return tuple(a.strip() for a in value if a.strip())
    raise TypeError


FIELDS = {
    "body": Field(("text", "content"), "text", text_or_none),
    "title": Field(("title",), "text", text_or_none),
    "published": Field(("date", "published"), "a date as text or epoch milliseconds", date_value),
    "authors": Field(("authors", "author"), "a name or a list of names", author_names),
    "outlet": Field(("outlet", "site", "source_name"), "text", text_or_none),
    "url": Field(("url", "link"), "text", text_or_none),
}
KCNA_FIELDS = {
    "body": Field(("story_text",), "text", text_or_none),
    "title": Field(("headline",), "text", text_or_none),
    "published": Field(("date",), "epoch milliseconds or a date as text", date_value),
    "url": Field(("link", "url"), "text", text_or_none),
}


def field_value(item: dict[str, object], field: Field, notes: list[str]) -> object:
    """The first of the field's keys present in the item, read; WrongType when unusable.
    A date outside the calendar is read as none, with a note saying so."""
    for key in field.keys:
        value = item.get(key)
        if value is None:
            continue
        try:
            return field.read(value)
        except DateOutOfRange as exc:
            notes.append(f"'{key}' {exc}; read as no date")
            return None
        except (TypeError, ValueError, OverflowError, OSError):
            raise WrongType(
                f"'{key}' is {type(value).__name__} {shown(value)}; expected {field.expected}"
            ) from None
    return field.read(None)


def shown(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:40]
    except (ValueError, RecursionError):
        return "(unprintable)"


def json_item(item: object, file: FileInfo, index: int, notes: list[str]) -> Document | None:
    """One JSON article object -> a Document; None when its text is empty; WrongType when
    it is no object, has no text at all, or holds a value of the wrong type."""
    if not isinstance(item, dict):
        raise WrongType(f"is a JSON {type(item).__name__}, not an object")
    kcna = "story_text" in item or "headline" in item
    fields = KCNA_FIELDS if kcna else FIELDS
    if all(item.get(key) is None for key in fields["body"].keys):
        raise WrongType(f"has no {' or '.join(repr(k) for k in fields['body'].keys)}")
    values = {name: field_value(item, f, notes) for name, f in fields.items()}
    body = values["body"]
    if not isinstance(body, str):
        return None
    url = values["url"]
    assert url is None or isinstance(url, str)
    title, published = values["title"], values["published"]
    authors = values.get("authors", ())
    outlet = "KCNA" if kcna else values["outlet"]
    return Document(
        source=url or f"{file.source}#{index}",
        kind="kcna" if kcna else "jsonl",
        text=normalise_newlines(body),
        file_sha256=file.sha256,
        title=title if isinstance(title, str) else None,
        published=published if isinstance(published, dt.date) else None,
        authors=authors if isinstance(authors, tuple) else (),
        outlet=outlet if isinstance(outlet, str) else None,
        url=url,
    )
