"""Commands over the knowledge base: ingest, extract, list and show."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nkwatch.cli import main
from nkwatch.cli.options import (
    ENTITY_TYPES,
    clean_errors,
    db_option,
    existing_store,
    index_option,
    outlets_option,
    parse_day,
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--max-bytes", type=int, help="Skip files larger than this (default 50 MB).")
@index_option
@outlets_option
@db_option
@clean_errors
def ingest(
    paths: tuple[Path, ...],
    max_bytes: int | None,
    index: str | None,
    outlets: Path | None,
    db: str,
) -> None:
    """Read documents (files or folders) into the knowledge base and its search index."""
    from nkwatch.indexing import Feeder, index_path
    from nkwatch.pipeline import Pipeline, ingest_paths
    from nkwatch.ratings import Ratings
    from nkwatch.read import MAX_BYTES
    from nkwatch.search import SearchIndex
    from nkwatch.store import is_server, open_store

    pipeline = Pipeline()
    store = open_store(db, write=True)
    shown = sys.stderr.isatty()

    def progress(source: str) -> None:
        if shown:
            click.echo(f"\r  reading {source[-60:]:<60}", nl=False, err=True)

    try:
        feeder = None
        if index or not is_server(db):  # a server's index is kept where the user names it
            path = index_path(db, index)
            feeder = Feeder(SearchIndex.open(path), store, Ratings.load(outlets))
        report = ingest_paths(
            list(paths),
            store,
            pipeline,
            max_bytes or MAX_BYTES,
            progress,
            on_stored=(lambda batch: feeder.add(batch.posts, batch.stories)) if feeder else None,
        )
        if feeder is not None:
            feeder.flush()
    finally:
        store.close()
    if shown:
        click.echo("\r" + " " * 72 + "\r", nl=False, err=True)
    click.echo(
        f"{report.files} files, {report.documents} documents read: {report.new_documents} new, "
        f"{report.documents - report.new_documents} already known; {report.posts} posts stored in {db}"
    )
    for failure in report.failures:
        click.echo(f"  could not read {failure.source}: {failure.reason}", err=True)
    if report.documents == 0:
        click.echo("nkwatch: nothing could be ingested", err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True
)
@click.option("--max-bytes", type=int, help="Skip files larger than this (default 50 MB).")
@clean_errors
def extract(paths: tuple[Path, ...], fmt: str, max_bytes: int | None) -> None:
    """Run the per-document stages and print the posts; nothing is stored."""
    from nkwatch.export import post_record
    from nkwatch.pipeline import Pipeline, extract_paths
    from nkwatch.read import MAX_BYTES, ReadFailure

    failures, printed = 0, 0
    for item in extract_paths(list(paths), Pipeline(), max_bytes or MAX_BYTES):
        if isinstance(item, ReadFailure):
            failures += 1
            click.echo(f"nkwatch: could not read {item.source}: {item.reason}", err=True)
            continue
        printed += 1
        if fmt == "jsonl":
            click.echo(json.dumps(post_record(item), ensure_ascii=False))
        else:
            date = item.published.isoformat() if item.published else "-"
            origins = ", ".join(o.name for o in item.origins) or "-"
            click.echo(
                f"{item.index:>3}  {date:<10}  {(item.title or '(untitled)')[:60]:<60}  "
                f"{', '.join(item.authors) or '-'}  [{origins}]  {len(item.mentions)} entities"
            )
    if printed == 0 and failures:
        sys.exit(1)


@main.command()
@click.option("--since", help="Only posts published on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only posts published on or before this day (YYYY-MM-DD).")
@click.option("--outlet", help="Only posts whose origin or outlet name contains this.")
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
@clean_errors
def posts(since: str | None, until: str | None, outlet: str | None, limit: int, db: str) -> None:
    """List stored posts, newest first."""
    store = existing_store(db)
    rows = store.posts(parse_day(since), parse_day(until), outlet, limit)
    for r in rows:
        click.echo(
            f"{r.id}  {r.published or '----------'}  {(r.title or '(untitled)')[:70]:<70}  "
            f"{', '.join(r.outlets) or '-'}"
        )
    if not rows:
        click.echo("no posts match", err=True)


@main.command()
@click.argument("post_id")
@db_option
@clean_errors
@outlets_option
def show(post_id: str, db: str, outlets: Path | None) -> None:
    """Show one post: its metadata, text and the entities it names."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import post_view

    shown = post_view(existing_store(db), post_id, Ratings.load(outlets))
    post = shown.post
    click.echo(f"{post.title or '(untitled)'}")
    click.echo(f"  id:        {post.id}")
    click.echo(f"  source:    {post.source}")
    click.echo(f"  published: {post.published or 'unknown'}")
    if post.authors:
        click.echo(f"  authors:   {', '.join(post.authors)}")
    if post.translators:
        click.echo(f"  translated by: {', '.join(post.translators)}")
    for o in post.origins:
        extra = "; ".join(x for x in (o.title, o.author, o.date and o.date.isoformat()) if x)
        click.echo(f"  origin:    {o.name}" + (f" ({extra})" if extra else ""))
    if post.mentions:
        names = sorted({(m.type, m.name) for m in post.mentions})
        click.echo("  entities:  " + "; ".join(f"{n} [{t}]" for t, n in names))
    if shown.story:
        others = shown.other_versions
        click.echo(
            f"  story:     {shown.story.id}"
            + (f" (with {others} other version{'s' if others != 1 else ''})" if others else "")
        )
    for a in post.attributions:
        click.echo(f"  cites:     {a.source} [{a.kind}] at {a.start}-{a.end}")
    click.echo("")
    click.echo(post.text)


@main.command()
@db_option
@clean_errors
def stats(db: str) -> None:
    """Count what the knowledge base holds."""
    for key, value in existing_store(db).stats().items():
        click.echo(f"{key:<24}{value:>10,}")


@main.command()
@click.option("--type", "etype", type=click.Choice(ENTITY_TYPES))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@click.option("--limit", type=int, default=None, help="At most this many entities (table: 50).")
@db_option
@clean_errors
def entities(etype: str | None, fmt: str, limit: int | None, db: str) -> None:
    """List entities, most mentioned first."""
    store = existing_store(db)
    if fmt == "jsonl":
        from nkwatch.export import entity_record

        for entity, mentions, _posts, stories in store.entity_records(etype):
            click.echo(json.dumps(entity_record(entity, mentions, stories), ensure_ascii=False))
        return
    for e in store.entities(etype, limit or 50):
        click.echo(f"{e.posts:>6} posts {e.mentions:>7} mentions  {e.type:<13} {e.name}  ({e.id})")


@main.command()
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv"]),
    default="table",
    show_default=True,
    help="jsonl and csv: one row per mention, with its post, date, outlet, grade and snippet.",
)
@db_option
@clean_errors
@outlets_option
def entity(name: str, fmt: str, db: str, outlets: Path | None) -> None:
    """Everything known about one entity, by any of its names."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import dossier

    if fmt != "table":
        from nkwatch.export import dossier_lines
        from nkwatch.views import find_entity

        store = existing_store(db)
        found = store.entity(find_entity(store, name))
        sys.stdout.writelines(dossier_lines(store, found, Ratings.load(outlets), fmt))
        return
    d = dossier(existing_store(db), name, Ratings.load(outlets))
    e, info = d.summary, d.entity.info
    click.echo(f"{e.name}  [{e.type}]  {e.id}")
    click.echo(f"  mentioned {e.mentions} times in {e.posts} posts, {e.stories} stories")
    if d.aliases:
        click.echo(f"  also: {'; '.join(d.aliases)}")
    place = ", ".join(x for x in (info.get("place"), info.get("province")) if x)
    if place:
        click.echo(f"  location: {place}")
    if info.get("lat"):
        click.echo(f"  coordinates: {info['lat']}, {info['lon']}")
    for key in ("sector", "kind", "country", "reliability", "reason"):
        if info.get(key):
            click.echo(f"  {key}: {info[key]}")
    click.echo("  posts:")
    for p in d.posts:
        grade = d.grades.get(p.story or "", "")
        click.echo(
            f"    {p.published or '----------'}  {p.id}  {(p.title or '(untitled)')[:60]}"
            f"  [{', '.join(p.outlets) or '-'}]  story {p.story or '-'} {grade}"
        )
    if d.co_mentioned:
        click.echo("  named with: " + "; ".join(f"{c.name} ({c.posts})" for c in d.co_mentioned))


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@click.option("--limit", type=int, default=None, help="At most this many stories (table: 50).")
@click.option("--min-versions", type=int, default=1, show_default=True)
@outlets_option
@db_option
@clean_errors
def stories(fmt: str, limit: int | None, min_versions: int, outlets: Path | None, db: str) -> None:
    """List stories, newest first, with their versions and independent sources."""
    from nkwatch.export import story_record
    from nkwatch.ratings import Ratings
    from nkwatch.views import stories as story_list

    if limit is None and fmt == "table":
        limit = 50
    found = story_list(existing_store(db), Ratings.load(outlets), limit, min_versions)
    for story in found:
        if fmt == "jsonl":
            click.echo(json.dumps(story_record(story), ensure_ascii=False))
        else:
            click.echo(
                f"{story.id}  {story.latest or '----------'}  {len(story.versions):>3} versions"
                f"  {len(story.sources):>2} sources  {story.reliability.code}{story.credibility.code}"
                f"  {(story.title or '(untitled)')[:60]}"
            )
    if not found:
        click.echo("no stories match", err=True)


@main.command()
@click.argument("ref")
@outlets_option
@db_option
@clean_errors
def story(ref: str, outlets: Path | None, db: str) -> None:
    """One story (by its id or any of its posts' ids): versions, provenance and grades."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import chain
    from nkwatch.views import story as story_view

    store = existing_store(db)
    s = story_view(store, ref, Ratings.load(outlets))
    click.echo(f"{s.title or '(untitled)'}")
    click.echo(f"  story:        {s.id}")
    click.echo(
        f"  first:        {s.earliest or 'date unknown'}, {s.first_outlet or 'outlet unknown'}"
    )
    click.echo(
        f"  versions:     {len(s.versions)}, from {len(s.sources)} independent"
        f" source{'s' if len(s.sources) != 1 else ''}"
    )
    click.echo(f"  reliability:  {s.reliability.code} ({s.reliability.meaning})")
    for reason in s.reliability.reasons:
        click.echo(f"                - {reason}")
    click.echo(f"  credibility:  {s.credibility.code} ({s.credibility.meaning})")
    for reason in s.credibility.reasons:
        click.echo(f"                - {reason}")
    click.echo("  versions:")
    for v in s.versions:
        post = store.post(v.post_id)
        click.echo(
            f"    {v.published or '----------'}  {v.post_id}  {(v.title or '(untitled)')[:60]}"
        )
        click.echo(f"      from {v.source}" + (f" (post {v.index})" if v.index else ""))
        if v.link:
            click.echo(f"      joined as {v.link[0]}: {v.link[1]}")
        click.echo(f"      chain: {chain(v.publisher, v.origins, post.attributions)}")


@main.command()
@db_option
@clean_errors
def migrate(db: str) -> None:
    """Bring a knowledge base built by an older nkwatch up to date."""
    from nkwatch.store import open_store

    open_store(db, write=True).close()
    click.echo(f"{db} is up to date")
