"""conflicts: claims about one thing, measure and period whose figures disagree.

Two claims are about the same thing when they have the same subject, kind, measure, unit
and denominator, and, for a claim about a product (rice, which sells everywhere), the
same place. They are about the same period when they fall in the same month for what moves
month to month (prices, wages, exchange rates) and the same year for the rest (production,
shares, capacity...: `data/measures.tsv`); a claim dated only to a year is compared with
others dated only to that year. They disagree when the gap between their figures (ranges
taken whole) is more than `ConflictRules.tolerance` of the larger one, and they come from
different stories (versions of one story repeat one report).

Each side keeps its source's reliability and its story's grade. nkwatch never grades a
story 5 (improbable) on its own; a claim contradicted by a better-rated source (A-E, F
cannot be judged) is marked: "5 (improbable) possible".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nkwatch.facts import measure_of
from nkwatch.model import RELAYED, ClaimRow, Rating, Reliability
from nkwatch.ratings import Ratings

COMPARABLE = frozenset(r for r in Reliability if r is not Reliability.F)


@dataclass(frozen=True)
class ConflictRules:
    """When figures disagree: more than `tolerance` of the larger apart (0.10: 10%)."""

    tolerance: float = 0.10


@dataclass(frozen=True)
class Fact:
    """A claim as a person reads it: who says it, how far that source is trusted, and the
    grade of the story it stands in."""

    row: ClaimRow
    source: str  # whom the claim is attributed to, else the post's outlet
    source_kind: str  # an attribution kind, "outlet", or "unknown"
    rating: Rating  # the reliability of the outlet that carries it (or of the one it relays)
    grade: str | None  # the story's Admiralty grade ("C3")
    outlet: str | None = None  # the outlet that carries it, under its one name

    @property
    def said_by(self) -> str:
        """'a resident via Daily NK'; an outlet alone when it says it itself."""
        if self.outlet and self.outlet != self.source:
            return f"{self.source} via {self.outlet}"
        return self.source

    @property
    def low(self) -> float:
        value = self.row.claim.value
        if value is None:
            raise ValueError("a dated event states no figure")
        return value

    @property
    def high(self) -> float:
        claim = self.row.claim
        return claim.value_max if claim.value_max is not None else self.low

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


def fact_of(row: ClaimRow, ratings: Ratings, grade: str | None) -> Fact:
    claim = row.claim
    kind = claim.said_by_kind or ("outlet" if row.outlet else "unknown")
    source = claim.said_by or row.outlet or "unknown"
    relayed = kind == "outlet" or kind in {str(k) for k in RELAYED}
    rated = source if relayed else (row.outlet or source)
    rating = ratings.rate(rated)
    outlet = ratings.canonical(row.outlet) if row.outlet else None
    shown = ratings.canonical(source) if relayed else source
    return Fact(row, shown, kind, rating, grade, outlet)


@dataclass(frozen=True)
class Side:
    """One claim of a conflict, with the better-rated sources that contradict it."""

    fact: Fact
    contradicted_by: tuple[str, ...] = ()  # "Daily NK (B)"

    @property
    def note(self) -> str | None:
        if not self.contradicted_by:
            return None
        return "5 (improbable) possible: contradicted by " + "; ".join(self.contradicted_by)


@dataclass(frozen=True)
class Conflict:
    """Claims about one thing, measure and period that disagree, side by side."""

    subject: str  # the name of what they are about
    measure: str
    period: str  # "2024-03" or "2024"
    place: str | None
    unit: str | None
    per: str | None
    sides: tuple[Side, ...]  # the best-rated source first

    @property
    def spread(self) -> tuple[float, float]:
        return min(s.fact.low for s in self.sides), max(s.fact.high for s in self.sides)


def bucket(row: ClaimRow) -> str | None:
    """The period a claim is compared over: its month or year (see the module's rule)."""
    iso = row.claim.iso
    if iso is None:
        return None
    span = measure_of(row.claim.kind).period
    if span == "month" and row.claim.precision != "year":
        return iso[:7]
    return iso[:4] if row.claim.precision != "year" or span == "year" else iso


def same_thing(row: ClaimRow) -> tuple[object, ...] | None:
    c = row.claim
    about = c.subject or c.product
    if c.value is None or about is None or (period := bucket(row)) is None:
        return None  # a dated event has no figure to disagree with
    by_place = c.place if (row.subject_type == "product" or c.subject is None) else None
    return (about, c.kind, c.measure, c.unit, c.per, period, by_place)


def disagree(a: Fact, b: Fact, rules: ConflictRules) -> bool:
    gap = max(a.low, b.low) - min(a.high, b.high)
    return gap > rules.tolerance * max(abs(a.high), abs(b.high))


def better(a: Rating, b: Rating) -> bool:
    """a is rated better than b, both being judged."""
    return a.grade in COMPARABLE and b.grade in COMPARABLE and a.grade < b.grade


def conflicts(facts: Sequence[Fact], rules: ConflictRules = ConflictRules()) -> list[Conflict]:
    """Groups of claims about one thing and period with figures that disagree, in period
    order."""
    groups: dict[tuple[object, ...], list[Fact]] = {}
    for f in facts:
        key = same_thing(f.row)
        if key is not None:
            groups.setdefault(key, []).append(f)
    out = []
    for key, group in groups.items():
        clashes = {
            (i, j)
            for i, a in enumerate(group)
            for j, b in enumerate(group)
            if i != j and story_of(a) != story_of(b) and disagree(a, b, rules)
        }
        if not clashes:
            continue
        sides = []
        for i, f in enumerate(group):
            against = [group[j] for (x, j) in sorted(clashes) if x == i]
            if not against and not any(j == i for _, j in clashes):
                continue
            stronger = [g for g in against if better(g.rating, f.rating)]
            sides.append(
                Side(f, tuple(dict.fromkeys(f"{g.source} ({g.rating.grade})" for g in stronger)))
            )
        sides.sort(key=lambda s: (s.fact.rating.grade, s.fact.source, s.fact.low))
        first = sides[0].fact.row
        out.append(
            Conflict(
                first.subject_name or first.product_name or str(key[0]),
                first.claim.measure,
                str(key[5]),
                first.place_name,
                first.claim.unit,
                first.claim.per,
                tuple(sides),
            )
        )
    return sorted(out, key=lambda c: (c.period, c.subject, c.measure))


def story_of(f: Fact) -> str:
    return f.row.story or f.row.claim.post_id
