"""`nkwatch search` and `nkwatch reindex`: full-text search over the knowledge base."""

from __future__ import annotations

from pathlib import Path

import click

from nkwatch.cli import main
from nkwatch.cli.options import (
    ENTITY_TYPES,
    clean_errors,
    db_option,
    existing_store,
    format_option,
    index_option,
    out,
    outlets_option,
    period,
    say,
)


@main.command()
@click.argument("query", default="")
@click.option("--outlet", help="Only posts of this outlet (any of its names).")
@click.option("--entity", help="Only posts naming this entity (any name or spelling, or its id).")
@click.option(
    "--type",
    "etype",
    type=click.Choice(ENTITY_TYPES),
    help="Only posts naming an entity of this type.",
)
@click.option("--since", help="Only posts published on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", help="Only posts published on or before: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--grade", help="Only posts of stories with this grade: 'C3', or a letter 'C'.")
@click.option("--story", help="Only the versions of this story (its id or a post id).")
@click.option("--by-story", is_flag=True, help="One hit per story, with its version count.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@format_option
@click.option("--facets", is_flag=True, help="Also print counts by outlet, year, entity and grade.")
@index_option
@outlets_option
@db_option
@clean_errors
def search(
    query: str,
    outlet: str | None,
    entity: str | None,
    etype: str | None,
    since: str | None,
    until: str | None,
    grade: str | None,
    story: str | None,
    by_story: bool,
    limit: int,
    offset: int,
    fmt: str,
    facets: bool,
    index: str | None,
    outlets: Path | None,
    db: str,
) -> None:
    """Find posts by words, phrases ("in quotes") and names in any spelling or script."""
    from nkwatch.indexing import index_path, open_finder
    from nkwatch.ratings import Ratings
    from nkwatch.search import snippet_html

    first, last = period(since, until)
    store = existing_store(db)
    find = open_finder(store, index_path(db, index), Ratings.load(outlets))
    result = find(
        query,
        outlet=outlet,
        entity=entity,
        type=etype,
        since=first,
        until=last,
        grade=grade,
        story=story,
        by_story=by_story,
        limit=limit,
        offset=offset,
    )
    if fmt == "csv":
        from nkwatch.cli.table import Column, csv_lines

        columns = [
            Column(k, k)
            for k in (
                "id",
                "published",
                "grade",
                "title",
                "outlet",
                "story",
                "versions",
                "score",
                "snippet",
            )
        ]
        rows = [
            {
                "id": hit.id,
                "published": hit.published.isoformat() if hit.published else None,
                "grade": hit.grade,
                "title": hit.title,
                "outlet": hit.outlet,
                "story": hit.story,
                "versions": hit.versions,
                "score": round(hit.score, 4),
                "snippet": " ".join("".join(t for t, _ in hit.snippet).split()),
            }
            for hit in result.hits
        ]
        for line in csv_lines(columns, rows):
            out(line)
        return
    for hit in result.hits:
        if fmt == "jsonl":
            from nkwatch.cli.table import jsonl_line

            record = {
                "id": hit.id,
                "source": hit.source,
                "post": hit.post,
                "title": hit.title,
                "published": hit.published.isoformat() if hit.published else None,
                "outlet": hit.outlet,
                "story": hit.story,
                "versions": hit.versions,
                "grade": hit.grade,
                "score": round(hit.score, 4),
                "snippet": snippet_html(hit.snippet),
            }
            out(jsonl_line(record))
        else:
            snippet = "".join(f"«{t}»" if marked else t for t, marked in hit.snippet)
            say(
                f"{hit.id}  {hit.published or '----------'}  {hit.grade or '--'}"
                f"  {(hit.title or '(untitled)')[:60]}  [{hit.outlet or '-'}]"
                + (f"  {hit.versions} versions" if by_story and hit.versions > 1 else "")
            )
            say(f"    {' '.join(snippet.split())[:160]}")
    if fmt == "table":
        shown = f"{offset + 1}-{offset + len(result.hits)} of " if result.hits else ""
        unit = "stories" if by_story else "posts"
        some = " (no post has every word: posts with some of them)" if result.match == "any" else ""
        out(f"{shown}{result.total} {unit}{some}", err=True)
        if facets:
            for name in ("outlets", "years", "entities", "grades"):
                counts = getattr(result.facets, name)
                if counts:
                    out(
                        f"  {name}: " + "; ".join(f"{c.label} {c.count}" for c in counts[:10]),
                        err=True,
                    )


@main.command()
@index_option
@outlets_option
@db_option
@clean_errors
def reindex(index: str | None, outlets: Path | None, db: str) -> None:
    """Rebuild the search index from the knowledge base."""
    from nkwatch.indexing import index_path, rebuild
    from nkwatch.ratings import Ratings
    from nkwatch.search import SearchIndex

    store = existing_store(db)
    path = index_path(db, index)
    posts = rebuild(SearchIndex.open(path), store, Ratings.load(outlets))
    out(f"{posts} posts indexed in {path}")
