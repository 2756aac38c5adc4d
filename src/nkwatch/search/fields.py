"""The index schema, and one tantivy document per post.

Text is indexed twice: stemmed (`title`, `text`, English stemmer) and folded
(`keys`, `entity_names`): every word goes through `nkwatch.names.fold`, the same
spelling-blind key the resolver uses, so Kimchaek, Kim Ch'aek and Gimchaek meet.
Two neighbouring words are also indexed joined ("gim" + "jaeg" -> "gimjaeg") at
the positions of both, so a name written as one word finds it written as two,
in phrases too. Ids and labels use the raw tokenizer: one term per value.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import tantivy

from ..names import Keys, key_of, tokens
from .model import IndexedPost

SCHEMA_VERSION = 1
TITLE_GAP = 8  # positions between the title and the text, so phrases do not span them
NAME_GAP = 4  # positions between two entity names
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
    sb.add_text_field("entity_names", tokenizer_name=RAW)  # folded words of every alias
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


def outlet_key(name: str) -> str:
    """One term for an outlet name in any spelling and spacing (Daily NK, DailyNK)."""
    return key_of(name).replace(" ", "")


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def folded(texts: list[str], gap: int, keys: Keys) -> tantivy.PreTokenizedString:
    """The folded words of some texts joined by newlines, with neighbours also joined."""
    out: list[tantivy.Token] = []
    position = 0
    base = 0
    for text in texts:
        words = [(keys.fold(w), s, e) for w, s, e in tokens(text)]
        for i, (key, start, end) in enumerate(words):
            out.append(tantivy.Token(key, position + i, base + start, base + end))
            if i:
                before, b_start, _ = words[i - 1]
                joined = before + key
                out.append(tantivy.Token(joined, position + i - 1, base + b_start, base + end))
                out.append(tantivy.Token(joined, position + i, base + b_start, base + end))
        position += len(words) + gap
        base += len(text) + 1
    return tantivy.PreTokenizedString("\n".join(texts), out)


def document(post: IndexedPost, keys: Keys) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", post.id)
    doc.add_text("source", post.source)
    doc.add_unsigned("post", max(post.post, 0))
    if post.title:
        doc.add_text("title", post.title)
    doc.add_text("text", post.text)
    doc.add_pre_tokenized_text("keys", folded([post.title or "", post.text], TITLE_GAP, keys))
    if post.outlet:
        doc.add_text("outlet", post.outlet)
    for name in {outlet_key(n) for n in (post.outlet, *post.outlet_aliases) if n}:
        doc.add_text("outlet_keys", name)
    for author in post.authors:
        doc.add_text("authors", key_of(author))
    for origin in post.origins:
        doc.add_text("origins", key_of(origin))
    names: list[str] = []
    for entity_id, kind, aliases in post.entities:
        doc.add_text("entity", entity_id)
        doc.add_text("entity_type", kind)
        if aliases:
            doc.add_text("entity_label", entity_id + LABEL_SEPARATOR + aliases[0])
        names.extend(aliases)
    if names:
        doc.add_pre_tokenized_text("entity_names", folded(names, NAME_GAP, keys))
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
