"""The test servers themselves: a real PostgreSQL, a real Chromium, an app on uvicorn."""

from __future__ import annotations

import struct
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from .servers import (
    PostgresServer,
    launch_chromium,
    postgres_bindir,
    running_postgres,
    serve_app,
)

USER_TABLES = """
    SELECT count(*) FROM information_schema.tables
    WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
"""


def test_postgres_answers_on_its_own_port(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("SELECT version()")).scalar_one()
        port = conn.execute(sa.text("SHOW port")).scalar_one()
    engine.dispose()
    assert version.startswith("PostgreSQL ")
    assert int(port) == postgres_server.port != 5432


def test_each_database_is_fresh_empty_and_dropped_after(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    with postgres_server.database() as other_url:
        assert other_url != postgres_url
        first, second = sa.create_engine(postgres_url), sa.create_engine(other_url)
        with first.begin() as conn:
            assert conn.execute(sa.text(USER_TABLES)).scalar_one() == 0
            conn.execute(sa.text("CREATE TABLE posts (id int)"))
            assert conn.execute(sa.text(USER_TABLES)).scalar_one() == 1
        with second.connect() as conn:
            assert conn.execute(sa.text(USER_TABLES)).scalar_one() == 0
        first.dispose()  # `second` stays open: the drop must close it
    other_name = other_url.rsplit("/", 1)[1]
    with sa.create_engine(postgres_server.url()).connect() as conn:
        names = conn.execute(sa.text("SELECT datname FROM pg_database")).scalars().all()
    assert postgres_url.rsplit("/", 1)[1] in names
    assert other_name not in names


def test_unicode_round_trips(postgres_url: str) -> None:
    texts = ["김책제철연합기업소", "Kimch'aek Ŏ ŭ — “quoted”", "emoji 🏭 and \u00a0space", "平壤"]
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        assert conn.execute(sa.text("SHOW server_encoding")).scalar_one() == "UTF8"
        conn.execute(sa.text("CREATE TABLE names (id int PRIMARY KEY, name text)"))
        conn.execute(
            sa.text("INSERT INTO names VALUES (:id, :name)"),
            [{"id": i, "name": text} for i, text in enumerate(texts)],
        )
        back = conn.execute(sa.text("SELECT name FROM names ORDER BY id")).scalars().all()
        found = conn.execute(
            sa.text("SELECT id FROM names WHERE name LIKE :pattern"), {"pattern": "%제철%"}
        ).scalar_one()
    engine.dispose()
    assert back == texts
    assert found == 0


def test_newest_postgres_is_chosen(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        (bindir / "initdb").touch()
        (bindir / "pg_ctl").touch()
    (tmp_path / "16" / "bin").mkdir(parents=True)  # a client-only install has no initdb
    assert postgres_bindir(tmp_path) == tmp_path / "15" / "bin"


def test_missing_postgres_fails_with_a_one_line_install_hint(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed, running_postgres(tmp_path):
        pass
    message = str(failed.value)
    assert "install Debian's postgresql package (apt-get install postgresql)" in message
    assert "\n" not in message


def test_missing_chromium_fails_with_a_one_line_install_hint(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        launch_chromium(playwright=None, executable=tmp_path / "chromium")
    message = str(failed.value)
    assert "install Debian's chromium package" in message
    assert "\n" not in message


def counter_app() -> FastAPI:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return """<!doctype html><html><head><meta charset="utf-8"><title>counter</title></head>
<body><h1 id="out">waiting</h1><script>
fetch("/api/count").then(r => r.json()).then(d => {
  document.getElementById("out").textContent = d.facility + ": " + d.count + " reports";
});
</script></body></html>"""

    @app.get("/api/count")
    def count() -> dict[str, Any]:
        return {"facility": "Kim Chaek Iron and Steel Complex", "count": 7}

    return app


def test_browser_runs_the_page_script_against_the_app(chromium: Any, tmp_path: Path) -> None:
    with serve_app(counter_app()) as base_url:
        page = chromium.new_page(viewport={"width": 640, "height": 360})
        try:
            page.goto(base_url)
            page.wait_for_function(
                "document.getElementById('out').textContent !== 'waiting'", timeout=5000
            )
            text = page.locator("#out").inner_text()
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot))
        finally:
            page.close()
    with pytest.raises(urllib.error.URLError):  # the app server is gone once the block ends
        urllib.request.urlopen(base_url, timeout=2)
    assert text == "Kim Chaek Iron and Steel Complex: 7 reports"
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (640, 360)  # IHDR width and height
    assert len(png) > 1000
