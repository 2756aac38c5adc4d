"""Stories: versions grouped across documents, sources counted once, grades with reasons."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkwatch import Pipeline
from nkwatch.cli import main
from nkwatch.dedupe import Fingerprint, judge
from nkwatch.model import Story
from nkwatch.pipeline import ingest_paths
from nkwatch.ratings import Ratings
from nkwatch.store import open_store
from nkwatch.stories import views

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "stories"


def ingest(db: Path, paths: list[Path], pipeline: Pipeline) -> None:
    store = open_store(db, write=True)
    try:
        report = ingest_paths(paths, store, pipeline)
        assert not report.failures
    finally:
        store.close()


def all_stories(db: Path, ratings: Ratings | None = None) -> list[Story]:
    store = open_store(db)
    try:
        return views(store.story_versions(), ratings or Ratings.load())
    finally:
        store.close()


def by_title(stories: list[Story]) -> dict[str, Story]:
    """Each story under the title of every one of its versions."""
    return {v.title: s for s in stories for v in s.versions if v.title}


def partition(stories: list[Story]) -> set[frozenset[tuple[str, int]]]:
    return {frozenset((v.source, v.index) for v in s.versions) for s in stories}


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    db = tmp_path_factory.mktemp("stories") / "kb.db"
    ingest(db, [FIXTURES], pipeline)
    return db


def test_seed_translations_are_one_story_and_nothing_else_merges(
    tmp_path: Path, shared: Path, pipeline: Pipeline
) -> None:
    db = tmp_path / "kb.db"
    ingest(db, [shared / "corpus" / "seeds"], pipeline)
    result = CliRunner().invoke(main, ["stories", "--format", "jsonl", "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum(len(r["posts"]) for r in rows) == 11  # every seed post is in exactly one story
    merged = [r for r in rows if len(r["posts"]) > 1]
    assert len(merged) == 1
    story = merged[0]
    assert [p["post"] for p in story["posts"]] == [8, 9]
    assert all(p["source"].endswith(".txt") and "003_" in p["source"] for p in story["posts"])
    assert story["independent_sources"] == 1
    assert story["id"].startswith("st-")


def test_copies_of_one_report_form_one_story_with_one_source(fixture_db: Path) -> None:
    stories = by_title(all_stories(fixture_db))
    rice = stories["Rice prices climb in Sinuiju as traders hold back stock"]
    titles = {v.title for v in rice.versions}
    # https, http and mobile copies, a blog excerpt and a retelling in other words
    assert len(rice.versions) == 5
    assert titles == {
        "Rice prices climb in Sinuiju as traders hold back stock",
        "Sinuiju rice prices up again",
        "Hoarding pushes up the price of rice on the border",
    }
    assert [s.name for s in rice.sources] == ["Daily NK"]
    assert rice.earliest == "2023-03-07"
    assert rice.first_outlet == "Daily NK"
    kinds = {v.link[0] for v in rice.versions if v.link}
    assert {"same-text", "near-copy", "excerpt", "retelling"} <= kinds


def test_wire_copies_collapse_to_the_agency(fixture_db: Path) -> None:
    wire = by_title(all_stories(fixture_db))["North finishes blast furnace work at Songnim"]
    assert len(wire.versions) == 3
    assert len({v.publisher for v in wire.versions}) == 3  # three papers ran it
    assert [s.name for s in wire.sources] == ["Yonhap"]


def test_second_translation_and_listing_copy(fixture_db: Path) -> None:
    stories = by_title(all_stories(fixture_db))
    brief = stories["North Korea pushes domestic raw materials in light industry"]
    assert {v.title for v in brief.versions} == {
        "North Korea pushes domestic raw materials in light industry",
        "North Korea promotes domestic raw materials for light industry",
    }
    magnesia = stories["Magnesia clinker exports to China resume from Tanchon"]
    sources = sorted(Path(v.source).name for v in magnesia.versions)
    assert sources == ["archive.txt", "tanchon-magnesia.html"]
    assert [s.name for s in magnesia.sources] == ["Border Trade Notes"]  # the listing is a copy


def test_same_topic_different_events_stay_apart(fixture_db: Path) -> None:
    stories = by_title(all_stories(fixture_db))
    for title in (
        "Rice prices ease in Sinuiju after the spring harvest",
        "Mongolian party delegation arrives",
        "Mongolian party delegation leaves",
        "Coal deliveries to the Pyongyang Thermal Power Complex fall short",
    ):
        assert len(stories[title].versions) == 1, title
    assert (
        stories["Mongolian party delegation arrives"]
        is not stories["Mongolian party delegation leaves"]
    )


def test_grades_come_with_reasons(fixture_db: Path) -> None:
    stories = by_title(all_stories(fixture_db))
    rice = stories["Rice prices climb in Sinuiju as traders hold back stock"]
    daily_nk = Ratings.load().rate("Daily NK")
    assert rice.reliability.code == daily_nk.grade
    assert any("Daily NK" in r and daily_nk.reason in r for r in rice.reliability.reasons)
    expected = "3" if daily_nk.grade in "ABC" else "4"
    assert rice.credibility.code == expected
    assert "5 versions from 1 independent source" in rice.credibility.reasons[0]
    coal = stories["Coal deliveries to the Pyongyang Thermal Power Complex fall short"]
    assert coal.credibility.code == "6"  # nobody we can rate stands behind it


def test_user_ratings_override_the_shipped_table(fixture_db: Path, tmp_path: Path) -> None:
    table = tmp_path / "outlets.tsv"
    table.write_text(
        "id\tname\taliases\treliability\treason\n"
        "daily-nk\tDaily NK\t\tA\tOur desk has verified its Sinuiju network\n"
        "border-notes\tBorder Trade Notes\t\tB\tTrade figures match customs data\n",
        encoding="utf-8",
    )
    stories = by_title(all_stories(fixture_db, Ratings.load(table)))
    rice = stories["Rice prices climb in Sinuiju as traders hold back stock"]
    assert rice.reliability.code == "A"
    assert "Our desk has verified its Sinuiju network" in rice.reliability.reasons[0]
    magnesia = stories["Magnesia clinker exports to China resume from Tanchon"]
    assert magnesia.credibility.code == "3"
    table.write_text("id\tname\treliability\nx\tX\tZ\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["stories", "--db", str(fixture_db), "--outlets", str(table)])
    assert result.exit_code == 1
    assert "reliability 'Z' is not one of A-F" in result.output
    assert "Traceback" not in result.output


def test_assignment_does_not_depend_on_ingest_order(
    fixture_db: Path, tmp_path: Path, pipeline: Pipeline
) -> None:
    db = tmp_path / "reversed.db"
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
    for path in reversed(files):  # one file at a time, as a user adding documents would
        ingest(db, [path], pipeline)
    first, second = all_stories(fixture_db), all_stories(db)
    assert partition(first) == partition(second)
    assert {s.id for s in first} == {s.id for s in second}


def test_a_bridging_post_merges_stories_and_old_ids_still_resolve(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    full = [
        json.loads(line)
        for line in (FIXTURES / "items.jsonl").read_text("utf-8").splitlines()
        if "herald.example" in line
    ][0]
    paragraphs = full["text"].split("\n\n")
    head = {**full, "url": "https://a.example/1", "text": "\n\n".join(paragraphs[:3])}
    tail = {
        **full,
        "url": "https://b.example/2",
        "title": "The rest of a story under a headline of its own",
        "text": "\n\n".join(paragraphs[2:]),
    }
    (tmp_path / "parts.jsonl").write_text(
        "\n".join(json.dumps(x) for x in (head, tail)), encoding="utf-8"
    )
    (tmp_path / "whole.jsonl").write_text(json.dumps(full), encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest(db, [tmp_path / "parts.jsonl"], pipeline)
    before = {s.id for s in all_stories(db)}
    assert len(before) == 2
    ingest(db, [tmp_path / "whole.jsonl"], pipeline)
    after = all_stories(db)
    assert len(after) == 1 and len(after[0].versions) == 3
    store = open_store(db)
    try:
        assert {store.find_story(old) for old in before} == {after[0].id}
    finally:
        store.close()


def test_cli_story_shows_versions_chain_and_grades(fixture_db: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["stories", "--db", str(fixture_db), "--min-versions", "3"])
    assert listing.exit_code == 0
    header, *lines, legend = listing.stdout.splitlines()
    assert header.split()[:3] == ["story", "latest", "versions"] and legend.startswith("grades: ")
    assert len(lines) == 2  # the rice report and the wire story
    story_id = lines[0].split()[0]
    shown = runner.invoke(main, ["story", story_id, "--db", str(fixture_db)])
    assert shown.exit_code == 0
    text = shown.stdout
    assert "reliability:" in text and "credibility:" in text
    assert "joined as" in text and "chain:" in text
    post_id = next(ln.split()[1] for ln in text.splitlines() if ln.startswith("    20"))
    show = runner.invoke(main, ["show", post_id, "--db", str(fixture_db)])
    assert f"story:     {story_id}" in show.stdout
    missing = runner.invoke(main, ["story", "st-nothing", "--db", str(fixture_db)])
    assert missing.exit_code == 1 and "no story or post" in missing.output


def test_stores_of_the_previous_release_are_migrated_not_rewritten_on_read(
    tmp_path: Path, fixture_db: Path
) -> None:
    db = tmp_path / "old.db"
    shutil.copy(fixture_db, db)
    con = sqlite3.connect(db)  # as the release before tracked migrations left it
    con.execute("DROP TABLE alembic_version")
    con.execute("DROP TABLE kb_meta")
    con.execute("DROP TABLE claims")
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()
    before = db.read_bytes()
    runner = CliRunner()
    refused = runner.invoke(main, ["stories", "--db", str(db)])
    assert refused.exit_code == 1 and "nkwatch migrate" in refused.output
    assert db.read_bytes() == before  # reading never writes
    assert runner.invoke(main, ["migrate", "--db", str(db)]).exit_code == 0
    assert partition(all_stories(db)) == partition(all_stories(fixture_db))


def test_judge_keeps_formulaic_items_apart() -> None:
    arrive = Fingerprint(
        "A delegation of the Cuban Communist Party arrived in Pyongyang on Monday by air.",
        None,
    )
    leave = Fingerprint(
        "A delegation of the Cuban Communist Party left Pyongyang on Friday by air.", None
    )
    assert judge(arrive, leave) is None
    again = Fingerprint(
        "A delegation of the Cuban Communist Party arrived in Pyongyang on Monday by air.", None
    )
    match = judge(arrive, again)
    assert match is not None and match.kind == "same-text"
