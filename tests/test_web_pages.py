"""The pages over a real knowledge base: in-process for their content, in Chromium for the flow,
the map and documents that carry markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from nkwatch.indexing import open_finder
from nkwatch.model import Mention
from nkwatch.ratings import Ratings
from nkwatch.store import open_store
from nkwatch.web import WebSettings, create_app
from nkwatch.web.marking import Segment, paragraphs, segments

from .servers import serve_app, watched_page
from .webkb import SCRIPT

KIM_CHAEK = "facility:kim-chaek-steel"
COSMETICS = "Sinuiju Cosmetics Factory"


@pytest.fixture(scope="module")
def settings(web_kb: str, tmp_path_factory: pytest.TempPathFactory) -> WebSettings:
    """The app as `nkwatch serve` makes it: the store, and its search index built from it."""
    index = tmp_path_factory.mktemp("web-search") / "kb.search"
    finder = open_finder(open_store(web_kb), index, Ratings.load())
    return WebSettings(db=web_kb, search=finder, index=index)


@pytest.fixture(scope="module")
def client(settings: WebSettings) -> TestClient:
    return TestClient(create_app(settings=settings))


@pytest.fixture(scope="module")
def base(settings: WebSettings) -> Iterator[str]:
    with serve_app(create_app(settings=settings)) as url:
        yield url


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def hostile_posts(client: TestClient) -> list[dict[str, Any]]:
    posts = client.get("/api/entities", params={"name": COSMETICS}).json()["posts"]
    found = [
        p
        for p in posts
        if "pwned" in (p["title"] or "") + client.get(f"/api/posts/{p['id']}").json()["text"]
    ]
    assert len(found) == 2
    return found


def test_segments_cover_the_text_whatever_the_mentions() -> None:
    text = "The Kim Chaek Iron and Steel Complex in Chongjin."
    m = [
        Mention("Kim Chaek Iron and Steel Complex", "facility", 4, 36, "K", "f:k"),
        Mention("Kim Chaek", "person", 4, 13, "Kim Chaek", "p:k"),  # inside the longer one
        Mention("Steel Complex in", "facility", 27, 43, "S", "f:s"),  # overlaps its end
        Mention("Chongjin", "place", 40, 48, "Chongjin", "pl:c"),
        Mention("beyond", "place", 45, 90, "B", "pl:b"),
    ]  # past the end of the text
    parts = segments(text, m)
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.entity_id) for p in parts if p.entity_id] == [
        ("Kim Chaek Iron and Steel Complex", "f:k"),
        ("Chongjin", "pl:c"),
    ]
    assert paragraphs(segments("one\n\ntwo", [])) == [[Segment("one")], [Segment("two")]]


def test_home_shows_counts_latest_stories_and_top_entities(client: TestClient) -> None:
    page = client.get("/").text
    assert re.search(r"<strong>\d+</strong> posts", page)
    assert page.count('href="/stories/') == 10
    assert 'href="/entities/product%3Arice"' in page


def test_post_page_marks_and_links_every_mention(client: TestClient) -> None:
    post_id = client.get(f"/api/entities/{KIM_CHAEK}").json()["posts"][0]["id"]
    record = client.get(f"/api/posts/{post_id}").json()
    page = client.get(f"/posts/{post_id}").text
    marked = [a for t, a in tags(page) if t == "a" and "mention" in (a.get("class") or "")]
    assert {a["href"] for a in marked} == {
        "/entities/" + quote(e["id"], safe="") for e in record["entities"]
    }
    assert "citing Rodong Sinmun [state-media]" in page
    assert f'href="/stories/{record["story"]}"' in page


def test_entity_page_has_chart_map_posts_and_sources(client: TestClient) -> None:
    page = client.get(f"/entities/{quote(KIM_CHAEK)}").text
    found = tags(page)
    assert any(t == "svg" for t, _ in found) and any(t == "rect" for t, _ in found)
    assert not any("style" in a for _, a in found)
    assert any(t == "div" and a.get("data-center") for t, a in found)
    assert "Institute for Far Eastern Studies" in page and "Chongjin" in page
    assert client.get(f"/entities/{quote(KIM_CHAEK)}", params={"offset": 500}).status_code == 200


def test_entities_by_name_redirects_to_the_entity(client: TestClient) -> None:
    moved = client.get(
        "/entities", params={"name": "Kimchaek Iron and Steel Complex"}, follow_redirects=False
    )
    assert moved.status_code == 303 and moved.headers["location"] == "/entities/" + quote(
        KIM_CHAEK, safe=""
    )
    missing = client.get("/entities", params={"name": "Zzyzx Quux Plant"})
    assert missing.status_code == 404 and "Zzyzx" in missing.text


def test_story_page_shows_versions_chains_and_reasoned_grades(client: TestClient) -> None:
    posts = client.get("/api/entities", params={"name": "Hwanghae Iron and Steel Complex"}).json()[
        "posts"
    ]
    stories = [client.get(f"/api/stories/{p['story']}").json() for p in posts]
    story = max(stories, key=lambda s: s["versions"])
    page = client.get(f"/stories/{story['id']}").text
    for reason in story["reliability"]["reasons"] + story["credibility"]["reasons"]:
        assert reason.replace("'", "&#39;").replace('"', "&#34;") in page
    assert page.count('<div class="version-head">') == story["versions"] >= 2
    assert "joined" in page.lower() and "Chain" in page


def test_outlets_page_lists_the_whole_table(client: TestClient) -> None:
    page = client.get("/outlets").text
    for rating in Ratings.load().table():
        assert f'<td class="name">{rating.name.replace("&", "&amp;")}</td>' in page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/outlets",
        "/map",
        f"/entities/{quote(KIM_CHAEK)}",
        "/entities/place%3Asinuiju",
        "/search",
    ],
)
def test_pages_carry_no_inline_script_or_style(client: TestClient, path: str) -> None:
    response = client.get(path)
    for tag, attrs in tags(response.text):
        assert "style" not in attrs and not any(k.startswith("on") for k in attrs), (path, tag)
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/"), path
    assert "<style" not in response.text


def test_hostile_documents_are_shown_as_text(client: TestClient) -> None:
    for post in hostile_posts(client):
        page = client.get(f"/posts/{post['id']}").text
        assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page
        assert not any(t == "img" for t, _ in tags(page))
        assert sum(1 for t, _ in tags(page) if t == "script") == 0


# -- in Chromium ---------------------------------------------------------------------------


def test_flow_home_entity_post_story(chromium: Any, base: str) -> None:
    with watched_page(chromium) as w:
        page = w.page
        page.goto(base + "/")
        page.get_by_role("link", name="Sinuiju", exact=True).first.click()
        expect(page.locator("h1")).to_have_text("Sinuiju")
        entity_path = page.url.removeprefix(base)
        expect(page.locator("svg.chart rect.bar").first).to_be_attached()
        page.locator("table.data td a[href^='/posts/']").first.click()
        expect(page.locator("article.text a.mention").first).to_be_visible()
        page.locator(f"article.text a.mention[href='{entity_path}']").first.click()
        expect(page.locator("h1")).to_have_text("Sinuiju")
        page.go_back()
        page.locator("aside a[href^='/stories/']").first.click()
        expect(page.locator("ol.versions > li").first).to_be_visible()
        expect(page.locator(".grades .grade")).to_have_count(2)
        assert w.problems == [] and w.dialogs == []


def test_flow_search_post_entity_story(chromium: Any, base: str) -> None:
    with watched_page(chromium) as w:
        page = w.page
        page.goto(base + "/")
        page.locator("input[name=q]").first.fill("Kimchaek steel")
        page.locator("input[name=q]").first.press("Enter")
        expect(page.locator("ol.hits mark").first).to_be_visible()
        page.locator("a.hit-title").first.click()
        link = page.locator(f"article.text a.mention[href='/entities/{quote(KIM_CHAEK, safe='')}']")
        expect(link.first).to_be_visible()
        link.first.click()
        expect(page.locator("h1")).to_have_text("Kim Chaek Iron and Steel Complex")
        page.locator("a[href^='/stories/']").first.click()
        expect(page.locator(".grades .grade")).to_have_count(2)
        page.goto(base + "/search?q=" + quote("김책제철련합기업소"))
        expect(page.locator("a.hit-title").first).to_be_visible()
        assert w.problems == [] and w.dialogs == []


def test_search_api_answers_from_the_index(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Gimchaek", "by_story": "true"}).json()
    assert body["total"] >= 1 and body["hits"][0]["story"]
    assert {f["label"] for f in body["facets"]["outlets"]}
    shown = client.get("/search", params={"q": "pwned"}).text
    assert "<script>" not in shown.split("<main", 1)[1]


def test_map_markers_come_from_the_store(chromium: Any, base: str, client: TestClient) -> None:
    features = client.get("/api/map").json()["features"]
    with watched_page(chromium) as w:
        w.page.goto(base + "/map")
        expect(w.page.locator("path.marker")).to_have_count(len(features))
        w.page.goto(base + "/entities/" + quote(KIM_CHAEK, safe=""))
        expect(w.page.locator("path.marker")).to_have_count(1)
        assert w.problems == []
        assert all(url.startswith(base) for url in w.requests)


def test_markup_in_documents_never_runs(chromium: Any, base: str, client: TestClient) -> None:
    posts = hostile_posts(client)
    entity = "/entities/" + quote(
        client.get("/api/entities", params={"name": COSMETICS}).json()["id"], safe=""
    )
    story = f"/stories/{posts[0]['story']}"
    with watched_page(chromium) as w:
        for path in ["/", entity, story, *(f"/posts/{p['id']}" for p in posts)]:
            w.page.goto(base + path)
            w.page.wait_for_load_state("load")
            title = w.page.title()
            assert title != "pwned" and title.endswith("nkwatch"), path  # a title shown as text
        for post in posts:
            w.page.goto(f"{base}/posts/{post['id']}")
            text = w.page.locator("article.text").inner_text()
            assert SCRIPT in text or "<script>alert('pwned')</script>" in text
            assert "onerror=" in text
            assert w.page.locator("article img, article script").count() == 0
            assert w.page.title() != "pwned"
        assert w.dialogs == []
        assert not any("pwned" in p for p in w.problems)
