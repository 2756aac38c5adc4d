"""Reading the knowledge base: queries that return model types."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nkwatch.errors import NotFound, StoreError
from nkwatch.model import (
    Attribution,
    Entity,
    EntitySummary,
    Mention,
    Origin,
    Post,
    PostRow,
)
from nkwatch.store import schema as t
from nkwatch.store.writes import chunks, stored_documents

NULLS_LAST = sa.nulls_last


class Reads:
    """Queries shared by every SQL backend."""

    engine: sa.Engine

    def error(self, exc: BaseException) -> StoreError:
        raise NotImplementedError

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise self.error(exc) from exc

    # -- posts --------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with self.read() as c:
            return (
                c.execute(
                    sa.select(t.documents.c.id).where(t.documents.c.id == document_id)
                ).first()
                is not None
            )

    def known_documents(self, document_ids: Sequence[str]) -> set[str]:
        """Those of these documents that are stored."""
        with self.read() as c:
            return stored_documents(c, document_ids)

    def stats(self) -> dict[str, int]:
        out: dict[str, int] = {}
        with self.read() as c:
            for table in (t.documents, t.posts, t.entities, t.mentions, t.attributions, t.claims):
                out[table.name] = c.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
            out["stories"] = c.execute(
                sa.select(sa.func.count(sa.distinct(t.story_members.c.story_id)))
            ).scalar_one()
            for etype, n in c.execute(
                sa.select(t.entities.c.type, sa.func.count())
                .group_by(t.entities.c.type)
                .order_by(t.entities.c.type)
            ):
                out[f"entities.{etype}"] = n
        return out

    def posts(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[PostRow]:
        """Posts newest first. `outlet` is a name, or all the names of one outlet: a post
        matches when an origin's or its publisher's name contains the first, or is any."""
        p, d = t.posts, t.documents
        q = sa.select(p.c.id).join(d, d.c.id == p.c.document_id)
        q = q.where(*post_filters(since, until, outlet))
        q = q.order_by(NULLS_LAST(p.c.published.desc()), p.c.id).offset(offset)
        if limit:
            q = q.limit(limit)
        with self.read() as c:
            ids = [r[0] for r in c.execute(q)]
        return self.post_rows(ids)

    def post_rows(self, post_ids: Sequence[str]) -> list[PostRow]:
        """Listing rows for these posts, in the order given; three queries in all."""
        p, d, o, pp, m = t.posts, t.documents, t.origins, t.post_people, t.story_members
        base: dict[str, tuple[str, str | None, str | None, str | None]] = {}
        origins: dict[str, list[str]] = {}
        authors: dict[str, list[str]] = {}
        stories: dict[str, str] = {}
        with self.read() as c:
            for chunk in chunks(list(dict.fromkeys(post_ids))):
                for r in c.execute(
                    sa.select(p.c.id, p.c.source, p.c.title, p.c.published, d.c.outlet)
                    .join(d, d.c.id == p.c.document_id)
                    .where(p.c.id.in_(chunk))
                ):
                    base[r[0]] = (r[1], r[2], r[3], r[4])
                for post_id, name in c.execute(
                    sa.select(o.c.post_id, o.c.name).where(o.c.post_id.in_(chunk)).order_by(o.c.seq)
                ):
                    origins.setdefault(post_id, []).append(name)
                for post_id, name in c.execute(
                    sa.select(pp.c.post_id, pp.c.name)
                    .where(pp.c.post_id.in_(chunk), pp.c.role == "author")
                    .order_by(pp.c.seq)
                ):
                    authors.setdefault(post_id, []).append(name)
                for post_id, story_id in c.execute(
                    sa.select(m.c.post_id, m.c.story_id).where(m.c.post_id.in_(chunk))
                ):
                    stories[post_id] = story_id
        rows = []
        for post_id in post_ids:
            if post_id not in base:
                continue
            source, title, published, publisher = base[post_id]
            outlets = tuple(origins.get(post_id, ())) or ((publisher,) if publisher else ())
            rows.append(
                PostRow(
                    post_id,
                    source,
                    title,
                    published,
                    outlets,
                    tuple(authors.get(post_id, ())),
                    stories.get(post_id),
                )
            )
        return rows

    def post(self, post_id: str) -> Post:
        found = self.posts_by_id([post_id])
        if not found:
            raise NotFound(f"no post {post_id!r}; list post ids with 'nkwatch posts'")
        return found[0]

    def posts_by_id(self, post_ids: Sequence[str]) -> list[Post]:
        """Whole posts (people, origins, mentions, attributions), in the order given; five
        queries for every 500 posts."""
        out: dict[str, Post] = {}
        with self.read() as c:
            for chunk in chunks(list(dict.fromkeys(post_ids))):
                out.update(self._posts(c, list(chunk)))
        return [out[i] for i in post_ids if i in out]

    def _posts(self, c: Connection, ids: list[str]) -> dict[str, Post]:
        p, pp, o, m, e, a = (
            t.posts,
            t.post_people,
            t.origins,
            t.mentions,
            t.entities,
            t.attributions,
        )
        people: dict[str, dict[str, list[str]]] = {}
        for post_id, role, name in c.execute(
            sa.select(pp.c.post_id, pp.c.role, pp.c.name)
            .where(pp.c.post_id.in_(ids))
            .order_by(pp.c.post_id, pp.c.role, pp.c.seq)
        ):
            people.setdefault(post_id, {}).setdefault(role, []).append(name)
        origins: dict[str, list[Origin]] = {}
        for post_id, n, ti, au, d in c.execute(
            sa.select(o.c.post_id, o.c.name, o.c.title, o.c.author, o.c.date)
            .where(o.c.post_id.in_(ids))
            .order_by(o.c.post_id, o.c.seq)
        ):
            origins.setdefault(post_id, []).append(
                Origin(n, ti, au, dt.date.fromisoformat(d) if d else None)
            )
        mentions: dict[str, list[Mention]] = {}
        for r in c.execute(
            sa.select(
                m.c.post_id,
                m.c.text,
                m.c.type,
                m.c.start,
                m.c.end,
                e.c.name,
                m.c.entity_id,
                m.c.extractor,
            )
            .join(e, e.c.id == m.c.entity_id)
            .where(m.c.post_id.in_(ids))
            .order_by(m.c.post_id, m.c.start, m.c.end, m.c.entity_id)
        ):
            mentions.setdefault(r[0], []).append(Mention(*r[1:]))
        attributions: dict[str, list[Attribution]] = {}
        for post_id, text, kind, source, start, end in c.execute(
            sa.select(a.c.post_id, a.c.text, a.c.kind, a.c.source, a.c.start, a.c.end)
            .where(a.c.post_id.in_(ids))
            .order_by(a.c.post_id, a.c.start, a.c.source)
        ):
            attributions.setdefault(post_id, []).append(Attribution(text, kind, source, start, end))
        out = {}
        for row in c.execute(
            sa.select(
                p.c.id, p.c.document_id, p.c.idx, p.c.source, p.c.title, p.c.published, p.c.text
            ).where(p.c.id.in_(ids))
        ):
            roles = people.get(row[0], {})
            out[row[0]] = Post(
                document_id=row[1],
                index=row[2],
                source=row[3],
                text=row[6],
                title=row[4],
                published=dt.date.fromisoformat(row[5]) if row[5] else None,
                authors=tuple(roles.get("author", ())),
                translators=tuple(roles.get("translator", ())),
                origins=tuple(origins.get(row[0], ())),
                mentions=tuple(mentions.get(row[0], ())),
                attributions=tuple(attributions.get(row[0], ())),
            )
        return out

    def post_ids(self, story_ids: Sequence[str] | None = None) -> list[str]:
        """Ids of every post (or of the posts of these stories), in id order."""
        if story_ids is None:
            with self.read() as c:
                return [r[0] for r in c.execute(sa.select(t.posts.c.id).order_by(t.posts.c.id))]
        m = t.story_members
        out: list[str] = []
        with self.read() as c:
            for chunk in chunks(sorted(set(story_ids))):
                out += [
                    r[0] for r in c.execute(sa.select(m.c.post_id).where(m.c.story_id.in_(chunk)))
                ]
        return sorted(out)

    # -- entities -----------------------------------------------------------------------

    def entities(
        self,
        etype: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | Sequence[str] | None = None,
        by_stories: bool = False,
    ) -> list[EntitySummary]:
        """Entities with mentions, the most mentioned (by posts, or by stories) first,
        counted over the posts published in since/until by the outlet (see `posts`)."""
        e, m, s = t.entities, t.mentions, t.story_members
        posts = sa.func.count(sa.distinct(m.c.post_id))
        stories = sa.func.count(sa.distinct(s.c.story_id))
        first = [stories.desc(), posts.desc()] if by_stories else [posts.desc()]
        q = (
            sa.select(e.c.id, e.c.type, e.c.name, sa.func.count(), posts, stories)
            .join(m, m.c.entity_id == e.c.id)
            .join(s, s.c.post_id == m.c.post_id, isouter=True)
            .group_by(e.c.id, e.c.type, e.c.name)
            .order_by(*first, sa.func.count().desc(), e.c.name, e.c.id)
            .offset(offset)
        )
        if since or until or outlet:
            p, d = t.posts, t.documents
            chosen = (
                sa.select(p.c.id)
                .join(d, d.c.id == p.c.document_id)
                .where(*post_filters(since, until, outlet))
            )
            q = q.where(m.c.post_id.in_(chosen))
        if etype:
            q = q.where(e.c.type == etype)
        if limit:
            q = q.limit(limit)
        with self.read() as c:
            return [EntitySummary(*r) for r in c.execute(q)]

    def entity(self, entity_id: str) -> Entity:
        e, a = t.entities, t.aliases
        with self.read() as c:
            row = c.execute(
                sa.select(e.c.id, e.c.name, e.c.type, e.c.info).where(e.c.id == entity_id)
            ).first()
            if row is None:
                raise NotFound(f"no entity {entity_id!r}; list them with 'nkwatch entities'")
            names = tuple(
                r[0]
                for r in c.execute(
                    sa.select(a.c.alias).where(a.c.entity_id == entity_id).order_by(a.c.alias)
                )
            )
        return Entity(row[0], row[1], row[2], names, json.loads(row[3]))

    def names_of(self, entity_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Every name of each entity, its filed name first."""
        e, a = t.entities, t.aliases
        out: dict[str, list[str]] = {}
        with self.read() as c:
            for chunk in chunks(sorted(set(entity_ids))):
                for entity_id, name in c.execute(
                    sa.select(e.c.id, e.c.name).where(e.c.id.in_(chunk))
                ):
                    out[entity_id] = [name]
                for entity_id, alias in c.execute(
                    sa.select(a.c.entity_id, a.c.alias)
                    .where(a.c.entity_id.in_(chunk))
                    .order_by(a.c.entity_id, a.c.alias)
                ):
                    if entity_id in out and alias != out[entity_id][0]:
                        out[entity_id].append(alias)
        return {i: tuple(names) for i, names in out.items()}

    def entity_summary(self, entity_id: str) -> EntitySummary:
        e, m, s = t.entities, t.mentions, t.story_members
        q = (
            sa.select(
                e.c.id,
                e.c.type,
                e.c.name,
                sa.func.count(m.c.post_id),
                sa.func.count(sa.distinct(m.c.post_id)),
                sa.func.count(sa.distinct(s.c.story_id)),
            )
            .join(m, m.c.entity_id == e.c.id, isouter=True)
            .join(s, s.c.post_id == m.c.post_id, isouter=True)
            .where(e.c.id == entity_id)
            .group_by(e.c.id, e.c.type, e.c.name)
        )
        with self.read() as c:
            row = c.execute(q).first()
        if row is None:
            raise NotFound(f"no entity {entity_id!r}; list them with 'nkwatch entities'")
        return EntitySummary(*row)

    def entities_by_key(self, key: str) -> list[tuple[str, int]]:
        """Entities one of whose names has this spelling-blind key, most mentioned first."""
        a, m = t.aliases, t.mentions
        q = (
            sa.select(a.c.entity_id, sa.func.count(sa.distinct(m.c.post_id)))
            .join(m, m.c.entity_id == a.c.entity_id)
            .where(a.c.key == key)
            .group_by(a.c.entity_id)
            .order_by(sa.func.count(sa.distinct(m.c.post_id)).desc(), a.c.entity_id)
        )
        with self.read() as c:
            return [(r[0], r[1]) for r in c.execute(q)]

    def alias_keys(self) -> list[tuple[str, str]]:
        """(key, entity id) for every name of every mentioned entity: for fuzzy look-up."""
        a, m = t.aliases, t.mentions
        q = (
            sa.select(a.c.key, a.c.entity_id)
            .where(sa.exists().where(m.c.entity_id == a.c.entity_id))
            .distinct()
            .order_by(a.c.key, a.c.entity_id)
        )
        with self.read() as c:
            return [(r[0], r[1]) for r in c.execute(q)]

    def entity_post_ids(self, entity_id: str, limit: int | None = None) -> list[str]:
        """Posts that name an entity, newest first."""
        m, p = t.mentions, t.posts
        mentioned = sa.select(m.c.post_id).where(m.c.entity_id == entity_id).distinct().subquery()
        q = (  # from the entity's mentions (an index look-up), not from every post
            sa.select(p.c.id)
            .join(mentioned, mentioned.c.post_id == p.c.id)
            .order_by(NULLS_LAST(p.c.published.desc()), p.c.id)
        )
        if limit:
            q = q.limit(limit)
        with self.read() as c:
            return [r[0] for r in c.execute(q)]

    def co_mentioned(self, entity_id: str, limit: int = 15) -> list[EntitySummary]:
        m1, m2, e = t.mentions.alias("m1"), t.mentions.alias("m2"), t.entities
        posts = sa.func.count(sa.distinct(m2.c.post_id))
        q = (
            sa.select(e.c.id, e.c.type, e.c.name, sa.func.count(), posts)
            .select_from(m1)
            .join(m2, sa.and_(m2.c.post_id == m1.c.post_id, m2.c.entity_id != m1.c.entity_id))
            .join(e, e.c.id == m2.c.entity_id)
            .where(m1.c.entity_id == entity_id)
            .group_by(e.c.id, e.c.type, e.c.name)
            .order_by(posts.desc(), e.c.name, e.c.id)
            .limit(limit)
        )
        with self.read() as c:
            return [EntitySummary(*r) for r in c.execute(q)]

    def located_entities(self) -> list[tuple[Entity, int, int]]:
        """Entities with coordinates in their info, with (mentions, posts): one query, for maps.
        Their aliases are left out; `entity` has them."""
        e, m = t.entities, t.mentions
        q = (
            sa.select(
                e.c.id,
                e.c.name,
                e.c.type,
                e.c.info,
                sa.func.count(m.c.post_id),
                sa.func.count(sa.distinct(m.c.post_id)),
            )
            .join(m, m.c.entity_id == e.c.id, isouter=True)
            .where(e.c.info.like('%"lat"%'))
            .group_by(e.c.id, e.c.name, e.c.type, e.c.info)
            .order_by(e.c.id)
        )
        out = []
        with self.read() as c:
            for r in c.execute(q):
                info = json.loads(r[3])
                if info.get("lat") not in (None, "") and info.get("lon") not in (None, ""):
                    out.append((Entity(r[0], r[1], r[2], (), info), r[4], r[5]))
        return out

    def entity_records(self, etype: str | None = None) -> Iterator[tuple[Entity, int, int, int]]:
        """Every mentioned entity with (mentions, posts, stories), most mentioned first; names
        and place read 500 entities at a time, not one query each."""
        summaries = self.entities(etype)
        e = t.entities
        for i in range(0, len(summaries), 500):
            part = summaries[i : i + 500]
            ids = [x.id for x in part]
            names = self.names_of(ids)
            with self.read() as c:
                info = dict(c.execute(sa.select(e.c.id, e.c.info).where(e.c.id.in_(ids))).all())
            for x in part:
                entity = Entity(x.id, x.name, x.type, names.get(x.id, ()), json.loads(info[x.id]))
                yield entity, x.mentions, x.posts, x.stories


def post_filters(
    since: dt.date | None, until: dt.date | None, outlet: str | Sequence[str] | None
) -> list[sa.ColumnElement[bool]]:
    """Conditions on posts (joined to their documents): published in since/until, and by an
    outlet whose name contains the first of `outlet` or is any of them."""
    p, d, o = t.posts, t.documents, t.origins
    where: list[sa.ColumnElement[bool]] = []
    if since:
        where.append(p.c.published >= since.isoformat())
    if until:
        where.append(p.c.published <= until.isoformat())
    names = [outlet] if isinstance(outlet, str) else list(outlet or ())
    if names:
        like = f"%{names[0]}%"
        exact = sorted({n.casefold() for n in names})
        where.append(
            sa.or_(
                sa.exists().where(
                    o.c.post_id == p.c.id,
                    sa.or_(o.c.name.ilike(like), sa.func.lower(o.c.name).in_(exact)),
                ),
                d.c.outlet.ilike(like),
                sa.func.lower(d.c.outlet).in_(exact),
            )
        )
    return where
