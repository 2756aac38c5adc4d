from __future__ import annotations

from pathlib import Path

from nkwatch import ingest_paths, open_store


def test_whole_kcna_archive_ingests_once(tmp_path: Path, shared: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    archive = shared / "corpus" / "kcna" / "kcna-archive-2024.json"
    store = open_store(tmp_path / "kb.db", write=True)
    first = ingest_paths([archive], store, pipeline)
    assert first.failures == []
    assert first.documents == 1862 and first.new_documents == store.stats()["documents"]
    assert store.stats()["posts"] >= first.new_documents
    second = ingest_paths([archive], store, pipeline)
    assert second.new_documents == 0 and second.posts == 0
    top = {e.name for e in store.entities("facility", 20)}
    assert "Kim Chaek Iron and Steel Complex" in top
