"""Commands that write the knowledge base out: export, datasette-metadata."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nkwatch.cli import main
from nkwatch.cli.options import (
    ENTITY_TYPES,
    clean_errors,
    db_option,
    existing_store,
    outlets_option,
    period,
    since_until,
)

if TYPE_CHECKING:
    from nkwatch.export import Job

FORMATS = ["ftm", "csv", "geojson", "jsonl"]
KINDS = ["entities", "posts", "mentions", "stories", "claims", "all"]


@main.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option(
    "--what",
    type=click.Choice(KINDS),
    default="entities",
    show_default=True,
    help="The rows to export; 'all' (ftm only) is entities, articles and their mentions;"
    " 'claims' (csv, jsonl) are the figures posts state, with what they are about, when"
    " and who says so (--since/--until: the period they hold for).",
)
@click.option("--type", "etype", type=click.Choice(ENTITY_TYPES), help="Only this entity type.")
@since_until
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (all of it or nothing) instead of standard output.",
)
@outlets_option
@db_option
@clean_errors
def export(
    fmt: str,
    what: str,
    etype: str | None,
    since: str | None,
    until: str | None,
    output: Path | None,
    outlets: Path | None,
    db: str,
) -> None:
    """Write entities, posts, mentions or stories as FollowTheMoney, CSV, GeoJSON or JSON
    Lines; entities and mentions are counted over posts published in --since/--until."""
    from nkwatch.export import Job, Scope, export_size, kinds_of
    from nkwatch.ratings import Ratings

    if what not in kinds_of(fmt):
        raise click.BadParameter(
            f"--format {fmt} exports {', '.join(kinds_of(fmt))}", param_hint="--what"
        )
    scope = Scope(etype, *period(since, until))
    store = existing_store(db)
    try:
        job = Job(store, scope, Ratings.load(outlets))
        if not sys.stderr.isatty():
            write(job, fmt, what, output)
            return
        with click.progressbar(
            length=export_size(job, what), label=f"exporting {what}", file=sys.stderr
        ) as bar:
            write(Job(store, scope, job.ratings, bar.update), fmt, what, output)
    finally:
        store.close()


def write(job: Job, fmt: str, what: str, output: Path | None) -> None:
    from nkwatch.export import export_lines
    from nkwatch.export.files import atomic_output

    if output is None:
        out = sys.stdout
        for piece in export_lines(job, fmt, what):
            out.write(piece)
        out.flush()
        return
    with atomic_output(output) as f:
        f.writelines(export_lines(job, fmt, what))


@main.command("datasette-metadata")
@db_option
def datasette_metadata(db: str) -> None:
    """Print Datasette metadata (titles, table and column descriptions) for the knowledge
    base file: nkwatch datasette-metadata --db kb.db > meta.json; datasette kb.db -m meta.json"""
    import json

    from nkwatch.export.datasette import metadata_for

    click.echo(json.dumps(metadata_for(db), indent=2, ensure_ascii=False))
