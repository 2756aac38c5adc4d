"""The store over SQLAlchemy Core: what SQLite and PostgreSQL share.

Opening a store for writing brings its schema to the newest revision (Alembic,
run in-process on the store's own connection, under the writers' lock). Opening
one for reading never writes: a database that is not an nkwatch knowledge base,
or one an older nkwatch built, is refused with a line that says what to do.
Writers take one lock per batch (`writing`), so concurrent ingests into one
database serialise their global steps while reading and extraction run freely.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nkwatch.errors import StoreError
from nkwatch.store import schema
from nkwatch.store.claimreads import ClaimReads
from nkwatch.store.writes import INGESTS, Batch

OURS = frozenset(schema.metadata.tables)


class SQLStore(ClaimReads):
    """A knowledge base in a SQL database; subclasses say how to connect and lock."""

    where: str  # the file or server, as the user named it, for messages

    def __init__(self, engine: Engine, write: bool):
        self.engine = engine
        self.write = write
        try:
            self._check_and_migrate()
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise self.error(exc) from exc
        except StoreError:
            engine.dispose()
            raise

    # -- what each backend says -------------------------------------------------------

    def write_connection(self) -> Connection:
        """A connection whose transactions may write."""
        raise NotImplementedError

    def lock(self, conn: Connection) -> None:
        """Take the writers' lock for the rest of the transaction."""
        raise NotImplementedError

    def legacy_revision(self, conn: Connection, tables: set[str]) -> str | None:
        """The revision a knowledge base from before migrations were tracked is at."""
        return None

    def error(self, exc: BaseException) -> StoreError:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return StoreError(f"the knowledge base at {self.where} failed: {reason}")

    # -- schema -------------------------------------------------------------------------

    def _check_and_migrate(self) -> None:
        with self.engine.connect() as conn:
            revision = self._revision(conn)
        if revision == schema.HEAD:
            return
        if not self.write and revision is None:
            raise StoreError(
                f"no knowledge base in {self.where} yet; run 'nkwatch ingest PATH --db ...' first"
            )
        if not self.write:
            raise StoreError(
                f"{self.where} was built by an older nkwatch; run 'nkwatch migrate' to update it"
            )
        with self.write_connection() as conn, conn.begin():
            self.lock(conn)
            revision = self._revision(conn)  # another writer may have migrated meanwhile
            if revision != schema.HEAD:
                self._upgrade(conn, revision)

    def _revision(self, conn: Connection) -> str | None:
        """The schema revision, None for an empty database; refuses anyone else's."""
        tables = set(sa.inspect(conn).get_table_names())
        if not tables:
            return None
        if "alembic_version" in tables:
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            if revision in known_revisions() and tables >= {"documents", "posts"}:
                return str(revision)
        elif (legacy := self.legacy_revision(conn, tables)) is not None:
            return legacy
        raise StoreError(
            f"{self.where} is not an nkwatch knowledge base (it holds other tables); "
            "point --db at a new file or an empty database"
        )

    def _upgrade(self, conn: Connection, revision: str | None) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "nkwatch.store:migrations")
        config.attributes["connection"] = conn
        if revision is None:  # a new knowledge base is built whole, at the newest revision
            schema.metadata.create_all(conn)
            command.stamp(config, schema.HEAD)
            return
        if "alembic_version" not in sa.inspect(conn).get_table_names():
            command.stamp(config, revision)
        command.upgrade(config, schema.HEAD)

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Batch]:
        """One write transaction under the writers' lock; all of it is kept or none."""
        if not self.write:
            raise StoreError(f"{self.where} was opened for reading")
        try:
            with self.write_connection() as conn, conn.begin():
                self.lock(conn)
                batch = Batch(conn)
                yield batch
                batch.flush()
        except sa.exc.SQLAlchemyError as exc:
            raise self.error(exc) from exc

    def close(self) -> None:
        self.engine.dispose()

    def ingest_count(self) -> int:
        """Write batches committed so far: derived data records the count it holds."""
        with self.read() as conn:
            value = conn.execute(
                sa.select(schema.kb_meta.c.value).where(schema.kb_meta.c.key == INGESTS)
            ).scalar()
        return int(value or 0)


def known_revisions() -> frozenset[str]:
    folder = resources.files("nkwatch.store").joinpath("migrations", "versions")
    return frozenset(
        item.name.split("_", 1)[0] for item in folder.iterdir() if item.name.endswith(".py")
    )
