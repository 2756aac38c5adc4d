"""Streaming reads for exports: every row of a kind, a batch at a time.

Each stream runs one query on a server-side cursor (`yield_per`), so a million
rows never sit in memory, and looks up the lists that go with a batch (aliases,
authors, origins) in one query per batch. A stream holds its connection, and
with it one consistent snapshot of the knowledge base, until it is exhausted
or closed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nkwatch.model import Entity, EntityRow, MentionRow, PostEntry
from nkwatch.store import schema as t
from nkwatch.store.reads import NULLS_LAST
from nkwatch.store.storyreads import StoryReads

BATCH = 500
CONTEXT = 80  # characters of text either side of a mention, for snippets


def in_range(
    q: sa.Select, column: sa.ColumnElement[str], since: dt.date | None, until: dt.date | None
) -> sa.Select:
    if since:
        q = q.where(column >= since.isoformat())
    if until:
        q = q.where(column <= until.isoformat())
    return q


def batches(rows: Iterator[sa.Row], size: int = BATCH) -> Iterator[list[sa.Row]]:
    batch: list[sa.Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def lists(c: Connection, q: sa.Select) -> dict[str, list[str]]:
    """(key, value) rows grouped into lists by key, in the order the query gives."""
    out: dict[str, list[str]] = {}
    for key, value in c.execute(q):
        out.setdefault(key, []).append(value)
    return out


class Streams(StoryReads):
    """Whole-table reads for exports, streamed."""

    def _stream(self, c: Connection, q: sa.Select) -> Iterator[sa.Row]:
        return iter(c.execution_options(stream_results=True, yield_per=BATCH).execute(q))

    def entity_rows(
        self,
        etype: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Iterator[EntityRow]:
        """Every entity named in a post published in the range, by id, with its counts and
        first and last days counted over that range."""
        e, m, p, s, a = t.entities, t.mentions, t.posts, t.story_members, t.aliases
        q = (
            sa.select(
                e.c.id,
                e.c.name,
                e.c.type,
                e.c.info,
                sa.func.count(),
                sa.func.count(sa.distinct(m.c.post_id)),
                sa.func.count(sa.distinct(s.c.story_id)),
                sa.func.min(p.c.published),
                sa.func.max(p.c.published),
            )
            .join(m, m.c.entity_id == e.c.id)
            .join(p, p.c.id == m.c.post_id)
            .join(s, s.c.post_id == m.c.post_id, isouter=True)
            .group_by(e.c.id, e.c.name, e.c.type, e.c.info)
            .order_by(e.c.id)
        )
        q = in_range(q, p.c.published, since, until)
        if etype:
            q = q.where(e.c.type == etype)
        with self.read() as c:
            for batch in batches(self._stream(c, q)):
                names = lists(
                    c,
                    sa.select(a.c.entity_id, a.c.alias)
                    .where(a.c.entity_id.in_([r[0] for r in batch]))
                    .order_by(a.c.entity_id, a.c.alias),
                )
                for r in batch:
                    entity = Entity(r[0], r[1], r[2], tuple(names.get(r[0], ())), json.loads(r[3]))
                    yield EntityRow(entity, r[4], r[5], r[6], r[7], r[8])

    def post_entries(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        text: bool = False,
    ) -> Iterator[PostEntry]:
        """Every post published in the range, oldest first (undated last), by id on a tie."""
        p, d, s, o, pp = t.posts, t.documents, t.story_members, t.origins, t.post_people
        columns = [p.c.id, p.c.source, p.c.title, p.c.published, d.c.outlet, d.c.url, s.c.story_id]
        q = (
            sa.select(*columns, p.c.text if text else sa.null())
            .join(d, d.c.id == p.c.document_id)
            .join(s, s.c.post_id == p.c.id, isouter=True)
            .order_by(NULLS_LAST(p.c.published.asc()), p.c.id)
        )
        q = in_range(q, p.c.published, since, until)
        with self.read() as c:
            for batch in batches(self._stream(c, q)):
                ids = [r[0] for r in batch]
                origins = lists(
                    c,
                    sa.select(o.c.post_id, o.c.name)
                    .where(o.c.post_id.in_(ids))
                    .order_by(o.c.post_id, o.c.seq),
                )
                authors = lists(
                    c,
                    sa.select(pp.c.post_id, pp.c.name)
                    .where(pp.c.post_id.in_(ids), pp.c.role == "author")
                    .order_by(pp.c.post_id, pp.c.seq),
                )
                for r in batch:
                    yield PostEntry(
                        r[0],
                        r[1],
                        r[2],
                        r[3],
                        r[4],
                        r[5],
                        tuple(authors.get(r[0], ())),
                        tuple(origins.get(r[0], ())),
                        r[6],
                        r[7],
                    )

    def mention_rows(
        self,
        etype: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        entity_id: str | None = None,
        context: bool = False,
    ) -> Iterator[MentionRow]:
        """Every mention in a post published in the range, by post and offset; with
        `context`, the text around each too. `entity_id` keeps one entity's mentions, the
        newest post first."""
        m, e, p, d, o, s = (
            t.mentions,
            t.entities,
            t.posts,
            t.documents,
            t.origins,
            t.story_members,
        )
        first = o.alias("first_origin")
        low = sa.case((m.c.start > CONTEXT, m.c.start - CONTEXT), else_=0)
        around = (
            [
                sa.func.substr(p.c.text, low + 1, m.c.start - low),
                sa.func.substr(p.c.text, m.c.end + 1, CONTEXT),
            ]
            if context
            else [sa.literal(""), sa.literal("")]
        )
        q = (
            sa.select(
                m.c.post_id,
                m.c.entity_id,
                e.c.name,
                m.c.type,
                m.c.text,
                m.c.start,
                m.c.end,
                p.c.published,
                sa.func.coalesce(d.c.outlet, first.c.name),
                p.c.title,
                s.c.story_id,
                *around,
            )
            .join(e, e.c.id == m.c.entity_id)
            .join(p, p.c.id == m.c.post_id)
            .join(d, d.c.id == p.c.document_id)
            .join(first, sa.and_(first.c.post_id == p.c.id, first.c.seq == 0), isouter=True)
            .join(s, s.c.post_id == p.c.id, isouter=True)
        )
        q = in_range(q, p.c.published, since, until)
        if etype:
            q = q.where(m.c.type == etype)
        if entity_id:
            q = q.where(m.c.entity_id == entity_id).order_by(
                NULLS_LAST(p.c.published.desc()), m.c.post_id, m.c.start, m.c.end
            )
        else:
            q = q.order_by(m.c.post_id, m.c.start, m.c.end, m.c.entity_id)
        with self.read() as c:
            for r in self._stream(c, q):
                yield MentionRow(*r)

    def story_id_stream(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> Iterator[str]:
        """Ids of stories with a version published in the range, by id."""
        s, p = t.story_members, t.posts
        q = in_range(
            sa.select(s.c.story_id).join(p, p.c.id == s.c.post_id), p.c.published, since, until
        )
        q = q.group_by(s.c.story_id).order_by(s.c.story_id)
        with self.read() as c:
            for r in self._stream(c, q):
                yield r[0]

    def export_count(
        self,
        what: str,
        etype: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> int:
        """How many rows a stream of `what` (entities, posts, mentions, stories, claims)
        yields; claims are counted by the period they hold for, as `claim_rows` reads them."""
        m, p, s = t.mentions, t.posts, t.story_members
        if what == "claims":
            cl = t.claims
            claims = sa.select(sa.func.count()).select_from(cl)
            if since:
                claims = claims.where(cl.c.period_end >= since.isoformat())
            if until:
                claims = claims.where(cl.c.period_start <= until.isoformat())
            with self.read() as conn:
                return int(conn.execute(claims).scalar_one())
        counted: dict[str, sa.Select] = {
            "entities": sa.select(sa.func.count(sa.distinct(m.c.entity_id))).join(
                p, p.c.id == m.c.post_id
            ),
            "posts": sa.select(sa.func.count()).select_from(p),
            "mentions": sa.select(sa.func.count()).select_from(m).join(p, p.c.id == m.c.post_id),
            "stories": sa.select(sa.func.count(sa.distinct(s.c.story_id))).join(
                p, p.c.id == s.c.post_id
            ),
        }
        q = in_range(counted[what], p.c.published, since, until)
        if etype and what in ("entities", "mentions"):
            q = q.where(m.c.type == etype)
        with self.read() as c:
            return int(c.execute(q).scalar_one())
