"""Commands over the knowledge base: ingest, extract, list and show."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nkwatch.cli import main
from nkwatch.cli.options import (
    ENTITY_TYPES,
    clean_errors,
    db_option,
    existing_store,
    format_option,
    index_option,
    limit_option,
    out,
    outlets_option,
    output_format,
    period,
    reading_options,
    say,
    since_until,
)
from nkwatch.cli.table import (
    Column,
    fit,
    grade_legend,
    jsonl_line,
    render,
    table_lines,
    terminal_width,
)
from nkwatch.printable import flat, one_line, printable

if TYPE_CHECKING:
    from nkwatch.store import Store


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@reading_options
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Commit after this many documents (and at least every 2 seconds, and after each"
    " file): Ctrl-C keeps every committed batch.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where read, split, describe and extract run: in this process, or on Dask workers"
    " (pip install 'nkwatch[dask]'); resolve, dedupe and store run here either way.",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="With --engine dask: a running Dask scheduler, whose workers see the files at the"
    " same paths. Without it a local cluster is started.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="With --engine dask and no --scheduler: local worker processes (default: one per core).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    help="Worker processes that split, describe and extract ahead of the global stages"
    " (default: one per core on Linux, none on one core; 0: all in this process)."
    " The result is the same.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    envvar="NKWATCH_WAIT",
    metavar="SECONDS",
    help="How long to wait for another ingest writing to the same SQLite file before"
    " giving up with one line (or NKWATCH_WAIT).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but failures.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also name each file as it is read, and files left out."
)
@index_option
@outlets_option
@db_option
@clean_errors
def ingest(
    paths: tuple[Path, ...],
    max_chars: int | None,
    max_bytes: int | None,
    exclude: tuple[str, ...],
    batch: int,
    engine: str,
    scheduler: str | None,
    workers: int | None,
    jobs: int | None,
    wait: float,
    quiet: bool,
    verbose: bool,
    index: str | None,
    outlets: Path | None,
    db: str,
) -> None:
    """Read documents (files or folders) into the knowledge base and its search index.

    Work is committed in batches: Ctrl-C keeps what is done (exit 130), and running the
    same command again goes on from there. Nothing is created when nothing could be read.
    With --engine dask the per-document stages run on a Dask cluster, with the same result."""
    from contextlib import nullcontext

    from nkwatch.cli import INTERRUPTED
    from nkwatch.cli.engines import engine_run
    from nkwatch.cli.progress import IngestBar
    from nkwatch.indexing import Feeder, index_path
    from nkwatch.pipeline import Batching, Progress
    from nkwatch.ratings import Ratings
    from nkwatch.read import MAX_BYTES, MAX_CHARS
    from nkwatch.search import SearchIndex
    from nkwatch.store import is_server, open_store

    run = engine_run(engine, scheduler, workers, jobs)
    opened: list[Store] = []
    feeders: list[Feeder] = []
    wants_index = bool(index) or not is_server(db)  # a server's index is where the user names it
    where = index_path(db, index) if wants_index else None

    def open_kb() -> Store:
        store = open_store(db, write=True, wait=wait)
        opened.append(store)
        if where is not None:
            feeders.append(Feeder(SearchIndex.open(where, wait), store, Ratings.load(outlets)))
        return store

    bar = IngestBar() if sys.stderr.isatty() and not quiet else None
    last = [""]

    def progress(p: Progress) -> None:
        if bar is not None:
            bar.update(p)
        if verbose and p.source != last[0] and p.items_done <= 1:
            last[0] = p.source
            out(f"  reading {p.source}", err=True)

    try:
        with bar if bar is not None else nullcontext():
            report = run(
                list(paths),
                open_kb,
                max_bytes=max_bytes or MAX_BYTES,
                progress=progress,
                on_stored=lambda b: feeders[0].add(b.posts, b.stories) if feeders else None,
                exclude=exclude,
                batching=Batching(documents=batch),
                bar=bar,
                max_chars=max_chars or MAX_CHARS,
            )
        for feeder in feeders:
            feeder.flush()
    finally:
        for store in opened:
            store.close()
    for failure in report.failures:
        out(f"  could not read {failure.source}: {failure.reason}", err=True)
    for note in report.notes:
        out(f"  note: {note.source}: {note.reason}", err=True)
    if verbose:
        for name in report.left_out:
            out(f"  left out {name}", err=True)
    if report.interrupted:
        out(
            f"interrupted: {report.new_documents:,} documents kept; run the same command to go on",
            err=True,
        )
        sys.exit(INTERRUPTED)
    if not quiet:
        notes = []
        if report.skipped_items:
            notes.append(f"{report.skipped_items:,} items without text skipped")
        if report.left_out:
            notes.append(f"{len(report.left_out):,} files left out (--verbose names them)")
        if report.failures:
            notes.append(f"{len(report.failures):,} could not be read")
        out(
            f"{report.files} files, {report.documents} documents read: {report.new_documents} new, "
            f"{report.documents - report.new_documents} already known; {report.posts} posts"
            f" stored in {db}" + ("" if not notes else "; " + "; ".join(notes))
        )
    if report.documents == 0:
        out("nkwatch: nothing could be ingested", err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_format(
    "jsonl", "jsonl: the extraction contract (docs/contract.md); table and csv: one row per post."
)
@reading_options
@clean_errors
def extract(
    paths: tuple[Path, ...],
    fmt: str,
    max_chars: int | None,
    max_bytes: int | None,
    exclude: tuple[str, ...],
) -> None:
    """Run the per-document stages and print the posts; nothing is stored."""
    from nkwatch.cli.table import csv_lines, jsonl_line, table_lines
    from nkwatch.export import post_record
    from nkwatch.pipeline import Pipeline, collect_less, extract_paths
    from nkwatch.read import MAX_BYTES, MAX_CHARS, ReadFailure, ReadNote

    failures, printed, rows = 0, 0, []

    def note(n: ReadNote) -> None:
        out(f"nkwatch: note: {n.source}: {n.reason}", err=True)

    pipeline = Pipeline()
    collect_less()
    found = extract_paths(
        list(paths), pipeline, max_bytes or MAX_BYTES, exclude, note, max_chars or MAX_CHARS
    )
    for item in found:
        if isinstance(item, ReadFailure):
            failures += 1
            out(f"nkwatch: could not read {item.source}: {item.reason}", err=True)
            continue
        printed += 1
        if fmt == "jsonl":
            out(jsonl_line(post_record(item)))
            continue
        row = {
            "source": item.source,
            "post": item.index,
            "published": item.published.isoformat() if item.published else None,
            "title": item.title or "(untitled)",
            "authors": item.authors,
            "origins": [o.name for o in item.origins],
            "entities": len(item.mentions),
        }
        if fmt == "csv":
            lines = list(csv_lines(EXTRACT_COLUMNS, [row]))
            out(lines[1] if printed > 1 else "\n".join(lines))
        else:
            rows.append(row)
    if rows:
        for line in table_lines(EXTRACT_COLUMNS, rows):
            out(line)
    if printed == 0 and failures:
        sys.exit(1)


EXTRACT_COLUMNS = (
    Column("post", "#", right=True),
    Column("published", "published", least=10),
    Column("title", "title", grow=True, least=20),
    Column("authors", "authors", grow=True),
    Column("origins", "origins"),
    Column("entities", "entities", right=True),
    Column("source", "source", grow=True),
)
POST_COLUMNS = (
    Column("id", "post", least=14),
    Column("published", "published", least=10),
    Column("title", "title", grow=True, least=20),
    Column("outlets", "outlet", least=10),
    Column("story", "story", least=8),
)
ENTITY_COLUMNS = (
    Column("stories", "stories", right=True),
    Column("posts", "posts", right=True),
    Column("mentions", "mentions", right=True),
    Column("type", "type"),
    Column("name", "name", grow=True, least=20),
    Column("id", "id", grow=True),
)
STORY_COLUMNS = (
    Column("id", "story", least=15),
    Column("latest", "latest", least=10),
    Column("versions", "versions", right=True),
    Column("sources", "sources", right=True),
    Column("grade", "grade"),
    Column("title", "title", grow=True, least=20),
)
DOSSIER_POST_COLUMNS = (
    Column("published", "published", least=10),
    Column("id", "post", least=14),
    Column("title", "title", grow=True, least=20),
    Column("outlets", "outlet", least=10),
    Column("story", "story", least=8),
    Column("grade", "grade"),
)


def print_rows(
    fmt: str,
    columns: tuple[Column, ...],
    rows: list[dict[str, Any]],
    records: list[dict[str, Any]] | None = None,
    legend: str | None = None,
) -> None:
    for line in render(fmt, columns, rows, records):
        out(line)
    if fmt == "table" and legend:
        out(legend)


@main.command()
@since_until
@click.option("--outlet", help="Only posts of this outlet, by any of its names (or part of one).")
@limit_option(50, "posts")
@format_option
@outlets_option
@db_option
@clean_errors
def posts(
    since: str | None,
    until: str | None,
    outlet: str | None,
    limit: int,
    fmt: str,
    outlets: Path | None,
    db: str,
) -> None:
    """List stored posts, newest first."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import posts as post_list

    first, last = period(since, until)
    rows = post_list(existing_store(db), Ratings.load(outlets), first, last, outlet, limit)
    print_rows(fmt, POST_COLUMNS, [dataclasses.asdict(r) for r in rows])
    if not rows:
        out("no posts match", err=True)


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
    say(post.title or "(untitled)")
    out(f"  id:        {post.id}")
    out(f"  source:    {one_line(post.source)}")
    out(f"  published: {post.published or 'unknown'}")
    if post.authors:
        out(f"  authors:   {one_line(', '.join(post.authors))}")
    if post.translators:
        out(f"  translated by: {one_line(', '.join(post.translators))}")
    for o in post.origins:
        extra = "; ".join(x for x in (o.title, o.author, o.date and o.date.isoformat()) if x)
        say(f"  origin:    {o.name}" + (f" ({extra})" if extra else ""))
    if post.mentions:
        names = sorted({(m.type, m.name) for m in post.mentions})
        say("  entities:  " + "; ".join(f"{n} [{t}]" for t, n in names))
    if shown.story:
        others = shown.other_versions
        out(
            f"  story:     {shown.story.id}"
            + (f" (with {others} other version{'s' if others != 1 else ''})" if others else "")
        )
    for a in post.attributions:
        say(f"  cites:     {a.source} [{a.kind}] at {a.start}-{a.end}")
    out("")
    out(post.text)


@main.command()
@db_option
@clean_errors
def stats(db: str) -> None:
    """Count what the knowledge base holds."""
    for key, value in existing_store(db).stats().items():
        out(f"{key:<24}{value:>10,}")


@main.command()
@click.option("--type", "etype", type=click.Choice(ENTITY_TYPES))
@since_until
@click.option("--outlet", help="Count only posts of this outlet, by any of its names.")
@limit_option(None, "entities (table: 50)")
@format_option
@outlets_option
@db_option
@clean_errors
def entities(
    etype: str | None,
    since: str | None,
    until: str | None,
    outlet: str | None,
    limit: int | None,
    fmt: str,
    outlets: Path | None,
    db: str,
) -> None:
    """List entities, those in the most stories first (a story in many places counts once),
    with the posts and mentions behind them."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import entities as entity_list

    first, last = period(since, until)
    store = existing_store(db)
    if fmt == "jsonl" and not (since or until or outlet):
        from nkwatch.export import entity_record

        records = store.entity_records(etype)
        for n, (entity, mentions, _posts, stories) in enumerate(records):
            if limit and n >= limit:
                break
            out(jsonl_line(entity_record(entity, mentions, stories)))
        return
    if limit is None and fmt == "table":
        limit = 50
    found = entity_list(store, Ratings.load(outlets), etype, first, last, outlet, limit)
    print_rows(fmt, ENTITY_COLUMNS, [dataclasses.asdict(e) for e in found])
    if not found:
        out("no entities match", err=True)


@main.command()
@click.argument("name")
@output_format(
    help="jsonl and csv: one row per mention, with its post, date, outlet, grade and snippet."
)
@limit_option(20, "posts listed (table)")
@db_option
@clean_errors
@outlets_option
def entity(name: str, fmt: str, limit: int, db: str, outlets: Path | None) -> None:
    """Everything known about one entity, by any of its names or part of one; a name that
    fits several entities lists them."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import dossier

    if fmt != "table":
        from nkwatch.export import dossier_lines
        from nkwatch.views import find_entity

        store = existing_store(db)
        found = store.entity(find_entity(store, name))
        for piece in dossier_lines(store, found, Ratings.load(outlets), fmt):
            if fmt == "jsonl":  # a record's strings made printable, not merely escaped
                out(jsonl_line(json.loads(piece)))
            else:
                click.echo(printable(piece), nl=False)
        return
    d = dossier(existing_store(db), name, Ratings.load(outlets), limit)
    e, info = d.summary, d.entity.info
    say(f"{e.name}  [{e.type}]  {e.id}")
    out(f"  mentioned {e.mentions} times in {e.posts} posts, {e.stories} stories")
    if d.aliases:
        say(f"  also: {'; '.join(d.aliases)}")
    place = ", ".join(x for x in (info.get("place"), info.get("province")) if x)
    if place:
        say(f"  location: {place}")
    if info.get("lat"):
        say(f"  coordinates: {info['lat']}, {info['lon']}")
    for key in ("sector", "kind", "country", "reliability", "reason"):
        if info.get(key):
            say(f"  {key}: {info[key]}")
    if d.sources:
        say("  sources: " + "; ".join(f"{o} ({n})" for o, n in d.sources[:8]))
    shown = f"{len(d.posts)} of {e.posts}" if len(d.posts) < e.posts else f"{e.posts}"
    out(f"  posts ({shown}, newest first; --limit for more):")
    rows = [{**dataclasses.asdict(p), "grade": d.grades.get(p.story or "")} for p in d.posts]
    for line in table_lines(DOSSIER_POST_COLUMNS, rows, terminal_width() - 4):
        out("    " + line)
    legend = grade_legend(d.grades.values())
    if legend:
        out("  " + legend)
    if d.co_mentioned:
        say("  named with: " + "; ".join(f"{c.name} ({c.posts})" for c in d.co_mentioned))


@main.command()
@format_option
@limit_option(None, "stories (table: 50)")
@click.option("--min-versions", type=click.IntRange(min=1), default=1, show_default=True)
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
    rows = [
        {
            "id": s.id,
            "latest": s.latest,
            "versions": len(s.versions),
            "sources": len(s.sources),
            "grade": s.grade,
            "title": s.title or "(untitled)",
        }
        for s in found
    ]
    records = [story_record(s) for s in found] if fmt == "jsonl" else None
    print_rows(fmt, STORY_COLUMNS, rows, records, grade_legend(s.grade for s in found))
    if not found:
        out("no stories match", err=True)


@main.command()
@click.argument("ref")
@outlets_option
@db_option
@clean_errors
def story(ref: str, outlets: Path | None, db: str) -> None:
    """One story by its id (or its start), any of its posts' ids, or words of its title:
    versions, provenance and grades."""
    from nkwatch.ratings import Ratings
    from nkwatch.views import chain
    from nkwatch.views import story as story_view

    store = existing_store(db)
    s = story_view(store, ref, Ratings.load(outlets))
    say(s.title or "(untitled)")
    out(f"  story:        {s.id}")
    say(f"  first:        {s.earliest or 'date unknown'}, {s.first_outlet or 'outlet unknown'}")
    out(
        f"  versions:     {len(s.versions)}, from {len(s.sources)} independent"
        f" source{'s' if len(s.sources) != 1 else ''}"
    )
    out(f"  reliability:  {s.reliability.code} ({s.reliability.meaning})")
    for reason in s.reliability.reasons:
        say(f"                - {reason}")
    out(f"  credibility:  {s.credibility.code} ({s.credibility.meaning})")
    for reason in s.credibility.reasons:
        say(f"                - {reason}")
    out("  versions:")
    for v in s.versions:
        post = store.post(v.post_id)
        width = terminal_width()
        head = f"{v.published or '----------'}  {v.post_id}  {v.title or '(untitled)'}"
        out("    " + fit(flat(head).strip(), width - 4))
        where = f"from {v.source}" + (f" (post {v.index})" if v.index else "")
        out("      " + fit(one_line(where), width - 6))
        if v.link:
            say(f"      joined as {v.link[0]}: {v.link[1]}")
        say(f"      chain: {chain(v.publisher, v.origins, post.attributions)}")


@main.command()
@db_option
@clean_errors
def migrate(db: str) -> None:
    """Bring a knowledge base built by an older nkwatch up to date."""
    from nkwatch.store import open_store

    open_store(db, write=True).close()
    out(f"{db} is up to date")
