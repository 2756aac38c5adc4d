"""store: the knowledge base, in an embedded SQLite file.

`Store` is the storage interface every backend implements; `SQLiteStore` is
the embedded default. The schema is built by the numbered SQL migrations in
`nkwatch/migrations`, tracked in `PRAGMA user_version`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from nkwatch.dedupe import MAX_CANDIDATES, Fingerprint, judge
from nkwatch.errors import NotFound, StoreError
from nkwatch.gazetteer import Gazetteer
from nkwatch.model import Attribution, Document, Mention, Origin, Post, digest
from nkwatch.names import key_of

PRINTS_KEPT = 2_000


@dataclass(frozen=True)
class PostRow:
    """A stored post with the names the listing shows."""

    id: str
    source: str
    title: str | None
    published: str | None
    outlets: tuple[str, ...]
    authors: tuple[str, ...]


@dataclass(frozen=True)
class EntityRow:
    id: str
    type: str
    name: str
    mentions: int
    posts: int


@dataclass(frozen=True)
class Dossier:
    """Everything the knowledge base holds on one entity."""

    entity: EntityRow
    aliases: tuple[str, ...]
    info: dict[str, str]
    posts: tuple[PostRow, ...]
    co_mentioned: tuple[EntityRow, ...]


@dataclass(frozen=True)
class VersionRow:
    """One post of a story, with what provenance needs to know of it."""

    story_id: str
    post_id: str
    source: str
    index: int
    title: str | None
    published: str | None
    publisher: str | None  # the outlet the container names (site, feed, agency)
    url: str | None
    origins: tuple[str, ...]
    link: tuple[str, str] | None  # (kind, reason) of the match that brought it in
    cited: tuple[str, ...] = ()  # outlets and institutes its text attributes information to


class Store(Protocol):
    def has_document(self, document_id: str) -> bool: ...
    def add_documents(self, batch: list[tuple[Document, list[Post]]]) -> tuple[int, int]: ...
    def posts(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = None,
        limit: int | None = None,
    ) -> list[PostRow]: ...
    def post(self, post_id: str) -> Post: ...
    def stats(self) -> dict[str, int]: ...
    def entities(self, etype: str | None = None, limit: int | None = None) -> list[EntityRow]: ...
    def dossier(self, name: str) -> Dossier: ...
    def story_of(self, post_id: str) -> str | None: ...
    def story_ids(self, limit: int | None = None, min_versions: int = 1) -> list[str]: ...
    def story_versions(self, story_ids: list[str] | None = None) -> list[VersionRow]: ...
    def find_story(self, ref: str) -> str: ...
    def close(self) -> None: ...


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("nkwatch").joinpath("migrations")
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text("utf-8")))
    return sorted(found)


def open_store(path: str | Path, gazetteer: Gazetteer | None = None) -> SQLiteStore:
    return SQLiteStore(Path(path), gazetteer)


class SQLiteStore:
    """The embedded knowledge base: one SQLite file."""

    def __init__(self, path: Path, gazetteer: Gazetteer | None = None):
        self.path = path
        self.gazetteer = gazetteer
        self._prints: dict[str, Fingerprint] = {}  # candidates recur; compare each once
        if path.parent and not path.parent.exists():
            raise StoreError(
                f"cannot create the knowledge base {path}: folder {path.parent} does not exist"
            )
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-65536")  # 64 MB of pages: the LSH index stays hot
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{path} is not a usable nkwatch knowledge base ({exc}); point --db at another file"
            ) from exc

    def migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        backfill = 0 < version < 3  # posts stored before stories existed
        for number, sql in migrations():
            if number > version:
                self.db.execute("BEGIN")
                try:
                    for statement in sql.split(";\n"):
                        if statement.strip():
                            self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version = {number}")
                    self.db.execute("COMMIT")
                except Exception:
                    self.db.execute("ROLLBACK")
                    raise
        if backfill:
            self.db.execute("BEGIN IMMEDIATE")
            rows = self.db.execute(
                "SELECT id, text, published, title FROM posts ORDER BY published, id"
            ).fetchall()
            for post_id, text, published, title in rows:
                self._assign_story(post_id, Fingerprint(text, parse_iso(published), title))
            self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # -- writing --------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
            is not None
        )

    def add_documents(self, batch: list[tuple[Document, list[Post]]]) -> tuple[int, int]:
        """Store documents with their posts in one transaction; returns (new documents, new posts)."""
        new = new_posts = 0
        try:
            self.db.execute("BEGIN IMMEDIATE")
            touched: set[str] = set()
            for document, posts in batch:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO documents (id, file_sha256, source, kind, title, published,"
                    " outlet, url, text) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        document.id,
                        document.file_sha256,
                        document.source,
                        document.kind,
                        document.title,
                        iso(document.published),
                        document.outlet,
                        document.url,
                        document.text,
                    ),
                )
                if cur.rowcount == 0:
                    continue
                new += 1
                new_posts += len(posts)
                for post in posts:
                    self._add_post(post, touched)
                    self._assign_story(post.id, Fingerprint(post.text, post.published, post.title))
            self._rename_found_entities(touched)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return new, new_posts

    def _add_post(self, post: Post, touched: set[str]) -> None:
        self.db.execute(
            "INSERT INTO posts (id, document_id, idx, source, title, published, text) VALUES (?,?,?,?,?,?,?)",
            (
                post.id,
                post.document_id,
                post.index,
                post.source,
                post.title,
                iso(post.published),
                post.text,
            ),
        )
        self.db.executemany(
            "INSERT INTO post_people (post_id, role, seq, name) VALUES (?,?,?,?)",
            [(post.id, "author", i, n) for i, n in enumerate(post.authors)]
            + [(post.id, "translator", i, n) for i, n in enumerate(post.translators)],
        )
        self.db.executemany(
            "INSERT INTO origins (post_id, seq, name, title, author, date) VALUES (?,?,?,?,?,?)",
            [
                (post.id, i, o.name, o.title, o.author, iso(o.date))
                for i, o in enumerate(post.origins)
            ],
        )
        for m in post.mentions:
            self._ensure_entity(m)
            touched.add(m.entity_id)
        self.db.executemany(
            "INSERT OR IGNORE INTO mentions (post_id, start, end, text, type, entity_id, extractor)"
            " VALUES (?,?,?,?,?,?,?)",
            [
                (post.id, m.start, m.end, m.text, m.type, m.entity_id, m.extractor)
                for m in post.mentions
            ],
        )

        self.db.executemany(
            "INSERT OR IGNORE INTO attributions (post_id, start, end, kind, source, text)"
            " VALUES (?,?,?,?,?,?)",
            [(post.id, a.start, a.end, a.kind, a.source, a.text) for a in post.attributions],
        )

    def _assign_story(self, post_id: str, fp: Fingerprint) -> None:
        """Put a new post into the story of the posts it copies, merging stories it bridges.

        Exact copies join through a hash lookup and add nothing to the LSH index; other
        posts look up their band keys (an indexed query whose cost does not grow with the
        store), and the best candidates are confirmed by `dedupe.judge`.
        """
        matches: list[tuple[str, str, float, str]] = []
        same = self.db.execute(
            "SELECT post_id FROM post_prints WHERE exact = ? LIMIT 1", (fp.exact,)
        ).fetchone()
        if same:
            matches.append((same[0], "same-text", 1.0, "the same text"))
        else:
            keys = fp.band_keys
            candidates = self.db.execute(
                f"SELECT post_id FROM story_bands WHERE key IN ({','.join('?' * len(keys))})"
                " GROUP BY post_id ORDER BY count(*) DESC, post_id LIMIT ?",
                (*keys, MAX_CANDIDATES),
            ).fetchall()
            for (other,) in candidates:
                match = judge(self._print_of(other), fp)
                if match:
                    matches.append((other, match.kind, match.score, match.reason))
            self.db.executemany(
                "INSERT INTO story_bands (key, post_id) VALUES (?,?)", [(k, post_id) for k in keys]
            )
        self.db.execute(
            "INSERT INTO post_prints (post_id, exact, indexed) VALUES (?,?,?)",
            (post_id, fp.exact, 0 if same else 1),
        )
        self._remember(post_id, fp)
        self.db.executemany(
            "INSERT OR IGNORE INTO story_links (post_a, post_b, kind, score, reason) VALUES (?,?,?,?,?)",
            [(other, post_id, kind, score, reason) for other, kind, score, reason in matches],
        )
        joined = sorted(
            {
                r[0]
                for other, *_ in matches
                for r in self.db.execute(
                    "SELECT story_id FROM story_members WHERE post_id = ?", (other,)
                )
            }
        )
        first = min(
            [post_id]
            + [
                r[0]
                for r in self.db.execute(
                    "SELECT min(post_id) FROM story_members WHERE story_id IN"
                    f" ({','.join('?' * len(joined))})",
                    joined,
                )
                if r[0]
            ]
        )
        story_id = story_id_of(first)
        self.db.execute(
            "INSERT INTO story_members (post_id, story_id) VALUES (?,?)", (post_id, story_id)
        )
        for old in joined:
            if old != story_id:
                self.db.execute(
                    "UPDATE story_members SET story_id = ? WHERE story_id = ?", (story_id, old)
                )
                self.db.execute(
                    "UPDATE story_aliases SET story_id = ? WHERE story_id = ?", (story_id, old)
                )
                self.db.execute(
                    "INSERT OR REPLACE INTO story_aliases (old_id, story_id) VALUES (?,?)",
                    (old, story_id),
                )

    def _print_of(self, post_id: str) -> Fingerprint:
        fp = self._prints.get(post_id)
        if fp is None:
            text, published, title = self.db.execute(
                "SELECT text, published, title FROM posts WHERE id = ?", (post_id,)
            ).fetchone()
            fp = Fingerprint(text, parse_iso(published), title)
            self._remember(post_id, fp)
        return fp

    def _remember(self, post_id: str, fp: Fingerprint) -> None:
        """Keep recent fingerprints: a batch's posts are the likeliest matches of the next."""
        if len(self._prints) >= PRINTS_KEPT:
            self._prints.clear()
        self._prints[post_id] = fp

    def _ensure_entity(self, m: Mention) -> None:
        entry = self.gazetteer.entries.get(m.entity_id) if self.gazetteer else None
        info = json.dumps(entry.info if entry else {}, ensure_ascii=False, sort_keys=True)
        cur = self.db.execute(
            "INSERT OR IGNORE INTO entities (id, type, name, info) VALUES (?,?,?,?)",
            (m.entity_id, m.type, m.name, info),
        )
        names = {m.name, m.text} | (set(entry.aliases) if entry and cur.rowcount else set())
        self.db.executemany(
            "INSERT OR IGNORE INTO aliases (entity_id, alias, key) VALUES (?,?,?)",
            [(m.entity_id, n, key_of(n)) for n in names if n],
        )

    def _rename_found_entities(self, ids: Iterable[str]) -> None:
        """An entity found only in text is filed under its most used name, whatever the order."""
        for entity_id in ids:
            if "~" not in entity_id:
                continue
            rows = self.db.execute(
                "SELECT text FROM mentions WHERE entity_id = ?", (entity_id,)
            ).fetchall()
            counts = Counter(r[0] for r in rows)
            if counts:
                name = sorted(counts, key=lambda n: (-counts[n], n))[0]
                self.db.execute(
                    "UPDATE entities SET name = ? WHERE id = ?", (strip_article(name), entity_id)
                )

    # -- reading --------------------------------------------------------------------

    def posts(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = None,
        limit: int | None = None,
    ) -> list[PostRow]:
        where, args = [], []
        if since:
            where.append("p.published >= ?")
            args.append(since.isoformat())
        if until:
            where.append("p.published <= ?")
            args.append(until.isoformat())
        if outlet:
            where.append(
                "(EXISTS (SELECT 1 FROM origins o WHERE o.post_id = p.id AND o.name LIKE ?)"
                " OR d.outlet LIKE ?)"
            )
            args += [f"%{outlet}%", f"%{outlet}%"]
        sql = (
            "SELECT p.id, p.source, p.title, p.published, d.outlet FROM posts p"
            " JOIN documents d ON d.id = p.document_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY p.published DESC NULLS LAST, p.id"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        return [self._post_row(r) for r in self.db.execute(sql, args).fetchall()]

    def _post_row(self, r: tuple[Any, ...]) -> PostRow:
        origins = tuple(
            x[0]
            for x in self.db.execute(
                "SELECT name FROM origins WHERE post_id = ? ORDER BY seq", (r[0],)
            )
        )
        authors = tuple(
            x[0]
            for x in self.db.execute(
                "SELECT name FROM post_people WHERE post_id = ? AND role = 'author' ORDER BY seq",
                (r[0],),
            )
        )
        outlets = origins or ((r[4],) if r[4] else ())
        return PostRow(r[0], r[1], r[2], r[3], outlets, authors)

    def post(self, post_id: str) -> Post:
        row = self.db.execute(
            "SELECT id, document_id, idx, source, title, published, text FROM posts WHERE id = ?",
            (post_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no post {post_id!r}; list post ids with 'nkwatch posts'")
        people = self.db.execute(
            "SELECT role, name FROM post_people WHERE post_id = ? ORDER BY role, seq", (post_id,)
        ).fetchall()
        origins = tuple(
            Origin(n, t, a, dt.date.fromisoformat(d) if d else None)
            for n, t, a, d in self.db.execute(
                "SELECT name, title, author, date FROM origins WHERE post_id = ? ORDER BY seq",
                (post_id,),
            )
        )
        mentions = tuple(
            Mention(t, ty, s, e, name, eid, x)
            for t, ty, s, e, name, eid, x in self.db.execute(
                "SELECT m.text, m.type, m.start, m.end, en.name, m.entity_id, m.extractor"
                " FROM mentions m JOIN entities en ON en.id = m.entity_id"
                " WHERE m.post_id = ? ORDER BY m.start",
                (post_id,),
            )
        )
        attributions = tuple(
            Attribution(t, k, src, a, b)
            for t, k, src, a, b in self.db.execute(
                "SELECT text, kind, source, start, end FROM attributions WHERE post_id = ?"
                " ORDER BY start, source",
                (post_id,),
            )
        )
        return Post(
            attributions=attributions,
            document_id=row[1],
            index=row[2],
            source=row[3],
            text=row[6],
            title=row[4],
            published=dt.date.fromisoformat(row[5]) if row[5] else None,
            authors=tuple(n for r, n in people if r == "author"),
            translators=tuple(n for r, n in people if r == "translator"),
            origins=origins,
            mentions=mentions,
        )

    def stats(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "posts", "entities", "mentions", "attributions"):
            out[table] = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        out["stories"] = self.db.execute(
            "SELECT count(DISTINCT story_id) FROM story_members"
        ).fetchone()[0]
        for etype, n in self.db.execute(
            "SELECT type, count(*) FROM entities GROUP BY type ORDER BY type"
        ):
            out[f"entities.{etype}"] = n
        return out

    def entities(self, etype: str | None = None, limit: int | None = None) -> list[EntityRow]:
        sql = (
            "SELECT e.id, e.type, e.name, count(*), count(DISTINCT m.post_id) FROM entities e"
            " JOIN mentions m ON m.entity_id = e.id"
            + (" WHERE e.type = ?" if etype else "")
            + " GROUP BY e.id ORDER BY count(DISTINCT m.post_id) DESC, count(*) DESC, e.name"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        return [EntityRow(*r) for r in self.db.execute(sql, (etype,) if etype else ())]

    def find_entity(self, name: str) -> str:
        """The id of the entity a name denotes: exact id, any alias, or any spelling of one."""
        row = self.db.execute("SELECT id FROM entities WHERE id = ?", (name,)).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT a.entity_id FROM aliases a JOIN mentions m ON m.entity_id = a.entity_id"
                " WHERE a.key = ? GROUP BY a.entity_id ORDER BY count(*) DESC LIMIT 1",
                (key_of(strip_article(name)),),
            ).fetchone()
        if row is None:  # a spelling no one has used yet: the closest known name, if close
            keys = dict(
                self.db.execute(
                    "SELECT a.key, a.entity_id FROM aliases a WHERE EXISTS"
                    " (SELECT 1 FROM mentions m WHERE m.entity_id = a.entity_id)"
                )
            )
            best = process.extractOne(
                key_of(strip_article(name)), list(keys), scorer=fuzz.ratio, score_cutoff=88
            )
            row = (keys[best[0]],) if best else None
        if row is None:
            raise NotFound(f"no entity named {name!r}; list them with 'nkwatch entities'")
        return str(row[0])

    def dossier(self, name: str) -> Dossier:
        entity_id = self.find_entity(name)
        row = self.db.execute(
            "SELECT e.id, e.type, e.name, count(m.post_id), count(DISTINCT m.post_id), e.info"
            " FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id WHERE e.id = ? GROUP BY e.id",
            (entity_id,),
        ).fetchone()
        aliases = tuple(
            a
            for (a,) in self.db.execute(
                "SELECT DISTINCT alias FROM aliases WHERE entity_id = ? ORDER BY alias",
                (entity_id,),
            )
        )
        post_ids = [
            p
            for (p,) in self.db.execute(
                "SELECT DISTINCT m.post_id FROM mentions m JOIN posts p ON p.id = m.post_id"
                " WHERE m.entity_id = ? ORDER BY p.published DESC NULLS LAST",
                (entity_id,),
            )
        ]
        posts = tuple(
            self._post_row(r)
            for pid in post_ids
            for r in self.db.execute(
                "SELECT p.id, p.source, p.title, p.published, d.outlet FROM posts p"
                " JOIN documents d ON d.id = p.document_id WHERE p.id = ?",
                (pid,),
            )
        )
        co = [
            EntityRow(*r)
            for r in self.db.execute(
                "SELECT e.id, e.type, e.name, count(*), count(DISTINCT m2.post_id) FROM mentions m1"
                " JOIN mentions m2 ON m2.post_id = m1.post_id AND m2.entity_id != m1.entity_id"
                " JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = ?"
                " GROUP BY e.id ORDER BY count(DISTINCT m2.post_id) DESC, e.name LIMIT 15",
                (entity_id,),
            )
        ]
        return Dossier(EntityRow(*row[:5]), aliases, json.loads(row[5]), posts, tuple(co))

    # -- stories ------------------------------------------------------------------

    def story_of(self, post_id: str) -> str | None:
        row = self.db.execute(
            "SELECT story_id FROM story_members WHERE post_id = ?", (post_id,)
        ).fetchone()
        return row[0] if row else None

    def find_story(self, ref: str) -> str:
        """A story id from its id, a former id (before a merge), or the id of any of its posts."""
        for sql in (
            "SELECT story_id FROM story_members WHERE story_id = ? LIMIT 1",
            "SELECT story_id FROM story_aliases WHERE old_id = ?",
            "SELECT story_id FROM story_members WHERE post_id = ?",
        ):
            row = self.db.execute(sql, (ref,)).fetchone()
            if row:
                return str(row[0])
        raise NotFound(f"no story or post {ref!r}; list stories with 'nkwatch stories'")

    def story_ids(self, limit: int | None = None, min_versions: int = 1) -> list[str]:
        """Ids of stories with at least `min_versions` versions, the newest story first."""
        sql = (
            "SELECT s.story_id FROM story_members s JOIN posts p ON p.id = s.post_id"
            " GROUP BY s.story_id HAVING count(*) >= ?"
            " ORDER BY max(p.published) DESC NULLS LAST, s.story_id"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        return [r[0] for r in self.db.execute(sql, (min_versions,))]

    def story_versions(self, story_ids: list[str] | None = None) -> list[VersionRow]:
        """The versions of the given stories (all stories when None), oldest first in each."""
        where = " WHERE 1"
        if story_ids is not None:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM wanted")
            self.db.executemany(
                "INSERT OR IGNORE INTO wanted VALUES (?)", [(i,) for i in story_ids]
            )
            where = " WHERE s.story_id IN (SELECT id FROM wanted)"
        origins: dict[str, list[str]] = {}
        for post_id, name in self.db.execute(
            "SELECT o.post_id, o.name FROM origins o JOIN story_members s ON s.post_id = o.post_id"
            + where
            + " ORDER BY o.post_id, o.seq"
        ):
            origins.setdefault(post_id, []).append(name)
        cited: dict[str, list[str]] = {}
        for post_id, name in self.db.execute(
            "SELECT a.post_id, a.source FROM attributions a"
            " JOIN story_members s ON s.post_id = a.post_id"
            + where
            + " AND a.kind IN ('state-media', 'pro-dprk-media', 'defector-media', 'foreign-media',"
            " 'research-institute') GROUP BY a.post_id, a.source ORDER BY a.post_id, min(a.start)"
        ):
            cited.setdefault(post_id, []).append(name)
        links: dict[str, tuple[str, str]] = {}
        for post_b, kind, reason in self.db.execute(
            "SELECT l.post_b, l.kind, l.reason FROM story_links l"
            " JOIN story_members s ON s.post_id = l.post_b" + where + " ORDER BY l.score"
        ):
            links[post_b] = (kind, reason)  # the strongest match is read last and kept
        rows = self.db.execute(
            "SELECT s.story_id, p.id, p.source, p.idx, p.title, p.published, d.outlet, d.url"
            " FROM story_members s JOIN posts p ON p.id = s.post_id"
            " JOIN documents d ON d.id = p.document_id"
            + where
            + " ORDER BY s.story_id, p.published NULLS LAST, p.id"
        ).fetchall()
        return [
            VersionRow(
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


def story_id_of(first_post_id: str) -> str:
    """A story is named after its smallest post id, so its id does not depend on ingest order."""
    return "st-" + digest("story", first_post_id)[:12]


def parse_iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def strip_article(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name
