"""Reading stories: which posts are versions of one another, and what provenance needs."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from nkwatch.errors import NotFound
from nkwatch.model import RELAYED, LinkKind, Version
from nkwatch.store import schema as t
from nkwatch.store.reads import NULLS_LAST, Reads
from nkwatch.store.writes import chunks


class StoryReads(Reads):
    """Queries over stories, shared by every SQL backend."""

    def story_of(self, post_id: str) -> str | None:
        m = t.story_members
        with self.read() as c:
            return c.execute(sa.select(m.c.story_id).where(m.c.post_id == post_id)).scalar()

    def stories_of(self, post_ids: Sequence[str]) -> dict[str, str]:
        """The story of each of these posts, in one query per 500."""
        m = t.story_members
        out: dict[str, str] = {}
        with self.read() as c:
            for chunk in chunks(sorted(set(post_ids))):
                out.update(
                    c.execute(
                        sa.select(m.c.post_id, m.c.story_id).where(m.c.post_id.in_(chunk))
                    ).all()
                )
        return out

    def find_story(self, ref: str) -> str:
        """A story id from its id, a former id (before a merge), or the id of any of its posts."""
        m, a = t.story_members, t.story_aliases
        with self.read() as c:
            for q in (
                sa.select(m.c.story_id).where(m.c.story_id == ref).limit(1),
                sa.select(a.c.story_id).where(a.c.old_id == ref),
                sa.select(m.c.story_id).where(m.c.post_id == ref),
            ):
                found = c.execute(q).scalar()
                if found:
                    return str(found)
        raise NotFound(f"no story or post {ref!r}; list stories with 'nkwatch stories'")

    def story_titles(self) -> list[tuple[str, str]]:
        """(story id, title) for every titled version of every story: for look-up by title."""
        m, p = t.story_members, t.posts
        q = (
            sa.select(m.c.story_id, p.c.title)
            .join(p, p.c.id == m.c.post_id)
            .where(p.c.title.is_not(None))
            .distinct()
            .order_by(m.c.story_id, p.c.title)
        )
        with self.read() as c:
            return [(r[0], r[1]) for r in c.execute(q)]

    def story_ids(self, limit: int | None = None, min_versions: int = 1) -> list[str]:
        """Ids of stories with at least `min_versions` versions, the newest story first."""
        s, p = t.story_members, t.posts
        q = (
            sa.select(s.c.story_id)
            .join(p, p.c.id == s.c.post_id)
            .group_by(s.c.story_id)
            .having(sa.func.count() >= min_versions)
            .order_by(NULLS_LAST(sa.func.max(p.c.published).desc()), s.c.story_id)
        )
        if limit:
            q = q.limit(limit)
        with self.read() as c:
            return [r[0] for r in c.execute(q)]

    def story_versions(self, story_ids: Sequence[str] | None = None) -> list[Version]:
        """The versions of the given stories (all stories when None), oldest first in each."""
        if story_ids is None:
            return self._versions(None)
        out: list[Version] = []
        for chunk in chunks(sorted(set(story_ids))):
            out += self._versions(chunk)
        return sorted(
            out, key=lambda v: (v.story_id, v.published is None, v.published or "", v.post_id)
        )

    def _versions(self, story_ids: Sequence[str] | None) -> list[Version]:
        s, p, d, o, a, lk = (
            t.story_members,
            t.posts,
            t.documents,
            t.origins,
            t.attributions,
            t.story_links,
        )

        def scoped(q: sa.Select) -> sa.Select:
            return q if story_ids is None else q.where(s.c.story_id.in_(story_ids))

        origins: dict[str, list[str]] = {}
        cited: dict[str, list[str]] = {}
        links: dict[str, tuple[LinkKind, str]] = {}
        with self.read() as c:
            for post_id, name in c.execute(
                scoped(
                    sa.select(o.c.post_id, o.c.name).join(s, s.c.post_id == o.c.post_id)
                ).order_by(o.c.post_id, o.c.seq)
            ):
                origins.setdefault(post_id, []).append(name)
            for post_id, name in c.execute(
                scoped(
                    sa.select(a.c.post_id, a.c.source)
                    .join(s, s.c.post_id == a.c.post_id)
                    .where(a.c.kind.in_(sorted(RELAYED)))
                    .group_by(a.c.post_id, a.c.source)
                ).order_by(a.c.post_id, sa.func.min(a.c.start), a.c.source)
            ):
                cited.setdefault(post_id, []).append(name)
            for post_b, kind, reason in c.execute(
                scoped(
                    sa.select(lk.c.post_b, lk.c.kind, lk.c.reason).join(
                        s, s.c.post_id == lk.c.post_b
                    )
                ).order_by(lk.c.score, lk.c.post_a)
            ):
                links[post_b] = (LinkKind(kind), reason)  # the strongest match is read last
            rows = c.execute(
                scoped(
                    sa.select(
                        s.c.story_id,
                        p.c.id,
                        p.c.source,
                        p.c.idx,
                        p.c.title,
                        p.c.published,
                        d.c.outlet,
                        d.c.url,
                    )
                    .join(p, p.c.id == s.c.post_id)
                    .join(d, d.c.id == p.c.document_id)
                ).order_by(s.c.story_id, NULLS_LAST(p.c.published.asc()), p.c.id)
            ).all()
        return [
            Version(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                tuple(origins.get(r[1], ())),
                links.get(r[1]),
                tuple(cited.get(r[1], ())),
            )
            for r in rows
        ]
