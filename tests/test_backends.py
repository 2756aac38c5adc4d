"""One behaviour suite, every backend: the same documents give the same knowledge base.

Each test runs against a real SQLite file and a real PostgreSQL server the tests start.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from nkwatch import Pipeline, ingest_paths, open_store
from nkwatch.cli import main
from nkwatch.dedupe import StoryAssigner
from nkwatch.errors import NotFound, StoreError
from nkwatch.model import Post
from nkwatch.pipeline import store_batch
from nkwatch.ratings import Ratings
from nkwatch.read import read_file
from nkwatch.views import dossier, stories

from .conftest import ROOT, SAMPLES

STORY_FIXTURES = ROOT / "tests" / "fixtures" / "stories"
FACT_FIXTURES = ROOT / "tests" / "fixtures" / "facts"


@pytest.fixture(params=["sqlite", "postgresql"])
def kb(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty knowledge base lives: a file path or a server URL."""
    if request.param == "sqlite":
        return str(tmp_path / "kb.db")
    return str(request.getfixturevalue("postgres_url"))


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def ingest(target: str, paths: list[Path], pipeline: Pipeline) -> None:
    store = open_store(target, write=True)
    try:
        report = ingest_paths(paths, store, pipeline)
        assert not report.failures
    finally:
        store.close()


def test_ingest_is_idempotent_and_counted(kb: str, pipeline: Pipeline) -> None:
    store = open_store(kb, write=True)
    first = ingest_paths([SAMPLES], store, pipeline)
    counts, ingests = store.stats(), store.ingest_count()
    second = ingest_paths([SAMPLES], store, pipeline)
    assert first.new_documents > 0 and first.posts >= 12 and ingests >= 1
    assert second.new_documents == 0 and second.posts == 0
    assert store.stats() == counts and store.ingest_count() == ingests
    store.close()


def test_a_failed_batch_writes_nothing(kb: str, pipeline: Pipeline) -> None:
    store = open_store(kb, write=True)
    [doc] = read_file(SAMPLES / "articles" / "pyongyang-socks.txt")
    good = pipeline.posts(doc)
    clash = [good[0], Post(doc.id, 0, doc.source, "same index twice")]
    with pytest.raises(StoreError, match="failed"):
        store_batch(store, [(doc, clash)], pipeline, StoryAssigner())
    assert store.stats()["documents"] == 0 and store.stats()["posts"] == 0
    assert store.ingest_count() == 0
    stored = store_batch(store, [(doc, good)], pipeline, StoryAssigner())
    assert stored.documents == 1 and len(stored.posts) == 1 and len(stored.stories) == 1
    store.close()


def test_queries_return_model_types(kb: str, pipeline: Pipeline) -> None:
    ingest(kb, [SAMPLES], pipeline)
    store = open_store(kb)
    daily = store.posts(outlet="daily nk")
    assert daily and all("Daily NK" in r.outlets for r in daily)
    post = store.post(daily[0].id)
    assert post.mentions and post.origins[0].name == "Daily NK"
    found = dossier(store, "Kimchaek Iron and Steel Works", Ratings.load())
    assert found.entity.name == "Kim Chaek Iron and Steel Complex"
    assert found.entity.info["place"] == "Chongjin" and found.posts and found.timeline
    assert all(p.story in found.grades for p in found.posts)
    with pytest.raises(NotFound):
        store.post("nope")
    with pytest.raises(StoreError, match="opened for reading"), store.writing():
        pass
    store.close()


def test_stories_merge_and_keep_their_old_ids(kb: str, pipeline: Pipeline) -> None:
    ingest(kb, [STORY_FIXTURES], pipeline)
    store = open_store(kb)
    found = stories(store, Ratings.load(), min_versions=3)
    assert len(found) == 2
    rice = next(s for s in found if "Rice" in (s.title or ""))
    assert len(rice.sources) == 1 and rice.grade[1] in "3456"
    for v in rice.versions:
        assert store.find_story(v.post_id) == rice.id
    store.close()


def test_both_backends_build_the_same_knowledge_base(
    tmp_path: Path, postgres_url: str, shared: Path, pipeline: Pipeline
) -> None:
    paths = [shared / "corpus" / "seeds", SAMPLES, STORY_FIXTURES, FACT_FIXTURES]
    outputs = []
    for target in (str(tmp_path / "kb.db"), postgres_url):
        ingest(target, paths, pipeline)
        outputs.append(
            (
                cli("stories", "--format", "jsonl", "--db", target),
                cli("entities", "--format", "jsonl", "--db", target),
                cli("stats", "--db", target),
                cli("facts", "rice", "--format", "jsonl", "--db", target),
                cli("facts", "Kim Chaek Iron and Steel Complex", "--db", target),
                cli("series", "rice", "--format", "csv", "--db", target),
            )
        )
    assert outputs[0] == outputs[1]
    assert "claims" in outputs[0][2] and "contradicted by NK News (B)" in outputs[0][4]
    entities = [json.loads(line) for line in outputs[0][1].splitlines()]
    assert {"id", "type", "name", "aliases", "mentions", "stories", "place", "lat", "lon"} <= set(
        entities[0]
    )
    chongjin = next(e for e in entities if e["name"] == "Kim Chaek Iron and Steel Complex")
    assert chongjin["lat"] and chongjin["lon"] and chongjin["stories"] >= 1


def test_concurrent_ingests_into_one_server_equal_one_ingest(
    tmp_path: Path, postgres_server: object, pipeline: Pipeline
) -> None:
    server = postgres_server
    files = sorted(p for p in [*SAMPLES.rglob("*"), *STORY_FIXTURES.rglob("*")] if p.is_file())
    halves = [files[0::2], files[1::2]]
    with server.database() as together, server.database() as alone:  # type: ignore[attr-defined]
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "nkwatch", "ingest", *map(str, half), "--db", together],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for half in halves
        ]
        for run in runs:
            _, err = run.communicate(timeout=300)
            assert run.returncode == 0, err
        ingest(alone, files, pipeline)
        for command in (["stats"], ["stories", "--format", "jsonl"]):
            assert cli(*command, "--db", together) == cli(*command, "--db", alone)


def test_a_database_of_another_program_is_refused_and_left_alone(
    tmp_path: Path, postgres_url: str
) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
    con.commit()
    con.close()
    before = other.read_bytes()
    for write in (False, True):
        with pytest.raises(StoreError, match="not an nkwatch knowledge base"):
            open_store(other, write=write)
    assert other.read_bytes() == before

    url = make_url(postgres_url)
    conninfo = f"host={url.host} port={url.port} user={url.username} dbname={url.database}"
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute("CREATE TABLE accounts (id int PRIMARY KEY)")
    for write in (False, True):
        with pytest.raises(StoreError, match="not an nkwatch knowledge base"):
            open_store(postgres_url, write=write)
    with psycopg.connect(conninfo) as con:
        tables = {
            r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
    assert tables == {"accounts"}


def test_reading_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["posts", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no knowledge base" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_server_that_cannot_be_reached_is_one_line() -> None:
    result = CliRunner().invoke(main, ["stats", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "failed" in result.output


def test_overlapping_mentions_are_all_kept(kb: str, pipeline: Pipeline) -> None:
    from nkwatch.model import Document, Mention

    text = "Kim Chaek Iron and Steel Complex"
    doc = Document("overlap.txt", "text", text, "sha-overlap")
    post = Post(
        doc.id,
        0,
        doc.source,
        text,
        mentions=(
            Mention(text, "facility", 0, len(text), text, "facility:~kim-chaek-complex"),
            Mention("Kim Chaek", "person", 0, 9, "Kim Chaek", "person:~kim-chaek"),
        ),
    )
    store = open_store(kb, write=True)
    store_batch(store, [(doc, [post])], pipeline, StoryAssigner())
    stored = store.post(post.id).mentions
    assert {(m.start, m.end, m.type) for m in stored} == {
        (0, len(text), "facility"),
        (0, 9, "person"),
    }
    store.close()


def test_exports_stream_the_same_rows_from_both_backends(
    tmp_path: Path, postgres_url: str, pipeline: Pipeline
) -> None:
    sqlite = str(tmp_path / "kb.db")
    for target in (sqlite, postgres_url):
        ingest(target, [SAMPLES], pipeline)
    runs = [
        ("export", "--format", "csv", "--what", "entities"),
        ("export", "--format", "csv", "--what", "posts", "--since", "2020-01-01"),
        ("export", "--format", "jsonl", "--what", "mentions", "--type", "facility"),
        ("export", "--format", "ftm", "--what", "all"),
        ("export", "--format", "geojson"),
        ("entity", "Nodong Sinmun", "--format", "csv"),
    ]
    for args in runs:
        from_sqlite = cli(*args, "--db", sqlite)
        assert from_sqlite.count("\n") >= 2, args
        assert cli(*args, "--db", postgres_url) == from_sqlite, args
