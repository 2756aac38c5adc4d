"""The flow: read -> split -> describe -> extract -> resolve -> dedupe -> store.

`Pipeline` holds the per-document stages, built once (loading the gazetteer
takes a second), and runs any number of documents. `ingest_paths` adds the
global stages: each batch of documents is written in one transaction, in which
`resolve` names the entities found only in text across the whole knowledge
base and `dedupe` decides each new post's story; the store records what they
decide. `extract_paths` and `ingest_paths` are what the CLI and the Python API
call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nkwatch import gazetteer as gazetteer_mod
from nkwatch.dedupe import StoryAssigner
from nkwatch.describe import describe, plain_name
from nkwatch.extract import Extractor
from nkwatch.model import Document, Post
from nkwatch.read import MAX_BYTES, ReadFailure, read_paths
from nkwatch.resolve import UNKNOWN_MARK, entities_of, found_names
from nkwatch.split import address_of, split
from nkwatch.store import Store


class Pipeline:
    def __init__(self, entities: bool = True):
        self.gazetteer = gazetteer_mod.load()
        self.extractor = Extractor(self.gazetteer) if entities else None

    def canonical_outlet(self, raw: str) -> str:
        """An outlet or institute name as the knowledge base files it."""
        name = plain_name(raw)
        acronym = re.search(r"\(([A-Z][A-Za-z]{1,7})\)\s*$", name)
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", name)
        for form in (name, bare, acronym[1] if acronym else None):
            if (
                form
                and (entry := self.gazetteer.lookup(form))
                and entry.type in ("outlet", "organization")
            ):
                return entry.name
        return bare

    def posts(self, document: Document) -> list[Post]:
        posts = [describe(p, self.canonical_outlet) for p in split(document)]
        if self.extractor is not None:
            posts = [self.extractor.extract(p) for p in posts]
        return posts


@dataclass
class IngestReport:
    files: int = 0
    documents: int = 0
    new_documents: int = 0
    posts: int = 0
    failures: list[ReadFailure] = field(default_factory=list)


def extract_paths(
    paths: list[Path], pipeline: Pipeline | None = None, max_bytes: int = MAX_BYTES
) -> Iterator[Post | ReadFailure]:
    """Posts of every document under the paths, in reading order; nothing is stored."""
    pipeline = pipeline or Pipeline()
    for item in read_paths(paths, max_bytes):
        if isinstance(item, ReadFailure):
            yield item
        else:
            yield from pipeline.posts(item)


def ingest_paths(
    paths: list[Path],
    store: Store,
    pipeline: Pipeline | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[str], None] | None = None,
    on_stored: Callable[[Stored], None] | None = None,
) -> IngestReport:
    """Read, process and store every document under the paths; one transaction per file.
    `on_stored` hears of each committed batch that added something (the search index)."""
    return ingest_items(read_paths(paths, max_bytes), store, pipeline, progress, on_stored)


def ingest_items(
    items: Iterable[Document | ReadFailure],
    store: Store,
    pipeline: Pipeline | None = None,
    progress: Callable[[str], None] | None = None,
    on_stored: Callable[[Stored], None] | None = None,
) -> IngestReport:
    """Process and store documents as a reader yields them; one transaction per file."""
    pipeline = pipeline or Pipeline()
    stories = StoryAssigner()
    report = IngestReport()
    batch: list[tuple[Document, list[Post]]] = []
    current: str | None = None

    def flush() -> None:
        if batch:
            stored = store_batch(store, batch, pipeline, stories)
            report.new_documents += stored.documents
            report.posts += len(stored.posts)
            if on_stored is not None and stored.documents:
                on_stored(stored)
            batch.clear()

    for item in items:
        if isinstance(item, ReadFailure):
            report.failures.append(item)
            report.files += 1
            if progress:
                progress(item.source)
            continue
        if item.file_sha256 != current:
            flush()
            current = item.file_sha256
            report.files += 1
            if progress:
                progress(item.source)
        report.documents += 1
        if store.has_document(item.id):
            continue
        try:
            posts = pipeline.posts(item)
        except Exception as exc:  # a defect in a stage must not sink the rest of the batch
            report.failures.append(
                ReadFailure(
                    item.source,
                    f"nkwatch failed on it ({type(exc).__name__}: {exc}); please report this",
                )
            )
            continue
        batch.append((item, posts))
    flush()
    return report


@dataclass(frozen=True)
class Stored:
    """What one committed batch added: new documents, new posts, the stories they joined."""

    documents: int
    posts: tuple[str, ...]
    stories: tuple[str, ...]


def store_batch(
    store: Store,
    batch: list[tuple[Document, list[Post]]],
    pipeline: Pipeline,
    stories: StoryAssigner,
) -> Stored:
    """The global stages over one batch, in one transaction."""
    new_documents = 0
    post_ids: list[str] = []
    story_ids: set[str] = set()
    with store.writing() as kb:
        found: set[str] = set()
        for document, posts in batch:
            if not kb.add_document(document):
                continue
            new_documents += 1
            address = address_of(document)
            for post in posts:
                kb.add_post(post, entities_of(post, pipeline.gazetteer))
                decision = stories.decide(kb, post, address if len(posts) == 1 else None)
                kb.file_story(decision)
                post_ids.append(post.id)
                story_ids.add(decision.story_id)
                found.update(m.entity_id for m in post.mentions if UNKNOWN_MARK in m.entity_id)
        for entity_id, name in found_names(kb.mention_texts(found)).items():
            kb.rename_entity(entity_id, name)
        if new_documents:
            kb.count_ingest()
    return Stored(new_documents, tuple(post_ids), tuple(sorted(story_ids)))
