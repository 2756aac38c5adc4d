"""The web foundation through the real app in-process: headers, static files, map, docs, errors."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nkwatch.errors import NotFound
from nkwatch.web import WebSettings, create_app
from nkwatch.web.headers import CSP, script_hash

EVIL = "<script>alert(1)</script> Works"
PAGES = ("/", "/map", "/docs", "/no/such/page")


def point(
    entity_id: str, kind: str, name: str, mentions: int, lon: float, lat: float
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"id": entity_id, "type": kind, "name": name, "mentions": mentions},
    }


def sample_features() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            point("kim-chaek", "facility", "Kim Chaek Iron and Steel Complex", 41, 129.19, 41.78),
            point("pyongyang", "place", "Pyongyang", 120, 125.75, 39.03),
            point("evil/1", "facility", EVIL, 3, 127.5, 39.9),
            point("nowhere", "place", "Off the globe", 5, 129.0, 200.0),
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
                "properties": {"id": "line", "type": "place", "name": "A line"},
            },
        ],
    }


@pytest.fixture()
def app(empty_kb: str) -> FastAPI:
    return create_app(settings=WebSettings(db=empty_kb, map_features=sample_features))


@pytest.fixture()
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.in_script = tag == "script"
        if self.in_script:
            self.script_text.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.script_text[-1] += data


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def local_refs(html: str) -> list[str]:
    return [
        ref
        for _, attrs in parse(html).tags
        for key, ref in attrs.items()
        if key in ("src", "href", "action") and ref
    ]


@pytest.mark.parametrize(
    "path",
    [*PAGES, "/api/map", "/api/nope", "/openapi.json", "/static/style.css", "/static/map.js"],
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    csp = response.headers["content-security-policy"]
    if path == "/docs":
        assert csp.startswith("default-src 'self'; script-src 'self' 'sha256-")
    else:
        assert csp == CSP
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_static_files_serve_the_vendored_map_library(client: TestClient) -> None:
    js = client.get("/static/vendor/leaflet/leaflet.js")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert 't.version="1.9.4"' in js.text
    css = client.get("/static/vendor/leaflet/leaflet.css")
    assert css.status_code == 200 and ".leaflet-container" in css.text
    assert client.get("/static/vendor/leaflet/images/layers.png").content.startswith(b"\x89PNG")
    assert "BSD" in client.get("/static/vendor/leaflet/LICENSE").text


def test_outline_is_small_geojson_of_land_around_the_peninsula(client: TestClient) -> None:
    response = client.get("/static/outline.geojson")
    assert len(response.content) < 300_000
    outline = response.json()
    names = {f["properties"]["name"] for f in outline["features"]}
    assert names == {"North Korea", "South Korea", "China", "Russia", "Japan"}
    for feature in outline["features"]:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        polygons = feature["geometry"]["coordinates"]
        rings = (
            polygons
            if feature["geometry"]["type"] == "Polygon"
            else [r for p in polygons for r in p]
        )
        for ring in rings:
            assert ring[0] == ring[-1]
            assert all(119 <= lon <= 135 and 33 <= lat <= 45.5 for lon, lat in ring)


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client: TestClient, path: str) -> None:
    html = client.get(path).text
    tags = parse(html)
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    assert all(tag != "style" for tag, _ in tags.tags)
    assert not [a for _, attrs in tags.tags for a in attrs if a == "style" or a.startswith("on")]
    if path == "/docs":  # swagger-ui's start-up call, allowed by its hash and nothing else
        inline = [t for t in tags.script_text if t.strip()]
        assert len(inline) == 1
        assert script_hash(inline[0]) in client.get(path).headers["content-security-policy"]
    else:
        assert scripts == [] or all(s.get("src") for s in scripts)
        assert not "".join(tags.script_text).strip()


def test_map_page_loads_leaflet_and_its_script_from_static(client: TestClient) -> None:
    tags = parse(client.get("/map").text)
    sources = [attrs["src"] for tag, attrs in tags.tags if tag == "script"]
    assert sources == ["/static/vendor/leaflet/leaflet.js", "/static/map.js"]
    (container,) = [attrs for _, attrs in tags.tags if attrs.get("id") == "map"]
    assert container["data-features"] == "/api/map"
    assert container["data-outline"] == "/static/outline.geojson"


def test_api_map_returns_valid_geojson_points(client: TestClient) -> None:
    response = client.get("/api/map")
    assert response.headers["content-type"] == "application/json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["properties"]["id"] for f in features] == ["pyongyang", "kim-chaek", "evil/1"]
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(feature["properties"]) == {"id", "type", "name", "mentions", "url"}
    assert features[2]["properties"]["url"] == "/entities/evil%2F1"
    facilities = client.get("/api/map", params={"type": "facility", "limit": 1}).json()["features"]
    assert [f["properties"]["id"] for f in facilities] == ["kim-chaek"]


def test_a_document_derived_name_comes_back_inert(client: TestClient) -> None:
    raw = client.get("/api/map").content
    assert b"<script>" not in raw
    names = [f["properties"]["name"] for f in json.loads(raw)["features"]]
    assert EVIL in names  # escaped on the wire, the same text once parsed
    html = client.get("/map").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Works" in html
    echoed = client.get("/map", params={"q": '"><script>alert(2)</script>'}).text
    assert "<script>alert(2)" not in echoed
    assert "&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in echoed


def test_docs_work_from_local_files(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    refs = local_refs(response.text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in refs
    assert "/static/vendor/swagger-ui/swagger-ui.css" in refs
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//")
        assert client.get(ref).status_code == 200
    assert "'/openapi.json'" in response.text
    assert client.get("/openapi.json").json()["paths"]["/api/map"]


@pytest.mark.parametrize("path", [*PAGES, "/static/style.css", "/static/map.js"])
def test_our_pages_and_files_name_no_other_host(client: TestClient, path: str) -> None:
    text = client.get(path).text
    assert not re.findall(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I)
    for ref in local_refs(text):
        assert ref.startswith("/") and not ref.startswith("//")


def error_line(html: str) -> str:
    (line,) = re.findall(r'<p class="error" role="alert">(.*?)</p>', html, re.S)
    return line


def test_unknown_path_is_a_one_line_404(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    line = error_line(page.text)
    assert "\n" not in line and "/no/such/page" in line
    assert "Traceback" not in page.text
    api = client.get("/api/nope")
    assert api.status_code == 404
    assert set(api.json()) == {"error"} and "\n" not in api.json()["error"]
    assert api.text.count("\n") == 0


def test_bad_query_values_are_one_line_4xx(client: TestClient) -> None:
    api = client.get("/api/map", params={"limit": "many"})
    assert api.status_code == 422
    message = api.json()["error"]
    assert "limit" in message and "\n" not in message


def test_not_found_from_the_store_becomes_404(empty_kb: str) -> None:
    def missing() -> dict[str, Any]:
        raise NotFound("no knowledge base at x.db; run `nkwatch ingest` first")

    client = TestClient(create_app(settings=WebSettings(db=empty_kb, map_features=missing)))
    api = client.get("/api/map")
    assert api.status_code == 404
    assert api.json() == {"error": "no knowledge base at x.db; run `nkwatch ingest` first"}
    page = client.get("/map")
    assert page.status_code == 404
    assert error_line(page.text) == "no knowledge base at x.db; run `nkwatch ingest` first"


def test_a_crash_is_a_one_line_500_without_traceback(empty_kb: str) -> None:
    def broken() -> dict[str, Any]:
        raise RuntimeError("secret internals\nline two")

    client = TestClient(
        create_app(settings=WebSettings(db=empty_kb, map_features=broken)),
        raise_server_exceptions=False,
    )
    api = client.get("/api/map")
    assert api.status_code == 500
    assert "secret" not in api.text and "Traceback" not in api.text
    assert "\n" not in api.json()["error"]
    assert api.headers["content-security-policy"] == CSP
    page = client.get("/map")
    assert page.status_code == 500 and "secret" not in page.text
    assert "\n" not in error_line(page.text)
    assert page.headers["x-content-type-options"] == "nosniff"


def test_empty_map_still_renders(empty_kb: str) -> None:
    empty = TestClient(create_app(settings=WebSettings(db=empty_kb)))
    assert empty.get("/api/map").json() == {"type": "FeatureCollection", "features": []}
    assert "No entities with coordinates yet." in empty.get("/map").text
