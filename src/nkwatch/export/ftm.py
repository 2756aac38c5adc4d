"""FollowTheMoney entities (https://followthemoney.tech) from knowledge-base records.

Plain dicts in the FtM line format, `{"id", "schema", "properties"}`, every
value a string in a list; the `followthemoney` package is not needed to write
them (the tests validate them with it). Ids are `nk-` and a digest of the
nkwatch id, so they are the same on every run. Schemata are chosen in
docs/exports.md:

    facility      Organization (classification "facility"), with an Address
    organization  PublicBody (party, state, military), Company, else Organization
    person        Person
    place         Address (it carries latitude and longitude itself)
    outlet        Organization (classification "news outlet")
    product       not exported: FtM has no schema for a commodity
    post          Article
    mention       Documentation (document = the Article, entity = the entity,
                  role "mentioned"), one per post and entity
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from nkwatch.export.records import Location, location, other_names
from nkwatch.model import Entity, EntityRow, EntityType, MentionRow, PostEntry, digest

Record = dict[str, Any]

PUBLIC_KINDS = frozenset({"party", "state", "military", "government"})
COMPANY_KINDS = frozenset({"company"})
WEB = ("http://", "https://")
SPACES = re.compile(r"\s+")
MULTILINE = frozenset({"bodyText"})  # text kept as written; other values are one line


def ftm_id(kind: str, *parts: str) -> str:
    """A stable FtM id: `nk-` and the first 40 hex digits of a digest of the nkwatch id."""
    return "nk-" + digest("nkwatch", kind, *parts)[:40]


def entity_ftm_id(entity_id: str) -> str:
    return ftm_id("entity", entity_id)


def schema_of(entity: Entity) -> str | None:
    """The FtM schema an entity is exported as; None for a type FtM cannot hold."""
    kind = entity.info.get("kind", "")
    if entity.type == EntityType.ORGANIZATION:
        if kind in PUBLIC_KINDS:
            return "PublicBody"
        return "Company" if kind in COMPANY_KINDS else "Organization"
    return {
        EntityType.FACILITY: "Organization",
        EntityType.PERSON: "Person",
        EntityType.PLACE: "Address",
        EntityType.OUTLET: "Organization",
    }.get(entity.type)


def record(entity_id: str, schema: str, props: dict[str, Iterable[str | None]]) -> Record:
    """An FtM record with empty values and empty properties left out."""
    properties: dict[str, list[str]] = {}
    for name, values in props.items():
        if name not in MULTILINE:
            values = [SPACES.sub(" ", v).strip() for v in values if v]
        kept = list(dict.fromkeys(v for v in values if v))
        if kept:
            properties[name] = kept
    return {"id": entity_id, "schema": schema, "properties": properties}


def coordinate(value: float | None) -> str | None:
    return None if value is None else repr(value)


def address_props(name: str, where: Location) -> dict[str, Iterable[str | None]]:
    return {
        "full": [name],
        "city": [where.city],
        "region": [where.province],
        "country": [where.country.lower() if where.country else None],
        "latitude": [coordinate(where.lat)],
        "longitude": [coordinate(where.lon)],
    }


def facility_address(entity: Entity, where: Location) -> Record | None:
    """The Address a facility stands at: its town (with the town's coordinates) or its
    own point."""
    if not (where.city or where.has_point):
        return None
    full = ", ".join(x for x in (where.city, where.province) if x) or entity.name
    props = address_props(full, where)
    if where.located_by:
        props["remarks"] = [f"coordinates are those of {where.located_by}, not of the site"]
    return record(ftm_id("address", entity.id), "Address", props)


def entity_records(row: EntityRow) -> list[Record]:
    """The FtM records of one entity (a facility or organization with a place has its
    Address first); empty for a product."""
    entity = row.entity
    schema = schema_of(entity)
    if schema is None:
        return []
    info, where = entity.info, location(entity)
    own_id = entity_ftm_id(entity.id)
    aliases = [a for a in other_names(entity) if a.casefold() != entity.name.casefold()]
    seen = f"named in {row.posts} post{'s' if row.posts != 1 else ''}" + (
        f", {row.first_seen} to {row.last_seen}" if row.first_seen else ""
    )
    if schema == "Address":
        props = address_props(entity.name, where)
        props |= {"name": [entity.name], "alias": aliases, "summary": [seen]}
        return [record(own_id, schema, props)]
    props = {
        "name": [entity.name],
        "alias": aliases,
        "country": [where.country.lower() if where.country else None],
        "summary": [seen],
        "keywords": [f"nkwatch:{entity.type}"],
    }
    out: list[Record] = []
    if entity.type == EntityType.FACILITY:
        props |= {"classification": ["facility"], "sector": [info.get("sector")]}
        address = facility_address(entity, where)
        if address is not None:
            out.append(address)
            props |= {
                "addressEntity": [address["id"]],
                "address": address["properties"]["full"],
            }
    elif entity.type == EntityType.OUTLET:
        grade = info.get("reliability")
        props |= {
            "classification": ["news outlet", info.get("kind")],
            "notes": [f"Admiralty reliability {grade}: {info.get('reason')}" if grade else None],
        }
    elif entity.type == EntityType.ORGANIZATION:
        props |= {"classification": [info.get("kind")]}
    elif entity.type == EntityType.PERSON:
        props |= {"position": [info.get("role")]}
    out.append(record(own_id, schema, props))
    return out


def article(entry: PostEntry) -> Record:
    """A post as an FtM Article."""
    props: dict[str, Iterable[str | None]] = {
        "title": [entry.title],
        "name": [entry.title or entry.id],
        "publishedAt": [entry.published],
        "author": list(entry.authors),
        "publisher": [entry.outlet],
        "sourceUrl": [u for u in (entry.url, entry.source) if u and u.startswith(WEB)][:1],
        "fileName": [] if entry.source.startswith(WEB) else [entry.source],
        "bodyText": [entry.text],
        "keywords": [
            f"nkwatch:{entry.id}",
            f"nkwatch-story:{entry.story}" if entry.story else None,
        ],
    }
    return record(ftm_id("post", entry.id), "Article", props)


def documentations(rows: Iterable[MentionRow]) -> Iterator[Record]:
    """One Documentation per post and entity it names (products left out), with the
    names the post uses; `rows` come grouped by post, as `Store.mention_rows` gives them."""
    for post_id, in_post in groupby(rows, key=lambda r: r.post_id):
        names: dict[str, list[MentionRow]] = {}
        for r in in_post:
            if r.type != EntityType.PRODUCT:
                names.setdefault(r.entity_id, []).append(r)
        for entity_id, found in names.items():
            first = found[0]
            yield record(
                ftm_id("mention", post_id, entity_id),
                "Documentation",
                {
                    "document": [ftm_id("post", post_id)],
                    "entity": [entity_ftm_id(entity_id)],
                    "role": ["mentioned"],
                    "date": [first.published],
                    "publisher": [first.outlet],
                    "summary": [", ".join(dict.fromkeys(r.text for r in found))],
                },
            )
