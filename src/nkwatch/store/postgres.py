"""The server backend: a PostgreSQL database shared by a team.

Writers serialise their batches on a transaction-level advisory lock, so two
ingests into one database never judge the same new posts apart: each batch
sees every post committed before it, as in one ingest after the other.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from nkwatch.errors import StoreError
from nkwatch.store.base import SQLStore

WRITERS_LOCK = 0x6E6B7761  # "nkwa": one advisory lock for every nkwatch writer


class PostgresStore(SQLStore):
    def __init__(self, url: str, write: bool = False):
        try:
            parsed = make_url(url)
        except sa.exc.ArgumentError as exc:
            raise StoreError(
                f"{url!r} is not a database URL; write postgresql://USER@HOST:PORT/DBNAME"
            ) from exc
        parsed = parsed.set(drivername="postgresql+psycopg")
        self.where = parsed.render_as_string(hide_password=True)
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise StoreError(
                "PostgreSQL needs the psycopg driver; install it with pip install 'psycopg[binary]'"
            ) from exc
        engine = sa.create_engine(parsed, pool_pre_ping=True)
        super().__init__(engine, write)

    def lock(self, conn: Connection) -> None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITERS_LOCK})

    def write_connection(self) -> Connection:
        return self.engine.connect()
