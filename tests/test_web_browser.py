"""The map and the API docs in a real headless Chromium, under the app's real CSP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nkwatch.web import WebSettings, create_app
from tests.browser import Browser, chromium, live_server

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
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Browser]]:
    app = create_app(settings=WebSettings(map_features=features))
    with live_server(app) as base, chromium(tmp_path_factory.mktemp("profile")) as browser:
        yield base, browser


CLICK_EACH_MARKER = """(async () => {
  const seen = [];
  for (const marker of document.querySelectorAll('path.marker')) {
    marker.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
    await new Promise(done => setTimeout(done, 400));
    const box = document.querySelector('.leaflet-popup-content');
    const link = box && box.querySelector('a');
    const close = document.querySelector('.leaflet-popup-close-button');
    if (close) { close.click(); }
    await new Promise(done => setTimeout(done, 300));
    seen.push({
      name: link ? link.textContent : null,
      href: link ? link.getAttribute('href') : null,
      elements: box ? box.querySelectorAll('script, img, iframe').length : -1,
      fill: getComputedStyle(marker).fill,
    });
  }
  return seen;
})()"""


def test_map_draws_outlines_and_markers_offline(site: tuple[str, Browser]) -> None:
    base, browser = site
    page = browser.open(f"{base}/map")
    assert page.wait_for("document.querySelectorAll('path.marker').length === 3")
    assert page.wait_for("document.querySelectorAll('path.land').length === 5")
    assert page.evaluate("document.querySelectorAll('path.land-focus').length") == 1
    popups = page.evaluate(CLICK_EACH_MARKER)
    assert sorted(p["name"] for p in popups) == sorted(
        ["Kim Chaek Iron and Steel Complex", "Pyongyang", EVIL]
    )
    assert {p["href"] for p in popups} == {
        "/entities/kim-chaek",
        "/entities/pyongyang",
        "/entities/evil",
    }
    assert all(p["elements"] == 0 for p in popups)
    assert len({p["fill"] for p in popups}) == 3  # one colour per type
    assert page.evaluate("document.title") == "Map · nkwatch"
    assert page.problems() == []
    assert all(url.startswith(base) for url in page.requested_urls())


def test_docs_render_offline_under_their_csp(site: tuple[str, Browser]) -> None:
    base, browser = site
    page = browser.open(f"{base}/docs")
    assert page.wait_for("document.querySelectorAll('.opblock').length > 0")
    assert "nkwatch API" in page.evaluate("document.querySelector('.info .title').textContent")
    assert page.problems() == []
    assert all(url.startswith((base, "data:")) for url in page.requested_urls())


def test_map_screenshot_is_small(site: tuple[str, Browser], tmp_path: Path) -> None:
    base, browser = site
    page = browser.open(f"{base}/map")
    page.wait_for("document.querySelectorAll('path.land').length === 5")
    shot = tmp_path / "map.png"
    page.screenshot(shot)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size < 200_000
