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
from urllib.parse import urlsplit

from nkwatch.model import Credibility, Grade, Reliability, Source, Story, Version
from nkwatch.ratings import Ratings


def site_of(address: str) -> str | None:
    """'example.org' for any http(s), www or mobile copy of a page; None for a file path."""
    if not re.match(r"https?://", address):
        return None
    host = (urlsplit(address).hostname or "").lower()
    return re.sub(r"^(?:www|m|mobile|amp)\.", "", host) or None


def source_of(version: Version, ratings: Ratings) -> str | None:
    if version.origins:
        return ratings.canonical(version.origins[0])
    if len(set(version.cited)) == 1:  # a post that only relays one outlet's report
        return ratings.canonical(version.cited[0])
    if version.publisher:
        return ratings.canonical(version.publisher)
    return site_of(version.url or version.source)


UNKNOWN = "unknown origin"
TRUSTED = (Reliability.A, Reliability.B, Reliability.C)


def view(story_id: str, versions: list[Version], ratings: Ratings) -> Story:
    """A version that does not say where it comes from (a saved file with no outlet named)
    is taken as a copy of the versions that do, not as a source of its own."""
    counts = Counter(name for v in versions if (name := source_of(v, ratings)))
    if not counts:
        counts[UNKNOWN] = len(versions)
    sources = tuple(
        Source(name, ratings.rate(name), n)
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return Story(
        story_id, tuple(versions), sources, reliability(sources), credibility(sources, versions)
    )


def reliability(sources: tuple[Source, ...]) -> Grade:
    best = min(sources, key=lambda s: s.rating.grade)
    reasons = tuple(f"{s.name}: {s.rating.grade} ({s.rating.reason})" for s in sources)
    return Grade(str(best.rating.grade), best.rating.meaning, reasons)


def credibility(sources: tuple[Source, ...], versions: list[Version]) -> Grade:
    n = len(sources)
    rated = [s for s in sources if s.rating.grade in TRUSTED]
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
    elif sources[0].rating.grade in TRUSTED:
        code = 3
        why.append(f"a single source, {sources[0].name}, rated {sources[0].rating.grade}")
    elif sources[0].rating.grade in (Reliability.D, Reliability.E):
        code = 4
        why.append(
            f"a single source, {sources[0].name}, rated {sources[0].rating.grade}"
            f" ({sources[0].rating.meaning})"
        )
    else:
        code = 6
        why.append(f"a single source, {sources[0].name}, that the outlet table does not rate")
    return Grade(str(code), Credibility(code).meaning, tuple(why))


def views(store_versions: list[Version], ratings: Ratings) -> list[Story]:
    """Group version rows by story, keeping the order the rows came in."""
    grouped: dict[str, list[Version]] = {}
    for v in store_versions:
        grouped.setdefault(v.story_id, []).append(v)
    return [view(sid, vs, ratings) for sid, vs in grouped.items()]
