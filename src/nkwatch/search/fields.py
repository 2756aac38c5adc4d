"""The index schema, and one tantivy document per post.

Text is indexed twice: stemmed (`title`, `text`, English stemmer) and folded
(`keys`, `entity_names`): every word goes through `nkwatch.names.fold`, the same
spelling-blind key the resolver uses, so Kimchaek, Kim Ch'aek and Gimchaek meet.
Two neighbouring capitalised words are also indexed joined ("gim" + "jaeg" ->
"gimjaeg") at the positions of both, so a name written as one word finds it
written as two, in phrases too. Ids and labels use the raw tokenizer: one term per value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import lru_cache

import tantivy

from ..names import key_of, tokens
from .model import IndexedPost

Fold = Callable[[str], str]  # one word -> its spelling-blind key
SCHEMA_VERSION = 1
TITLE_GAP = 8  # positions between the title and the text, so phrases do not span them
RAW = "raw"  # one term per value
LABEL_SEPARATOR = "\x1f"  # entity id + separator + name, one term of `entity_label`


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name=RAW)
    sb.add_text_field("source", stored=True, tokenizer_name=RAW)
    sb.add_unsigned_field("post", stored=True)
    sb.add_text_field("title", stored=True, tokenizer_name="en_stem")
    sb.add_text_field("text", stored=True, tokenizer_name="en_stem")
    sb.add_text_field("keys", tokenizer_name=RAW)  # pre-tokenized folded words of title and text
    sb.add_text_field("outlet", stored=True, fast=True, tokenizer_name=RAW)
    sb.add_text_field("outlet_keys", tokenizer_name=RAW)  # key_of every name of the outlet
    sb.add_text_field("authors", stored=True, tokenizer_name=RAW)  # key_of each name
    sb.add_text_field("origins", stored=True, tokenizer_name=RAW)  # key_of each name
    sb.add_text_field("entity", fast=True, tokenizer_name=RAW)  # entity ids
    sb.add_text_field("entity_label", tokenizer_name=RAW)  # id + separator + name shown
    sb.add_text_field("entity_names", tokenizer_name="whitespace")  # see `name_keys`
    sb.add_text_field("entity_type", tokenizer_name=RAW)
    sb.add_text_field("story", stored=True, tokenizer_name=RAW)
    sb.add_unsigned_field("story_key", fast=True)  # story (else post id) as a number, to group
    sb.add_unsigned_field("versions", stored=True)
    sb.add_text_field("grade", stored=True, fast=True, tokenizer_name=RAW)
    sb.add_text_field("grade_terms", tokenizer_name=RAW)  # "C3" and "C"
    sb.add_date_field("published", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("year", indexed=True, fast=True)
    return sb.build()


def story_key(story: str) -> int:
    return int.from_bytes(hashlib.blake2b(story.encode(), digest_size=8).digest(), "big")


@lru_cache(maxsize=4096)  # an ingest indexes the same few outlets again and again
def outlet_key(name: str) -> str:
    """One term for an outlet name in any spelling and spacing (Daily NK, DailyNK)."""
    return key_of(name).replace(" ", "")


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def name_like(word: str) -> bool:
    first = word[:1]
    return first.isupper() or "\uac00" <= first <= "\ud7a3"


def folded(texts: list[str], gap: int, fold: Fold) -> tantivy.PreTokenizedString:
    """The folded words of some texts joined by newlines; two neighbouring words that
    look like parts of a name are also indexed joined, at the positions of both."""
    out: list[tantivy.Token] = []
    token = tantivy.Token
    position = 0
    base = 0
    for text in texts:
        before = ("", False, 0)
        for i, (word, start, end) in enumerate(tokens(text)):
            key = fold(word)
            at = position + i
            out.append(token(key, at, base + start, base + end))
            name = name_like(word)
            if name and before[1]:
                joined = before[0] + key
                out.append(token(joined, at - 1, base + before[2], base + end))
                out.append(token(joined, at, base + before[2], base + end))
            before = (key, name, start)
        position = out[-1].position + 1 + gap if out else position
        base += len(text) + 1
    return tantivy.PreTokenizedString("\n".join(texts), out)


def name_keys(names: tuple[str, ...], fold: Fold) -> str:
    """Folded words of every name, then the joined neighbours of each, one line."""
    words: list[str] = []
    joins: list[str] = []
    for name in names:
        keys = [fold(w) for w, _, _ in tokens(name)]
        words.extend([*keys, "|"])  # "|" keeps phrases from running into the next name
        joins.extend(a + b for a, b in zip(keys, keys[1:], strict=False))
    return " ".join(words + joins)


def document(post: IndexedPost, fold: Fold, names: dict[tuple[str, ...], str]) -> tantivy.Document:
    """The document of one post; `names` memoises `name_keys` between posts."""
    doc = tantivy.Document()
    doc.add_text("id", post.id)
    doc.add_text("source", post.source)
    doc.add_unsigned("post", max(post.post, 0))
    if post.title:
        doc.add_text("title", post.title)
    doc.add_text("text", post.text)
    doc.add_pre_tokenized_text("keys", folded([post.title or "", post.text], TITLE_GAP, fold))
    if post.outlet:
        doc.add_text("outlet", post.outlet)
    for name in {outlet_key(n) for n in (post.outlet, *post.outlet_aliases) if n}:
        doc.add_text("outlet_keys", name)
    for author in post.authors:
        doc.add_text("authors", key_of(author))
    for origin in post.origins:
        doc.add_text("origins", key_of(origin))
    for entity_id, kind, aliases in post.entities:
        doc.add_text("entity", entity_id)
        doc.add_text("entity_type", kind)
        if aliases:
            doc.add_text("entity_label", entity_id + LABEL_SEPARATOR + aliases[0])
            keys = names.get(aliases)
            if keys is None:
                keys = names[aliases] = name_keys(aliases, fold)
            doc.add_text("entity_names", keys)
    if post.story:
        doc.add_text("story", post.story)
    doc.add_unsigned("story_key", story_key(post.story or post.id))
    doc.add_unsigned("versions", max(post.versions, 1))
    if post.grade:
        grade = post.grade.strip().upper()
        doc.add_text("grade", grade)
        for term in {grade, grade[:1]}:
            doc.add_text("grade_terms", term)
    if post.published:
        doc.add_date("published", midnight(post.published))
        doc.add_unsigned("year", post.published.year)
    return doc
