from __future__ import annotations

from pathlib import Path

import pytest

from nkwatch import ingest_paths, open_store
from nkwatch.dedupe import StoryAssigner
from nkwatch.errors import NotFound, StoreError
from nkwatch.model import Post
from nkwatch.pipeline import store_batch
from nkwatch.ratings import Ratings
from nkwatch.read import read_file
from nkwatch.views import dossier

from .conftest import SAMPLES


def test_ingest_is_idempotent(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "kb.db", write=True)
    first = ingest_paths([SAMPLES], store, pipeline)
    counts = store.stats()
    second = ingest_paths([SAMPLES], store, pipeline)
    assert first.new_documents > 0 and first.posts >= 12
    assert second.new_documents == 0 and second.posts == 0
    assert store.stats() == counts


def test_failed_batch_writes_nothing(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "kb.db", write=True)
    [doc] = read_file(SAMPLES / "articles" / "pyongyang-socks.txt")
    good = pipeline.posts(doc)
    clash = [
        good[0],
        Post(doc.id, 0, doc.source, "same index twice"),
    ]  # violates UNIQUE(document, idx)
    with pytest.raises(StoreError, match="failed"):
        store_batch(store, [(doc, clash)], pipeline, StoryAssigner())
    assert store.stats()["documents"] == 0 and store.stats()["posts"] == 0
    stored = store_batch(store, [(doc, good)], pipeline, StoryAssigner())
    assert stored.documents == 1 and len(stored.posts) == 1 and len(stored.stories) == 1


def test_queries(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "kb.db", write=True)
    ingest_paths([SAMPLES], store, pipeline)
    daily = store.posts(outlet="Daily NK")
    assert daily and all("Daily NK" in r.outlets for r in daily)
    dated = store.posts(since=__import__("datetime").date(2021, 1, 1))
    assert dated and all(r.published >= "2021-01-01" for r in dated)  # type: ignore[operator]
    post = store.post(daily[0].id)
    assert post.mentions and post.origins[0].name == "Daily NK"
    found = dossier(store, "Kimchaek Iron and Steel Works", Ratings.load())
    assert found.entity.name == "Kim Chaek Iron and Steel Complex"
    assert found.entity.info["place"] == "Chongjin" and found.posts
    with pytest.raises(NotFound):
        store.post("nope")


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "kb.db"
    bad.write_text("this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable nkwatch knowledge base"):
        open_store(bad)


def test_a_batch_that_writes_its_held_rows_early_stores_the_same(
    tmp_path: Path,
    pipeline,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nkwatch.store import writes

    from .test_dask_engine import listings

    made = []
    # 7 and 60: rows are written many times in a batch, some between a post's rows
    for held in (writes.HELD_ROWS, 7, 60):
        monkeypatch.setattr(writes, "HELD_ROWS", held)
        db = tmp_path / f"kb-{held}.db"
        store = open_store(db, write=True)
        try:
            ingest_paths([SAMPLES], store, pipeline)
        finally:
            store.close()
        made.append(listings(db))
    assert made[0][0].count('"id"') >= 10
    assert made[1] == made[0]
    assert made[2] == made[0]
