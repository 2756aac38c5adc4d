"""The map and the API docs in a real headless Chromium, under the app's real CSP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from nkwatch.web import WebSettings, create_app

from .servers import serve_app, watched_page

EVIL = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script> Works"


def features() -> dict[str, Any]:
    rows = [
        ("kim-chaek", "facility", "Kim Chaek Iron and Steel Complex", 41, 129.19, 41.78),
        ("pyongyang", "place", "Pyongyang", 120, 125.75, 39.03),
        ("evil", "organization", EVIL, 3, 127.5, 39.9),
    ]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"id": i, "type": t, "name": name, "mentions": m},
            }
            for i, t, name, m, lon, lat in rows
        ],
    }


@pytest.fixture(scope="module")
def base(empty_kb: str) -> Iterator[str]:
    with serve_app(create_app(settings=WebSettings(db=empty_kb, map_features=features))) as url:
        yield url


def popups(page: Any) -> list[dict[str, Any]]:
    """Click each marker in turn; what its popup showed."""
    seen = []
    for n in range(page.locator("path.marker").count()):
        marker = page.locator("path.marker").nth(n)
        marker.dispatch_event("click")
        box = page.locator(".leaflet-popup-content")
        box.wait_for()
        link = box.locator("a")
        seen.append(
            {
                "name": link.text_content(),
                "href": link.get_attribute("href"),
                "elements": box.locator("script, img, iframe").count(),
                "fill": marker.evaluate("m => getComputedStyle(m).fill"),
            }
        )
        page.locator(".leaflet-popup-close-button").dispatch_event("click")
        box.wait_for(state="detached")
    return seen


def test_map_draws_outlines_and_markers_offline(chromium: Any, base: str) -> None:
    with watched_page(chromium) as w:
        page = w.page
        page.goto(f"{base}/map")
        expect(page.locator("path.marker")).to_have_count(3)
        expect(page.locator("path.land")).to_have_count(5)
        assert page.locator("path.land-focus").count() == 1
        seen = popups(page)
        assert sorted(p["name"] for p in seen) == sorted(
            ["Kim Chaek Iron and Steel Complex", "Pyongyang", EVIL]
        )
        assert {p["href"] for p in seen} == {
            "/entities/kim-chaek",
            "/entities/pyongyang",
            "/entities/evil",
        }
        assert all(p["elements"] == 0 for p in seen)
        assert len({p["fill"] for p in seen}) == 3  # one colour per type
        assert page.title() == "Map · nkwatch"
        assert w.problems == [] and w.dialogs == []
        assert all(url.startswith(base) for url in w.requests)


def test_docs_render_offline_under_their_csp(chromium: Any, base: str) -> None:
    with watched_page(chromium) as w:
        w.page.goto(f"{base}/docs")
        w.page.locator(".opblock").first.wait_for()
        assert "nkwatch API" in w.page.locator(".info .title").text_content()
        assert w.problems == []
        assert all(url.startswith((base, "data:")) for url in w.requests)


def test_map_screenshot_is_small(chromium: Any, base: str, tmp_path: Path) -> None:
    with watched_page(chromium) as w:
        w.page.goto(f"{base}/map")
        expect(w.page.locator("path.land")).to_have_count(5)
        shot = tmp_path / "map.png"
        w.page.screenshot(path=str(shot))
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size < 200_000


def test_facts_panel_shows_a_chart_and_conflicts_without_script(
    chromium: Any, tmp_path: Path, pipeline: Any
) -> None:
    from nkwatch import ingest_paths, open_store

    from .conftest import ROOT

    db = tmp_path / "facts.db"
    store = open_store(db, write=True)
    ingest_paths([ROOT / "tests" / "fixtures" / "facts"], store, pipeline)
    store.close()
    with (
        serve_app(create_app(settings=WebSettings(db=str(db)))) as url,
        watched_page(chromium) as w,
    ):
        page = w.page
        page.goto(f"{url}/entities/place:hyesan")
        panel = page.locator("section.facts-panel")
        expect(panel.locator("table.facts tbody tr")).to_have_count(4)
        expect(panel.locator("svg.fact-chart circle.dot")).to_have_count(4)
        heights = panel.locator("svg.fact-chart circle.dot").evaluate_all(
            "dots => dots.map(d => d.getBoundingClientRect().top)"
        )
        assert len(set(heights)) == 4  # four prices, four heights
        conflict = panel.locator(".conflict")
        expect(conflict.locator("h3")).to_have_text(
            "Conflicting figures: rice price in Hyesan, 2024-03"
        )
        expect(conflict.locator("tbody tr")).to_have_count(2)
        page.goto(f"{url}/entities/facility:kim-chaek-steel")
        note = page.locator(".conflict tbody tr").nth(1)
        expect(note).to_contain_text("contradicted by NK News (B)")
        page.locator(".conflict tbody tr a").first.click()
        page.wait_for_url("**/posts/**")
        assert w.problems == [] and w.dialogs == []
        assert all(u.startswith(url) for u in w.requests)
