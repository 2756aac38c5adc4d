"""`nkwatch serve`: the web interface and JSON API over a knowledge base."""

from __future__ import annotations

import os
from pathlib import Path

import click

from nkwatch.cli import main
from nkwatch.cli.options import (
    clean_errors,
    db_option,
    existing_store,
    index_option,
    outlets_option,
)

TOKEN_ENV = "NKWATCH_TOKEN"


@main.command()
@db_option
@index_option
@outlets_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@clean_errors
def serve(db: str, index: str | None, outlets: Path | None, host: str, port: int) -> None:
    """Serve the web pages and the JSON API (uploads need NKWATCH_TOKEN set)."""
    from nkwatch.indexing import index_path, open_finder
    from nkwatch.ratings import Ratings
    from nkwatch.store import is_server
    from nkwatch.web import WebSettings, create_app, run

    token = os.environ.get(TOKEN_ENV) or None
    search, path = None, None
    if index or not is_server(db):  # a server's index is kept where the user names it
        path = index_path(db, index)
        search = open_finder(existing_store(db), path, Ratings.load(outlets))
    app = create_app(
        settings=WebSettings(db=db, outlets=outlets, token=token, search=search, index=path)
    )
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"nkwatch: serving {db} at http://{shown}:{port}/ (API at /docs; uploads "
        + ("on" if token else f"off: set {TOKEN_ENV} to allow them")
        + ")"
    )
    run(app, host=host, port=port)
