"""resolve: candidates -> mentions of canonical entities, with stable ids.

Within one post: a candidate the gazetteer knows (under any spelling) takes
its entry; one it does not know is looked up again under the forms reporting
wraps names in ("North Korean Ministry of X", "Pyongyang City", "North Pyongan
X Power Plant", "the Songjin steel plant"); a short form
of a longer name in the same post ("Factory 326") joins the longer one; an
acronym defined in brackets ("Korean Democratic Women's Union [KDWU]") or an
"aka" joins the name before it. A name no one knows gets an id made from its
spelling-blind key, so its romanization variants share one id in every run.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable
from functools import cache

from nkwatch.extract.recognise import Candidate
from nkwatch.gazetteer import Entry, Gazetteer
from nkwatch.model import Entity, EntityType, Mention, Post
from nkwatch.names import demonyms, display, key_of, slug, without_article
from nkwatch.pkgdata import read_lines

ADMIN_SUFFIX = re.compile(r"\s+(?:City|Province|County|District|Special City)$")
ACRONYM_AFTER = re.compile(r"^\s*[\(\[]\s*([A-Z][A-Za-z]{1,7})\s*[\)\]]")
AKA_AFTER = re.compile(r"^\s*,?\s*\(?(?:aka|a\.k\.a\.|also known as|formerly(?: known as)?|now)\s+")

Variant = Callable[[str, Gazetteer], str | None]


@cache
def generic_bodies() -> frozenset[str]:
    """Keys of the names every party or state has ('Central Committee', 'Foreign Ministry')."""
    return frozenset(key_of(n) for n in read_lines("generic_bodies.txt"))


def without_admin_suffix(name: str, gazetteer: Gazetteer) -> str | None:
    stripped = ADMIN_SUFFIX.sub("", name)
    return stripped if stripped != name else None


def without_owner(name: str, gazetteer: Gazetteer) -> str | None:
    """'North Korean Ministry of X' -> 'Ministry of X'; 'North Pyongan X Plant' -> 'X Plant'.
    A demonym that names a country keeps a known body of another country out
    ('Chinese Ministry of Foreign Affairs' is not the DPRK's)."""
    words = name.split()
    owners = demonyms()
    for n in (3, 2, 1):
        if len(words) <= n + 1:
            continue
        lead, rest = " ".join(words[:n]), " ".join(words[n:])
        if lead in owners:
            entry = gazetteer.lookup(rest)
            country = entry.info.get("country", "") if entry else ""
            return rest if not (owners[lead] and country and country != owners[lead]) else None
        if gazetteer.lookup(lead, "place"):
            return rest
    return None


def list_member(name: str, gazetteer: Gazetteer) -> str | None:
    """'Songjin steel plant' -> the known facility whose name starts 'Songjin' and says 'steel'."""
    m = re.match(r"^(\S+(?: \S+)?) ((?:[a-z-]+ )*)[a-z ]+$", name)
    entry = gazetteer.facility_by_lead(m[1], m[2].strip()) if m else None
    return entry.name if entry else None


VARIANTS: tuple[Variant, ...] = (
    without_admin_suffix,
    without_owner,
    list_member,
)


def known(candidate: Candidate, gazetteer: Gazetteer) -> Entry | None:
    if candidate.entry is not None:
        return candidate.entry
    name = display(candidate.name)
    entry = gazetteer.lookup(name, candidate.type) or gazetteer.lookup(name)
    if entry is not None:
        return entry
    for variant in VARIANTS:
        other = variant(name, gazetteer)
        if other and (entry := gazetteer.lookup(other, candidate.type)):
            return entry
    if candidate.type in ("organization", "facility"):
        return gazetteer.misspelled(name, candidate.type)
    return None


UNKNOWN_MARK = "~"  # in the id of an entity no table holds


def unknown_id(etype: str, name: str, key_of: Callable[[str], str] = key_of) -> str:
    return f"{etype}:{UNKNOWN_MARK}{slug(key_of(name)) or slug(name)}"


def resolve(text: str, candidates: list[Candidate], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions of canonical entities for one post's selected candidates."""
    mentions = []
    for c in candidates:
        entry = known(c, gazetteer)
        if entry is not None:
            mentions.append(
                Mention(
                    text[c.start : c.end],
                    EntityType(entry.type),
                    c.start,
                    c.end,
                    entry.name,
                    entry.id,
                    c.extractor,
                )
            )
        else:
            name = display(c.name)
            mentions.append(
                Mention(
                    text[c.start : c.end],
                    EntityType(c.type),
                    c.start,
                    c.end,
                    name,
                    unknown_id(c.type, name, gazetteer.keys.key_of),
                    c.extractor,
                )
            )
    mentions = join_owners(text, mentions, gazetteer)
    mentions = join_short_forms(mentions, gazetteer.keys.key_of)
    return join_defined_aliases(text, mentions)


OF_OWNER = re.compile(r" of (?:the )?")


def join_owners(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """'Central Committee' + ' of the ' + 'Communist Party of Vietnam' is one organization:
    a generic body takes its owner into its name, and the owner is not a mention of its own."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        link = OF_OWNER.match(text, m.end) if nxt else None
        if (
            nxt is not None
            and link is not None
            and link.end() == nxt.start
            and m.type == "organization"
            and gazetteer.keys.key_of(without_article(m.text)) in generic_bodies()
            and nxt.type in ("organization", "place")
        ):
            surface = text[m.start : nxt.end]
            owned = f"{display(m.text)} of {nxt.name}"  # the owner under its canonical name
            entry = gazetteer.lookup(display(surface), "organization") or gazetteer.lookup(
                owned, "organization"
            )
            out.append(
                Mention(
                    surface,
                    EntityType.ORGANIZATION,
                    m.start,
                    nxt.end,
                    entry.name if entry else display(surface),
                    entry.id if entry else unknown_id("organization", owned, gazetteer.keys.key_of),
                    m.extractor,
                )
            )
            i += 2
            continue
        out.append(m)
        i += 1
    return out


def join_short_forms(
    mentions: list[Mention], key_of: Callable[[str], str] = key_of
) -> list[Mention]:
    """'Factory 326' after 'Pyongyang Electric Cable Factory 326' is the same factory."""
    firsts: dict[tuple[str, str], Mention] = {}
    for m in mentions:
        firsts.setdefault((m.type, key_of(m.name)), m)
    out = []
    for m in mentions:
        k = key_of(m.name)
        if "~" in m.entity_id and " " in k:
            target = next(
                (
                    t
                    for (etype, other), t in firsts.items()
                    if etype == m.type and other != k and f" {k} " in f" {other} "
                ),
                None,
            )
            if target is not None:
                m = dataclasses.replace(m, name=target.name, entity_id=target.entity_id)
        out.append(m)
    return out


def join_defined_aliases(text: str, mentions: list[Mention]) -> list[Mention]:
    """Acronyms defined in brackets, and 'X aka Y', take the entity of the name before them."""
    by_start = {m.start: m for m in mentions}
    out = list(mentions)
    acronyms: dict[str, Mention] = {}
    for m in mentions:
        if (a := ACRONYM_AFTER.match(text[m.end : m.end + 20])) and a[1].isupper():
            acronyms[a[1]] = m
        if k := AKA_AFTER.match(text[m.end : m.end + 30]):
            nxt = by_start.get(m.end + k.end())
            if nxt is not None and "~" in nxt.entity_id:
                out[out.index(nxt)] = dataclasses.replace(
                    nxt, type=m.type, name=m.name, entity_id=m.entity_id
                )
    taken = [(m.start, m.end) for m in out]
    for acronym, m in acronyms.items():
        for hit in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            if any(hit.start() < b and a < hit.end() for a, b in taken):
                continue
            out.append(
                Mention(acronym, m.type, hit.start(), hit.end(), m.name, m.entity_id, "acronym")
            )
    return sorted(out, key=lambda m: m.start)


def entities_of(post: Post, gazetteer: Gazetteer) -> list[Entity]:
    """The canonical records a post's mentions name: a gazetteer entry with every alias and
    what it knows of the place, or a name found only in text."""
    out: dict[str, Entity] = {}
    for m in post.mentions:
        if m.entity_id in out:
            continue
        entry = gazetteer.entries.get(m.entity_id)
        out[m.entity_id] = (
            Entity(
                entry.id,
                entry.name,
                EntityType(entry.type),
                entry.aliases,
                located(entry, gazetteer),
            )
            if entry
            else Entity(m.entity_id, m.name, m.type)
        )
    return list(out.values())


def located(entry: Entry, gazetteer: Gazetteer) -> dict[str, str]:
    """What the gazetteer knows of an entry; a site with no surveyed point takes the
    coordinates of the town or province it is in, and says so."""
    info = dict(entry.info)
    if info.get("lat") or entry.type == "place":
        return info
    for key in ("place", "province"):
        where = gazetteer.lookup(info[key], "place") if info.get(key) else None
        if where is not None and where.info.get("lat"):
            info.update(lat=where.info["lat"], lon=where.info["lon"], located_by=where.name)
            break
    return info


def found_names(spellings: dict[str, Counter[str]]) -> dict[str, str]:
    """Across documents, an entity found only in text is filed under its most used spelling
    (ties by the spelling itself), so its name does not depend on the order of ingest."""
    names = {}
    for entity_id, counts in spellings.items():
        if UNKNOWN_MARK in entity_id and counts:
            names[entity_id] = display(min(counts, key=lambda n: (-counts[n], n)))
    return names
