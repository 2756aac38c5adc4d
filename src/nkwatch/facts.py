"""facts: an extracted Post -> the claims its figures make.

Each quantity a post states becomes a `Claim`, tied to:

    what it is about  the nearest fitting entity mention in its clause, else its sentence,
                      of the types its kind can be about (`data/measures.tsv`: a price is
                      about a product first, a production figure about a facility first);
                      countries only when nothing nearer fits
    what it measures  the quantity's kind, refined by the product its sentence names
                      ("rice price", "steel production")
    where             the place of the facility it is about, else the nearest city or
                      county in its sentence (a province when none), else the nearest
                      place before it in its paragraph
    when              the nearest date its sentence names (its clause first), at the date's
                      precision; else the post's publication day
    who says it       the attribution whose sentence covers it (an anonymous source, state
                      media...), else the outlet the post quotes

`Claimer` reads the tables once; `claims(post)` is the per-post function. It decides
nothing about other posts: comparing claims is `nkwatch.conflicts`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from nkwatch.extract.quantities import sentence
from nkwatch.gazetteer import Gazetteer
from nkwatch.model import (
    Attribution,
    Claim,
    DateMention,
    Entity,
    EntityType,
    Mention,
    Post,
    Quantity,
)
from nkwatch.pkgdata import read_table
from nkwatch.resolve import located
from nkwatch.spans import Placed, Spanned

CLAUSE_END = re.compile(r"[;:—–]|\s-\s|,\s+(?:but|while|whereas|and|or)\b")
PARAGRAPH_END = re.compile(r"\n\s*\n|\n")
# "Pyongyang, August 5 (KCNA) --": where a wire item was filed, not what it is about.
DATELINE = re.compile(
    r"^\s*[A-Z][\w .'’-]{1,40}, [A-Z][a-z]+\.? \d{1,2} \([^)]{2,40}\)\s*(?:--|—|-)"
)
# A date the figure is compared against ("than the same period of last year") is not its date.
BASELINE = re.compile(
    r"\b(?:than|as against|compared (?:to|with)|from|over|since|of)\s+(?:the\s+)?"
    r"(?:same (?:period|time|month) (?:of|in|last)\s+)?$",
    re.I,
)
COUNTRY_KINDS = frozenset({"country", "region"})
BROAD_KINDS = frozenset({"province", "river", "sea"})
PLACE_TYPE = "place"
EVENT = "event"  # the kind of a claim that dates something instead of stating a figure
EVENT_SUBJECTS = ("facility", "organization", "place")


@cache
def event_cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (row["event"], re.compile(row["pattern"], re.I)) for row in read_table("event_cues.tsv")
    )


LOOK_BACK = 600  # characters back a pointing sentence may reach for what it points to
PARAGRAPH_REACH = 3000  # characters back a figure looks for a place in its paragraph


@dataclass(frozen=True)
class Measure:
    """How claims of one kind are read (one row of `data/measures.tsv`)."""

    kind: str
    label: str
    refine: bool
    period: str  # month | year
    subjects: tuple[str, ...]


@cache
def measures() -> dict[str, Measure]:
    return {
        row["kind"]: Measure(
            row["kind"],
            row["label"],
            row["refine"] == "yes",
            row["period"],
            tuple(row["subjects"].split("|")),
        )
        for row in read_table("measures.tsv")
    }


def measure_of(kind: str) -> Measure:
    table = measures()
    return table.get(kind) or table["other"]


@cache
def pointer() -> re.Pattern[str]:
    """'the factory', 'this mine', 'the company': a sentence that points back to a site or
    body named before it (head words of `data/heads.tsv`)."""
    heads = sorted(
        {
            row["head"].lower()
            for row in read_table("heads.tsv")
            if row["type"] in ("facility", "organization")
        },
        key=lambda h: (-len(h), h),
    )
    body = "|".join(re.escape(h) for h in heads)
    return re.compile(rf"\b(?:the|this|that|its|their)\s+(?P<head>{body})\b", re.I)


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def holds(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def distance(m: Mention | DateMention | Attribution, q: Spanned) -> int:
    """Characters between a mention and a figure (0 when they touch or overlap)."""
    if m.end <= q.start:
        return q.start - m.end
    if m.start >= q.end:
        return m.start - q.end
    return 0


class Layout:
    """One post's mentions, dates, figures and attributions placed for lookup by span, and
    where its dateline and paragraphs end: built once per post, so each figure asks about
    its own sentence without reading the whole post again."""

    def __init__(self, post: Post):
        self.post = post
        self.text = post.text
        dateline = DATELINE.match(post.text)
        self.filed = dateline.end() if dateline else 0
        self.mentions = Placed(post.mentions)
        self.dates = Placed(post.dates)
        self.quantities = Placed(post.quantities)
        self.attributions = Placed(post.attributions)
        self.baselines: dict[tuple[int, int], bool] = {}

    @cached_property
    def clause_ends(self) -> tuple[list[int], list[int]]:
        """Where each clause end (CLAUSE_END) starts and ends, found in one pass."""
        found = [m.span() for m in CLAUSE_END.finditer(self.text)]
        return [a for a, _ in found], [b for _, b in found]

    def clause(self, within: Span, q: Spanned) -> Span:
        """The clause of a sentence holding a figure: cut at semicolons, dashes and ', but'."""
        starts, ends = self.clause_ends
        left, right = within.start, within.end
        i = bisect_right(ends, q.start) - 1  # the last clause end before the figure...
        if i >= 0 and starts[i] >= within.start:  # ...inside its sentence
            left = ends[i]
        j = bisect_left(starts, q.end)  # the first after it
        if j < len(starts) and ends[j] <= within.end:
            right = starts[j]
        return Span(left, right)

    @cached_property
    def pointers(self) -> tuple[list[int], list[tuple[int, str]]]:
        """Where each pointing phrase ("the factory") starts, and its end and head word."""
        found = [(m.start(), m.end(), m["head"]) for m in pointer().finditer(self.text)]
        return [a for a, _, _ in found], [(b, head) for _, b, head in found]

    def pointing(self, start: int, end: int) -> list[str]:
        """The head words of the pointing phrases inside [start, end), in order."""
        starts, rest = self.pointers
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        return [head for stop, head in rest[lo:hi] if stop <= end]

    def is_baseline(self, bounds: Span, d: DateMention) -> bool:
        """Whether the date is one a figure is compared against ("than the same period of
        last year"): read in the 40 characters before it, within its sentence."""
        key = (max(bounds.start, d.start - 40), d.start)
        found = self.baselines.get(key)
        if found is None:
            found = self.baselines[key] = bool(BASELINE.search(self.text[key[0] : key[1]]))
        return found

    @cached_property
    def paragraph_ends(self) -> list[int]:
        return [m.end() for m in PARAGRAPH_END.finditer(self.text)]

    def paragraph_start(self, at: int) -> int:
        """Where the paragraph holding position `at` begins."""
        i = bisect_right(self.paragraph_ends, at)
        return self.paragraph_ends[i - 1] if i else 0


class Claimer:
    """Ties a post's figures to what they are about; built once per run."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def place_kind(self, entity_id: str) -> str:
        entry = self.gazetteer.entries.get(entity_id)
        return entry.info.get("kind", "") if entry else ""

    def is_country(self, m: Mention) -> bool:
        return m.type == PLACE_TYPE and self.place_kind(m.entity_id) in COUNTRY_KINDS

    def claims(self, post: Post) -> tuple[Claim, ...]:
        """A claim for each quantity the post states, then one for each dated event (a
        date whose clause says what happened then and holds no figure), in reading order."""
        layout = Layout(post)
        seen: Counter[tuple[int, int]] = Counter()
        out = []
        for q in post.quantities:
            out.append(self.claim(layout, q, seen[(q.start, q.end)]))
            seen[(q.start, q.end)] += 1
        out.extend(self.events(layout))
        return tuple(sorted(out, key=lambda c: (c.start, c.end, c.part)))

    def events(self, layout: Layout) -> list[Claim]:
        post, text, filed = layout.post, layout.text, layout.filed
        out = []
        for d in post.dates:
            if d.precision == "year" or d.start < filed:
                continue  # a year is a period, not an event; a dateline files the item
            bounds = Span(*sentence(text, d.start, d.end))
            scope = layout.clause(bounds, d)
            if layout.quantities.inside(scope.start, scope.end):
                continue  # the date dates a figure's claim
            names = [(m.start, m.end) for m in layout.mentions.inside(scope.start, scope.end)]
            event = next(
                (
                    name
                    for name, cue in event_cues()
                    for hit in cue.finditer(text, scope.start, scope.end)
                    if not any(a <= hit.start() < b for a, b in names)  # not "Open-Air Theatre"
                ),
                None,
            )
            if event is None:
                continue
            near = [
                m
                for m in layout.mentions.inside(bounds.start, bounds.end)
                if m.start >= filed and (m.end <= d.start or m.start >= d.end)
            ]
            subject = self.subject(near, d, scope, EVENT_SUBJECTS)
            if subject is None:
                continue  # an event of nothing named is not a fact about anything
            said = self.said_by(layout, d, bounds)
            out.append(
                Claim(
                    post_id=post.id,
                    start=d.start,
                    end=d.end,
                    text=d.text,
                    kind=EVENT,
                    measure=event,
                    value=None,
                    unit=None,
                    subject=subject.entity_id,
                    place=self.place(layout, near, d, scope, subject),
                    period=d.date,
                    precision=d.precision,
                    period_text=d.text,
                    said_by=said[0] if said else None,
                    said_by_kind=said[1] if said else None,
                    sentence_start=bounds.start,
                    sentence_end=bounds.end,
                )
            )
        return out

    def entities(self, post: Post, claims: Sequence[Claim]) -> list[Entity]:
        """The gazetteer records of what claims name that the post's mentions do not (the
        town a facility stands in), for the store to file beside them."""
        named = {m.entity_id for m in post.mentions}
        ids = {i for c in claims for i in (c.subject, c.product, c.place) if i and i not in named}
        out = []
        for entity_id in sorted(ids):
            entry = self.gazetteer.entries.get(entity_id)
            if entry is not None:
                info = located(entry, self.gazetteer)
                out.append(
                    Entity(entry.id, entry.name, EntityType(entry.type), entry.aliases, info)
                )
        return out

    def claim(self, layout: Layout, q: Quantity, part: int = 0) -> Claim:
        post, text = layout.post, layout.text
        bounds = Span(*sentence(text, q.start, q.end))
        scope = layout.clause(bounds, q)
        measure = measure_of(q.kind)
        near = [  # a name inside the figure's own words ("per kilogram") is not its subject
            m
            for m in layout.mentions.inside(bounds.start, bounds.end)
            if (m.end <= q.start or m.start >= q.end) and m.start >= layout.filed
        ]
        subject = self.subject(near, q, scope, measure.subjects) or self.named_before(
            layout, bounds, measure.subjects
        )
        product = None
        if measure.refine:
            product = self.nearest([m for m in near if m.type == "product"], q, scope) or (
                subject if subject and subject.type == "product" else None
            )
        label = f"{product.name} {measure.label}" if product else measure.label
        place = self.place(layout, near, q, scope, subject)
        when = self.period(layout, q, scope, bounds)
        said = self.said_by(layout, q, bounds)
        return Claim(
            post_id=post.id,
            start=q.start,
            end=q.end,
            text=q.text,
            kind=q.kind,
            measure=label,
            value=q.value,
            unit=q.unit,
            value_max=q.value_max,
            per=q.per,
            subject=subject.entity_id if subject else None,
            product=product.entity_id if product else None,
            place=place,
            period=when.date if when else post.published,
            precision=when.precision if when else "day",
            period_text=when.text if when else None,
            said_by=said[0] if said else None,
            said_by_kind=said[1] if said else None,
            sentence_start=bounds.start,
            sentence_end=bounds.end,
            part=part,
        )

    def nearest(self, mentions: Sequence[Mention], q: Spanned, part: Span) -> Mention | None:
        """The mention nearest the figure, those in its clause first."""
        if not mentions:
            return None
        return min(
            mentions,
            key=lambda m: (not part.holds(m.start, m.end), distance(m, q), m.start),
        )

    def subject(
        self, near: Sequence[Mention], q: Spanned, part: Span, types: tuple[str, ...]
    ) -> Mention | None:
        """The preferred type found in the clause, else in the sentence; countries last."""
        fitting = [m for m in near if m.type in types and not self.is_country(m)]
        for scope in (
            [m for m in fitting if part.holds(m.start, m.end)],
            fitting,
            [m for m in near if self.is_country(m)] if PLACE_TYPE in types else [],
        ):
            for etype in types:
                found = self.nearest([m for m in scope if m.type == etype], q, part)
                if found:
                    return found
        return None

    def named_before(self, layout: Layout, bounds: Span, types: tuple[str, ...]) -> Mention | None:
        """For a sentence that points back ("the factory", "this mine"), the facility or
        organisation named last before it whose name has that head word."""
        found = None
        for head in layout.pointing(bounds.start, bounds.end):
            stem = head.lower().rstrip("es") or head.lower()
            before = [
                m
                for m in layout.mentions.ending_within(bounds.start - LOOK_BACK, bounds.start)
                if m.type in ("facility", "organization")
                and m.type in types
                and stem in m.name.lower()
            ]
            if before and (found is None or before[-1].end > found.end):
                found = before[-1]
        return found

    def place(
        self,
        layout: Layout,
        near: Sequence[Mention],
        q: Spanned,
        part: Span,
        subject: Mention | None,
    ) -> str | None:
        """Where a figure holds: the place of the site or body it is about, else the most
        precise place in its sentence (a city before its province), else the nearest one
        before the figure in its paragraph (within PARAGRAPH_REACH characters)."""
        if subject is not None and subject.type != PLACE_TYPE:
            entry = self.gazetteer.entries.get(subject.entity_id)
            where = entry.info.get("place") if entry else None
            located = self.gazetteer.lookup(where, PLACE_TYPE) if where else None
            if located is not None:
                return located.id
        places = [m for m in near if m.type == PLACE_TYPE and not self.is_country(m)]
        local = [m for m in places if self.place_kind(m.entity_id) not in BROAD_KINDS]
        found = self.nearest(local, q, part) or self.nearest(places, q, part)
        if found:
            return found.entity_id
        since = max(layout.paragraph_start(q.start), layout.filed, q.start - PARAGRAPH_REACH)
        before = [
            m
            for m in layout.mentions.inside(since, q.start)
            if m.type == PLACE_TYPE and not self.is_country(m)
        ]
        return before[-1].entity_id if before else None

    def period(self, layout: Layout, q: Quantity, part: Span, bounds: Span) -> DateMention | None:
        dates = [
            d
            for d in layout.dates.inside(bounds.start, bounds.end)
            if d.end <= q.start or d.start >= q.end
        ]
        dates.sort(key=lambda d: (not part.holds(d.start, d.end), distance(d, q)))
        return next((d for d in dates if not layout.is_baseline(bounds, d)), None)

    def said_by(self, layout: Layout, q: Spanned, bounds: Span) -> tuple[str, str] | None:
        """(who, kind): the attribution over the figure's sentence, else the quoted outlet."""
        post = layout.post
        over = layout.attributions.overlapping(bounds.start, bounds.end)
        if over:
            best = min(over, key=lambda a: (not (a.start <= q.start < a.end), distance(a, q)))
            return best.source, str(best.kind)
        if post.origins:
            return post.origins[0].name, "outlet"
        return None
