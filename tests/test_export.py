"""Exports: CSV, GeoJSON, FollowTheMoney and JSON Lines from a real knowledge base."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import geojson
import pytest
from click.testing import CliRunner, Result
from followthemoney import model
from followthemoney.exc import InvalidData

from nkwatch.cli import main
from nkwatch.errors import ExportError
from nkwatch.export.files import atomic_output
from nkwatch.export.tabular import (
    CLAIM_COLUMNS,
    DOSSIER_COLUMNS,
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    POST_COLUMNS,
    STORY_COLUMNS,
)
from nkwatch.store import open_store

KIM_CHAEK = "facility:kim-chaek-steel"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def export(db: Path, *args: str) -> str:
    return run("export", "--db", str(db), *args).stdout


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or ()), rows


@pytest.fixture(scope="module")
def ftm_records(seeded_kb: Path) -> list[dict[str, Any]]:
    text = export(seeded_kb, "--format", "ftm", "--what", "all")
    return [json.loads(line) for line in text.splitlines()]


# -- CSV ---------------------------------------------------------------------------------


def test_entities_csv_has_its_header_and_places_and_counts(seeded_kb: Path) -> None:
    header, rows = read_csv(export(seeded_kb, "--format", "csv", "--what", "entities"))
    assert header == list(ENTITY_COLUMNS)
    by_id = {r["id"]: r for r in rows}
    kim = by_id[KIM_CHAEK]
    assert kim["type"] == "facility" and kim["name"] == "Kim Chaek Iron and Steel Complex"
    assert "Kimchaek Iron and Steel Complex" in kim["aliases"].split("; ")
    assert kim["city"] == "Chongjin"
    assert 41 < float(kim["lat"]) < 43 and 129 < float(kim["lon"]) < 130
    assert int(kim["mentions"]) >= 1 and int(kim["stories"]) >= 1
    assert kim["first_seen"] <= kim["last_seen"]
    province = next(r for r in rows if r["name"] == "North Pyongan Province")
    assert province["country"] == "KP" and province["province"] == "North Pyongan Province"
    store = open_store(seeded_kb)
    try:
        mentioned = {e.id for e in store.entities()}
    finally:
        store.close()
    assert set(by_id) == mentioned


def test_posts_csv_carries_outlet_story_and_grade_and_keeps_the_date_range(
    seeded_kb: Path,
) -> None:
    header, rows = read_csv(export(seeded_kb, "--format", "csv", "--what", "posts"))
    assert header == list(POST_COLUMNS)
    assert len(rows) == 24
    assert all(r["story"].startswith("st-") and len(r["grade"]) == 2 for r in rows)
    ifes = [r for r in rows if r["origins"] == "Institute for Far Eastern Studies"]
    assert ifes and all(r["outlet"] == "Institute for Far Eastern Studies" for r in ifes)
    _, ranged = read_csv(
        export(
            seeded_kb, "--format", "csv", "--what", "posts",
            "--since", "2020-01-01", "--until", "2021-06-30",
        )
    )  # fmt: skip
    assert ranged and len(ranged) < len(rows)
    assert all("2020-01-01" <= r["published"] <= "2021-06-30" for r in ranged)


def test_mentions_csv_offsets_point_at_the_words_in_the_post(seeded_kb: Path) -> None:
    header, rows = read_csv(export(seeded_kb, "--format", "csv", "--what", "mentions"))
    assert header == list(MENTION_COLUMNS)
    store = open_store(seeded_kb)
    try:
        assert len(rows) == store.stats()["mentions"]
        texts = {pid: store.post(pid).text for pid in {r["post_id"] for r in rows}}
    finally:
        store.close()
    for r in rows:
        assert texts[r["post_id"]][int(r["start"]) : int(r["end"])] == r["text"]
    facilities = read_csv(
        export(seeded_kb, "--format", "csv", "--what", "mentions", "--type", "facility")
    )[1]
    assert facilities and {r["type"] for r in facilities} == {"facility"}


def test_stories_csv_and_jsonl_agree(seeded_kb: Path) -> None:
    header, rows = read_csv(export(seeded_kb, "--format", "csv", "--what", "stories"))
    assert header == list(STORY_COLUMNS)
    lines = export(seeded_kb, "--format", "jsonl", "--what", "stories").splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    assert {r["id"] for r in rows} == set(records)
    for r in rows:
        assert int(r["versions"]) == records[r["id"]]["versions"]
        grade = records[r["id"]]["reliability"]["grade"] + str(
            records[r["id"]]["credibility"]["grade"]
        )
        assert r["grade"] == grade


def test_jsonl_posts_carry_text_and_entities_their_counts(seeded_kb: Path) -> None:
    posts = [
        json.loads(x)
        for x in export(seeded_kb, "--format", "jsonl", "--what", "posts").splitlines()
    ]
    assert len(posts) == 24 and all(p["text"] for p in posts)
    entities = [json.loads(x) for x in export(seeded_kb, "--format", "jsonl").splitlines()]
    kim = next(e for e in entities if e["id"] == KIM_CHAEK)
    assert kim["located_by"] == "Chongjin" and kim["lat"] > kim["lon"] - 100


# -- files -------------------------------------------------------------------------------


def test_output_file_is_written_whole(seeded_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "entities.csv"
    run("export", "--db", str(seeded_kb), "--format", "csv", "-o", str(out))
    assert out.read_text("utf-8") == export(seeded_kb, "--format", "csv")
    assert [p.name for p in tmp_path.iterdir()] == ["entities.csv"]


def test_a_failed_export_leaves_the_old_file_and_no_part_file(tmp_path: Path) -> None:
    out = tmp_path / "kept.csv"
    out.write_text("before\n", "utf-8")
    with pytest.raises(RuntimeError), atomic_output(out) as f:
        f.write("half of it\n")
        raise RuntimeError("the store went away")
    assert out.read_text("utf-8") == "before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.csv"]
    with (
        pytest.raises(ExportError, match="does not exist"),
        atomic_output(tmp_path / "no" / "x.csv"),
    ):
        pass


def test_a_format_refuses_rows_it_cannot_hold(seeded_kb: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--db", str(seeded_kb), "--format", "geojson", "--what", "posts"]
    )
    assert result.exit_code == 2
    assert "--format geojson exports entities" in result.output


# -- GeoJSON -----------------------------------------------------------------------------


def test_geojson_is_a_valid_feature_collection_in_lon_lat_order(seeded_kb: Path) -> None:
    text = export(seeded_kb, "--format", "geojson")
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["id"]: f for f in collection["features"]}
    kim = features[KIM_CHAEK]
    assert geojson.Feature(**kim).is_valid
    lon, lat = kim["geometry"]["coordinates"]
    assert 129 < lon < 130 and 41 < lat < 43
    assert set(kim["properties"]) == {
        "id", "type", "name", "aliases", "mentions", "stories", "first_seen", "last_seen",
        "located_by",
    }  # fmt: skip
    assert kim["properties"]["located_by"] == "Chongjin"
    header, rows = read_csv(export(seeded_kb, "--format", "csv"))
    assert set(features) == {r["id"] for r in rows if r["lat"]}


# -- FollowTheMoney ----------------------------------------------------------------------


def ftm_problems(data: dict[str, Any]) -> list[str]:
    """What followthemoney's own model finds wrong with a record: a failed schema
    validation, or a property it does not know, drops or changes on cleaning."""
    problems = []
    schema = model.get(data["schema"])
    if schema is None:
        return [f"unknown schema {data['schema']}"]
    try:
        schema.validate(data)
    except InvalidData as exc:
        problems.append(f"invalid: {exc.errors}")
    cleaned = model.get_proxy(data, cleaned=False).to_dict()["properties"]
    for prop, values in data["properties"].items():
        if prop not in schema.properties:
            problems.append(f"{schema.name} has no property {prop}")
        elif sorted(cleaned.get(prop, [])) != sorted(values):
            problems.append(f"{schema.name}.{prop}: {values!r} cleans to {cleaned.get(prop)!r}")
    return problems


def test_every_ftm_record_passes_followthemoney_validation(
    ftm_records: list[dict[str, Any]],
) -> None:
    problems = [(r["id"], p) for r in ftm_records for p in ftm_problems(r)]
    assert problems == []
    assert len({r["id"] for r in ftm_records}) == len(ftm_records)
    schemata = Counter(r["schema"] for r in ftm_records)
    assert {"Organization", "Person", "Address", "Article", "Documentation"} <= set(schemata)
    assert schemata["Article"] == 24


def test_ftm_ids_are_stable_and_references_resolve(
    seeded_kb: Path, ftm_records: list[dict[str, Any]]
) -> None:
    again = [
        json.loads(x) for x in export(seeded_kb, "--format", "ftm", "--what", "all").splitlines()
    ]
    assert [r["id"] for r in again] == [r["id"] for r in ftm_records]
    ids = {r["id"] for r in ftm_records}
    for r in ftm_records:
        if r["schema"] == "Documentation":
            assert r["properties"]["role"] == ["mentioned"]
            assert set(r["properties"]["document"]) | set(r["properties"]["entity"]) <= ids
        for ref in r["properties"].get("addressEntity", ()):
            assert ref in ids


def test_ftm_facility_is_an_organization_at_an_address_with_coordinates(
    ftm_records: list[dict[str, Any]],
) -> None:
    by_id = {r["id"]: r for r in ftm_records}
    kim = next(
        r
        for r in ftm_records
        if r["properties"].get("name") == ["Kim Chaek Iron and Steel Complex"]
    )
    assert kim["schema"] == "Organization"
    assert kim["properties"]["classification"] == ["facility"]
    assert "Kimchaek Iron and Steel Complex" in kim["properties"]["alias"]
    address = by_id[kim["properties"]["addressEntity"][0]]
    assert address["schema"] == "Address" and address["properties"]["city"] == ["Chongjin"]
    assert 41 < float(address["properties"]["latitude"][0]) < 43
    article = next(r for r in ftm_records if r["schema"] == "Article")
    assert {"title", "publishedAt", "publisher", "bodyText"} <= set(article["properties"])
    outlets = [r for r in ftm_records if "news outlet" in r["properties"].get("classification", ())]
    assert any(r["properties"]["name"] == ["Rodong Sinmun"] for r in outlets)


# -- dossiers ----------------------------------------------------------------------------


def test_entity_dossier_as_csv_lists_every_mention_with_a_snippet(seeded_kb: Path) -> None:
    text = run(
        "entity", "Kim Chaek Iron and Steel Works", "--format", "csv", "--db", str(seeded_kb)
    ).stdout
    header, rows = read_csv(text)
    assert header == list(DOSSIER_COLUMNS)
    store = open_store(seeded_kb)
    try:
        assert len(rows) == store.entity_summary(KIM_CHAEK).mentions
    finally:
        store.close()
    assert {r["entity_id"] for r in rows} == {KIM_CHAEK}
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)
    for r in rows:
        assert r["text"] in r["snippet"]
        assert len(r["snippet"]) <= len(r["text"]) + 160
        assert "  " not in r["snippet"] and "\n" not in r["snippet"]
        assert r["grade"] and r["outlet"] and r["place"] == "Chongjin"


def test_entity_dossier_as_jsonl_by_another_spelling(seeded_kb: Path) -> None:
    text = run("entity", "Nodong Sinmun", "--format", "jsonl", "--db", str(seeded_kb)).stdout
    rows = [json.loads(x) for x in text.splitlines()]
    assert rows and {r["entity_name"] for r in rows} == {"Rodong Sinmun"}
    assert all("Sinmun" in r["snippet"] for r in rows)


def test_every_export_and_column_is_documented() -> None:
    from nkwatch.export import EXPORTS

    from .conftest import ROOT

    doc = (ROOT / "docs" / "exports.md").read_text("utf-8")
    for fmt, what in EXPORTS:
        assert f"`{fmt}`" in doc and f"`{what}`" in doc, (fmt, what)
    for column in {
        *ENTITY_COLUMNS,
        *POST_COLUMNS,
        *MENTION_COLUMNS,
        *STORY_COLUMNS,
        *DOSSIER_COLUMNS,
        *CLAIM_COLUMNS,
    }:
        assert f"`{column}`" in doc, column
