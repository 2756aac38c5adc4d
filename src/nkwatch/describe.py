"""describe: a Post -> the same Post with authors, translators, origins, clean text.

Each rule is a small named function that reads the post text and reports what
it found; `RULES` lists them. Origins are the outlets a post says its story
comes from; the naming of an outlet is put right by a `canonical` function the
pipeline passes in (the gazetteer's), so "the Daily NK" and "Institute for Far
Easter Studies (IFES)" are filed under their proper names.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from nkwatch.dates import parse_date_line
from nkwatch.model import Origin, Post
from nkwatch.names import without_article
from nkwatch.pkgdata import compile_lines, read_lines

NAME_WORD = r"(?:[A-Z][a-zA-Z'’-]*[a-z]|[A-Z]\.)"
NAME = rf"{NAME_WORD}(?:[ \t]+(?:{NAME_WORD}|de|da|van|von|bin|al)){{1,3}}(?:,? Jr\.)?"
NAME_LINE = re.compile(rf"^{NAME}$")


@dataclass(frozen=True)
class Found:
    """What one rule found at one place in the text."""

    at: int
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    origins: tuple[Origin, ...] = ()


Rule = Callable[[str], list[Found]]


def is_boilerplate_line(line: str) -> bool:
    return compile_lines("boilerplate.txt").match(line.strip().strip("*").strip()) is not None


def is_citation_lead(line: str) -> bool:
    """'Read the full story here:', 'Source:': a line that opens a citation block."""
    lead = line.strip().removesuffix(":").rstrip()
    return compile_lines("citation_leads.txt").match(lead) is not None


@cache
def writer_role() -> str:
    """A pattern for what a post's writer is: 'journalist', 'reporter', 'analyst'."""
    return "(?:" + "|".join(read_lines("writer_roles.txt")) + ")"


def byline(text: str) -> list[Found]:
    """'By Jane Doe' or 'Written by Jane Doe and John Roe' on a line of its own."""
    out = []
    for m in re.finditer(
        rf"(?m)^(?:By|BY|Written by|Author:)\s+({NAME}(?:\s+and\s+{NAME})?)\s*$", text
    ):
        out.append(Found(m.start(), authors=tuple(re.split(r"\s+and\s+", m[1]))))
    return out


def staff_line(text: str) -> list[Found]:
    """'Jane Doe is one of Daily NK's full-time journalists': an author and her outlet."""
    pattern = (
        rf"(?m)^({NAME}) is (?:one of |a |an )(?:the )?(.{{2,40}}?)[’']s? (?:[\w-]+ ){{0,3}}"
        rf"{writer_role()}s?\b"
    )
    return [
        Found(m.start(), authors=(m[1],), origins=(Origin(m[2].strip()),))
        for m in re.finditer(pattern, text)
    ]


def reporter_for(text: str) -> list[Found]:
    """'Jane Doe is a contributing reporter for Asia Press': an author and her outlet."""
    pattern = (
        rf"(?m)^({NAME}) is (?:a|an|the) (?:[\w-]+ ){{0,2}}"
        rf"{writer_role()} (?:for|at|with) (?:the )?([A-Z][\w&’'-]*(?: [A-Z][\w&’'-]*){{0,4}})"
    )
    return [
        Found(m.start(), authors=(m[1],), origins=(Origin(m[2].rstrip(".")),))
        for m in re.finditer(pattern, text)
    ]


def translator_line(text: str) -> list[Found]:
    """'*Translated by Jane Doe': a translator, never an author."""
    pattern = rf"(?m)^\W*(?:Translated|Translation|English translation) by:?\s+({NAME})"
    return [Found(m.start(), translators=(m[1],)) for m in re.finditer(pattern, text)]


def according_to_line(text: str) -> list[Found]:
    """'According to the Daily NK:' introducing a quoted story."""
    pattern = r"(?m)^According to (?:the |a |an )?([A-Z0-9][^\n:]{1,60}?)\s*:\s*$"
    return [Found(m.start(), origins=(Origin(m[1]),)) for m in re.finditer(pattern, text)]


def source_line(text: str) -> list[Found]:
    """A block of an institute or outlet name and a date, as IFES briefs carry."""
    out = []
    for m in re.finditer(r"(?m)^([A-Z][^\n]{2,100})\n([^\n]{6,40})$", text):
        date = parse_date_line(m[2])
        name = m[1].strip()
        if date is None or name.endswith((".", ":")) or parse_date_line(name):
            continue
        before = text[: m.start()].rstrip().rsplit("\n", 1)[-1]
        if is_citation_lead(before) or NAME_LINE.match(name) and "(" not in name:
            continue  # a citation block, or an author line: other rules read those
        out.append(Found(m.start(), origins=(Origin(name, date=date.date),)))
    return out


def citation_block(text: str) -> list[Found]:
    """'Read the full story here:' then title, outlet, author and date lines."""
    out = []
    for m in re.finditer(r"(?m)^.*$", text):
        if not is_citation_lead(m.group()):
            continue
        block = text[m.end() :].lstrip("\n").split("\n\n", 1)[0]
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()][:5]
        date = None
        if lines and (d := parse_date_line(lines[-1])):
            date, lines = d.date, lines[:-1]
        if len(lines) == 1 and date is not None:  # 'Source:', then the outlet and a date
            out.append(Found(m.start(), origins=(Origin(lines[0], date=date),)))
            continue
        if len(lines) < 2:
            continue
        title, outlet = lines[0], lines[1]
        author = lines[2] if len(lines) > 2 and NAME_LINE.match(lines[2]) else None
        origin = Origin(outlet, title=title, author=author, date=date)
        out.append(Found(m.start(), authors=(author,) if author else (), origins=(origin,)))
    return out


def read_it_on(text: str) -> list[Found]:
    """'You can read it here on 38 North.'"""
    pattern = (
        r"\b(?:[Rr]ead|[Ff]ind|[Ss]ee) (?:it|the (?:full )?(?:article|story|piece|report)) "
        r"(?:here )?(?:on|at) (?:the )?([A-Z0-9][\w.-]*(?: [A-Z0-9][\w.-]*){0,3})"
    )
    return [
        Found(m.start(), origins=(Origin(m[1].rstrip(".")),)) for m in re.finditer(pattern, text)
    ]


def written_with(text: str) -> list[Found]:
    """'my first article with Jane Doe': a co-author."""
    pattern = (
        rf"\b(?:article|piece|report|paper|study|analysis) (?:co-?written |co-?authored |written )?"
        rf"with ({NAME})"
    )
    return [Found(m.start(), authors=(m[1],)) for m in re.finditer(pattern, text)]


def agency_dateline(text: str) -> list[Found]:
    """'Pyongyang, August 5 (KCNA) --': the wire agency a story comes from."""
    m = re.match(
        r"\s*[A-Z][\w' .-]{1,40},\s+[A-Z][a-z]+\.?\s+\d{1,2}\s+\(([A-Z][\w ]{1,24})\)\s*(?:--|—|–|-)",
        text,
    )
    return [Found(0, origins=(Origin(m[1]),))] if m else []


RULES: tuple[Rule, ...] = (
    byline,
    staff_line,
    reporter_for,
    translator_line,
    according_to_line,
    source_line,
    citation_block,
    read_it_on,
    written_with,
    agency_dateline,
)


def clean_text(text: str) -> str:
    """The text without page furniture ('Share', contact requests, 'Read in Korean')."""
    kept = []
    sentence = compile_lines("boilerplate_sentences.txt", whole_line=False)
    for line in text.split("\n"):
        if is_boilerplate_line(line):
            continue
        stripped = sentence.sub("", line).rstrip()
        if line.strip() and not stripped.strip():
            continue
        kept.append(stripped)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def plain_name(name: str) -> str:
    """A person's or outlet's name without edge punctuation or a leading 'the'."""
    return without_article(name.strip(" \t*.,;:"))


def describe(post: Post, canonical: Callable[[str], str] = plain_name) -> Post:
    """Fill authors, translators and origins from the text, and strip boilerplate."""
    found = sorted((f for rule in RULES for f in rule(post.text)), key=lambda f: f.at)
    translators = unique(n for f in found for n in f.translators)
    authors = unique(
        [*post.authors, *(n for f in found for n in f.authors)], exclude=set(translators)
    )
    origins: dict[str, Origin] = {}
    for origin in (o for f in found for o in f.origins):
        name = canonical(origin.name)
        prior = origins.get(name)
        origins[name] = dataclasses.replace(
            origin,
            name=name,
            title=origin.title or (prior.title if prior else None),
            author=origin.author or (prior.author if prior else None),
            date=origin.date or (prior.date if prior else None),
        )
    return dataclasses.replace(
        post,
        text=clean_text(post.text),
        authors=authors,
        translators=translators,
        origins=tuple(origins.values()),
    )


def unique(names: Iterable[str], exclude: set[str] | None = None) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        name = plain_name(name)
        key = name.casefold()
        if name and key not in seen and name not in (exclude or set()):
            seen[key] = name
    return tuple(seen.values())
