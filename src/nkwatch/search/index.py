"""The search index: an embedded tantivy index in one folder, fed by the store.

The index is derived data. The store hands it posts with its ingest counter
(`add(posts, stamp)`); `stamp()` tells the store how far the index has got, so it
can hand over what came later. The stamp is written after the commit, so a crash
between the two leaves an older stamp and the same posts are handed over again,
which changes nothing: a post replaces any post with its id.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tantivy
from tantivy import FieldType, Query

from ..errors import SearchError
from .fields import LABEL_SEPARATOR, SCHEMA_VERSION, document, midnight, outlet_key, schema
from .model import FacetCount, Facets, Fragment, Hit, IndexedPost, SearchResult
from .parse import Builder, Clause, both, either, highlights, parse
from .snippet import Folds, snippet

STATE = "nkwatch-search.json"  # {"schema": version, "stamp": the store's ingest counter}
HEAP = 50_000_000  # bytes the writer buffers before it flushes a segment
THREADS = 2  # indexing threads; each needs 15 MB or more of the heap
EXACT_STORIES = 2_000  # posts up to which stories are counted exactly, past it estimated
ENTITY_BOOST = 3.0  # a post tagged with an entity the query names
FACET_SIZES = {"outlets": 30, "years": 200, "entities": 20, "grades": 60}
FACET_FIELDS = {"outlets": "outlet", "years": "year", "entities": "entity", "grades": "grade"}

Expand = Callable[[str], list[tuple[str, str]]]


class SearchIndex:
    """Open with `SearchIndex.open(path)`. Safe to share between threads; one process
    writes at a time (another waits up to `wait` seconds for it, then gets a
    `SearchError` and may try again later)."""

    def __init__(self, path: Path, index: tantivy.Index, wait: float = 0.0) -> None:
        self.path = path
        self.wait = wait
        self._index = index
        self._schema = index.schema
        self._builder = Builder(self._schema)
        self._write = threading.Lock()
        self._fold = Folds()

    @classmethod
    def open(cls, path: Path, wait: float = 0.0) -> SearchIndex:
        """The index in folder `path`, created empty when missing. An index built with
        another schema is started afresh (stamp 0), so the store rebuilds it. A write
        waits up to `wait` seconds for another process's write to finish."""
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise SearchError(f"{path} is a file; give the search index a folder of its own")
        try:
            path.mkdir(parents=True, exist_ok=True)
            fresh = not (tantivy.Index.exists(str(path)) and read_state(path)[0] == SCHEMA_VERSION)
            if fresh:
                index = tantivy.Index(schema(), path=str(path), reuse=False)
                write_state(path, 0)
            else:
                index = tantivy.Index.open(str(path))
        except (OSError, ValueError) as e:
            said = one_line(e)
            hint = (
                "make its folder writable"
                if "read-only" in said.lower() or "permission" in said.lower()
                else "make room on the disk"
                if "no space" in said.lower()
                else "delete the folder to rebuild it"
            )
            raise SearchError(f"cannot open the search index at {path} ({said}); {hint}") from e
        return cls(path, index, wait)

    def stamp(self) -> int:
        """The store's ingest counter as of the last `add`; 0 for a new or cleared index."""
        return read_state(self.path)[1]

    def count(self) -> int:
        """Posts in the index."""
        return int(self._index.searcher().num_docs)

    def add(self, posts: Iterable[IndexedPost], stamp: int) -> int:
        """Index posts, each replacing any post with its id; one commit; records `stamp`."""
        names: dict[tuple[str, ...], str] = {}
        with self._write, self._writing(), self._writer() as writer:
            n = 0
            for post in posts:
                writer.delete_documents_by_term("id", post.id)
                writer.add_document(document(post, self._fold, names))
                n += 1
            writer.commit()
            self._index.reload()
            write_state(self.path, stamp)
        return n

    def remove(self, ids: Iterable[str]) -> None:
        """Drop posts by id; ids not in the index are ignored. The stamp is kept."""
        with self._write, self._writing(), self._writer() as writer:
            for post_id in ids:
                writer.delete_documents_by_term("id", post_id)
            writer.commit()
            self._index.reload()

    def clear(self) -> None:
        """Drop every post and reset the stamp to 0."""
        with self._write, self._writing(), self._writer() as writer:
            writer.delete_all_documents()
            writer.commit()
            self._index.reload()
            write_state(self.path, 0)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write whose failure (a full disk, a folder made read-only) is one SearchError;
        the knowledge base is untouched, and 'nkwatch reindex' rebuilds the index."""
        try:
            yield
        except (OSError, ValueError) as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise SearchError(
                f"could not write the search index at {self.path} ({reason}); make room or "
                "fix its permissions, then run 'nkwatch reindex'"
            ) from e

    def _writer(self) -> Writer:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                return Writer(self._index.writer(HEAP, THREADS))
            except ValueError as e:
                if time.monotonic() >= deadline:
                    raise SearchError(
                        f"the search index at {self.path} is being written by another "
                        "process; try again when it has finished"
                    ) from e
                time.sleep(0.05)

    def query(
        self,
        q: str = "",
        *,
        outlet: str | None = None,
        entity: str | None = None,
        type: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        grade: str | None = None,
        story: str | None = None,
        by_story: bool = False,
        limit: int = 20,
        offset: int = 0,
        facets: bool = True,
        expand: Expand | None = None,
    ) -> SearchResult:
        """Posts matching every word of `q` (else any, ranked; see `SearchResult.match`)
        within the filters; no words lists the newest first.

        Filters: `outlet` by any of its names, `entity` by id, `type` an entity type the
        post mentions, `since`/`until` inclusive days (undated posts drop out), `grade`
        "C3" or a reliability letter "C", `story` by id. `by_story` keeps the best post
        of each story and counts stories. `facets=False` skips the counts. `expand(q)`
        gives the known entities the query names, as (entity id, name): posts tagged
        with one match too, when the words its name does not cover also match."""
        if limit < 0 or offset < 0:
            raise SearchError(f"limit and offset must be 0 or more, not {limit} and {offset}")
        clauses = parse(q, self._fold)
        named = expand(q) if expand is not None and q.strip() else []
        filters = self._filters(outlet, entity, type, since, until, grade, story)
        searcher = self._index.searcher()
        match: Literal["all", "any"] = "all"
        if clauses or named:
            order = None
            query = both([self._match(clauses, named, every=True), *filters])
            total, page = self._page(searcher, query, order, by_story, limit, offset)
            if total == 0 and len(clauses) > 1:
                query = both([self._match(clauses, named, every=False), *filters])
                total, page = self._page(searcher, query, order, by_story, limit, offset)
                match = "any"
        else:
            order = "published"
            query = both(filters) if filters else Query.all_query()
            total, page = self._page(searcher, query, order, by_story, limit, offset)
        keys = highlights(clauses)
        stems = self._builder.stems([w for c in clauses for o in c.options for w in o.surface])
        marker = Marker(keys, stems, self._fold, self._snippets(searcher, query, clauses))
        hits = [self._hit(searcher, addr, score, order, marker) for score, addr in page]
        found = self._facets(searcher, query) if facets and total else Facets()
        return SearchResult(total, hits, found, match)

    def _match(
        self, clauses: tuple[Clause, ...], named: list[tuple[str, str]], every: bool
    ) -> Query:
        """The words, or a named entity's tag with the words its name does not cover."""
        options = [self._builder.match(clauses, every)] if clauses else []
        for entity_id, name in named:
            tagged = Query.boost_query(self._term("entity", entity_id), ENTITY_BOOST)
            if every and clauses:
                covers = highlights(parse(name, self._fold))
                rest = [
                    i
                    for i, c in enumerate(clauses)
                    if not any(set(o.keys) <= covers for o in c.options)
                ]
                if len(rest) == len(clauses):
                    rest = []  # the query names it under a name it is not shown by
                tagged = both([tagged, *(self._builder.clause(clauses, i) for i in rest)])
            options.append(tagged)
        return either(options)

    def _term(self, field: str, value: Any) -> Query:
        return Query.term_query(self._schema, field, value)

    def _filters(
        self,
        outlet: str | None,
        entity: str | None,
        kind: str | None,
        since: dt.date | None,
        until: dt.date | None,
        grade: str | None,
        story: str | None,
    ) -> list[Query]:
        terms = [
            ("outlet_keys", outlet_key(outlet) if outlet else None),
            ("entity", entity or None),
            ("entity_type", kind.strip().lower() if kind else None),
            ("grade_terms", grade.strip().upper() if grade else None),
            ("story", story or None),
        ]
        out = [self._term(field, value) for field, value in terms if value]
        if since or until:
            out.append(
                Query.range_query(
                    self._schema,
                    "published",
                    FieldType.Date,
                    midnight(since) if since else None,
                    midnight(until) if until else None,
                )
            )
        return [Query.const_score_query(f, 0.0) for f in out]

    def _page(
        self,
        searcher: tantivy.Searcher,
        query: Query,
        order: str | None,
        by_story: bool,
        limit: int,
        offset: int,
    ) -> tuple[int, list[tuple[Any, tantivy.DocAddress]]]:
        if not by_story:
            found = searcher.search(
                query, max(limit, 1), count=True, order_by_field=order, offset=offset
            )
            return matches(found), found.hits[:limit]
        want = offset + limit
        fetch = max(4 * want, 40)
        while True:  # one hit per story: read more ranked posts until enough stories
            found = searcher.search(query, fetch, count=True, order_by_field=order)
            stories = searcher.fast_field_values("story_key", [a for _, a in found.hits])
            seen: set[Any] = set()
            best = []
            for hit, key in zip(found.hits, stories, strict=True):
                if key not in seen:
                    seen.add(key)
                    best.append(hit)
            count = matches(found)
            if fetch >= count or (len(best) >= want and count > EXACT_STORIES):
                break
            fetch = count if count <= EXACT_STORIES else fetch * 4
        if fetch >= count:
            total = len(seen)
        else:
            total = max(round(searcher.cardinality(query, "story_key")), len(seen))
        return total, best[offset:want]

    def _hit(
        self,
        searcher: tantivy.Searcher,
        addr: tantivy.DocAddress,
        score: Any,
        order: str | None,
        marker: Marker,
    ) -> Hit:
        doc = searcher.doc(addr)
        published = doc.get_first("published")
        return Hit(
            id=doc.get_first("id") or "",
            source=doc.get_first("source") or "",
            post=int(doc.get_first("post") or 0),
            title=doc.get_first("title"),
            published=published.date() if published else None,
            outlet=doc.get_first("outlet"),
            story=doc.get_first("story"),
            versions=int(doc.get_first("versions") or 1),
            grade=doc.get_first("grade"),
            score=0.0 if order else float(score),
            snippet=marker.snippet(doc),
        )

    def _snippets(
        self, searcher: tantivy.Searcher, query: Query, clauses: tuple[Clause, ...]
    ) -> tantivy.SnippetGenerator | None:
        """tantivy's snippets, to find where in a long text the stemmed words match."""
        if not clauses:
            return None
        return tantivy.SnippetGenerator.create(searcher, query, self._schema, "text")

    def _facets(self, searcher: tantivy.Searcher, query: Query) -> Facets:
        aggs = {
            name: {
                "terms": {
                    "field": FACET_FIELDS[name],
                    "size": size,
                    "segment_size": max(10 * size, 500),
                }
            }
            for name, size in FACET_SIZES.items()
        }
        found = searcher.aggregate(query, aggs)

        def counts(name: str) -> list[tuple[str, int]]:
            buckets = found.get(name, {}).get("buckets", [])
            return [(str(b["key"]), int(b["doc_count"])) for b in buckets]

        def label(entity_id: str) -> str:
            prefix = entity_id + LABEL_SEPARATOR
            terms = searcher.terms_with_prefix("entity_label", prefix, limit=1)
            return terms[0][0][len(prefix) :] if terms else entity_id

        return Facets(
            outlets=tuple(FacetCount(v, n, v) for v, n in counts("outlets")),
            years=tuple(FacetCount(v, n, v) for v, n in sorted(counts("years"))),
            entities=tuple(FacetCount(v, n, label(v)) for v, n in counts("entities")),
            grades=tuple(FacetCount(v, n, v) for v, n in counts("grades")),
        )


@dataclass(frozen=True)
class Marker:
    """Snippets for the hits of one query."""

    keys: frozenset[str]
    stems: list[str]
    fold: Folds
    finder: tantivy.SnippetGenerator | None

    def snippet(self, doc: tantivy.Document) -> tuple[Fragment, ...]:
        text = doc.get_first("text") or ""
        near = None
        if self.finder is not None:
            found = self.finder.snippet_from_doc(doc)
            marks = found.highlighted()
            if marks:  # tantivy counts in bytes
                at = found.fragment_range().start + min(m.start for m in marks)
                near = len(text.encode()[:at].decode("utf-8", "ignore"))
        return snippet(text, self.keys, self.stems, self.fold, near)


class Writer:
    """An index writer that rolls back on error and always gives its lock back."""

    def __init__(self, writer: tantivy.IndexWriter) -> None:
        self.writer = writer

    def __enter__(self) -> tantivy.IndexWriter:
        return self.writer

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None:
            self.writer.rollback()
        self.writer.wait_merging_threads()


def read_state(path: Path) -> tuple[int, int]:
    """(schema version, stamp) of the index in `path`; (0, 0) when unknown."""
    try:
        state = json.loads((path / STATE).read_text("utf-8"))
        return int(state["schema"]), int(state["stamp"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0


def write_state(path: Path, stamp: int) -> None:
    """Write the state file whole or not at all: a temporary file renamed over it."""
    tmp = path / f".{STATE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"schema": SCHEMA_VERSION, "stamp": stamp}), "utf-8")
    os.replace(tmp, path / STATE)


def matches(found: tantivy.SearchResult) -> int:
    """The number of matching posts of a search run with count=True."""
    return int(found.count)  # type: ignore[attr-defined]  # missing from the stubs


def one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]
