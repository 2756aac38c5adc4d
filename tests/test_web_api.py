"""The JSON API over a real knowledge base, through the real app in-process."""

from __future__ import annotations

import datetime as dt
import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
from fastapi.testclient import TestClient

from nkwatch.errors import MalformedInput, StoreError
from nkwatch.search import FacetCount, Facets, Hit, SearchResult
from nkwatch.store import open_store
from nkwatch.web import WebSettings, create_app

from .servers import serve_app
from .webkb import HOSTILE_TXT

KIM_CHAEK = "facility:kim-chaek-steel"


@pytest.fixture(scope="module")
def client(web_kb: str) -> TestClient:
    return TestClient(create_app(settings=WebSettings(db=web_kb)))


def one_line_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert message and "\n" not in message and "Traceback" not in message
    return str(message)


def test_entity_by_any_spelling_gives_its_record(client: TestClient) -> None:
    for name in (
        "Kim Chaek Iron and Steel Complex",
        "Kimchaek Iron and Steel Works",
        "kim chaek iron & steel complex",
        KIM_CHAEK,
    ):
        found = client.get("/api/entities", params={"name": name})
        assert found.status_code == 200, name
        assert found.json()["id"] == KIM_CHAEK
    one_line_error(client.get("/api/entities", params={"name": "Zzyzx Quux Plant"}), 404)


def test_entity_record_has_posts_timeline_and_neighbours(client: TestClient) -> None:
    e = client.get(f"/api/entities/{KIM_CHAEK}").json()
    assert e["name"] == "Kim Chaek Iron and Steel Complex" and e["type"] == "facility"
    assert e["lat"] and e["lon"] and "Kimchaek Iron and Steel Complex" in e["aliases"]
    assert e["total_posts"] == len(e["posts"]) >= 1
    assert sum(m["posts"] for m in e["timeline"]) == e["total_posts"]
    post = e["posts"][0]
    assert set(post) == {"id", "title", "published", "outlets", "story", "grade"}
    assert post["grade"] and len(post["grade"]) == 2
    assert {c["name"] for c in e["co_mentioned"]} >= {"Chongjin"}
    assert e["sources"] and all(s["posts"] >= 1 for s in e["sources"])
    one_line_error(client.get("/api/entities/facility:no-such-works"), 404)


def test_post_record_is_the_extract_shape_with_its_story(client: TestClient) -> None:
    e = client.get(f"/api/entities/{KIM_CHAEK}").json()
    post = client.get(f"/api/posts/{e['posts'][0]['id']}").json()
    assert {
        "source",
        "post",
        "id",
        "title",
        "published",
        "authors",
        "translators",
        "origins",
        "text",
        "entities",
        "quantities",
        "attributions",
        "dates",
        "story",
    } <= set(post)
    assert post["story"] == e["posts"][0]["story"]
    for m in post["entities"]:
        assert post["text"][m["start"] : m["end"]] == m["text"]
    one_line_error(client.get("/api/posts/000000000000.0"), 404)


def test_story_record_has_versions_sources_and_grades(client: TestClient) -> None:
    stories = {}
    for summary in client.get(
        "/api/entities", params={"name": "Hwanghae Iron and Steel Complex"}
    ).json()["posts"]:
        stories[summary["story"]] = summary
    records = [client.get(f"/api/stories/{sid}").json() for sid in stories]
    biggest = max(records, key=lambda r: r["versions"])
    assert biggest["versions"] == len(biggest["posts"]) >= 2
    assert biggest["reliability"]["grade"] in "ABCDEF" and biggest["reliability"]["reasons"]
    assert 1 <= biggest["credibility"]["grade"] <= 6
    by_post = client.get(f"/api/stories/{biggest['posts'][-1]['id']}").json()
    assert by_post["id"] == biggest["id"]  # a post id finds its story
    one_line_error(client.get("/api/stories/st-000000000000"), 404)


def test_outlets_are_the_rating_table(client: TestClient) -> None:
    outlets = client.get("/api/outlets").json()["outlets"]
    names = {o["name"]: o for o in outlets}
    assert names["Daily NK"]["grade"] in "ABCDEF" and names["Daily NK"]["reason"]
    assert [o["grade"] for o in outlets] == sorted(o["grade"] for o in outlets)


def test_an_outlet_table_override_changes_grades(web_kb: str, tmp_path: Path) -> None:
    table = tmp_path / "outlets.tsv"
    table.write_text(
        "id\tname\treliability\treason\ndaily-nk\tDaily NK\tE\tour own view\n", "utf-8"
    )
    client = TestClient(create_app(settings=WebSettings(db=web_kb, outlets=table)))
    daily = [o for o in client.get("/api/outlets").json()["outlets"] if o["name"] == "Daily NK"]
    assert daily == [
        {
            "name": "Daily NK",
            "grade": "E",
            "meaning": "unreliable",
            "kind": "defector-run",
            "country": "KR",
            "reason": "our own view",
        }
    ]


def test_bad_parameters_are_one_line_4xx(client: TestClient) -> None:
    one_line_error(client.get(f"/api/entities/{KIM_CHAEK}", params={"offset": -1}), 422)
    one_line_error(client.get("/api/posts/" + "x" * 400), 422)
    one_line_error(client.get("/api/entities", params={"name": ""}), 422)
    one_line_error(client.get("/api/map", params={"limit": 0}), 422)
    one_line_error(client.get("/api/search", params={"q": "steel", "limit": 500}), 422)


def test_openapi_documents_every_endpoint_with_its_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/posts/{post_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/stories/{story_id}",
        "/api/outlets",
        "/api/search",
        "/api/map",
    ):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    assert {"PostOut", "EntityOut", "StoryOut", "OutletsOut", "IngestOut"} <= set(schemas)
    upload = spec["paths"]["/api/documents"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]


def test_map_comes_from_the_store_in_one_piece(client: TestClient, web_kb: str) -> None:
    features = client.get("/api/map").json()["features"]
    located = open_store(web_kb).located_entities()
    assert len(features) == len(located) > 5
    by_id = {f["properties"]["id"]: f for f in features}
    kim = by_id[KIM_CHAEK]
    assert kim["properties"]["type"] == "facility" and kim["properties"]["mentions"] >= 1
    lon, lat = kim["geometry"]["coordinates"]
    assert 129 < lon < 131 and 41 < lat < 42.5
    only = client.get("/api/map", params={"entity": KIM_CHAEK}).json()["features"]
    assert [f["properties"]["id"] for f in only] == [KIM_CHAEK]


def test_concurrent_requests_share_one_read_only_store(web_kb: str) -> None:
    app = create_app(settings=WebSettings(db=web_kb))
    paths = [
        "/api/outlets",
        f"/api/entities/{KIM_CHAEK}",
        "/api/map",
        "/",
        "/outlets",
        f"/entities/{KIM_CHAEK}",
    ] * 8
    with serve_app(app) as base, ThreadPoolExecutor(16) as pool:

        def fetch(path: str) -> tuple[int, int]:
            with urlopen(base + path, timeout=20) as r:
                return r.status, len(r.read())

        answers = list(pool.map(fetch, paths))
    assert all(status == 200 for status, _ in answers)
    sizes: dict[str, set[int]] = {}
    for path, (_, size) in zip(paths, answers, strict=True):
        sizes.setdefault(path, set()).add(size)
    assert all(len(s) == 1 for s in sizes.values())  # every answer to a path is the same


def test_a_missing_knowledge_base_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no knowledge base at"):
        create_app(settings=WebSettings(db=str(tmp_path / "none.db")))


# -- search, over a search function the test supplies -----------------------------------


@dataclass
class Recorder:
    """A search function over a fixed answer that keeps the arguments it was called with."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, q: str, **kw: Any) -> SearchResult:
        self.calls.append({"q": q, **kw})
        if q == "fail":
            raise MalformedInput("cannot parse the query 'fail'; close the quotes")
        hit = Hit(
            "abc123abc123.0",
            "samples/x.txt",
            0,
            "<b>Steel</b> output",
            dt.date(2023, 4, 15),
            "Daily NK",
            "st-1",
            3,
            "B3",
            2.5,
            (("the ", False), ("<steel>", True), (" mill", False)),
        )
        facets = Facets(
            outlets=(FacetCount("Daily NK", 12, "Daily NK"),),
            years=(FacetCount("2023", 7, "2023"),),
        )
        return SearchResult(41, [hit], facets)


def test_search_api_without_a_search_function_is_503(client: TestClient) -> None:
    assert "not set up" in one_line_error(client.get("/api/search", params={"q": "steel"}), 503)


def test_search_api_passes_filters_and_shapes_the_result(web_kb: str) -> None:
    search = Recorder()
    client = TestClient(create_app(settings=WebSettings(db=web_kb, search=search)))
    body = client.get(
        "/api/search",
        params={
            "q": "steel",
            "outlet": "Daily NK",
            "since": "2020-01-01",
            "by_story": "true",
            "limit": 5,
            "offset": 10,
        },
    ).json()
    assert search.calls[-1] == {
        "q": "steel",
        "outlet": "Daily NK",
        "entity": None,
        "type": None,
        "since": dt.date(2020, 1, 1),
        "until": None,
        "grade": None,
        "story": None,
        "by_story": True,
        "limit": 5,
        "offset": 10,
    }
    assert body["total"] == 41 and body["hits"][0]["published"] == "2023-04-15"
    assert body["hits"][0]["snippet"][1] == {"text": "<steel>", "marked": True}
    assert body["facets"]["outlets"] == [{"value": "Daily NK", "label": "Daily NK", "count": 12}]
    one_line_error(client.get("/api/search", params={"q": "fail"}), 400)
    one_line_error(client.get("/api/search", params={"q": "x", "since": "May 2020"}), 422)
    page = client.get("/search", params={"q": "steel"})
    assert (
        "<mark>&lt;steel&gt;</mark>" in page.text and "&lt;b&gt;Steel&lt;/b&gt; output" in page.text
    )
    assert 'href="/search?q=steel&amp;outlet=Daily+NK"' in page.text
    assert 'href="/search?q=steel&amp;since=2023-01-01&amp;until=2023-12-31"' in page.text


# -- uploads --------------------------------------------------------------------------------


def upload(client: TestClient, headers: dict[str, str] | None = None) -> Any:
    files = [
        ("files", ("note one.txt", io.BytesIO(HOSTILE_TXT.encode()), "text/plain")),
        ("files", ("../../empty.txt", io.BytesIO(b""), "text/plain")),
    ]
    return client.post("/api/documents", files=files, headers=headers or {})


def test_upload_needs_the_servers_token(tmp_path: Path) -> None:
    db = tmp_path / "up.db"
    open_store(db, write=True).close()
    closed = TestClient(create_app(settings=WebSettings(db=str(db))))
    one_line_error(upload(closed, {"Authorization": "Bearer anything"}), 403)
    client = TestClient(create_app(settings=WebSettings(db=str(db), token="s3cret-token")))
    missing = upload(client)
    one_line_error(missing, 401)
    assert missing.headers["www-authenticate"] == "Bearer"
    one_line_error(upload(client, {"Authorization": "Bearer wrong"}), 403)
    one_line_error(upload(client, {"Authorization": "Basic s3cret-token"}), 401)
    assert open_store(db).stats()["posts"] == 0
    done = upload(client, {"Authorization": "Bearer s3cret-token"})
    assert done.status_code == 200, done.text
    report = done.json()
    assert report["files"] == 2 and report["documents"] == 1 and report["new_documents"] == 1
    assert report["posts"] == 1
    assert [f["source"] for f in report["failures"]] == ["../../empty.txt"]
    assert (
        "empty" in report["failures"][0]["reason"] and "/tmp" not in report["failures"][0]["reason"]
    )
    assert open_store(db).stats()["posts"] == 1
    assert [r.source for r in open_store(db).posts()] == ["upload/000-note_one.txt"]
    # the app's own read-only store sees the new post at once
    assert (
        client.get("/api/entities", params={"name": "Sinuiju Cosmetics Factory"}).json()[
            "total_posts"
        ]
        == 1
    )


def test_upload_size_and_form_are_bounded(tmp_path: Path) -> None:
    db = tmp_path / "up.db"
    open_store(db, write=True).close()
    auth = {"Authorization": "Bearer t"}
    client = TestClient(
        create_app(settings=WebSettings(db=str(db), token="t", max_upload_bytes=1000))
    )
    big = [("files", ("big.txt", io.BytesIO(b"steel " * 1000), "text/plain"))]
    assert "limit" in one_line_error(client.post("/api/documents", files=big, headers=auth), 413)
    one_line_error(client.post("/api/documents", data={"x": "1"}, headers=auth), 400)


# -- nkwatch serve -------------------------------------------------------------------------


def test_serve_refuses_a_missing_knowledge_base_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nkwatch.cli import main

    done = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert done.exit_code == 1
    assert done.output.count("\n") == 1 and "no knowledge base at" in done.output


def test_serve_prints_the_url_and_answers(web_kb: str) -> None:
    import subprocess
    import sys
    import time

    from .servers import free_port

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "nkwatch"),
            "serve",
            "--db",
            web_kb,
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "uploads off" in line
        for _ in range(100):
            try:
                with urlopen(f"http://127.0.0.1:{port}/api/outlets", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("nkwatch serve did not answer")
    finally:
        server.terminate()
        server.wait(10)


def test_the_server_answers_openrefine_at_reconcile(client: TestClient) -> None:
    manifest = client.get("/reconcile").json()
    assert manifest["name"] and {t["id"] for t in manifest["defaultTypes"]} >= {"facility"}
    queries = json.dumps({"q0": {"query": "Kimchaek Iron Steel", "type": "facility"}})
    found = client.get("/reconcile", params={"queries": queries}).json()
    assert found["q0"]["result"][0]["name"] == "Kim Chaek Iron and Steel Complex"
