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

import dataclasses
import re
from dataclasses import dataclass

from nkwatch.extract.attribute import speech_verbs
from nkwatch.extract.glued import deglue
from nkwatch.gazetteer import Entry, Gazetteer
from nkwatch.names import demonyms, ministry_of, tokens
from nkwatch.people import given_names
from nkwatch.pkgdata import read_lines, read_table
from nkwatch.spans import Spans

WORD = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z0-9][\w'’&]*(?:-[\w'’]+)*(?:\.(?=[ ]\d))?|[\uAC00-\uD7A3]+)"
ON_BODIES = ("Council", "Committee", "Commission", "Conference", "Forum", "Panel")
# 'on' joins a name only after a body that takes it ('Council on Foreign Relations')
CONNECTOR = r"(?:of the|of|and|for|&|de|(?:" + "|".join(f"(?<={b} )" for b in ON_BODIES) + ")on)"
# A run of capitalised words longer than this is a shouted or title-cased passage, not a
# name: its names are found by the gazetteer, never by the shape of the run.
MAX_CHUNK_WORDS = 24
CHUNK = re.compile(rf"(?<![\w'’-]){WORD}(?:(?:[ ]{CONNECTOR})?[ ]{WORD})*")
HANGUL = re.compile(r"[\uAC00-\uD7A3]")
CAPITAL = re.compile(r"[A-Z\uAC00-\uD7A3]")
SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|sh|ph|th|kh|ts|[gknmdrlbpsjchtwy])?[wy]?"
    r"(?:ae|ai|eo|eu|oe|ui|ee|oo|ou|a|e|i|o|u|ŏ|ŭ)(?:ng|[nmlkpth](?![aeiouŏŭ]))?"
)
GIVEN = re.compile(rf"^(?:{SYLLABLE}){{1,2}}(?:-(?:{SYLLABLE}){{1,2}})?$", re.I)
DESIGNATOR = re.compile(r"^(?:No\.?|Number)$|^\d+$|^No\d+$")
ADMIN_WORD = re.compile(
    r"^[A-Z][a-z]+(?:-\d+)?-(?:dong|ri|ni|li|gun|guyok|kuyok|up|ŭp|myon|si|do|jagu)$"
)
PINYIN = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iong|iang|uang|iao|ian|ing|ang|eng|ong|uai|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|a|o|e|i|u|ü)"
)
PINYIN_GIVEN = re.compile(rf"^(?=[A-Z][a-zü]+$)(?i:{PINYIN}){{1,2}}$")
CONNECTORS = frozenset({"of", "the", "and", "for", "&", "de"})
PORT_AFTER = re.compile(r"^[ ]+(port|harbou?r)\b")
INNER_POSSESSIVES = frozenset({"People", "Women", "Children", "Men", "Farmers", "Workers"})
RANK = {"pattern": 1, "context": 2, "gazetteer": 3, "byline": 3, "list": 4}


DASH_DIGIT = re.compile(r"-\d")
BY = re.compile(r"^By\s+")
NEXT_WORD = re.compile(r"[ ]([A-Z][a-z]+)\b")
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
        self.heads_by_start: dict[str, list[Head]] = {}  # longest first, as `heads` is
        for h in self.heads:
            self.heads_by_start.setdefault(h.words[0], []).append(h)
        self.singular = {h.plural: " ".join(h.words) for h in self.heads if h.plural}
        self.capital_plurals = {
            h.plural.title(): (" ".join(h.words), h.type)
            for h in self.heads
            if h.plural and h.type in ("facility", "place") and " " not in h.plural
        }
        self.surnames = frozenset(read_lines("korean_surnames.txt"))
        self.chinese_surnames = frozenset(read_lines("chinese_surnames.txt"))
        self.given = given_names()
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
        seamed = deglue(text, self.gazetteer)
        if seamed is not None:  # words run together ("toKim Jong Unon"): read the mended text
            return [
                dataclasses.replace(
                    c, start=seamed.origin(c.start), end=seamed.origin(c.end - 1) + 1
                )
                for c in self.candidates(seamed.text, people)
            ]
        words = tokens(text) if words is None else words
        keys = [self.gazetteer.keys.fold(w) for w, _, _ in words]
        found = [
            Candidate(h.start, h.end, h.entry.type, h.entry.name, "gazetteer", h.entry)
            for h in self.gazetteer.find(text, words, keys)
            if not (h.entry.type == "place" and DASH_DIGIT.match(text, h.end))
            and not inside_word(text, h.start, h.end)
            and not (h.entry.info.get("spelling") == "exact" and self.name_goes_on(text, h.end))
        ]
        titles = Spans(quoted_titles(text))
        for m in CHUNK.finditer(text):
            if not CAPITAL.search(m.group()):
                continue  # figures and dates ("2021-03-04 12"): no name in them
            if m.group().count(" ") < MAX_CHUNK_WORDS and not titles.overlaps(
                m.start(), m.start() + 1
            ):
                found.extend(self.classify_chunk(text, m.start(), m.group()))
        found.extend(self.list_candidates(text))
        for m in self.city_of_province.finditer(text):
            if m[1] not in self.stopwords:
                found.append(Candidate(m.start(1), m.end(1), "place", m[1], "context"))
        found.extend(self.port_candidates(text, found))
        for name in people:
            name = BY.sub("", name)
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                found.append(Candidate(m.start(), m.end(), "person", name, "byline"))
        return found

    def name_goes_on(self, text: str, end: int) -> bool:
        """A foreign place name followed by a capitalised word that heads nothing is the
        start of some other name ("Vladimir Vladimirovich Putin")."""
        m = NEXT_WORD.match(text, end)
        return m is not None and m[1] not in self.head_starts and m[1] not in self.stopwords

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
            if (
                len(spans) > 1
                and spans[1][0] in self.head_starts
                and spans[0][0] not in self.stopwords
            ):
                break  # "General Administration of Customs": the title word begins a body's name
            if self.korean_name([w for w, _ in spans[:3]]) and len(spans) == 3:
                break  # "An Jong Su": a family name that is also a word
            title = title or bool(self.title_re.match(spans[0][0]))
            spans = spans[1:]
        while spans and spans[0][0] in CONNECTORS:
            spans = spans[1:]  # "Officials of the X Factory": what is left starts with the name
        if len(spans) >= 2 and self.title_re.match(f"{spans[0][0]} {spans[1][0]}"):
            spans, title = spans[2:], True
        if not spans:
            return []
        out: list[Candidate] = []
        for part in split_at(spans, ("of", "the")):
            out.extend(self.classify_part(text, part, title))
        return out

    def classify_part(self, text: str, part: list[tuple[str, int]], title: bool) -> list[Candidate]:
        # a title opening a part ('... and Chairman Kim Jong Il') is not part of the name
        while (
            len(part) > 1
            and self.title_re.match(part[0][0])
            and part[1][0] not in self.head_starts
            and part[1][0] not in CONNECTORS  # 'Minister of X' names the ministry
        ):
            part, title = part[1:], True
        words = [w for w, _ in part]
        start = part[0][1]
        end_of = part[-1][1] + len(part[-1][0])
        if body := ministry_of(" ".join(words)):
            return [Candidate(start, end_of, "organization", body, "pattern")]
        if len(words) == 1:  # one word: a district name, an outlet by context, or nothing
            if ADMIN_WORD.match(words[0]):
                return [Candidate(start, end_of, "place", words[0], "pattern")]
            return self.person_or_outlet(text, part, title)
        if shared := self.shared_plural(text, part):
            return shared
        if pieces := self.split_pair(part):
            return [c for piece in pieces for c in self.classify_part(text, piece, title)]
        head_at = self.find_head(words)
        if head_at is not None:
            i, head = head_at
            if head.type == "event":
                return []
            after = i + len(head.words)
            governs = head.position == "prefix" or (
                after < len(words) and words[after] in GOVERNING
            )
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
        if self.korean_name(words) or self.chinese_name(words) or self.western_name(words):
            return [Candidate(start, end, "person", text[start:end], "pattern")]
        plain = 2 <= len(words) <= 4 and all(PLAIN_NAME_WORD.match(w) for w in words)
        if plain and (title or self.after_person.match(after)):
            return [Candidate(start, end, "person", text[start:end], "context")]
        return []

    # -- the shapes of personal names ------------------------------------------------

    def korean_name(self, words: list[str]) -> bool:
        """'Kim Myong Ho', 'Chung Mong-koo', 'Pak Pong-ju': a family name and one or two
        given-name parts (McCune-Reischauer, Revised Romanization, DPRK or hyphenated)."""
        return (
            2 <= len(words) <= 3
            and words[0] in self.surnames
            and all(GIVEN.match(w) and w[:1].isupper() and not w.isupper() for w in words[1:])
        )

    def chinese_name(self, words: list[str]) -> bool:
        """'Hua Chunying': a Chinese family name and a pinyin given name of one word."""
        return (
            len(words) == 2
            and words[0] in self.chinese_surnames
            and PINYIN_GIVEN.match(words[1]) is not None
            and words[1] not in self.stopwords
        )

    def western_name(self, words: list[str]) -> bool:
        """'Catherine Dill', 'Keith B. Richburg': a common given name and one or two more
        capitalised words, none of them a known place or a word that heads a name."""
        if not 2 <= len(words) <= 4 or words[0] not in self.given:
            return False
        rest = words[1:]
        if not all(PLAIN_NAME_WORD.match(w) for w in rest) or len(rest[-1]) < 2:
            return False
        return not any(
            w in self.stopwords or w in self.head_starts or self.gazetteer.lookup(w, "place")
            for w in rest
        )

    def split_pair(self, part: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
        """Two names in one chunk, or [] for one name.

        - 'X Factory and Y Factory', 'X Province and Y Province': every part ends in a
          head word of its own;
        - 'the X and Y Factories': a capitalised plural head shared by the names
          (each keeps the head: see `shared_plural`);
        - 'Chung Mong-koo of Hyundai Group': a person's name, then the body;
          'Okjeon District of South Pyongan Province', 'Maizuru Port of Japan': a
          place or site, then the place it is in. A body keeps what follows its
          'of' ('Academy of Sciences', 'Central Committee of the Party').
        """
        words = [w for w, _ in part]
        if "and" in words:
            subs = split_at(part, ("and",))
            if len(subs) > 1 and all(self.ends_in_head(sub) for sub in subs):
                return subs
        if "of" in words[1:-1]:
            k = words.index("of")
            left, right = words[:k], words[k + 1 :]
            person = self.korean_name(left) or self.chinese_name(left) or self.western_name(left)
            right_head = self.find_head(right)
            right_known = self.gazetteer.lookup(" ".join(right)) is not None
            if person and (right_head or right_known):
                return [part[:k], part[k + 1 :]]
            left_head = self.find_head(left)
            if (
                left_head is not None
                and len(left) >= 2
                and left_head[0] == len(left) - len(left_head[1].words)
                and left_head[1].type in ("place", "facility")
                and left_head[1].position == "suffix"
                and (
                    (right_head is not None and right_head[1].type == "place")
                    or self.gazetteer.lookup(" ".join(right), "place") is not None
                )
            ):
                return [part[:k], part[k + 1 :]]
        return []

    def ends_in_head(self, sub: list[tuple[str, int]]) -> bool:
        words = [w for w, _ in sub]
        found = self.find_head(words)
        if found is None or found[1].type == "event" or found[1].position != "suffix":
            return False
        i, head = found
        return i > 0 and i + len(head.words) == len(words)

    def shared_plural(self, text: str, part: list[tuple[str, int]]) -> list[Candidate]:
        """'the Kangson and Hwanghae Steel Plants': one site for each name, with the head."""
        words = [w for w, _ in part]
        plural = self.capital_plurals.get(words[-1])
        if plural is None or "and" not in words:
            return []
        singular, kind = plural
        out = []
        items = split_at([(w.rstrip(","), s) for w, s in part[:-1]], ("and",))
        modifier: list[str] = []
        last = items[-1]
        # words after the last name that are not names ("Steel" in "X and Y Steel Plants")
        while len(last) > 1 and last[-1][0] not in self.stopwords and len(items) > 1:
            if self.gazetteer.lookup(last[-1][0], "place") or len(last) == 1:
                break
            modifier.insert(0, last[-1][0])
            last = last[:-1]
        items[-1] = last
        if any(len(item) == 1 and item[0][0] in demonyms() for item in items):
            return []  # 'Chinese and Russian governments operate piers': owners, not names
        if any(w[:1].islower() and w.endswith("s") for w in modifier[:-1]):
            return []  # a clause between the names and the plural, not a shared modifier
        for item in items:
            s, e = item[0][1], item[-1][1] + len(item[-1][0])
            name = " ".join([*(w for w, _ in item), *modifier, singular])
            out.append(Candidate(s, e, kind, name, "list"))
        return out

    def find_head(self, words: list[str]) -> tuple[int, Head] | None:
        """The last head word(s) in a name, with their position."""
        for i in range(len(words) - 1, -1, -1):
            for head in self.heads_by_start.get(words[i], ()):
                if tuple(words[i : i + len(head.words)]) == head.words:
                    return i, head
        return None

    def port_candidates(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """'Nampo port', 'Rajin harbour': a place named with a lower-case port word is the port,
        a facility of its own."""
        out = []
        for c in found:
            if (m := port_after(text, c)) is not None:
                word = "Harbour" if m[1].startswith("harbo") else "Port"
                name = f"{display_name(c)} {word}"
                out.append(Candidate(c.start, m.end(), "facility", name, "context"))
        return out

    def list_candidates(self, text: str) -> list[Candidate]:
        """'the Songjin, Kangson and Hwanghae steel plants': one facility per name; and
        'the Kim Chaek complex', when it names a known facility."""
        out = []
        for m in self.single_re.finditer(text):
            entry = self.gazetteer.facility_by_lead(m[1], m[2].strip())
            if entry is not None and m[1] not in self.stopwords:
                out.append(Candidate(m.start(1), m.end(1), "facility", entry.name, "list", entry))
        for m in self.list_re.finditer(text):
            if any(d in demonyms() for d in re.split(r",\s*|\s+(?:and|or)\s+", m[1])):
                continue  # 'the Chinese and Russian governments operate piers': owners
            head = self.singular[m[3]].lower()
            modifier = m[2].strip()
            for item in re.finditer(r"[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?", m[1]):
                if item.group() in self.stopwords:
                    continue
                name = " ".join(p for p in (item.group(), modifier, head) if p)
                s = m.start(1) + item.start()
                out.append(Candidate(s, s + len(item.group()), "facility", name, "list"))
        return out


GOVERNING = frozenset({"of", "for", "on"})  # 'Council on X', 'Center for X', 'Bank of X'


def inside_word(text: str, start: int, end: int) -> bool:
    """A match that begins or ends inside a run of letters ("Rason" in "RasonConTrans")."""
    return (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())


def display_name(c: Candidate) -> str:
    return c.entry.name if c.entry is not None else c.name


def port_after(text: str, hit: Candidate) -> re.Match[str] | None:
    return PORT_AFTER.match(text, hit.end) if hit.type == "place" else None


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
    taken = Spans()
    for c in sorted(candidates, key=lambda c: c.rank, reverse=True):
        if c.end <= c.start or taken.overlaps(c.start, c.end):
            continue
        chosen.append(c)
        taken.add(c.start, c.end)
    return sorted(chosen, key=lambda c: c.start)
