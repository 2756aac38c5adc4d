"""What the commands share: options, the error wrapper, opening the store."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nkwatch.errors import NkwatchError
from nkwatch.printable import flat, printable

if TYPE_CHECKING:  # the commands import what they use, so `nkwatch --help` starts at once
    from nkwatch.store import Store

DEFAULT_DB = "nkwatch.db"
ENTITY_TYPES = ["facility", "organization", "person", "place", "outlet", "product"]


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        envvar="NKWATCH_DB",
        default=DEFAULT_DB,
        show_default=True,
        help="The knowledge base: a file, or postgresql://USER@HOST:PORT/DBNAME (also NKWATCH_DB).",
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


def index_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--index",
        "index",
        envvar="NKWATCH_INDEX",
        help="The search index folder (also NKWATCH_INDEX); by default beside the knowledge"
        " base file, DB.search. A PostgreSQL knowledge base needs one named.",
    )(f)


def output_format(
    default: str = "table", help: str = "A table fitted to the terminal, JSON Lines, or CSV."
) -> Callable[[Callable[..., Any]], Any]:
    """--format table|jsonl|csv, as every listing command takes it."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "jsonl", "csv"]),
        default=default,
        show_default=True,
        help=help,
    )


format_option = output_format()


def limit_option(default: int | None, what: str) -> Callable[[Callable[..., Any]], Any]:
    """--limit: a count of at least 1 (0 and negative numbers are refused, exit 2)."""
    shown = f" (default {default})" if default else ""
    return click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=default,
        help=f"At most this many {what}{shown}.",
    )


def since_until(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--until", help="Only what was published on or before: YYYY, YYYY-MM or YYYY-MM-DD."
    )(f)
    return click.option(
        "--since", help="Only what was published on or after: YYYY, YYYY-MM or YYYY-MM-DD."
    )(f)


def period(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """--since and --until as days (YYYY and YYYY-MM taken whole); a usage error (exit 2)
    when --since is after --until."""
    first, last = parse_period(since, end=False), parse_period(until, end=True)
    if first and last and first > last:
        raise click.UsageError(f"--since {since} is after --until {until}; swap them")
    return first, last


def out(text: str = "", err: bool = False) -> None:
    """Print a line with no escape sequence or control character in it (tab and newline
    kept): document text, titles and names never act on the terminal."""
    click.echo(printable(text), err=err)


def say(text: str) -> None:
    """Print one line of a record: its indent kept, the rest printable and on one line."""
    body = text.lstrip(" ")
    out(" " * (len(text) - len(body)) + flat(body).strip())


def clean_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Our errors become one line on stderr and exit status 1, never a traceback."""

    @wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except NkwatchError as exc:
            out(f"nkwatch: {exc}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)

    return wrapper


def existing_store(db: str) -> Store:
    """The knowledge base opened for reading: never created, never changed."""
    from nkwatch.store import open_store

    return open_store(db)


def parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from exc


def parse_period(value: str | None, end: bool) -> dt.date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD as a day: the first day of the period, or its last
    when `end` is set (so --until 2020 takes in all of 2020)."""
    if value is None:
        return None
    parts = value.strip().split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            year = int(parts[0])
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if len(parts) == 2 and len(parts[0]) == 4:
            year, month = int(parts[0]), int(parts[1])
            first = dt.date(year, month, 1)
            if not end:
                return first
            return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
                days=1
            )
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
        ) from exc


def reading_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--max-chars, --max-bytes and --exclude: what `ingest` and `extract` read."""
    f = click.option(
        "--exclude",
        multiple=True,
        metavar="GLOB",
        help="Leave out files whose name or path matches (repeatable). In folders, hidden files,"
        " READMEs, licences, changelogs and files no reader can use are left out already.",
    )(f)
    f = click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        help="Skip files larger than this (default 50 MB).",
    )(f)
    return click.option(
        "--max-chars",
        type=click.IntRange(min=1),
        help="Refuse (with one line) a document longer than this many characters"
        " (default 20,000,000); the rest of the file is read.",
    )(f)
