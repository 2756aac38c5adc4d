"""Reading claims: the figures posts state, with the names of what they are about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import sqlalchemy as sa

from nkwatch.model import Claim, ClaimRow
from nkwatch.store import schema as t
from nkwatch.store.reads import NULLS_LAST
from nkwatch.store.streams import Streams


class ClaimReads(Streams):
    """Queries over claims, shared by every SQL backend."""

    def claim_rows(
        self,
        entity_id: str | None = None,
        *,
        product: str | None = None,
        place: str | None = None,
        kind: str | None = None,
        per: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Iterator[ClaimRow]:
        """Claims in period order (undated last), streamed. `entity_id` keeps those about
        an entity, of it as a product, or in it as a place; `product`, `place`, `kind` and
        `per` keep those with that product, place, kind or denominator; since/until keep
        those whose period overlaps the range."""
        c, p, d, o, s = t.claims, t.posts, t.documents, t.origins, t.story_members
        subject, item, where = (t.entities.alias(n) for n in ("subject", "item", "place"))
        first = o.alias("first_origin")
        q = (
            sa.select(
                *(c.c[n] for n in COLUMNS),
                subject.c.name,
                subject.c.type,
                item.c.name,
                where.c.name,
                p.c.published,
                sa.func.coalesce(d.c.outlet, first.c.name),
                p.c.title,
                s.c.story_id,
                sa.func.substr(
                    p.c.text, c.c.sentence_start + 1, c.c.sentence_end - c.c.sentence_start
                ),
            )
            .join(p, p.c.id == c.c.post_id)
            .join(d, d.c.id == p.c.document_id)
            .join(subject, subject.c.id == c.c.subject_id, isouter=True)
            .join(item, item.c.id == c.c.product_id, isouter=True)
            .join(where, where.c.id == c.c.place_id, isouter=True)
            .join(first, sa.and_(first.c.post_id == p.c.id, first.c.seq == 0), isouter=True)
            .join(s, s.c.post_id == p.c.id, isouter=True)
            .order_by(NULLS_LAST(c.c.period_start.asc()), c.c.post_id, c.c.start, c.c.end, c.c.part)
        )
        if entity_id:
            q = q.where(
                sa.or_(
                    c.c.subject_id == entity_id,
                    c.c.product_id == entity_id,
                    c.c.place_id == entity_id,
                )
            )
        for column, value in (("product_id", product), ("place_id", place), ("kind", kind)):
            if value:
                q = q.where(c.c[column] == value)
        if per:
            q = q.where(c.c.per == per)
        if since:
            q = q.where(c.c.period_end >= since.isoformat())
        if until:
            q = q.where(c.c.period_start <= until.isoformat())
        with self.read() as conn:
            for r in self._stream(conn, q):
                yield ClaimRow(claim(r), *r[len(COLUMNS) :])

    def claim_count(self) -> int:
        with self.read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.claims)).scalar_one())


COLUMNS = (
    "post_id",
    "start",
    "end",
    "text",
    "kind",
    "measure",
    "value",
    "unit",
    "value_max",
    "per",
    "subject_id",
    "product_id",
    "place_id",
    "period_start",
    "period_precision",
    "period_text",
    "said_by",
    "said_by_kind",
    "sentence_start",
    "sentence_end",
    "part",
)


FIELDS = {"subject_id": "subject", "product_id": "product", "place_id": "place"}


def claim(r: sa.Row) -> Claim:
    values = {FIELDS.get(n, n): r[i] for i, n in enumerate(COLUMNS)}
    start = values.pop("period_start")
    values["precision"] = values.pop("period_precision")
    return Claim(**values, period=dt.date.fromisoformat(start) if start else None)
