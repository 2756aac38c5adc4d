"""The embedded backend: one SQLite file.

Writers open the file in WAL mode and begin each batch with BEGIN IMMEDIATE,
so a second ingest waits for the first (up to `wait` seconds, BUSY_SECONDS
unless told) instead of failing; readers open it read-only, so reading never
changes the file. What SQLite reports when a write fails (a full disk, a
read-only or damaged file, a writer holding the lock too long) is said in one
line with what to do; the batch that failed is rolled back whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection

from nkwatch.errors import StoreError
from nkwatch.store.base import SQLStore

BUSY_SECONDS = 60
HEADER = b"SQLite format 3\x00"
LEGACY_TABLES = frozenset({"documents", "posts", "story_members", "story_links"})


# What SQLite says -> what it means and what to do, for the one line a failure prints.
TROUBLES = (
    ("database or disk is full", "the disk is full; make room or move --db elsewhere, then run the same command again (committed batches are kept)"),
    ("readonly database", "the file is read-only; make it writable or point --db at another file"),
    ("database is locked", "another program is writing to it and held it longer than the wait; try again when it has finished, or wait longer (--wait)"),
    ("database is busy", "another program is writing to it and held it longer than the wait; try again when it has finished, or wait longer (--wait)"),
    ("malformed", "the file is damaged; restore it from a copy, or ingest into a new file"),
    ("file is not a database", "the file is damaged or not a knowledge base; restore it from a copy, or ingest into a new file"),
    ("disk i/o error", "the disk failed to read or write it; check the disk and its free space"),
    ("unable to open database file", "it cannot be opened; check that its folder exists and is writable"),
)  # fmt: skip


class SQLiteStore(SQLStore):
    def __init__(self, path: Path, write: bool = False, wait: float = BUSY_SECONDS):
        self.path = path
        self.where = str(path)
        self.wait = wait
        check_file(path, write)
        if path.exists() and path.stat().st_size:
            # another program's file is never opened to write
            probe = engine_for(path, write=False, wait=wait)
            try:
                with probe.connect() as conn:
                    self._revision(conn)
            except sa.exc.SQLAlchemyError as exc:
                raise self.error(exc) from exc
            finally:
                probe.dispose()
        super().__init__(engine_for(path, write, wait), write)

    def error(self, exc: BaseException) -> StoreError:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        for said, meaning in TROUBLES:
            if said in reason.lower():
                return StoreError(f"the knowledge base at {self.where} failed: {meaning}")
        return super().error(exc)

    def lock(self, conn: Connection) -> None:
        """Nothing to do: the transaction began IMMEDIATE (see `writing`)."""

    def write_connection(self) -> Connection:
        return self.engine.connect().execution_options(nkwatch_write=True)

    def legacy_revision(self, conn: Connection, tables: set[str]) -> str | None:
        version = conn.exec_driver_sql("PRAGMA user_version").scalar()
        if version == 3 and tables >= LEGACY_TABLES:
            return "0001"  # numbered SQL migrations up to stories: the first revision
        if version in (1, 2) and LEGACY_TABLES - {"story_members", "story_links"} <= tables:
            raise StoreError(
                f"{self.where} was built by an early nkwatch that Alembic cannot update;"
                " ingest the documents again into a new file"
            )
        return None


def engine_for(path: Path, write: bool, wait: float = BUSY_SECONDS) -> sa.Engine:
    if write:
        url = f"sqlite:///{path}"
    else:
        url = f"sqlite:///file:{path.resolve().as_posix()}?mode=ro&uri=true"
    engine = sa.create_engine(url, connect_args={"timeout": wait})
    event.listen(engine, "connect", _set_up if write else _set_up_reader)
    event.listen(engine, "begin", _begin)
    return engine


def check_file(path: Path, write: bool) -> None:
    if not path.exists():
        if not write:
            raise StoreError(
                f"no knowledge base at {path}; run 'nkwatch ingest PATH' first or pass --db"
            )
        if not path.parent.is_dir():
            raise StoreError(
                f"cannot create the knowledge base {path}: folder {path.parent} does not exist"
            )
        return
    if path.is_dir():
        raise StoreError(f"{path} is a folder; point --db at a knowledge base file")
    with path.open("rb") as f:
        head = f.read(len(HEADER))
    if head and head != HEADER:
        raise StoreError(
            f"{path} is not a usable nkwatch knowledge base (not an SQLite file);"
            " point --db at another file"
        )


def _set_up(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by `_begin`
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "synchronous=NORMAL",
        "cache_size=-65536",  # 64 MB of pages: the LSH index stays hot
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _set_up_reader(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA cache_size=-65536")


def _begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("nkwatch_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
