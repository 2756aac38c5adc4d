"""Commands over claims: `facts` (a timeline of what is claimed) and `series` (by month)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nkwatch.cli import main
from nkwatch.cli.options import (
    clean_errors,
    db_option,
    existing_store,
    format_option,
    out,
    outlets_option,
    period,
    say,
    since_until,
)
from nkwatch.cli.table import Column, grade_legend, render
from nkwatch.export.records import fact_record, figure

if TYPE_CHECKING:
    from nkwatch.conflicts import Conflict, Fact
    from nkwatch.views import SeriesPoint

KINDS = [
    "price",
    "wage",
    "exchange_rate",
    "trade",
    "production",
    "capacity",
    "share",
    "growth",
    "workforce",
    "population",
    "other",
]
FACT_COLUMNS = (
    Column("period", "period", least=7),
    Column("measure", "measure", least=10),
    Column("figure", "figure", least=10),
    Column("subject", "about", grow=True, least=12),
    Column("place", "place"),
    Column("source", "said by", grow=True),
    Column("rating", "rated", right=True),
    Column("grade", "grade"),
    Column("post", "post", least=14),
)
SERIES_COLUMNS = (
    Column("month", "month", least=7),
    Column("place", "place"),
    Column("median", "median", right=True),
    Column("low", "low", right=True),
    Column("high", "high", right=True),
    Column("unit", "unit"),
    Column("claims", "claims", right=True),
    Column("sources", "sources", grow=True),
)


def fact_row(f: Fact) -> dict[str, Any]:
    c, r = f.row.claim, f.row
    return {
        "period": c.iso,
        "measure": c.measure,
        "figure": figure(c.value, c.value_max, c.unit, c.per),
        "subject": r.subject_name or r.product_name,
        "place": r.place_name,
        "source": f.said_by,
        "rating": str(f.rating.grade),
        "grade": f.grade,
        "post": c.post_id,
    }


def conflict_lines(found: list[Conflict]) -> list[str]:
    lines = []
    for x in found:
        where = f" in {x.place}" if x.place else ""
        about = "" if x.subject in x.measure else f" of {x.subject}"
        lines.append(f"conflict: {x.measure}{about}{where}, {x.period}:")
        for s in x.sides:
            f = s.fact
            c = f.row.claim
            lines.append(
                f"  {figure(c.value, c.value_max, c.unit, c.per)}  {f.said_by}"
                f" [{f.source_kind}] rated {f.rating.grade}, story {f.grade or '-'}"
                f" ({c.post_id})" + (f"; {s.note}" if s.note else "")
            )
    return lines


@main.command()
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), help="Only figures of this kind.")
@since_until
@format_option
@outlets_option
@db_option
@clean_errors
def facts(
    name: str,
    kind: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    outlets: Path | None,
    db: str,
) -> None:
    """What the knowledge base holds claimed about an entity or a place, by any of its
    names: figures in the order of the period they hold for, who says them, their grades;
    then the claims that disagree, side by side. --since/--until keep the figures whose
    period overlaps the range."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import facts as fact_sheet

    first, last = period(since, until)
    ratings = Ratings.load(outlets)
    sheet = fact_sheet(existing_store(db), ratings, name, kind, first, last)
    rows = [fact_row(f) for f in sheet.facts]
    records = [fact_record(f) for f in sheet.facts] if fmt == "jsonl" else None
    if fmt == "table":
        say(f"{sheet.entity.name}  [{sheet.entity.type}]: {len(rows)} claims")
    for line in render(fmt, FACT_COLUMNS, rows, records):
        out(line)
    if fmt == "table":
        for line in conflict_lines(list(sheet.conflicts)):
            say(line)
        legend = grade_legend(f.grade or "" for f in sheet.facts)
        if legend:
            out(legend)
    if not rows:
        out("no claims match", err=True)


def point_row(p: SeriesPoint) -> dict[str, Any]:
    return {
        "month": p.month,
        "place": p.place,
        "median": p.median,
        "low": p.low,
        "high": p.high,
        "unit": (p.unit or "") + (f"/{p.per}" if p.per else ""),
        "claims": p.claims,
        "sources": p.sources,
    }


@main.command()
@click.argument("thing")
@click.option("--place", help="Only claims for this place (a city, county or province).")
@click.option(
    "--measure",
    type=click.Choice(KINDS),
    default="price",
    show_default=True,
    help="What is measured; for exchange_rate, THING is a currency code (USD, CNY).",
)
@since_until
@format_option
@outlets_option
@db_option
@clean_errors
def series(
    thing: str,
    place: str | None,
    measure: str,
    since: str | None,
    until: str | None,
    fmt: str,
    outlets: Path | None,
    db: str,
) -> None:
    """A monthly series of a product's price (or another measure) by place: the median of
    the month's claims (a range counts by its middle), their low and high, how many there
    are and who makes them."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import series as build_series

    first, last = period(since, until)
    found = build_series(
        existing_store(db), Ratings.load(outlets), thing, place, measure, first, last
    )
    rows = [point_row(p) for p in found.points]
    for line in render(fmt, SERIES_COLUMNS, rows):
        out(line)
    if fmt == "table" and found.left_out:
        out(f"{found.left_out} claims dated only to a year, or not at all, are left out")
    if not rows:
        out(f"no monthly {measure} claims for {found.thing}", err=True)
