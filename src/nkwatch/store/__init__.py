"""store: the knowledge base, behind one interface, on SQLite or PostgreSQL.

    open_store("kb.db")                              # the embedded default
    open_store("postgresql://me@localhost/nkwatch")  # a team's server

Both backends share one schema definition (`schema`), one migration history
(`migrations`, run with Alembic) and one set of queries (SQLAlchemy Core);
each backend module says only how to connect and how writers take turns.
The store keeps data and answers queries; the stages decide what to write.
"""

from __future__ import annotations

from pathlib import Path

from nkwatch.store.base import SQLStore
from nkwatch.store.writes import Batch

Store = SQLStore

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server(target: str | Path) -> bool:
    return str(target).startswith(SERVER_SCHEMES)


def open_store(target: str | Path, write: bool = False, wait: float | None = None) -> SQLStore:
    """The knowledge base at a file path or a postgresql:// URL. Opened for writing, it is
    created or brought up to date; opened for reading, it is never changed. A writer
    waits up to `wait` seconds for another to finish its batch (SQLite; 60 unless told)."""
    if is_server(target):
        from nkwatch.store.postgres import PostgresStore

        return PostgresStore(str(target), write)
    from nkwatch.store.sqlite import BUSY_SECONDS, SQLiteStore

    return SQLiteStore(Path(target), write, BUSY_SECONDS if wait is None else wait)


__all__ = ["Batch", "Store", "is_server", "open_store"]
