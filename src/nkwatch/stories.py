"""stories: a story's versions, its independent sources and its grades, with reasons.

A version's *source* is where its information comes from once copies and
citation chains collapse: the outlet it says it quotes (its first origin), else
the one outlet its text relays ("KCNA reported..."), else the outlet that
published it, else the site it was saved from; a version with none of these
is a copy of the others, or an unknown origin when all lack them. Versions with
the same source count once, so a Daily NK story and two blogs quoting it are
one source; http and https or desktop and mobile copies of one page are one.

The grades follow the Admiralty system: each source keeps its reliability
letter (A-F, from the outlet table), and the story gets an information
credibility number from how many independent sources carry it:

    1 confirmed      three or more independent sources, or two rated A-C
    2 probably true  two independent sources
    3 possibly true  one source rated A-C
    4 doubtful       one source rated D or E
    6 cannot judge   one source that is not rated

5 (improbable) needs a contradicting report; nkwatch does not infer it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from nkwatch.ratings import Rating, Ratings
from nkwatch.store import VersionRow

CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


@dataclass(frozen=True)
class Source:
    name: str
    rating: Rating
    versions: int


@dataclass(frozen=True)
class Grade:
    code: str  # "B" or "3"
    meaning: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class StoryView:
    id: str
    versions: tuple[VersionRow, ...]
    sources: tuple[Source, ...]
    reliability: Grade
    credibility: Grade

    @property
    def earliest(self) -> str | None:
        dates = [v.published for v in self.versions if v.published]
        return min(dates) if dates else None

    @property
    def latest(self) -> str | None:
        dates = [v.published for v in self.versions if v.published]
        return max(dates) if dates else None

    @property
    def title(self) -> str | None:
        return next((v.title for v in self.versions if v.title), None)

    @property
    def first_outlet(self) -> str | None:
        """Who ran it first: the publisher (or quoted outlet) of the earliest dated version."""
        dated = sorted((v for v in self.versions if v.published), key=lambda v: v.published or "")
        first = dated[0] if dated else (self.versions[0] if self.versions else None)
        if first is None:
            return None
        return first.publisher or (first.origins[0] if first.origins else None)


def site_of(address: str) -> str | None:
    """'example.org' for any http(s), www or mobile copy of a page; None for a file path."""
    if not re.match(r"https?://", address):
        return None
    host = (urlsplit(address).hostname or "").lower()
    return re.sub(r"^(?:www|m|mobile|amp)\.", "", host) or None


def source_of(version: VersionRow, ratings: Ratings) -> str | None:
    if version.origins:
        return ratings.canonical(version.origins[0])
    if len(set(version.cited)) == 1:  # a post that only relays one outlet's report
        return ratings.canonical(version.cited[0])
    if version.publisher:
        return ratings.canonical(version.publisher)
    return site_of(version.url or version.source)


UNKNOWN = "unknown origin"


def view(story_id: str, versions: list[VersionRow], ratings: Ratings) -> StoryView:
    """A version that does not say where it comes from (a saved file with no outlet named)
    is taken as a copy of the versions that do, not as a source of its own."""
    counts = Counter(name for v in versions if (name := source_of(v, ratings)))
    if not counts:
        counts[UNKNOWN] = len(versions)
    sources = tuple(
        Source(name, ratings.rate(name), n)
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return StoryView(
        story_id, tuple(versions), sources, reliability(sources), credibility(sources, versions)
    )


def reliability(sources: tuple[Source, ...]) -> Grade:
    best = min(sources, key=lambda s: s.rating.grade)
    reasons = tuple(f"{s.name}: {s.rating.grade} ({s.rating.reason})" for s in sources)
    return Grade(best.rating.grade, best.rating.meaning, reasons)


def credibility(sources: tuple[Source, ...], versions: list[VersionRow]) -> Grade:
    n = len(sources)
    rated = [s for s in sources if s.rating.grade in "ABC"]
    copies = len(versions) - n
    why = [
        f"{len(versions)} version{'s' if len(versions) != 1 else ''} from"
        f" {n} independent source{'s' if n != 1 else ''}"
        + (
            f"; {copies} repeat{'s' if copies != 1 else ''} a source already counted"
            if copies
            else ""
        )
    ]
    if n >= 3 or len(rated) >= 2:
        code = 1
        why.append("carried by independent sources" + (" rated A-C" if len(rated) >= 2 else ""))
    elif n == 2:
        code = 2
        why.append("two independent sources, not both rated A-C")
    elif sources[0].rating.grade in "ABC":
        code = 3
        why.append(f"a single source, {sources[0].name}, rated {sources[0].rating.grade}")
    elif sources[0].rating.grade in "DE":
        code = 4
        why.append(
            f"a single source, {sources[0].name}, rated {sources[0].rating.grade}"
            f" ({sources[0].rating.meaning})"
        )
    else:
        code = 6
        why.append(f"a single source, {sources[0].name}, that the outlet table does not rate")
    return Grade(str(code), CREDIBILITY[code], tuple(why))


def views(store_versions: list[VersionRow], ratings: Ratings) -> list[StoryView]:
    """Group version rows by story, keeping the order the rows came in."""
    grouped: dict[str, list[VersionRow]] = {}
    for v in store_versions:
        grouped.setdefault(v.story_id, []).append(v)
    return [view(sid, vs, ratings) for sid, vs in grouped.items()]
