"""The `nkwatch` command: a thin layer over the Python API."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from nkwatch.errors import NkwatchError
from nkwatch.export import post_record, story_record
from nkwatch.model import Attribution
from nkwatch.pipeline import Pipeline, extract_paths, ingest_paths
from nkwatch.ratings import Ratings
from nkwatch.read import MAX_BYTES, ReadFailure
from nkwatch.store import SQLiteStore, open_store
from nkwatch.stories import view, views

DEFAULT_DB = "nkwatch.db"


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        envvar="NKWATCH_DB",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The knowledge base file (also NKWATCH_DB).",
    )(f)


def outlets_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--outlets",
        "outlets",
        envvar="NKWATCH_OUTLETS",
        type=click.Path(dir_okay=False, path_type=Path),
        help="An outlet table (TSV: id, name, reliability, reason...) whose grades replace"
        " the shipped ones (also NKWATCH_OUTLETS).",
    )(f)


def clean_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Our errors become one line on stderr and exit status 1, never a traceback."""

    @wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except NkwatchError as exc:
            click.echo(f"nkwatch: {exc}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)

    return wrapper


def existing_store(db: Path, pipeline: Pipeline | None = None) -> SQLiteStore:
    if not db.exists():
        raise NkwatchError(
            f"no knowledge base at {db}; run 'nkwatch ingest PATH' first or pass --db"
        )
    return open_store(db, pipeline.gazetteer if pipeline else None)


def parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from exc


@click.group()
@click.version_option(package_name="nkwatch")
def main() -> None:
    """nkwatch: a source-linked knowledge base of North Korea's industrial system."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--max-bytes", default=MAX_BYTES, show_default=True, help="Skip files larger than this."
)
@db_option
@clean_errors
def ingest(paths: tuple[Path, ...], max_bytes: int, db: Path) -> None:
    """Read documents (files or folders) into the knowledge base."""
    pipeline = Pipeline()
    store = open_store(db, pipeline.gazetteer)
    shown = sys.stderr.isatty()

    def progress(source: str) -> None:
        if shown:
            click.echo(f"\r  reading {source[-60:]:<60}", nl=False, err=True)

    try:
        report = ingest_paths(list(paths), store, pipeline, max_bytes, progress)
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
@click.option("--max-bytes", default=MAX_BYTES, show_default=True)
@clean_errors
def extract(paths: tuple[Path, ...], fmt: str, max_bytes: int) -> None:
    """Run the per-document stages and print the posts; nothing is stored."""
    failures, printed = 0, 0
    for item in extract_paths(list(paths), Pipeline(), max_bytes):
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
def posts(since: str | None, until: str | None, outlet: str | None, limit: int, db: Path) -> None:
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
def show(post_id: str, db: Path) -> None:
    """Show one post: its metadata, text and the entities it names."""
    store = existing_store(db)
    post = store.post(post_id)
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
    story_id = store.story_of(post.id)
    if story_id:
        others = len(store.story_versions([story_id])) - 1
        click.echo(
            f"  story:     {story_id}"
            + (f" (with {others} other version{'s' if others != 1 else ''})" if others else "")
        )
    for a in post.attributions:
        click.echo(f"  cites:     {a.source} [{a.kind}] at {a.start}-{a.end}")
    click.echo("")
    click.echo(post.text)


@main.command()
@db_option
@clean_errors
def stats(db: Path) -> None:
    """Count what the knowledge base holds."""
    for key, value in existing_store(db).stats().items():
        click.echo(f"{key:<24}{value:>10,}")


@main.command()
@click.option(
    "--type",
    "etype",
    type=click.Choice(["facility", "organization", "person", "place", "outlet", "product"]),
)
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
@clean_errors
def entities(etype: str | None, limit: int, db: Path) -> None:
    """List entities, most mentioned first."""
    for e in existing_store(db).entities(etype, limit):
        click.echo(f"{e.posts:>6} posts {e.mentions:>7} mentions  {e.type:<13} {e.name}  ({e.id})")


@main.command()
@click.argument("name")
@db_option
@clean_errors
def entity(name: str, db: Path) -> None:
    """Everything known about one entity, by any of its names."""
    store = existing_store(db)
    d = store.dossier(name)
    e = d.entity
    click.echo(f"{e.name}  [{e.type}]  {e.id}")
    click.echo(f"  mentioned {e.mentions} times in {e.posts} posts")
    if d.aliases:
        click.echo(f"  also: {'; '.join(a for a in d.aliases if a != e.name)}")
    place = ", ".join(x for x in (d.info.get("place"), d.info.get("province")) if x)
    if place:
        click.echo(f"  location: {place}")
    if d.info.get("lat"):
        click.echo(f"  coordinates: {d.info['lat']}, {d.info['lon']}")
    for key in ("sector", "kind", "country", "reliability", "reason"):
        if d.info.get(key):
            click.echo(f"  {key}: {d.info[key]}")
    click.echo("  posts:")
    for p in d.posts:
        click.echo(
            f"    {p.published or '----------'}  {p.id}  {(p.title or '(untitled)')[:60]}"
            f"  [{', '.join(p.outlets) or '-'}]  story {store.story_of(p.id) or '-'}"
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
def stories(fmt: str, limit: int | None, min_versions: int, outlets: Path | None, db: Path) -> None:
    """List stories, newest first, with their versions and independent sources."""
    store = existing_store(db)
    ratings = Ratings.load(outlets)
    if limit is None and fmt == "table":
        limit = 50
    ids = store.story_ids(limit, min_versions)
    order = {sid: n for n, sid in enumerate(ids)}
    found = sorted(views(store.story_versions(ids), ratings), key=lambda v: order[v.id])
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
def story(ref: str, outlets: Path | None, db: Path) -> None:
    """One story (by its id or any of its posts' ids): versions, provenance and grades."""
    store = existing_store(db)
    story_id = store.find_story(ref)
    s = view(story_id, store.story_versions([story_id]), Ratings.load(outlets))
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


def chain(
    publisher: str | None, origins: tuple[str, ...], attributions: tuple[Attribution, ...]
) -> str:
    """'NK Econ Watch quoting Daily NK citing a source in North Pyongan Province [anonymous-source]'."""
    links = [publisher or "this post"]
    links += [f"quoting {o}" for o in origins if o != publisher]
    cited = list(
        dict.fromkeys(f"{a.source} [{a.kind}]" for a in attributions if a.source not in origins)
    )
    if cited:
        links.append("citing " + "; ".join(cited[:6]) + ("; ..." if len(cited) > 6 else ""))
    return " ".join(links)


if __name__ == "__main__":
    main()
