"""Recognise entity mentions: gazetteer look-up plus patterns for names no list holds.

Two sources of candidates meet here:

- the gazetteer's Aho-Corasick matcher finds every known name under any spelling;
- patterns read capitalised name chunks ("Pyongyang Electric Cable Factory 326",
  "Ministry of Light Industry", "Kim Myong Ho") and type them by their head word,
  a Korean family name, a title, or the words around them.

`select` keeps the longest non-overlapping candidates, preferring list-context
and gazetteer candidates over bare patterns on the same span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nkwatch.extract.attribute import speech_verbs
from nkwatch.gazetteer import Entry, Gazetteer
from nkwatch.names import ministry_of, tokens
from nkwatch.pkgdata import read_lines, read_table

WORD = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z0-9][\w'’&]*(?:-[\w'’]+)*(?:\.(?=[ ]\d))?|[\uAC00-\uD7A3]+)"
CONNECTOR = r"(?:of the|of|and|for|&|de)"
CHUNK = re.compile(rf"(?<![\w'’-]){WORD}(?:(?:[ ]{CONNECTOR})?[ ]{WORD})*")
HANGUL = re.compile(r"[\uAC00-\uD7A3]")
SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|sh|ph|th|kh|ts|[gknmdrlbpsjchtwy])?[wy]?"
    r"(?:ae|ai|eo|eu|oe|ui|ee|oo|ou|a|e|i|o|u|ŏ|ŭ)(?:ng|[nmlkpth](?![aeiouŏŭ]))?"
)
GIVEN = re.compile(rf"^(?:{SYLLABLE}){{1,2}}(?:-(?:{SYLLABLE}){{1,2}})?$", re.I)
DESIGNATOR = re.compile(r"^(?:No\.?|Number)$|^\d+$|^No\d+$")
ADMIN_WORD = re.compile(
    r"^[A-Z][a-z]+(?:-\d+)?-(?:dong|ri|ni|li|gun|guyok|kuyok|up|ŭp|myon|si|do|jagu)$"
)
INNER_POSSESSIVES = frozenset({"People", "Women", "Children", "Men", "Farmers", "Workers"})
RANK = {"pattern": 1, "context": 2, "gazetteer": 3, "byline": 3, "list": 4}


DASH_DIGIT = re.compile(r"-\d")
NON_SPACE = re.compile(r"\S+")
PLAIN_NAME_WORD = re.compile(r"^[A-Z][a-z'’-]+$|^[A-Z]\.$")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    type: str
    name: str  # the name to resolve: surface, or a form built from it
    extractor: str
    entry: Entry | None = None

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.end - self.start, RANK.get(self.extractor, 0), -self.start)


@dataclass(frozen=True)
class Head:
    words: tuple[str, ...]
    type: str
    position: str
    plural: str


class Recogniser:
    """Finds entity candidates in a text; built once, used for every post."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.heads = sorted(
            (
                Head(tuple(r["head"].split()), r["type"], r["position"], r["plural"])
                for r in read_table("heads.tsv")
            ),
            key=lambda h: -len(h.words),
        )
        self.head_starts = frozenset(h.words[0] for h in self.heads)
        self.surnames = frozenset(read_lines("korean_surnames.txt"))
        self.stopwords = frozenset(read_lines("stopwords.txt"))
        titles = "|".join(read_lines("person_titles.txt"))
        self.title_re = re.compile(rf"^(?:{titles})$")
        roles = "|".join(sorted(set(read_lines("person_roles.txt"))))
        verbs = "|".join(speech_verbs())
        self.after_person = re.compile(
            rf"^(?:,?\s+(?:{verbs})\b"
            rf"|,\s+(?:a|an)\s+(?:[\w-]+\s+){{0,5}}?(?:{roles})\b)"
        )
        plurals = "|".join(
            sorted(
                {h.plural for h in self.heads if h.plural and h.type == "facility"},
                key=len,
                reverse=True,
            )
        )
        cap = r"[A-Z][\w'’-]+"
        item = rf"{cap}(?:\s{cap})?"
        self.list_re = re.compile(
            rf"\b((?:{item},\s+)*{item},?\s+(?:and|or)\s+{item})\s+((?:[a-z-]+\s+){{0,2}}?)({plurals})\b"
        )
        singulars = "|".join(
            sorted(
                {" ".join(h.words).lower() for h in self.heads if h.type == "facility"},
                key=len,
                reverse=True,
            )
        )
        self.single_re = re.compile(
            rf"\bthe\s+({item})\s+((?:[a-z-]+\s+){{0,2}}?)({singulars})\b(?!\s+[A-Z])"
        )
        outlet_nouns = "|".join(read_lines("outlet_nouns.txt"))
        self.outlet_before = re.compile(rf"(?:{outlet_nouns})\s*,?\s*(?:the\s+)?$")
        self.outlet_after = re.compile(
            rf"^,\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,5}}?(?:{outlet_nouns})\b"
        )
        province_names = "|".join(
            re.escape(e.name)
            for e in gazetteer.entries.values()
            if e.type == "place" and e.info.get("kind") == "province"
        )
        self.city_of_province = re.compile(
            rf"\b([A-Z][a-z]+(?:-[a-z]+)?)(?:\s*\[\?\])?,\s+(?:{province_names}|"
            rf"(?:North |South )?[A-Z][a-z]+ Province)\b"
        )

    # -- candidates -----------------------------------------------------------------

    def candidates(
        self,
        text: str,
        people: tuple[str, ...] = (),
        words: list[tuple[str, int, int]] | None = None,
    ) -> list[Candidate]:
        words = tokens(text) if words is None else words
        keys = [self.gazetteer.keys.fold(w) for w, _, _ in words]
        found = [
            Candidate(h.start, h.end, h.entry.type, h.entry.name, "gazetteer", h.entry)
            for h in self.gazetteer.find(text, words, keys)
            if not (h.entry.type == "place" and DASH_DIGIT.match(text, h.end))
        ]
        titles = quoted_titles(text)
        for m in CHUNK.finditer(text):
            if not any(a <= m.start() < b for a, b in titles):
                found.extend(self.classify_chunk(text, m.start(), m.group()))
        found.extend(self.list_candidates(text))
        for m in self.city_of_province.finditer(text):
            if m[1] not in self.stopwords:
                found.append(Candidate(m.start(1), m.end(1), "place", m[1], "context"))
        for name in people:
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                found.append(Candidate(m.start(), m.end(), "person", name, "byline"))
        return found

    def classify_chunk(self, text: str, offset: int, chunk: str) -> list[Candidate]:
        """Typed candidates inside one capitalised chunk of text."""
        spans = [(m.group(), offset + m.start()) for m in NON_SPACE.finditer(chunk)]
        for i, (w, s) in enumerate(spans):
            if w.endswith(("'s", "’s")) and w[:-2] not in INNER_POSSESSIVES:
                # a possessive ends a name: "Pyongyang's Ansan-1-dong" is two names
                rest = spans[i + 1 :]
                head = (
                    self.classify_chunk(text, s, w[:-2])
                    if i == 0
                    else self.classify_chunk(text, offset, text[offset : s + len(w) - 2])
                )
                tail = (
                    self.classify_chunk(text, rest[0][1], text[rest[0][1] : offset + len(chunk)])
                    if rest
                    else []
                )
                return head + tail
        title = False
        if ministry_of(" ".join(w for w, _ in spans[:3])):
            return self.classify_part(text, spans, False)  # an office that names its body
        while spans and (spans[0][0] in self.stopwords or self.title_re.match(spans[0][0])):
            title = title or bool(self.title_re.match(spans[0][0]))
            spans = spans[1:]
        if len(spans) >= 2 and self.title_re.match(f"{spans[0][0]} {spans[1][0]}"):
            spans, title = spans[2:], True
        if not spans:
            return []
        out: list[Candidate] = []
        for part in split_at(spans, ("of", "the")):
            out.extend(self.classify_part(text, part, title))
        return out

    def classify_part(self, text: str, part: list[tuple[str, int]], title: bool) -> list[Candidate]:
        words = [w for w, _ in part]
        start = part[0][1]
        end_of = part[-1][1] + len(part[-1][0])
        if body := ministry_of(" ".join(words)):
            return [Candidate(start, end_of, "organization", body, "pattern")]
        head_at = self.find_head(words)
        if head_at is not None:
            i, head = head_at
            if head.type == "event":
                return []
            after = i + len(head.words)
            governs = head.position == "prefix" or (after < len(words) and words[after] == "of")
            if governs and (head.position == "prefix" or i > 0 or len(words) > after + 1):
                return [Candidate(start, end_of, head.type, text[start:end_of], "pattern")]
            last = i + len(head.words) - 1
            stop = last + 1
            while stop < len(words) and DESIGNATOR.match(words[stop]) and stop - last <= 2:
                stop += 1
            if i > 0 or stop > last + 1:
                end = part[stop - 1][1] + len(part[stop - 1][0])
                if head.type == "outlet" and i == 0:
                    return []
                return [Candidate(start, end, head.type, text[start:end], "pattern")]
        subs = split_at(part, ("and",)) if "and" in words else []
        if len(subs) > 1:
            return [c for sub in subs for c in self.classify_part(text, sub, title)]
        if len(words) == 1 and ADMIN_WORD.match(words[0]):
            return [Candidate(start, end_of, "place", words[0], "pattern")]
        return self.person_or_outlet(text, part, title)

    def person_or_outlet(
        self, text: str, part: list[tuple[str, int]], title: bool
    ) -> list[Candidate]:
        words = [w for w, _ in part]
        start = part[0][1]
        end = part[-1][1] + len(part[-1][0])
        if any(w in ("of", "and", "for", "&", "de", "the") for w in words):
            return []
        before = text[max(0, start - 60) : start]
        after = text[end : end + 80]
        if self.outlet_before.search(before) or self.outlet_after.match(after):
            return [Candidate(start, end, "outlet", text[start:end], "context")]
        korean = (
            2 <= len(words) <= 3
            and words[0] in self.surnames
            and all(GIVEN.match(w) and w[:1].isupper() and not w.isupper() for w in words[1:])
        )
        if korean:
            return [Candidate(start, end, "person", text[start:end], "pattern")]
        plain = 2 <= len(words) <= 4 and all(PLAIN_NAME_WORD.match(w) for w in words)
        if plain and (title or self.after_person.match(after)):
            return [Candidate(start, end, "person", text[start:end], "context")]
        return []

    def find_head(self, words: list[str]) -> tuple[int, Head] | None:
        """The last head word(s) in a name, with their position."""
        best = None
        for i in range(len(words)):
            if words[i] not in self.head_starts:
                continue
            for head in self.heads:
                n = len(head.words)
                if tuple(words[i : i + n]) == head.words:
                    if best is None or i >= best[0]:
                        best = (i, head)
                    break
        return best

    def list_candidates(self, text: str) -> list[Candidate]:
        """'the Songjin, Kangson and Hwanghae steel plants': one facility per name; and
        'the Kim Chaek complex', when it names a known facility."""
        out = []
        for m in self.single_re.finditer(text):
            entry = self.gazetteer.facility_by_lead(m[1], m[2].strip())
            if entry is not None and m[1] not in self.stopwords:
                out.append(Candidate(m.start(1), m.end(1), "facility", entry.name, "list", entry))
        singular = {h.plural: " ".join(h.words) for h in self.heads if h.plural}
        for m in self.list_re.finditer(text):
            head = singular[m[3]].lower()
            modifier = m[2].strip()
            for item in re.finditer(r"[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?", m[1]):
                if item.group() in self.stopwords:
                    continue
                name = " ".join(p for p in (item.group(), modifier, head) if p)
                s = m.start(1) + item.start()
                out.append(Candidate(s, s + len(item.group()), "facility", name, "list"))
        return out


def split_at(spans: list[tuple[str, int]], sep: tuple[str, ...]) -> list[list[tuple[str, int]]]:
    """Split word spans at a run of separator words ("of the", "and")."""
    parts: list[list[tuple[str, int]]] = [[]]
    i, n = 0, len(sep)
    while i < len(spans):
        if tuple(w for w, _ in spans[i : i + n]) == sep and parts[-1]:
            parts.append([])
            i += n
            continue
        parts[-1].append(spans[i])
        i += 1
    return [p for p in parts if p]


def quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted headlines and slogans, where capitals do not mark names."""
    spans = []
    for m in re.finditer(r"“([^”]{20,300})”|\"([^\"\n]{20,300})\"", text):
        inner = m[1] or m[2] or ""
        ws = re.findall(r"[A-Za-z][\w'’-]*", inner)
        if len(ws) >= 5 and sum(w[0].isupper() for w in ws) / len(ws) >= 0.6:
            spans.append((m.start(), m.end()))
    return spans


def select(candidates: list[Candidate]) -> list[Candidate]:
    """The longest candidates that do not overlap; ties go to the better-informed extractor."""
    chosen: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(candidates, key=lambda c: c.rank, reverse=True):
        if c.end <= c.start or any(c.start < b and a < c.end for a, b in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)
