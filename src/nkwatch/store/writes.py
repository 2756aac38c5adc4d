"""Writing into the knowledge base: one batch is one transaction.

`Batch` is what a write transaction offers the pipeline: add a document and
its posts, answer the dedupe stage's questions about stored posts, and record
the decisions the stages hand it. It decides nothing itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from nkwatch.model import Claim, Document, Entity, Post, StoryDecision
from nkwatch.names import key_of
from nkwatch.store import schema as t
from nkwatch.store.dialect import insert_ignore_for

INGESTS = "ingests"  # kb_meta key: write batches committed so far
HELD_ROWS = 50_000  # rows a batch holds back at most before writing them
# A post's row and its story's: what the dedupe stage's questions to the store read.
STORY_TABLES = (t.posts, t.story_bands, t.post_prints, t.story_links, t.story_members)


def iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


@dataclass(frozen=True)
class Statements:
    """The statements of the hot path, built once per dialect: each post runs them all."""

    add_document: sa.Insert
    known_documents: sa.Select
    twin_of: sa.Select
    band_counts: sa.Select
    band_members: sa.Select
    crowded_bands: sa.Select
    post_prints: sa.Select
    stories_of: sa.Select
    first_posts: sa.Select
    stored_entities: sa.Select
    add_alias: sa.Insert
    add_link: sa.Insert


@cache
def statements(dialect: str) -> Statements:
    b, pr, m, p = t.story_bands, t.post_prints, t.story_members, t.posts
    many: sa.BindParameter[list[str]] = sa.bindparam("ids", expanding=True)
    return Statements(
        add_document=insert_ignore_for(dialect, t.documents),
        known_documents=sa.select(t.documents.c.id).where(t.documents.c.id.in_(many)),
        twin_of=sa.select(pr.c.post_id).where(pr.c.exact == sa.bindparam("exact")).limit(1),
        band_counts=sa.select(b.c.post_id, sa.func.count())
        .where(b.c.key.in_(sa.bindparam("keys", expanding=True)))
        .group_by(b.c.post_id),
        band_members=sa.select(b.c.key, b.c.post_id).where(
            b.c.key.in_(sa.bindparam("keys", expanding=True))
        ),
        crowded_bands=sa.select(b.c.key)
        .where(b.c.key.in_(sa.bindparam("keys", expanding=True)))
        .group_by(b.c.key)
        .having(sa.func.count() >= sa.bindparam("cap")),
        post_prints=sa.select(p.c.id, p.c.text, p.c.published, p.c.title).where(p.c.id.in_(many)),
        stories_of=sa.select(m.c.post_id, m.c.story_id).where(m.c.post_id.in_(many)),
        first_posts=sa.select(sa.func.min(m.c.post_id))
        .where(m.c.story_id.in_(many))
        .group_by(m.c.story_id),
        stored_entities=sa.select(t.entities.c.id).where(t.entities.c.id.in_(many)),
        add_alias=insert_ignore_for(dialect, t.aliases),
        add_link=insert_ignore_for(dialect, t.story_links),
    )


class Batch:
    """The write side of one transaction; made by `Store.writing()`.

    Rows nothing reads back before the batch ends (a post's people, origins, mentions,
    attributions and claims, and aliases) are written together, one statement per table,
    when it ends (`flush`), or before a read that needs them. A post's own row waits
    only until its story is filed, which refers to it; a story's rows wait too when the
    dedupe stage asks (`file_story(later=True)`: it answers for them itself)."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.sql = statements(conn.dialect.name)
        # in the order first used, kept for the batch: posts first, the rows naming them after
        self.pending: dict[sa.Table, list[dict[str, object]]] = {}
        self.held = 0  # rows pending
        self.aliases: set[tuple[str, str]] = set()
        self.entities: set[str] = set()  # stored, known in this batch

    def later(self, table: sa.Table, rows: list[dict[str, object]]) -> None:
        self.pending.setdefault(table, []).extend(rows)
        self.held += len(rows)
        if self.held >= HELD_ROWS:
            self.flush()  # a batch of a great many posts does not hold them all

    def flush(self, tables: Collection[sa.Table] | None = None) -> None:
        """Write the rows held back (of these tables only, when named); the store calls it
        before the batch commits."""
        for table, rows in self.pending.items():
            if rows and (tables is None or table in tables):
                insert = self.sql.add_link if table is t.story_links else insert_into(table)
                if self.conn.dialect.name == "sqlite":  # plain text and numbers: as they are
                    self.conn.exec_driver_sql(sqlite_insert(insert, tuple(rows[0])), rows)
                else:  # SQLAlchemy sends the rows to a server many to a statement
                    self.conn.execute(insert, rows)
                self.held -= len(rows)
                rows.clear()
        if tables is not None:
            return
        if self.aliases:
            self.conn.execute(
                self.sql.add_alias,
                [{"entity_id": i, "alias": n, "key": key_of(n)} for i, n in sorted(self.aliases)],
            )
            self.aliases.clear()

    # -- documents and posts --------------------------------------------------------

    def add_documents(self, documents: Sequence[Document]) -> set[str]:
        """Store documents; returns the ids of those that were not stored before (the
        writers' lock is held, so nothing else stores one meanwhile)."""
        known = stored_documents(self.conn, [d.id for d in documents])
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        fresh: dict[str, dict[str, object]] = {}
        for d in documents:
            if d.id not in known and d.id not in fresh:
                fresh[d.id] = {
                    "id": d.id,
                    "file_sha256": d.file_sha256,
                    "source": d.source,
                    "kind": d.kind,
                    "title": d.title,
                    "published": iso(d.published),
                    "outlet": d.outlet,
                    "url": d.url,
                    "text": d.text,
                    "ingested_at": now,
                }
        if fresh:
            self.conn.execute(self.sql.add_document, list(fresh.values()))
        return set(fresh)

    def add_post(self, post: Post, entities: Sequence[Entity]) -> None:
        """A post with its people, origins, attributions and mentions; `entities` are the
        canonical records its mentions name (stored once, with their aliases)."""
        self.later(
            t.posts,
            [
                {
                    "id": post.id,
                    "document_id": post.document_id,
                    "idx": post.index,
                    "source": post.source,
                    "title": post.title,
                    "published": iso(post.published),
                    "text": post.text,
                }
            ],
        )
        people: list[dict[str, object]] = [
            {"post_id": post.id, "role": "author", "seq": i, "name": n}
            for i, n in enumerate(post.authors)
        ] + [
            {"post_id": post.id, "role": "translator", "seq": i, "name": n}
            for i, n in enumerate(post.translators)
        ]
        self.later(t.post_people, people)
        if post.origins:
            self.later(
                t.origins,
                [
                    {
                        "post_id": post.id,
                        "seq": i,
                        "name": o.name,
                        "title": o.title,
                        "author": o.author,
                        "date": iso(o.date),
                    }
                    for i, o in enumerate(post.origins)
                ],
            )
        self._ensure_entities(entities, {(m.entity_id, m.text) for m in post.mentions})
        mentions = {(m.start, m.end, m.entity_id): m for m in post.mentions}
        if mentions:
            self.later(
                t.mentions,
                [
                    {
                        "post_id": post.id,
                        "start": m.start,
                        "end": m.end,
                        "entity_id": m.entity_id,
                        "text": m.text,
                        "type": str(m.type),
                        "extractor": m.extractor,
                    }
                    for m in mentions.values()
                ],
            )
        attributions = {(a.start, a.source): a for a in post.attributions}
        if attributions:
            self.later(
                t.attributions,
                [
                    {
                        "post_id": post.id,
                        "start": a.start,
                        "end": a.end,
                        "kind": str(a.kind),
                        "source": a.source,
                        "text": a.text,
                    }
                    for a in attributions.values()
                ],
            )

    def add_claims(self, claims: Sequence[Claim], entities: Sequence[Entity] = ()) -> None:
        """The claims of stored posts, as the facts stage made them; `entities` are the
        records they name that no mention brought in."""
        rows = {(c.post_id, c.start, c.end, c.part): c for c in claims}
        if not rows:
            return
        self._ensure_entities(entities, set())
        self.later(
            t.claims,
            [
                {
                    "post_id": c.post_id,
                    "start": c.start,
                    "end": c.end,
                    "part": c.part,
                    "text": c.text,
                    "kind": c.kind,
                    "measure": c.measure,
                    "value": c.value,
                    "value_max": c.value_max,
                    "unit": c.unit,
                    "per": c.per,
                    "subject_id": c.subject,
                    "product_id": c.product,
                    "place_id": c.place,
                    "period_start": iso(c.period),
                    "period_end": iso(c.period_end),
                    "period_precision": c.precision,
                    "period_text": c.period_text,
                    "said_by": c.said_by,
                    "said_by_kind": c.said_by_kind,
                    "sentence_start": c.sentence_start,
                    "sentence_end": c.sentence_end,
                }
                for c in rows.values()
            ],
        )

    def _ensure_entities(self, entities: Sequence[Entity], used: set[tuple[str, str]]) -> None:
        """New entities come in with every alias they are known by; known ones gain the
        spellings this post used."""
        ids = sorted({e.id for e in entities} - self.entities)
        stored = set()
        if ids:
            stored = {
                r[0]
                for r in self.conn.execute(
                    sa.select(t.entities.c.id).where(t.entities.c.id.in_(ids))
                )
            }
        new = {e.id: e for e in entities if e.id in ids and e.id not in stored}
        if new:
            self.conn.execute(
                t.entities.insert(),
                [
                    {
                        "id": e.id,
                        "type": str(e.type),
                        "name": e.name,
                        "info": json.dumps(e.info, ensure_ascii=False, sort_keys=True),
                    }
                    for e in new.values()
                ],
            )
        self.entities.update(ids)
        self.aliases.update((e.id, n) for e in new.values() for n in (e.name, *e.aliases) if n)
        self.aliases.update((i, n) for i, n in used if n)
        self.aliases.update((e.id, e.name) for e in entities)

    def mention_texts(self, entity_ids: Iterable[str]) -> dict[str, Counter[str]]:
        """How often each entity is written each way, over the whole knowledge base."""
        self.flush()
        ids = sorted(set(entity_ids))
        out: dict[str, Counter[str]] = {i: Counter() for i in ids}
        for chunk in chunks(ids):
            rows = self.conn.execute(
                sa.select(t.mentions.c.entity_id, t.mentions.c.text, sa.func.count())
                .where(t.mentions.c.entity_id.in_(chunk))
                .group_by(t.mentions.c.entity_id, t.mentions.c.text)
            )
            for entity_id, text, n in rows:
                out[entity_id][text] = n
        return out

    def rename_entity(self, entity_id: str, name: str) -> None:
        self.conn.execute(t.entities.update().where(t.entities.c.id == entity_id).values(name=name))

    # -- stories -----------------------------------------------------------------------

    def is_empty(self) -> bool:
        """Whether no post is stored yet."""
        return self.conn.execute(sa.select(t.post_prints.c.post_id).limit(1)).first() is None

    def batches(self) -> int:
        """Write batches committed so far (`count_ingest`), as this transaction sees it."""
        m = t.kb_meta
        return int(self.conn.execute(sa.select(m.c.value).where(m.c.key == INGESTS)).scalar() or 0)

    def twin_of(self, exact: str) -> str | None:
        """A stored post with exactly the same words, if any."""
        return self.conn.execute(self.sql.twin_of, {"exact": exact}).scalar()

    def band_counts(self, keys: Sequence[int]) -> list[tuple[str, int]]:
        """Stored posts filed under any of these band keys, each with how many of them."""
        if not keys:
            return []
        rows = self.conn.execute(self.sql.band_counts, {"keys": list(keys)})
        return [(r[0], r[1]) for r in rows]

    def band_members(self, keys: Sequence[int]) -> dict[int, list[str]]:
        """The stored posts filed under each of these band keys."""
        out: dict[int, list[str]] = {k: [] for k in keys}
        if keys:
            for key, post_id in self.conn.execute(self.sql.band_members, {"keys": list(keys)}):
                out[key].append(post_id)
        return out

    def crowded_bands(self, keys: Sequence[int], cap: int) -> set[int]:
        """The keys among these that `cap` or more stored posts share already."""
        if not keys:
            return set()
        rows = self.conn.execute(self.sql.crowded_bands, {"keys": list(keys), "cap": cap})
        return {r[0] for r in rows}

    def post_prints(self, post_ids: Sequence[str]) -> dict[str, tuple[str, str | None, str | None]]:
        """(text, published, title) of stored posts, for fingerprints."""
        self.flush([t.posts])
        out = {}
        for chunk in chunks(sorted(set(post_ids))):
            for r in self.conn.execute(self.sql.post_prints, {"ids": list(chunk)}):
                out[r[0]] = (r[1], r[2], r[3])
        return out

    def stories_of(self, post_ids: Sequence[str]) -> dict[str, str]:
        if post_ids:
            self.flush(STORY_TABLES)
        out = {}
        for chunk in chunks(sorted(set(post_ids))):
            for post_id, story_id in self.conn.execute(self.sql.stories_of, {"ids": list(chunk)}):
                out[post_id] = story_id
        return out

    def first_posts(self, story_ids: Sequence[str]) -> list[str]:
        """The smallest post id of each story."""
        if not story_ids:
            return []
        self.flush(STORY_TABLES)
        rows = self.conn.execute(self.sql.first_posts, {"ids": sorted(set(story_ids))})
        return [r[0] for r in rows]

    def file_story(self, d: StoryDecision, later: bool = False) -> None:
        """Record where a post went. `later`: its rows may wait for the end of the batch
        (the dedupe stage answers for them until then)."""
        self.later(t.story_bands, [{"key": k, "post_id": d.post_id} for k in d.band_keys])
        self.later(
            t.post_prints,
            [{"post_id": d.post_id, "exact": d.exact, "indexed": 1 if d.band_keys else 0}],
        )
        if d.links:
            self.later(
                t.story_links,
                [
                    {
                        "post_a": x.old,
                        "post_b": x.new,
                        "kind": str(x.kind),
                        "score": x.score,
                        "reason": x.reason,
                    }
                    for x in d.links
                ],
            )
        self.later(t.story_members, [{"post_id": d.post_id, "story_id": d.story_id}])
        if not later or d.merged:
            self.flush(STORY_TABLES)  # the store's own answers need them now
        c = self.conn
        for old in d.merged:
            m, a = t.story_members, t.story_aliases
            c.execute(m.update().where(m.c.story_id == old).values(story_id=d.story_id))
            c.execute(a.update().where(a.c.story_id == old).values(story_id=d.story_id))
            c.execute(a.delete().where(a.c.old_id == old))
            c.execute(a.insert().values(old_id=old, story_id=d.story_id))

    # -- bookkeeping -------------------------------------------------------------------

    def count_ingest(self) -> int:
        """One more batch committed: the counter derived data checks itself against."""
        m = t.kb_meta
        now = self.conn.execute(sa.select(m.c.value).where(m.c.key == INGESTS)).scalar()
        if now is None:
            self.conn.execute(m.insert().values(key=INGESTS, value=1))
            return 1
        self.conn.execute(m.update().where(m.c.key == INGESTS).values(value=now + 1))
        return int(now) + 1


def stored_documents(conn: Connection, document_ids: Sequence[str]) -> set[str]:
    """Those of these documents that are stored."""
    known = statements(conn.dialect.name).known_documents
    found: set[str] = set()
    for chunk in chunks(sorted(set(document_ids))):
        found.update(conn.scalars(known, {"ids": chunk}))
    return found


@cache
def insert_into(table: sa.Table) -> sa.Insert:
    """One insert statement per table, so that its SQLite text is made once (`sqlite_insert`
    knows a statement by identity) and not again at every flush."""
    return table.insert()


@cache
def sqlite_insert(insert: sa.Insert, columns: tuple[str, ...]) -> str:
    """An insert of these columns as SQLite's driver takes it, with named parameters: a
    great many rows are written without a pass of each value through SQLAlchemy."""
    return str(
        insert.compile(dialect=sqlite.dialect(paramstyle="named"), column_keys=list(columns))
    )


def chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    """Bounded IN lists: SQLite takes at most 32,766 parameters to a statement."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
