"""attribute: the sentences of a post that say where its information comes from.

A sentence is an attribution when it holds a reporting verb ("said", "told",
"reported", "according to", "shows") and something that can be a source: an
outlet or institute the post names, a foreign government body, a named person,
an unnamed source ("a source in North Pyongan Province", "residents"), or
satellite imagery. Each gets a kind, from the outlet table where the source is
known there:

    anonymous-source   unnamed people, most often inside the country
    named-official     a named person speaking for a body
    state-media        KCNA, Rodong Sinmun and the other DPRK outlets
    pro-dprk-media     pro-DPRK media abroad (Choson Sinbo)
    defector-media     outlets run by defectors (Daily NK, Rimjin-gang)
    foreign-media      other news media
    research-institute institutes and think tanks
    foreign-government governments and international bodies outside the DPRK
    dprk-authority     DPRK party and state bodies speaking for themselves
    satellite-imagery  what imagery shows
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from nkwatch.gazetteer import Gazetteer
from nkwatch.model import Attribution, AttributionKind, Mention
from nkwatch.names import tokens
from nkwatch.pkgdata import read_table

SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|\n|$)")
UNNAMED = (
    r"(?:sources?|informants?|insiders?|residents?|defectors?|traders?|merchants?|officials?"
    r"|cadres?|smugglers?|brokers?|worker|employee|observers?)"
)
PLACE_TAIL = (
    r"(?:\s+(?:in|inside|from|based in|near|at|familiar with|close to|with ties to)"
    r"\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*){1,4})?"
)
IMAGERY = re.compile(
    r"\bsatellite (?:imagery|images?|photos?|photographs|pictures?|data)\b|\bcommercial imagery\b"
    r"|\b(?:Planet Labs|Maxar|Airbus Defence)\b",
    re.I,
)
KIND_OF_OUTLET = {
    "state-media": "state-media",
    "pro-dprk-abroad": "pro-dprk-media",
    "defector-run": "defector-media",
    "foreign-media": "foreign-media",
    "research-institute": "research-institute",
    "blog": "foreign-media",
    "government": "foreign-government",
}
SPEAKERS = ("outlet", "organization", "person")
NOT_A_MODIFIER = ("to", "of", "that", "and", "with", "between", "by", "for", "in", "at")


@cache
def reporting_verbs() -> frozenset[str]:
    """Every word that says where information comes from ("said", "according", "shows")."""
    return frozenset(row["word"] for row in read_table("reporting_verbs.tsv"))


@cache
def speech_verbs() -> tuple[str, ...]:
    """The reporting verbs a person says things with ("said", "told", "added")."""
    return tuple(row["word"] for row in read_table("reporting_verbs.tsv") if row["speech"])


@cache
def verb_only() -> tuple[str, ...]:
    """The reporting words that are never nouns or adjectives ("said", "revealed")."""
    return tuple(row["word"] for row in read_table("reporting_verbs.tsv") if row["verb_only"])


@cache
def anonymous_pattern() -> re.Pattern[str]:
    """'a source in Ryanggang Province', 'two traders', 'according to residents'."""
    stop = "|".join((*NOT_A_MODIFIER, *verb_only()))
    return re.compile(
        r"\b(?:[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Mm]ultiple|[Mm]any|[Ss]ome|[Oo]ther|[Tt]he|[Oo]ur)"
        rf"\s+(?:(?!(?:{stop})\b)[\w'’-]+\s+){{0,3}}?"
        + UNNAMED
        + PLACE_TAIL
        + r"|(?<=[Aa]ccording to )"
        + UNNAMED
        + PLACE_TAIL
    )


class Attributor:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def kind_of(self, mention: Mention) -> str | None:
        entry = self.gazetteer.entries.get(mention.entity_id)
        info = entry.info if entry else {}
        kind = info.get("kind", "")
        if mention.type == "person":
            return "named-official"
        if mention.type == "outlet":
            return KIND_OF_OUTLET.get(kind, "foreign-media")
        if kind in KIND_OF_OUTLET:  # institutes and governments in the outlet table
            return KIND_OF_OUTLET[kind]
        if kind == "institute":
            return "research-institute"
        if kind in ("party", "state", "military", "international"):
            return "dprk-authority" if info.get("country") == "KP" else "foreign-government"
        return None  # companies, schools, associations and bodies we do not know are not sources

    def attribute(
        self,
        text: str,
        mentions: tuple[Mention, ...],
        words: list[tuple[str, int, int]] | None = None,
    ) -> tuple[Attribution, ...]:
        out: list[Attribution] = []
        words = tokens(text) if words is None else words
        reporting = reporting_verbs()
        all_verbs = [
            (a, b)
            for i, (w, a, b) in enumerate(words)
            if w.lower() in reporting
            and (w.lower() != "according" or (i + 1 < len(words) and words[i + 1][0] == "to"))
        ]
        if not all_verbs:
            return ()
        verb_starts = [v[0] for v in all_verbs]
        speakers = sorted((m for m in mentions if m.type in SPEAKERS), key=lambda m: m.start)
        speaker_starts = [m.start for m in speakers]
        for s in SENTENCE.finditer(text):
            sentence = s.group()
            # the span of the sentence as stated, without the space before or after it
            start = s.start() + len(sentence) - len(sentence.lstrip())
            end = s.start() + len(sentence.rstrip())
            verbs = all_verbs[bisect_left(verb_starts, start) : bisect_left(verb_starts, end)]
            if not verbs:
                continue
            inside = [
                m
                for m in speakers[
                    bisect_left(speaker_starts, start) : bisect_left(speaker_starts, end)
                ]
                if m.type != "person" or speaks(m, verbs)
            ]
            found: dict[str, Attribution] = {}
            for m in inside:
                kind = self.kind_of(m)
                if kind:
                    found.setdefault(
                        m.name,
                        Attribution(sentence.strip(), AttributionKind(kind), m.name, start, end),
                    )
            if IMAGERY.search(sentence):
                found.setdefault(
                    "satellite imagery",
                    Attribution(
                        sentence.strip(),
                        AttributionKind.SATELLITE_IMAGERY,
                        "satellite imagery",
                        start,
                        end,
                    ),
                )
            if not any(a.kind == "named-official" for a in found.values()):
                anon = anonymous_source(sentence)
                if anon:
                    found.setdefault(
                        anon,
                        Attribution(
                            sentence.strip(), AttributionKind.ANONYMOUS_SOURCE, anon, start, end
                        ),
                    )
            out.extend(found.values())
        return tuple(out)


def speaks(person: Mention, verbs: list[tuple[int, int]]) -> bool:
    """A person is the source when a reporting verb follows the name closely ("Kim, the
    manager, said") or comes just before it ("said Kim", "according to Kim")."""
    return any(
        0 <= v_start - person.end <= 80 or 0 <= person.start - v_end <= 4
        for v_start, v_end in verbs
    )


def anonymous_source(sentence: str) -> str | None:
    """'a source in Ryanggang Province' as written, when the sentence rests on an unnamed person."""
    m = anonymous_pattern().search(sentence)
    return re.sub(r"\s+", " ", m.group()).strip() if m else None
