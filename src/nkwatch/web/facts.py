"""Facts: the claims about an entity as JSON (/api/entities/{id}/facts), the panel on its
page (see entities.py), and monthly series (/api/series)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Query

from nkwatch.conflicts import Conflict
from nkwatch.export.records import fact_record, figure
from nkwatch.views import FactSheet, facts, series
from nkwatch.web.apimodels import FactsOut, SeriesOut
from nkwatch.web.charts import FactChart, fact_chart
from nkwatch.web.entities import ENTITY_ID, MISSING
from nkwatch.web.site import Site

KINDS = (
    "^(price|wage|exchange_rate|trade|production|capacity|share|growth|workforce|population|other)$"
)
KIND = Query(None, pattern=KINDS, description="only figures of this kind: price, wage...")
NAME = Query(..., min_length=1, max_length=300, description="a product (or a currency code)")


def conflict_record(c: Conflict) -> dict[str, Any]:
    return {
        "subject": c.subject,
        "measure": c.measure,
        "period": c.period,
        "place": c.place,
        "unit": c.unit,
        "per": c.per,
        "sides": [{"fact": fact_record(s.fact), "note": s.note} for s in c.sides],
    }


def sheet_record(sheet: FactSheet) -> dict[str, Any]:
    return {
        "id": sheet.entity.id,
        "name": sheet.entity.name,
        "type": str(sheet.entity.type),
        "facts": [fact_record(f) for f in sheet.facts],
        "conflicts": [conflict_record(c) for c in sheet.conflicts],
    }


def sheet_chart(sheet: FactSheet) -> FactChart | None:
    """The entity's most reported measure (in one unit), one dot per dated claim."""
    dated = [
        f
        for f in sheet.facts
        if f.row.claim.iso and f.row.claim.precision != "year" and f.row.claim.value is not None
    ]
    if not dated:
        return None
    counts = Counter((f.row.claim.measure, f.row.claim.unit, f.row.claim.per) for f in dated)
    (measure, unit, per), _ = counts.most_common(1)[0]
    chosen = [
        f
        for f in dated
        if (f.row.claim.measure, f.row.claim.unit, f.row.claim.per) == (measure, unit, per)
    ]
    points = [
        (
            (f.row.claim.iso or "")[:7],
            f.middle,
            f"{f.row.claim.iso}: {figure(f.low, f.row.claim.value_max, unit, per)} ({f.said_by})",
        )
        for f in chosen
    ]
    where = f", {unit}" + (f"/{per}" if per else "") if unit else ""
    return fact_chart(f"{measure}{where}", points)


def routes(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/api/entities/{entity_id:path}/facts",
        response_model=FactsOut,
        responses=MISSING,
        summary="What is claimed about an entity: figures by period, who says them, conflicts",
    )
    def entity_facts(entity_id: str = ENTITY_ID, kind: str | None = KIND) -> dict[str, Any]:
        site.store.entity(entity_id)  # an id here, never a name to guess from
        return sheet_record(facts(site.store, site.ratings, entity_id, kind))

    @router.get(
        "/api/series",
        response_model=SeriesOut,
        responses=MISSING,
        summary="A monthly series of a product's price (or another measure) by place",
    )
    def series_api(
        thing: str = NAME,
        place: str | None = Query(None, max_length=300, description="a city, county or province"),
        measure: str = Query("price", pattern=KINDS, description="what is measured"),
    ) -> dict[str, Any]:
        found = series(site.store, site.ratings, thing, place, measure)
        return {
            "thing": found.thing,
            "measure": found.measure,
            "place": found.place,
            "points": [{**p.__dict__, "sources": list(p.sources)} for p in found.points],
            "left_out": found.left_out,
        }

    return router
