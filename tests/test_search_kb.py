"""Search over a real knowledge base: the index follows the store, and the query knows the domain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkwatch import Pipeline, ingest_paths, open_store
from nkwatch.cli import main

from .conftest import ROOT, SAMPLES

STORY_FIXTURES = ROOT / "tests" / "fixtures" / "stories"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def hits(db: Path | str, *args: str) -> list[dict[str, object]]:
    out = run("search", *args, "--format", "jsonl", "--db", str(db))
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("search") / "kb.db"
    run("ingest", str(SAMPLES), str(STORY_FIXTURES), "--db", str(db))
    assert Path(f"{db}.search").is_dir()  # the ingest built the index beside the file
    return db


def test_any_spelling_or_script_finds_the_same_posts(kb: Path) -> None:
    found = [
        {h["id"] for h in hits(kb, q)}
        for q in ("Kimchaek steel", "Kim Ch'aek", "Gimchaek", "김책제철련합기업소")
    ]
    assert found[0] and all(f == found[0] for f in found)


def test_hits_carry_the_extract_keys_and_a_marked_snippet(kb: Path) -> None:
    [first, *_] = hits(kb, "rice prices")
    assert {
        "id",
        "source",
        "post",
        "title",
        "published",
        "outlet",
        "story",
        "score",
        "snippet",
    } <= set(first)
    assert "<mark>" in str(first["snippet"])
    post = run("show", str(first["id"]), "--db", str(kb))
    assert str(first["title"]) in post


def test_filters_narrow_and_by_story_groups(kb: Path) -> None:
    every = hits(kb, "rice")
    grouped = hits(kb, "rice", "--by-story")
    assert len(grouped) < len(every)
    assert any(int(str(h["versions"])) > 1 for h in grouped)
    dated = hits(kb, "rice", "--since", "2021", "--until", "2021-12")
    assert dated and all(str(h["published"]).startswith("2021") for h in dated)
    ifes = hits(kb, "", "--outlet", "IFES", "--limit", "50")
    assert ifes and {h["outlet"] for h in ifes} == {"Institute for Far Eastern Studies"}
    complex_ = hits(kb, "", "--entity", "Kimchaek Iron and Steel Works")
    assert complex_ and all(h["id"] for h in complex_)
    story = str(grouped[0]["story"])
    versions = hits(kb, "", "--story", story)
    assert {h["story"] for h in versions} == {story}


def test_bad_periods_and_a_reversed_range_are_one_line(kb: Path) -> None:
    for args in (["--since", "May 2020"], ["--since", "2021", "--until", "2020"]):
        result = CliRunner().invoke(main, ["search", "rice", *args, "--db", str(kb)])
        assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_stale_or_missing_index_is_caught_up_before_answering(
    tmp_path: Path, kb: Path, pipeline: Pipeline
) -> None:
    db = tmp_path / "kb.db"
    shutil.copy(kb, db)
    assert not Path(f"{db}.search").exists()
    assert hits(db, "rice")  # no index yet: built from the store first
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "Tractor parts scarce in Tokchon\n\nBy Han Sol\n\nMarch 3, 2022\n\n"
        "Farms near Tokchon report that tractor parts from the Sungri Motor Complex "
        "have not arrived since the winter.",
        encoding="utf-8",
    )
    store = open_store(db, write=True)  # an ingest that did not update the index
    ingest_paths([extra], store, pipeline)
    store.close()
    found = hits(db, "tractor parts Tokchon")
    assert found and str(found[0]["source"]).endswith("extra.txt")
    assert "posts indexed" in run("reindex", "--db", str(db))


def test_a_server_knowledge_base_searches_an_index_it_is_given(
    tmp_path: Path, postgres_url: str
) -> None:
    empty = CliRunner().invoke(main, ["search", "rice", "--db", postgres_url])
    assert empty.exit_code == 1 and "no knowledge base" in empty.output
    index = str(tmp_path / "pg.search")
    run("ingest", str(SAMPLES), "--db", postgres_url, "--index", index)
    refused = CliRunner().invoke(main, ["search", "rice", "--db", postgres_url])
    assert refused.exit_code == 1 and "--index" in refused.output
    assert hits(postgres_url, "Kimchaek steel", "--index", index)
