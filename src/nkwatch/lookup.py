"""Finding an entity or a story by what a person types: an id, any name under any
spelling, part of a name, a misspelling.

An exact id or name answers at once. A name several entities share is refused with
each of them and its type, never silently chosen. A name with no match but one close
spelling takes it; otherwise the message offers the nearest names ("did you mean").
Part of a name counts word by word: "Kimchaek steel" is close to "Kim Chaek Iron and
Steel Complex" because each of its words is found in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from nkwatch.errors import Ambiguous, NotFound
from nkwatch.names import display, key_of
from nkwatch.printable import one_line
from nkwatch.store import Store

MISSPELT = 88  # rapidfuzz ratio of whole keys: a misspelling of one name, not another name
OFFERED = 75  # word-by-word score of a name worth offering as "did you mean"
AT_MOST = 5  # candidates named in a message


@dataclass(frozen=True)
class Candidate:
    """A record a name may denote, and how close the name came (0-100)."""

    id: str
    label: str  # "Kim Chaek Iron and Steel Complex [facility]"
    score: float


def name_score(query: str, name: str) -> float:
    """How well the words of `query` are found in `name` (both name keys, 0-100): each word
    by its best partial match, weighted by its length, with the whole-name ratio beside."""
    words = query.split()
    flat = name.replace(" ", "")
    if not words or not flat:
        return 0.0
    cover = sum(len(w) * fuzz.partial_ratio(w, flat) for w in words) / sum(len(w) for w in words)
    whole = fuzz.ratio(query.replace(" ", ""), flat)
    return 0.8 * cover + 0.2 * whole


def best_by_record(scored: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each record once, with its best score, the best first."""
    best: dict[str, float] = {}
    for record, score in scored:
        if score > best.get(record, -1.0):
            best[record] = score
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))


def listing(candidates: list[Candidate]) -> str:
    return "; ".join(c.label for c in candidates[:AT_MOST])


def entity_label(store: Store, entity_id: str) -> str:
    entity = store.entity(entity_id)
    return f"{one_line(entity.name)} [{entity.type}]"


def entity_candidates(store: Store, name: str) -> list[Candidate]:
    """Entities whose names are near `name`, the nearest first (at most AT_MOST)."""
    key = key_of(display(name))
    ranked = best_by_record((eid, name_score(key, k)) for k, eid in store.alias_keys())
    return [
        Candidate(eid, entity_label(store, eid), score)
        for eid, score in ranked[:AT_MOST]
        if score >= OFFERED
    ]


def find_entity(store: Store, name: str) -> str:
    """The id of the entity a name denotes: its id, any alias under any spelling, or the one
    close spelling of a known name. Ambiguous when several entities answer to it, NotFound
    (with the nearest names) when none does."""
    try:
        return store.entity(name).id
    except NotFound:
        pass
    key = key_of(display(name))
    found = [eid for eid, _posts in store.entities_by_key(key)]
    if len(found) > 1:
        labels = "; ".join(entity_label(store, eid) for eid in found[:AT_MOST])
        raise Ambiguous(
            f"{one_line(name)!r} names {len(found)} entities: {labels}; ask for one by its full name or id"
        )
    if found:
        return found[0]
    flat = key.replace(" ", "")
    close = best_by_record(
        (eid, fuzz.ratio(flat, k.replace(" ", ""))) for k, eid in store.alias_keys()
    )
    near = entity_candidates(store, name)
    if close and close[0][1] >= MISSPELT:
        chosen = close[0][0]
        rivals = [c for c in near if c.id != chosen and c.score >= MISSPELT]
        if not rivals and not (len(close) > 1 and close[1][1] >= MISSPELT):
            return chosen
        options = [Candidate(chosen, entity_label(store, chosen), close[0][1]), *rivals]
        raise Ambiguous(
            f"{one_line(name)!r} may be {listing(options)}; ask for one by its full name or id"
        )
    if near:
        raise NotFound(
            f"no entity named {one_line(name)!r}; did you mean {listing(near)}?"
            " (ask again by one of these names)"
        )
    raise NotFound(f"no entity named {one_line(name)!r}; list them with 'nkwatch entities'")


def find_story(store: Store, ref: str) -> str:
    """A story id from its id (or the start of it), a former id, a post id, or words of a
    title; NotFound with the nearest titles when nothing answers."""
    try:
        return store.find_story(ref)
    except NotFound:
        pass
    titles = store.story_titles()
    prefixed = sorted({sid for sid, _ in titles if len(ref) >= 4 and sid.startswith(ref)})
    if len(prefixed) == 1:
        return prefixed[0]
    query = key_of(ref)
    ranked = best_by_record((sid, name_score(query, key_of(title))) for sid, title in titles)
    first = {sid: title for sid, title in reversed(titles)}
    near = [
        Candidate(sid, f"{sid} ({one_line(first[sid])[:60]})", score)
        for sid, score in ranked[:AT_MOST]
        if score >= OFFERED
    ]
    if len(near) == 1 or (near and near[0].score >= MISSPELT > near[1].score):
        return near[0].id
    if near:
        raise Ambiguous(f"{one_line(ref)!r} may be the story {listing(near)}; ask again by its id")
    raise NotFound(f"no story or post {one_line(ref)!r}; list stories with 'nkwatch stories'")
