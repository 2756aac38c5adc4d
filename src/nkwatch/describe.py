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
from nkwatch.pkgdata import compile_lines, read_lines, read_table

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

# A name as bylines write it: 'Jane Doe', 'ISHIMARU Jiro', 'Koh Byung-joon', 'An Jong Su'.
CAPS_WORD = r"(?:[A-Z][A-Z'’-]+|[A-Z][a-zA-Z'’-]*[a-z]|[A-Z]\.)"
BYLINE_NAME = rf"{CAPS_WORD}(?:[ \t]+{CAPS_WORD}){{1,3}}(?:,? Jr\.)?"


@cache
def outlet_index() -> dict[str, str]:
    """Every name, alias and web domain of data/outlets.tsv, folded, to the outlet's name."""
    index: dict[str, str] = {}
    for row in read_table("outlets.tsv"):
        for form in [row["name"], *row["aliases"].split("|"), *row.get("domains", "").split("|")]:
            if form.strip():
                index.setdefault(form.strip().casefold(), row["name"])
    return index


@cache
def news_outlets() -> frozenset[str]:
    """The outlets of the table that are news media (not institutes, banks or ministries)."""
    return frozenset(r["name"] for r in read_table("outlets.tsv") if r["type"] == "outlet")


@cache
def blog_outlets() -> frozenset[str]:
    """Outlets that relay others' stories: their own address says nothing of a post's origin."""
    return frozenset(r["name"] for r in read_table("outlets.tsv") if r["kind"] == "blog")


def known_outlet(name: str) -> str | None:
    """The table's name for an outlet named or addressed so, else None."""
    key = without_article(name.strip(" \t*.,;:")).casefold()
    key = re.sub(r"\s*\((?:en|eng|english)\)$", "", key)
    return outlet_index().get(key)


def leading_outlet(words: str) -> str | None:
    """The outlet the longest run of opening words names: 'Daily NK sources', 'Yonhap News
    Agency reported'."""
    parts = words.split()
    for n in range(len(parts), 0, -1):
        if outlet := known_outlet(" ".join(parts[:n])):
            return outlet
    return None


def outlet_of_address(url: str) -> str | None:
    """The outlet a web address belongs to: its host or any parent domain in the table."""
    m = re.match(r"https?://([^/:?#]+)", url)
    if not m:
        return None
    host = m[1].lower().removeprefix("www.")
    parts = host.split(".")
    for n in range(len(parts) - 1):
        if name := outlet_index().get(".".join(parts[n:])):
            return name
    return None


def as_name(name: str) -> str:
    """A byline name as written, with a shouted 'DAISUKE HARASHIMA' put in title case."""
    return name.title() if name.isupper() else name


def byline_names(names: str) -> list[str]:
    return [as_name(n.strip()) for n in re.split(r"\s*(?:,|\band\b|&)\s*", names) if n.strip()]


def is_boilerplate_line(line: str) -> bool:
    return compile_lines("boilerplate.txt").match(line.strip().strip("*").strip()) is not None


def is_sidebar_heading(line: str) -> bool:
    """'More From KCNA', 'Related articles': a line that opens a trailing block of other
    items or an offer (data/boilerplate_tails.txt)."""
    bare = line.strip().strip("*•·").strip()
    return compile_lines("boilerplate_tails.txt").match(bare) is not None


def is_citation_lead(line: str) -> bool:
    """'Read the full story here:', 'Source:': a line that opens a citation block."""
    lead = line.strip().removesuffix(":").rstrip()
    return compile_lines("citation_leads.txt").match(lead) is not None


@cache
def writer_role() -> str:
    """A pattern for what a post's writer is: 'journalist', 'reporter', 'analyst'."""
    return "(?:" + "|".join(read_lines("writer_roles.txt")) + ")"


BYLINE_LEAD = re.compile(r"^(?:By|BY|Written by|Author:)\s+\S")


def is_byline(line: str) -> bool:
    """'By Jane Doe', 'By Yonhap': a line that credits a writer or agency, never a title."""
    return BYLINE_LEAD.match(line.strip()) is not None


def byline(text: str) -> list[Found]:
    """'By Jane Doe' or 'Written by Jane Doe and John Roe' on a line of its own, or before a
    wire dateline ('By Jane Doe BEIJING (Reuters) -'); 'By Yonhap' names an origin."""
    out = []
    for m in re.finditer(
        rf"(?m)^(?:By|BY|Written by|Author:)\s+({NAME}(?:(?:,\s*|\s+and\s+){NAME})*)"
        r"(?=\s*$|\s+[A-Z]{3,}\b)",
        text,
    ):
        if outlet := known_outlet(m[1]):
            out.append(Found(m.start(), origins=(Origin(outlet),)))
        else:
            out.append(Found(m.start(), authors=tuple(byline_names(m[1]))))
    for m in re.finditer(r"(?m)^By\s+([A-Z][\w .&-]{1,40}?)\s*$", text):
        if outlet := known_outlet(m[1]):
            out.append(Found(m.start(), origins=(Origin(outlet),)))
    return out


def staff_writer(text: str) -> list[Found]:
    """'DAISUKE HARASHIMA, Nikkei staff writer', 'Jane Doe, staff reporter'."""
    pattern = (
        rf"(?m)^({BYLINE_NAME}),\s+(?:(?:the\s+)?([A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){{0,3}})\s+)?"
        r"(?:staff\s+)?(?:writer|reporter|correspondent)\s*$"
    )
    out = []
    for m in re.finditer(pattern, text):
        outlet = known_outlet(m[2]) if m[2] else None
        out.append(
            Found(m.start(), authors=(as_name(m[1]),), origins=(Origin(outlet),) if outlet else ())
        )
    return out


def slashed_authors(text: str) -> list[Found]:
    """'(Kang Ji-won / ISHIMARU Jiro)' closing a paragraph: reporter and writer; one name
    alone ('(Kang Ji-won)') when it is written as reporters' are (a hyphenated given name,
    a family name in capitals), not as a leader's in a caption."""
    pattern = rf"\(({BYLINE_NAME}(?:\s*/\s*{BYLINE_NAME})*)\)\s*$"
    out = []
    for m in re.finditer(pattern, text, re.M):
        names = [n.strip() for n in m[1].split("/")]
        if len(names) > 1 or (REPORTER_NAME.match(names[0]) and not known_outlet(names[0])):
            out.append(Found(m.start(), authors=tuple(names)))
    return out


REPORTER_NAME = re.compile(r"^(?:[A-Z][a-z]+ [A-Z][a-z]+-[a-z]+|[A-Z]{2,}(?: [A-Z][a-z]+)+)$")


def wire_reporting(text: str) -> list[Found]:
    """'(Reporting by Jane Doe and John Roe; Editing by ...)', as wire stories close:
    the reporters and writers are authors, the editors not."""
    out = []
    for m in re.finditer(r"\((?:[^()]*?;\s*)?(?:Reporting|Writing) by ([^;()]+)", text):
        names = [n.strip() for n in re.split(r",\s*|\s+and\s+", m[1])]
        names = [re.sub(r"\s+in\s+[A-Z][\w ]*$", "", n) for n in names]  # '... in Seoul'
        found = [n for n in names if re.fullmatch(NAME, n) and not known_outlet(n)]
        if found:
            out.append(Found(m.start(), authors=tuple(found)))
    return out


def email_signoff(text: str) -> list[Found]:
    """'Jane Doe jane@paper.com' on a line of its own: the writer's sign-off."""
    pattern = rf"(?m)^({BYLINE_NAME})\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$"
    return [Found(m.start(), authors=(as_name(m[1]),)) for m in re.finditer(pattern, text)]


def author_under_title(text: str) -> list[Found]:
    """A bare name as the first line under a post's title, before a quote lead ('Daily NK:')."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:3]
    if (
        len(lines) == 3
        and NAME_LINE.match(lines[1])
        and lines[2].endswith(":")
        and known_outlet(lines[1]) is None
    ):
        return [Found(text.index(lines[1]), authors=(lines[1],))]
    return []


def header_citation(text: str) -> list[Found]:
    """An outlet line, an author line and a date line heading a relayed story."""
    out = []
    for m in re.finditer(r"(?m)^([^\n]{2,60})\n([^\n]{3,60})\n([^\n]{6,40})$", text):
        outlet = known_outlet(m[1])
        date = parse_date_line(m[3])
        if outlet and date and NAME_LINE.match(m[2].strip()) and not known_outlet(m[2]):
            author = m[2].strip()
            out.append(
                Found(
                    m.start(),
                    authors=(author,),
                    origins=(Origin(outlet, author=author, date=date.date),),
                )
            )
    return out


WIRE_LINES = (
    re.compile(r"(?m)^[ \t]*([A-Z][\w.]*(?: [A-Z][\w.]*){0,2}),[ \t]+[A-Z][A-Z .'-]{2,30}$"),
    re.compile(
        r"(?m)^[ \t]*[A-Z][A-Z .'-]{2,30},[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},[ \t]+"
        r"([A-Z][\w .-]{1,30}?)[ \t]*$"
    ),
)  # 'AFP, SEOUL' under a headline; 'NEW YORK, Feb. 23, Kyodo'


def wire_credit(text: str) -> list[Found]:
    """A wire credit: 'SEOUL, Aug. 20 (Yonhap) --', 'BEIJING (Reuters) -', 'Feb. 15 (UPI) --',
    an agency's dateline line ('AFP, SEOUL', 'NEW YORK, Feb. 23, Kyodo'), a 'Source: Yonhap
    News' line, a closing '(Yonhap)', 'Copyright NK News'."""
    out = []
    dateline = (
        r"(?m)(?:^|\s)[A-Z][\w'.]*(?:[ ,]+[A-Z][\w'.]*){0,4}(?:,?\s+[A-Z][a-z]{2,8}\.?)?(?:\s+\d{1,2})?"
        r"\s*\(([A-Z][\w .-]{1,30})\)\s*(?:--|—|–|-)"
    )
    for m in re.finditer(dateline, text[:3000]):
        if outlet := known_outlet(m[1]):
            out.append(Found(m.start(), origins=(Origin(outlet),)))
    for line in WIRE_LINES:
        for m in line.finditer(text[:3000]):
            if outlet := known_outlet(m[1]):
                out.append(Found(m.start(), origins=(Origin(outlet),)))
    for m in re.finditer(r"(?m)^\W{0,3}Source\s*:\s*([^|\n]{2,40}?)\s*(?:\||$)", text):
        if outlet := known_outlet(m[1]):
            out.append(Found(m.start(), origins=(Origin(outlet),)))
    for m in re.finditer(
        r"(?m)^(?:Copyright|©|\(c\))\s*(?:\d{4}\s+)?(?:by\s+)?([A-Z][\w .-]{1,30}?)[.,]?\s*$", text
    ):
        if outlet := known_outlet(m[1]):
            out.append(Found(m.start(), origins=(Origin(outlet),)))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    for para in paragraphs[-4:]:
        end = re.search(r"\.\s*\(([A-Z][\w .-]{1,20})\)$", para)
        if end and (outlet := known_outlet(end[1])):
            out.append(Found(text.rindex(para), origins=(Origin(outlet),)))
    return out


def headline_credit(text: str) -> list[Found]:
    """A relay's headline that names the story's outlet first: 'Reuters: The coal loophole',
    or last: 'China opposes new sanctions -- Reuters'."""
    out = []
    lines = [m for m in re.finditer(r"(?m)^[^\n]+$", text) if m.group().strip()][:HEADLINE_LINES]
    for m in lines:
        line = m.group().strip()
        first = re.match(r"([A-Z][\w .&'-]{1,30}):\s+\S.{10,}$", line)
        last = re.match(r".{10,}?\s+(?:--|—|–|-)\s+([A-Z][\w .&'-]{1,30})$", line)
        for found in (first, last):
            if found and (outlet := known_outlet(found[1])):
                out.append(Found(m.start(), origins=(Origin(outlet),)))
    return out


HEADLINE_LINES = 3  # where a relay puts the story's headline


def reported_to(text: str) -> list[Found]:
    """'told Daily NK', 'Daily NK has learned', 'seen by NK News': the outlet's own reporting."""
    out = []
    for m in re.finditer(
        r"\b(?:told|reported to|confirmed to|seen by|obtained by)\s+(?:the\s+)?"
        r"([A-Z][\w]*(?:\s+[A-Z][\w]*){0,2})",
        text,
    ):
        if outlet := leading_outlet(m[1]):
            out.append(Found(m.start(), origins=(Origin(outlet),)))
    for m in re.finditer(r"\b([A-Z][\w]*(?:\s+[A-Z][\w]*){0,2}) has learned\b", text):
        if outlet := known_outlet(m[1]):
            out.append(Found(m.start(), origins=(Origin(outlet),)))
    return out


def brief_source(text: str) -> list[Found]:
    """An institute's line followed by its brief's number: 'Institute ... (IFES)' / 'NK Brief No.'."""
    pattern = r"(?m)^([A-Z][^\n]{2,100})\n\s*NK Brief No\.?"
    out = []
    for m in re.finditer(pattern, text):
        name = m[1].strip()
        bare = re.sub(r"\s*\([^)]*\)$", "", name)
        out.append(Found(m.start(), origins=(Origin(known_outlet(bare) or name),)))
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
    pattern = rf"(?m)^[^\w\n]*(?:Translated|Translation|English translation) by:?[ \t]+({NAME})"
    return [Found(m.start(), translators=(m[1],)) for m in re.finditer(pattern, text)]


def according_to_line(text: str) -> list[Found]:
    """'According to the Daily NK:' introducing a quoted story, or 'According to Yonhap,
    Trade drops in 2014:' with the story's headline after the outlet."""
    out = []
    pattern = r"(?m)^According to (?:the |a |an )?([A-Z0-9][^\n:]{1,100}?)\s*:\s*$"
    for m in re.finditer(pattern, text):
        name, _, title = m[1].partition(", ")
        if title and known_outlet(name):
            out.append(Found(m.start(), origins=(Origin(name, title=title.strip()),)))
        elif len(m[1]) <= 60:
            out.append(Found(m.start(), origins=(Origin(m[1]),)))
    return out


def according_to(text: str) -> list[Found]:
    """'According to NK News, ...', 'according to Daily NK sources': a news outlet of the
    table the post says it has its story from, in running text (not 'according to the Bank
    of Korea', a source of figures)."""
    out = []
    for m in re.finditer(
        r"\b[Aa]ccording to (?:the )?([A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,3})", text
    ):
        if (outlet := leading_outlet(m[1])) and outlet in news_outlets():
            out.append(Found(m.start(), origins=(Origin(outlet),)))
    return out


SOURCE_WORDS = 10  # an institute's or outlet's name is no longer than this


def source_line(text: str) -> list[Found]:
    """A block of an institute or outlet name and a date, as IFES briefs carry."""
    out = []
    for m in re.finditer(r"(?m)^([A-Z][^\n]{2,100})\n([^\n]{6,40})$", text):
        date = parse_date_line(m[2])
        name = m[1].strip()
        if date is None or name.endswith((".", ":")) or parse_date_line(name):
            continue
        if len(name.split()) > SOURCE_WORDS and not known_outlet(name):
            continue  # a headline over its date line
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
        title, rest = lines[0], lines[1:]
        outlets = [ln for ln in rest if known_outlet(ln)]
        names = [ln for ln in rest if NAME_LINE.match(ln) and not known_outlet(ln)]
        if outlets:
            outlet = outlets[0]
        elif names and len(rest) == 1:  # title and author, no outlet line
            out.append(Found(m.start(), authors=(names[0],)))
            continue
        else:
            outlet = rest[0]
        rest_names = [n for n in names if n != outlet]
        author = rest_names[0] if rest_names else None
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


RULES: tuple[Rule, ...] = (
    byline,
    staff_line,
    reporter_for,
    translator_line,
    according_to_line,
    according_to,
    source_line,
    citation_block,
    read_it_on,
    written_with,
    staff_writer,
    slashed_authors,
    wire_reporting,
    email_signoff,
    author_under_title,
    header_citation,
    wire_credit,
    headline_credit,
    reported_to,
    brief_source,
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
    """A person's or outlet's name without edge punctuation or a leading 'the'; a closing
    abbreviation keeps its point ('Joseph Bermudez Jr.', 'Samsung Co.')."""
    name = name.strip(" \t*,;:")
    if not ABBREVIATED_END.search(name):
        name = name.strip(" \t*.,;:")
    return without_article(name)


ABBREVIATED_END = re.compile(r"\b(?:Jr|Sr|Co|Corp|Inc|Ltd)\.$")


def describe(post: Post, canonical: Callable[[str], str] = plain_name) -> Post:
    """Fill authors, translators and origins from the text, and strip boilerplate."""
    found = sorted((f for rule in RULES for f in rule(post.text)), key=lambda f: f.at)
    if not any(f.origins for f in found):
        found.extend(Found(len(post.text), origins=(o,)) for o in publisher_origins(post))
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


def publisher_origins(post: Post) -> list[Origin]:
    """The publisher of a post whose text names no origin: from its address or its container,
    when that is an outlet of the table that reports rather than relays."""
    names = [o.name for o in post.origins]
    if post.source.startswith(("http://", "https://")):
        names.append(outlet_of_address(post.source) or "")
    out = []
    for name in names:
        outlet = known_outlet(name) if name else None
        if outlet and outlet not in blog_outlets():
            out.append(Origin(outlet))
    return out[:1]


def unique(names: Iterable[str], exclude: set[str] | None = None) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        name = plain_name(name)
        key = name.casefold()
        if name and key not in seen and name not in (exclude or set()):
            seen[key] = name
    return tuple(seen.values())
