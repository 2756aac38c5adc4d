"""Quantities in a post's text: money, percentages, tonnage, capacities, areas, head counts.

A quantity is a number (in digits or in words, with a scale word: "1.5 million",
"fifty thousand", "nine-point-seven") that a unit stands next to: a currency sign or
name, "percent", "tons", "MW", "hectares", or a noun that counts people ("workers",
"residents", "households"). Numbers without a unit (years, dates, ages, ordinals,
list numbers, counts of things) are never quantities. The unit names, the nouns, the
denominators ("a month", "per kilo") and the words that tell a quantity's kind
("exports", "wage", "rose") are tables in `nkwatch/data/quantity_*.tsv`.

`QuantityScanner` compiles the tables once; `scan(text)` is the per-post function.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from nkwatch.dates import MONTH_NAME
from nkwatch.model import Quantity
from nkwatch.pkgdata import read_table
from nkwatch.spans import Spans

# thousands grouped by commas, or by spaces as KCNA and European style write them ("18 000")
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d))+|\d+)(?:\.\d+)?"
GROUPING = re.compile(r"[, \u00a0\u202f]")
CURRENCY = r"(?:U\.?S\.? )?(?:dollars?|USD|yuan|RMB|renminbi|CNY|euros?|EUR|yen|JPY|r[o]?ubles?)\b"
RATE_AFTER = re.compile(
    rf"\s*(?:to|per|for|against|a|an)\s+(?:the\s+|one\s+|each\s+|1\s+|a\s+)?(?P<cur>{CURRENCY})",
    re.I,
)
RATE_BEFORE = re.compile(
    rf"(?:\bexchange rate\b|(?P<cur>{CURRENCY})[^.;:!?]{{0,40}}?\b(?:trad(?:ed|ing|es)|exchang\w*|"
    r"sold|sells|selling|bought|buys|fetch\w*|stood|worth|equal\w*|was|were|is|at)\b)[^.;!?]*$",
    re.I,
)
# A cue is words: a letter must follow where one matches. Said first, it lets the scan
# pass over every other position at once (a third of the time over prose, a quarter
# over figures) rather than try each of a cue's words there.
WORD_AHEAD = r"(?=[^\W\d_])"
POINT = re.compile(r"point[\s-](\w+)", re.I)  # "5 point 3 million"
RANGE_GAP = re.compile(r"^\s*(?:-|–|—|~|to|and|&|or)\s*(?:\S{1,4}\s*)?$", re.I)
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s)|\n")
MONTH_NAMED = re.compile(rf"\b(?:in|for|during)\s+{MONTH_NAME}(?![a-z])")
RATIO = re.compile(r"(?<![\w./,-])(\d{1,2})/(\d{1,2})(?![\w/]|\.\d)")


@dataclass(frozen=True)
class Unit:
    unit: str
    group: str
    factor: float
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class PeopleNoun:
    unit: str
    kind: str
    position: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Per:
    per: str
    position: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class KindCue:
    kind: str
    groups: frozenset[str]
    pattern: re.Pattern[str] | None  # None: the default of its groups


@dataclass(frozen=True)
class Amount:
    """A number as written, before a unit is found for it."""

    value: float
    start: int
    end: int
    scale: float  # the scale word's value ("million"), 1 when there is none


@dataclass(frozen=True)
class Found:
    """A quantity as the scanner builds it: where its number starts, and its unit group."""

    quantity: Quantity
    group: str
    number_start: int


def parse_words(words: str, values: dict[str, tuple[float, str]]) -> float | None:
    """'fifty thousand' -> 50000, 'twenty-five' -> 25, 'nine-point-seven' -> 9.7."""
    whole, _, fraction = re.sub(r"[\s-]+", " ", words.lower()).partition(" point ")
    total = current = 0.0
    seen = False
    for word in whole.split():
        if word == "and":
            continue
        if word.replace(".", "").replace(",", "").isdigit():
            current += float(word.replace(",", ""))
            seen = True
            continue
        if word not in values:
            return None
        value, kind = values[word]
        seen = True
        if kind == "scale":
            if value == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * value
                current = 0
        else:
            current += value
    if not seen:
        return None
    number = total + current
    if fraction:
        digits = "".join(
            w if w.isdigit() else str(int(values[w][0]))
            for w in fraction.split()
            if w.isdigit() or (w in values and values[w][0] < 10)
        )
        number += float(f"0.{digits}") if digits else 0.0
    return number


def any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches wherever one of these would, each with its own case rule:
    one pass in C rules out the many that do not match before they are tried in order."""
    parts = [f"(?i:{p.pattern})" if p.flags & re.I else f"(?:{p.pattern})" for p in patterns]
    return re.compile("|".join(parts) or "(?!)")


class QuantityScanner:
    """The quantity tables, compiled once; `scan` finds the quantities of one text."""

    def __init__(self) -> None:
        words = read_table("number_words.tsv")
        self.words = {r["word"]: (float(r["value"]), r["kind"]) for r in words}
        word = "|".join(sorted((re.escape(w) for w in self.words), key=len, reverse=True))
        scale = "|".join(
            r["word"] for r in words if r["kind"] == "scale" and r["word"] != "hundred"
        )
        in_words = rf"(?:{word})(?:[\s-]+(?:and[\s-]+)?(?:{word}))*"
        self.amount = re.compile(
            rf"(?<![\w.,/])(?:(?P<digits>{DIGITS})(?:[\s-]point[\s-](?:{word}))?|(?P<words>{in_words}"
            rf"(?:[\s-]point[\s-](?:{word})(?:[\s-](?:{word}))*)?))(?P<scale>[\s-]+(?P<scale_word>{scale})\b)?(?![\w])"
            rf"|(?<![\w.,/])(?P<attached>{DIGITS})(?=[a-zA-Z%])",
            re.I,
        )
        self.suffixes: list[Unit] = []
        self.prefixes: list[Unit] = []
        for row in read_table("quantity_units.tsv"):
            flags = 0 if row["case"] == "case" else re.I
            if row["position"] == "prefix":
                pattern = re.compile(rf"(?:{row['pattern']})$", flags)
                self.prefixes.append(Unit(row["unit"], row["group"], float(row["factor"]), pattern))
            else:
                pattern = re.compile(rf"[\s-]?(?:{row['pattern']})", flags)
                self.suffixes.append(Unit(row["unit"], row["group"], float(row["factor"]), pattern))
        self.people: list[PeopleNoun] = []
        for row in read_table("quantity_people.tsv"):
            if row["position"] == "prefix":
                pattern = re.compile(rf"(?:{row['pattern']})\s*$", re.I)
            else:
                pattern = re.compile(rf"((?:\s+(?!\d)[\w.’'-]+){{0,2}}?)\s+(?:{row['pattern']})\b")
            self.people.append(PeopleNoun(row["unit"], row["kind"], row["position"], pattern))
        self.any_prefix = any_of(u.pattern for u in self.prefixes)
        self.any_suffix = any_of(u.pattern for u in self.suffixes)
        self.any_people_before = any_of(n.pattern for n in self.people if n.position == "prefix")
        self.any_people_after = any_of(n.pattern for n in self.people if n.position != "prefix")
        self.pers = [
            Per(
                r["per"],
                r["position"],
                re.compile(
                    rf"\s*(?:{r['pattern']})"
                    if r["position"] == "after"
                    else rf"(?:{r['pattern']})",
                    re.I,
                ),
            )
            for r in read_table("quantity_per.tsv")
        ]
        words_table = read_table("quantity_words.tsv")
        self.gap_words = frozenset(
            w for r in words_table if r["role"] == "gap" for w in r["word"].split()
        )
        self.any_per = {
            position: any_of(r.pattern for r in self.pers if r.position == position)
            for position in ("after", "before", "sentence")
        }
        self.currencies = {r["word"]: r["value"] for r in words_table if r["role"] == "currency"}
        self.kinds = [
            KindCue(
                r["kind"],
                frozenset(r["groups"].split(",")),
                re.compile(rf"{WORD_AHEAD}(?:{r['cue']})", re.I) if r["cue"] else None,
            )
            for r in read_table("quantity_kinds.tsv")
        ]

    def amounts(self, text: str) -> list[Amount]:
        found = []
        for m in self.amount.finditer(text):
            if m["attached"]:
                number: float | None = float(GROUPING.sub("", m["attached"]))
            elif m["digits"]:
                digits = GROUPING.sub("", m["digits"])
                point = POINT.search(m[0], len(m["digits"]))
                number = float(digits)
                if point and point[1].lower() in self.words:
                    number += float(f"0.{int(self.words[point[1].lower()][0])}")
            else:
                number = parse_words(m["words"], self.words)
            if number is None:
                continue
            scale = self.words[m["scale_word"].lower()][0] if m["scale"] else 1.0
            found.append(Amount(number * scale, m.start(), m.end(), scale))
        return found

    def unit_of(self, text: str, amount: Amount) -> tuple[str, str, float, int, int, str] | None:
        """(unit, group, factor, start, end, default kind) of the quantity an amount heads."""
        before = text[max(0, amount.start - 12) : amount.start]
        if self.any_prefix.search(before):
            for unit in self.prefixes:
                if m := unit.pattern.search(before):
                    start = amount.start - (len(before) - m.start())
                    return unit.unit, unit.group, unit.factor, start, amount.end, ""
        if self.any_suffix.match(text, amount.end):
            for unit in self.suffixes:
                if m := unit.pattern.match(text, amount.end):
                    return unit.unit, unit.group, unit.factor, amount.start, m.end(), ""
        if not (
            self.any_people_after.match(text, amount.end)
            or self.any_people_before.search(text[max(0, amount.start - 60) : amount.start])
        ):
            return None
        for noun in self.people:
            if noun.position == "prefix":
                if noun.pattern.search(text[max(0, amount.start - 60) : amount.start]):
                    return noun.unit, "people", 1.0, amount.start, amount.end, noun.kind
                continue
            m = noun.pattern.match(text, amount.end)
            if m and not any(w.lower() in self.gap_words for w in m[1].split()):
                return noun.unit, "people", 1.0, amount.start, m.end(), noun.kind
        return None

    def scan(self, text: str) -> tuple[Quantity, ...]:
        """Every quantity in a text, in reading order."""
        amounts = self.amounts(text)
        found: list[Found | None] = []
        for amount in amounts:
            unit = self.unit_of(text, amount)
            if unit is None:
                found.append(None)
                continue
            name, group, factor, start, end, kind = unit
            quantity = Quantity(text[start:end], kind, amount.value * factor, name, start, end)
            found.append(Found(quantity, group, amount.start))
        merged = self.ranges(text, amounts, found)
        near = [f.quantity for f in merged]
        cues = CueSpans(text, [k.pattern for k in self.kinds], near, *CUE_REACH)
        staples = CueSpans(text, [self.any_per["sentence"]], near, *STAPLE_REACH)
        quantities = [self.finish(text, f, cues, staples) for f in merged]
        quantities += self.ratios(text)
        kept = sorted(self.rates(text, quantities), key=lambda q: (q.start, -q.end, q.value))
        return tuple(q for q, part in zip(kept, parts(kept), strict=True) if not part)

    def ranges(self, text: str, amounts: list[Amount], found: list[Found | None]) -> list[Found]:
        """'5-10%', 'between 900 and 1,000 won', '$330 million to $410 million': one
        quantity from the low end to the high; 'from X to Y' stays two figures."""
        out: list[Found] = []
        skip = False
        for n, item in enumerate(found):
            if skip:
                skip = False
                continue
            nxt = found[n + 1] if n + 1 < len(found) else None
            low = amounts[n]
            if nxt is not None:
                gap = text[(item.quantity.end if item else low.end) : nxt.number_start]
                lead = text[max(0, low.start - 9) : low.start].lower()
                joined = RANGE_GAP.match(gap) and (
                    item is None or item.quantity.unit == nxt.quantity.unit
                )
                if (
                    joined
                    and item
                    and gap.split()[0].lower() in {"and", "&"}
                    and "between" not in lead
                ):
                    joined = None
                if joined and gap.strip().lower() == "to" and re.search(r"\bfrom\s*\S{0,4}$", lead):
                    joined = None
                if joined:
                    high = amounts[n + 1]
                    factor = nxt.quantity.value / high.value if high.value else 1.0
                    if item is not None:
                        value = item.quantity.value
                    elif low.scale == 1:
                        value = low.value * factor * high.scale
                    else:
                        value = low.value * factor
                    start = item.quantity.start if item else low.start
                    q = replace(
                        nxt.quantity,
                        text=text[start : nxt.quantity.end],
                        value=value,
                        value_max=nxt.quantity.value,
                        start=start,
                    )
                    out.append(Found(q, nxt.group, low.start))
                    skip = True
                    continue
            if item is not None:
                out.append(item)
        return out

    def finish(self, text: str, found: Found, cues: CueSpans, staples: CueSpans) -> Quantity:
        q = found.quantity
        per = None
        end = q.end
        for rule in self.pers if self.any_per["after"].match(text, q.end) else ():
            if rule.position == "after" and (m := rule.pattern.match(text, q.end)):
                per, end = rule.per, m.end()
                break
        lead = text[max(0, found.number_start - 30) : found.number_start]
        if per is None and self.any_per["before"].search(lead):
            for rule in self.pers:
                if rule.position == "before" and rule.pattern.search(lead):
                    per = rule.per
                    break
        if per == q.unit:
            per = None
        q = replace(q, text=text[q.start : end], end=end, per=per)
        bounds = sentence(text, q.start, q.end)
        kind = self.kind_of(text, q, found.group, cues, bounds)
        staple = found.group == "money" and bool(staples.within(0, *bounds))
        if kind == "other" and staple:
            kind = "price"
        if kind == "price" and q.unit == "KPW" and per is None and staple:
            per = "kg"
        if kind == "trade" and per is None and MONTH_NAMED.search(text, *bounds):
            per = "month"  # a trade figure for a month named in its sentence: a monthly total
        return replace(q, kind=kind, per=per)

    def kind_of(
        self, text: str, q: Quantity, group: str, cues: CueSpans, bounds: tuple[int, int]
    ) -> str:
        """The kind whose cue stands nearest the quantity, within its sentence (`bounds`);
        failing that, the cue nearest the end of the sentence before (a figure's topic
        carries over: 'Coal exports fell in March. ... 1.44 million tons in January')."""
        start, end = max(bounds[0], q.start - 120), min(bounds[1], q.end + 100)
        kind = self.nearest_cue(cues, q, group, start, end)
        if kind is None and start > 0:
            prior, _ = sentence(text, start - 2, start - 1)
            kind = self.nearest_cue(cues, q, group, max(prior, start - 200), start)
        if kind is not None:
            return kind
        default = q.kind or None
        for cue in self.kinds:
            if cue.pattern is None and group in cue.groups:
                default = default or cue.kind
        return default or "other"

    def nearest_cue(
        self, cues: CueSpans, q: Quantity, group: str, start: int, end: int
    ) -> str | None:
        best: tuple[int, int, str] | None = None
        for order, cue in enumerate(self.kinds):
            if cue.pattern is None or (group not in cue.groups and "*" not in cue.groups):
                continue
            for m_start, m_end in cues.within(order, start, end):
                if m_end <= q.start:
                    distance = q.start - m_end
                elif m_start >= q.end:
                    distance = m_start - q.end
                else:
                    distance = 0
                if best is None or (distance, order) < best[:2]:
                    best = (distance, order, cue.kind)
        return best[2] if best is not None else None

    def ratios(self, text: str) -> list[Quantity]:
        """'divide it 70/30': two shares that add up to a hundred. A split named again in
        the same post is the same figure, and counts once."""
        out = []
        seen = set()
        for m in RATIO.finditer(text):
            a, b = int(m[1]), int(m[2])
            if a + b == 100 and (a, b) not in seen:
                seen.add((a, b))
                for value in sorted({a, b}):
                    out.append(Quantity(m[0], "share", float(value), "%", m.start(), m.end()))
        return out

    def currency(self, word: str) -> str:
        """The code of a currency's name: 'dollars' -> USD, 'U.S. dollar' -> USD."""
        word = re.sub(r"^(?:U\.?S\.?\s*)", "", word.strip(), flags=re.I).lower().rstrip("s")
        return self.currencies.get(word, "USD")

    def rates(self, text: str, quantities: list[Quantity]) -> list[Quantity]:
        """Exchange rates: '8,000 won to the dollar', 'the yuan traded at 400 won', and
        '1 dollar fetches 8,000 won' (the one dollar is the rate's base, not a figure)."""
        out: list[Quantity] = []
        bases: set[int] = set()
        ones = Ones(quantities)
        for n, q in enumerate(quantities):
            if q.unit not in {"KPW", "KRW", "CNY", "RUB", "JPY"} or q.per:
                continue
            if m := RATE_AFTER.match(text, q.end):
                cur = self.currency(m["cur"])
                if cur != q.unit:
                    quantities[n] = replace(
                        q, text=text[q.start : m.end()], end=m.end(), per=cur, kind="exchange_rate"
                    )
                continue
            s, _ = sentence(text, q.start, q.end)
            lead = text[max(s, q.start - 90) : q.start]
            base = next(
                (
                    k
                    for k in ones.near(q.start)
                    if (b := quantities[k]).unit != q.unit
                    and b.end <= q.start
                    and b.start >= s
                    and q.start - b.end < 60
                ),
                None,
            )
            if base is not None:
                bases.add(base)
                quantities[n] = replace(q, per=quantities[base].unit, kind="exchange_rate")
            elif (m := RATE_BEFORE.search(lead)) and q.unit == "KPW":
                named = re.findall(CURRENCY, lead, re.I)
                cur = self.currency(named[-1]) if named else "USD"
                quantities[n] = replace(q, per=cur, kind="exchange_rate")
        for n, q in enumerate(quantities):
            if n not in bases:
                out.append(q)
        return out


SENTENCE_REACH = 400  # no sentence runs further than this either side of a figure


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around a span, at most SENTENCE_REACH characters either
    side of it (text with no sentence ends is read in windows, never whole)."""
    return sentence_ends(text).around(start, end)


class SentenceEnds:
    """Where the sentences of one text end (SENTENCE_END), found in one pass, so that the
    sentence around each of many spans is looked up. A sentence end counts within a window
    only when the space after it is inside the window too, as a search of the window says."""

    def __init__(self, text: str):
        self.length = len(text)
        found = [(m.start(), m.end(), m.group() == "\n") for m in SENTENCE_END.finditer(text)]
        self.starts = [a for a, _, _ in found]
        self.ends = [b for _, b, _ in found]
        self.lines = [line for _, _, line in found]

    def fits(self, i: int, limit: int) -> bool:
        """Whether end `i` is seen by a search that stops at `limit`."""
        return self.ends[i] <= limit if self.lines[i] else self.ends[i] < limit

    def around(self, start: int, end: int) -> tuple[int, int]:
        left = max(0, start - SENTENCE_REACH)
        i = bisect_right(self.ends, start) - 1
        if i >= 0 and not self.fits(i, start):
            i -= 1
        if i >= 0 and self.starts[i] >= left:
            left = self.ends[i]
        right = min(self.length, end + SENTENCE_REACH)
        j = bisect_left(self.starts, end)
        if j < len(self.starts) and self.fits(j, right):
            return left, self.ends[j]
        return left, right


@lru_cache(maxsize=4)
def sentence_ends(text: str) -> SentenceEnds:
    return SentenceEnds(text)


CUE_REACH = (330, 200)  # past the furthest `kind_of` looks either side of a figure
STAPLE_REACH = (SENTENCE_REACH, SENTENCE_REACH + 60)  # a figure's sentence, its "per kg" too


class CueSpans:
    """Where cue words (of kinds, of staple goods) stand near the figures of a text, found
    in one pass per cue over the stretches around them (`before` and `after` characters
    either side), so the cues near each of many figures are looked up rather than searched
    for again."""

    def __init__(
        self,
        text: str,
        patterns: list[re.Pattern[str] | None],
        near: list[Quantity],
        before: int,
        after: int,
    ):
        windows = Spans((max(0, q.start - before), q.end + after) for q in near)
        self.starts: list[list[int]] = []
        self.ends: list[list[int]] = []
        for pattern in patterns:
            found = [
                m.span()
                for a, b in zip(windows.starts, windows.ends, strict=True)
                for m in (pattern.finditer(text, a, b) if pattern else ())
            ]
            self.starts.append([a for a, _ in found])
            self.ends.append([b for _, b in found])

    def within(self, order: int, start: int, end: int) -> list[tuple[int, int]]:
        """The spans of cue `order` that lie between `start` and `end`."""
        starts, ends = self.starts[order], self.ends[order]
        out = []
        for i in range(bisect_left(starts, start), len(starts)):
            if starts[i] >= end:
                break
            if ends[i] <= end:
                out.append((starts[i], ends[i]))
        return out


class Ones:
    """The quantities of value one (an exchange rate's base: '1 dollar fetches 8,000
    won'), found by where they end, so a rate looks only at those just before it."""

    REACH = 60

    def __init__(self, quantities: list[Quantity]):
        ones = sorted((q.end, k) for k, q in enumerate(quantities) if q.value == 1)
        self.ends = [end for end, _ in ones]
        self.indices = [k for _, k in ones]

    def near(self, start: int) -> list[int]:
        """Indices of the ones that end in the REACH characters up to `start`, in order."""
        lo = bisect_right(self.ends, start - self.REACH)
        hi = bisect_right(self.ends, start)
        return sorted(self.indices[lo:hi])


def parts(kept: list[Quantity]) -> list[bool]:
    """For quantities sorted by (start, -end): whether each lies inside the span of one
    before it ('per 1kg'), or is one kilogram or ton alone, the base a price is quoted for
    ('one kilogram of rice sells for ...'). One pass: the spans before a quantity all
    begin at or before it, so it lies in one of them when the furthest they reach covers
    it (and is not its own span)."""
    out = []
    reach, reach_start = -1, -1  # the furthest end so far, and the first start reaching it
    for q in kept:
        inside = reach > q.end or (reach == q.end and reach_start < q.start)
        out.append(inside or (q.value == 1 and q.unit in {"kg", "t"}))
        if q.end > reach:
            reach, reach_start = q.end, q.start
    return out


@cache
def scanner() -> QuantityScanner:
    """The scanner built from the shipped tables, once a run."""
    return QuantityScanner()


def quantities(text: str) -> tuple[Quantity, ...]:
    """The quantities a post's text states, in reading order."""
    return scanner().scan(text)
