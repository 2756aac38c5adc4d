"""Screenshots of the web pages over the samples knowledge base, for docs/web.md.

    .venv/bin/python docs/screenshots/take.py       # or: make screenshots

Ingests samples/ into a temporary knowledge base, serves it, and saves one PNG
per page next to this file, using Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from nkwatch.indexing import open_finder  # noqa: E402
from nkwatch.pipeline import Pipeline, ingest_paths  # noqa: E402
from nkwatch.ratings import Ratings  # noqa: E402
from nkwatch.store import open_store  # noqa: E402
from nkwatch.views import stories  # noqa: E402
from nkwatch.web import WebSettings, create_app  # noqa: E402
from tests.servers import serve_app  # noqa: E402

ENTITY = "Kim Chaek Iron and Steel Complex"
LIMIT = 250_000


def main() -> None:
    from fastapi.testclient import TestClient
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "samples.db"
        os.chdir(ROOT)  # sources are stored as given: samples/...
        store = open_store(db, write=True)
        ingest_paths([Path("samples")], store, Pipeline())
        store.close()
        story_id = stories(open_store(db), Ratings.load(), limit=1, min_versions=2)[0].id
        index = Path(tmp) / "samples.search"
        finder = open_finder(open_store(db), index, Ratings.load())
        app = create_app(settings=WebSettings(db=str(db), search=finder, index=index))
        api = TestClient(app)
        entity = api.get("/api/entities", params={"name": ENTITY}).json()
        story = api.get(f"/api/stories/{story_id}").json()
        pages = {
            "home": "/",
            "search": "/search?q=" + quote("Kimchaek steel"),
            "entity": "/entities/" + quote(entity["id"], safe=""),
            "post": f"/posts/{story['posts'][-1]['id']}",
            "story": f"/stories/{story['id']}",
            "outlets": "/outlets",
            "map": "/map",
        }
        with serve_app(app) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            for name, path in pages.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(400)
                out = HERE / f"{name}.png"
                page.screenshot(path=str(out))
                size = out.stat().st_size
                print(f"{out.relative_to(ROOT)}  {size:,} bytes" + ("  TOO BIG" if size > LIMIT else ""))
            browser.close()


if __name__ == "__main__":
    main()
