"""Claims, conflicts and series: written documents in, the stage, the store, the commands
and the API out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from nkwatch import Pipeline, extract_paths, ingest_paths, open_store
from nkwatch.cli import main
from nkwatch.conflicts import ConflictRules
from nkwatch.facts import Claimer
from nkwatch.model import Post
from nkwatch.ratings import Ratings
from nkwatch.store import schema
from nkwatch.views import facts, series
from nkwatch.web import WebSettings, create_app

from .conftest import ROOT

FACTS = ROOT / "tests" / "fixtures" / "facts"


@pytest.fixture(scope="module")
def facts_kb(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> str:
    """The written fact documents in one knowledge base (read it, never write it)."""
    db = tmp_path_factory.mktemp("facts") / "kb.db"
    store = open_store(db, write=True)
    try:
        assert not ingest_paths([FACTS], store, pipeline).failures
    finally:
        store.close()
    return str(db)


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def posts_of(path: Path, pipeline: Pipeline) -> list[Post]:
    return [p for p in extract_paths([path], pipeline) if isinstance(p, Post)]


def test_a_price_is_tied_to_its_product_place_month_and_source(pipeline: Pipeline) -> None:
    claimer = Claimer(pipeline.gazetteer)
    posts = posts_of(FACTS / "rice.jsonl", pipeline)
    claims = [c for p in posts for c in claimer.claims(p)]
    claims = [c for c in claims if c.kind != "event"]
    assert len(claims) == 7 and all(c.measure == "rice price" for c in claims)
    first = next(c for p in posts for c in claimer.claims(p) if "5,800" in c.text)
    assert (first.product, first.place) == ("product:rice", "place:hyesan")  # not its province
    assert (first.iso, first.precision, first.period_text) == ("2024-01", "month", "January")
    assert (first.value, first.unit, first.per) == (5800, "KPW", "kg")
    post = next(p for p in posts if p.id == first.post_id)
    assert post.text[first.start : first.end] == first.text
    assert "5,800" in post.text[first.sentence_start : first.sentence_end]
    resident = next(c for p in posts for c in claimer.claims(p) if "6,100" in c.text)
    assert (resident.said_by, resident.said_by_kind) == ("a resident", "anonymous-source")


def test_a_dated_event_is_a_claim_about_what_it_happened_to(pipeline: Pipeline) -> None:
    import datetime as dt

    text = (
        "The Ryongsong Machine Complex finished a new oxygen plant on October 10, a source "
        "told our reporter. Work at the Musan Mining Complex was halted in early September "
        "after floods. Kim Jong Un visited Pyongyang in 2023, and rice sold for 6,000 won a "
        "kilogram in Hyesan on October 12. The Kim Chaek Iron and Steel Complex was ordered to "
        "finish its new furnace by November 30."
    )
    post = pipeline.extractor.extract(Post("e" * 64, 0, "t", text, published=dt.date(2024, 10, 20)))  # type: ignore[union-attr]
    events = [c for c in Claimer(pipeline.gazetteer).claims(post) if c.kind == "event"]
    found = {(c.measure, c.subject, c.iso, c.value) for c in events}
    assert found == {
        ("completion", "facility:ryongsong-machine", "2024-10-10", None),
        ("halt", "facility:musan-mine", "2024-09", None),
        ("deadline", "facility:kim-chaek-steel", "2024-11-30", None),
    }  # a bare year is a period, and a date beside a figure dates the figure's claim
    assert all(text[c.start : c.end] == c.text for c in events)


def test_a_facility_figure_takes_the_facility_and_its_town(pipeline: Pipeline) -> None:
    claimer = Claimer(pipeline.gazetteer)
    [kcna, nk_news] = posts_of(FACTS / "conflict.jsonl", pipeline)
    [state] = claimer.claims(kcna)
    assert state.subject == "facility:kim-chaek-steel" and state.measure == "steel production"
    assert state.place == "place:chongjin"  # not the dateline's Pyongyang
    assert state.said_by_kind == "state-media"
    [other] = claimer.claims(nk_news)
    assert other.value == 90000 and other.iso == "2024-03"


def test_a_pointing_sentence_reaches_back_to_the_named_site(pipeline: Pipeline) -> None:
    [post] = posts_of(ROOT / "samples" / "articles" / "pyongyang-socks.txt", pipeline)
    [wage] = Claimer(pipeline.gazetteer).claims(post)
    assert wage.kind == "wage" and wage.per == "month"
    [factory] = {m for m in post.mentions if m.name == "Pyongyang Socks Factory"}
    assert wage.subject == factory.entity_id


def test_conflicting_output_appears_side_by_side_with_both_grades(facts_kb: str) -> None:
    store = open_store(facts_kb)
    sheet = facts(store, Ratings.load(), "Kimchaek Iron and Steel Works")
    assert len(sheet.facts) == 2
    [clash] = sheet.conflicts
    assert clash.period == "2024" and clash.measure == "steel production"
    better, worse = clash.sides
    assert (better.fact.source, str(better.fact.rating.grade)) == ("NK News", "B")
    assert (worse.fact.source, str(worse.fact.rating.grade)) == ("Korean Central News Agency", "D")
    assert better.fact.grade and worse.fact.grade and better.fact.grade != worse.fact.grade
    assert better.note is None
    assert worse.note == "5 (improbable) possible: contradicted by NK News (B)"
    wide = facts(
        store, Ratings.load(), "Kim Chaek Iron and Steel Complex", rules=ConflictRules(1.0)
    )
    assert wide.conflicts == ()  # 90,000 and 180,000 are within 100% of each other
    store.close()
    shown = cli("facts", "Kim Chaek Iron and Steel Complex", "--db", facts_kb)
    assert "conflict: steel production of Kim Chaek Iron and Steel Complex" in shown
    assert "90,000 t" in shown and "180,000 t" in shown and "rated B, story B" in shown
    assert "contradicted by NK News (B)" in shown and shown.rstrip().splitlines()[-1].startswith(
        "grades: "
    )


def test_prices_in_one_place_and_month_from_two_outlets_conflict(facts_kb: str) -> None:
    sheet = facts(open_store(facts_kb), Ratings.load(), "Hyesan", kind="price")
    assert [f.row.claim.iso for f in sheet.facts] == ["2024-01", "2024-02", "2024-03", "2024-03"]
    [clash] = sheet.conflicts
    assert clash.place == "Hyesan" and clash.period == "2024-03"
    assert {s.fact.outlet for s in clash.sides} == {"Daily NK", "Rimjin-gang"}
    assert all(s.note is None for s in clash.sides)  # both rated C: neither is the better
    assert facts(open_store(facts_kb), Ratings.load(), "Sinuiju").conflicts == ()
    narrow = facts(open_store(facts_kb), Ratings.load(), "Hyesan", since=None, until=None)
    assert len(narrow.facts) == 4


def test_series_gives_a_monthly_median_by_place(facts_kb: str) -> None:
    found = series(open_store(facts_kb), Ratings.load(), "rice", "Hyesan")
    assert [(p.month, p.median, p.claims) for p in found.points] == [
        ("2024-01", 5800, 1),
        ("2024-02", 6100, 1),
        ("2024-03", 7600, 2),
    ]
    assert found.points[-1].sources == ("Daily NK", "Rimjin-gang")
    table = cli("series", "rice", "--db", facts_kb)
    assert table.splitlines()[0].split()[:3] == ["month", "place", "median"]
    assert sum("Sinuiju" in line for line in table.splitlines()) == 3
    csv = cli(
        "series",
        "rice",
        "--place",
        "Sinuiju",
        "--since",
        "2024-02",
        "--format",
        "csv",
        "--db",
        facts_kb,
    )
    assert csv.splitlines()[1:] == [
        "2024-02,Sinuiju,5400.0,5400.0,5400.0,KPW/kg,1,Rimjin-gang",
        "2024-03,Sinuiju,5500.0,5500.0,5500.0,KPW/kg,1,Rimjin-gang",
    ]


def test_facts_filters_and_formats(facts_kb: str) -> None:
    jsonl = cli("facts", "rice", "--format", "jsonl", "--since", "2024-03", "--db", facts_kb)
    import json

    records = [json.loads(line) for line in jsonl.splitlines()]
    assert len(records) == 3 and {r["period"] for r in records} == {"2024-03"}
    assert records[0]["sentence"] and records[0]["grade"] and records[0]["reliability"] == "C"
    none = CliRunner().invoke(main, ["facts", "rice", "--kind", "wage", "--db", facts_kb])
    assert none.exit_code == 0 and "no claims match" in none.output
    bad = CliRunner().invoke(main, ["facts", "rice", "--kind", "weight", "--db", facts_kb])
    assert bad.exit_code == 2


def test_the_api_gives_facts_conflicts_and_series(facts_kb: str) -> None:
    client = TestClient(create_app(settings=WebSettings(db=facts_kb)))
    body = client.get("/api/entities/facility:kim-chaek-steel/facts").json()
    assert len(body["facts"]) == 2 and len(body["conflicts"]) == 1
    assert body["conflicts"][0]["sides"][1]["note"].startswith("5 (improbable) possible")
    points = client.get("/api/series", params={"thing": "rice", "place": "Hyesan"}).json()
    assert [p["median"] for p in points["points"]] == [5800, 6100, 7600]
    assert client.get("/api/entities/facility:nope/facts").status_code == 404
    assert client.get("/api/series", params={"thing": "rice", "measure": "x"}).status_code == 422
    page = client.get("/entities/place:hyesan").text
    assert 'class="facts-panel"' in page and page.count('class="dot"') == 4
    assert "Conflicting figures: rice price in Hyesan, 2024-03" in page


def test_a_knowledge_base_at_0003_gains_an_empty_claims_table(
    facts_kb: str, tmp_path: Path
) -> None:
    db = tmp_path / "old.db"
    db.write_bytes(Path(facts_kb).read_bytes())
    con = sqlite3.connect(db)
    con.execute("DROP TABLE claims")
    con.execute("UPDATE alembic_version SET version_num = '0003'")
    con.commit()
    con.close()
    refused = CliRunner().invoke(main, ["facts", "rice", "--db", str(db)])
    assert refused.exit_code == 1 and "nkwatch migrate" in refused.output
    cli("migrate", "--db", str(db))
    store = open_store(db)
    assert store.claim_count() == 0 and store.stats()["posts"] == 9
    store.close()
    assert schema.HEAD == "0004"


def test_claims_export_as_csv_and_jsonl_by_period(facts_kb: str) -> None:
    import csv
    import io
    import json

    rows = list(
        csv.DictReader(
            io.StringIO(cli("export", "--format", "csv", "--what", "claims", "--db", facts_kb))
        )
    )
    hyesan = [r for r in rows if r["place"] == "Hyesan" and r["measure"] == "rice price"]
    assert {r["period"] for r in hyesan} >= {"2024-01", "2024-02", "2024-03"}
    assert all(r["said_by"] and r["reliability"] and r["grade"] for r in hyesan)
    march = [
        json.loads(line)
        for line in cli(
            "export",
            "--format",
            "jsonl",
            "--what",
            "claims",
            "--db",
            facts_kb,
            "--since",
            "2024-03",
            "--until",
            "2024-03",
        ).splitlines()
    ]
    assert march and all(r["period"].startswith("2024-03") for r in march)
    assert {r["text"] for r in march} <= {r["text"] for r in rows}
