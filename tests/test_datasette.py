"""The shipped Datasette metadata, served with Datasette itself over a fresh knowledge base."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from datasette.app import Datasette

from nkwatch.cli import main
from nkwatch.export.datasette import metadata_for
from nkwatch.store import open_store, schema


def fetch(ds: Datasette, path: str) -> Any:
    async def get() -> Any:
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(get())


def test_datasette_serves_the_knowledge_base_with_its_descriptions(seeded_kb: Path) -> None:
    printed = CliRunner().invoke(main, ["datasette-metadata", "--db", str(seeded_kb)])
    assert printed.exit_code == 0, printed.output
    metadata = json.loads(printed.stdout)
    assert metadata == metadata_for(seeded_kb)
    ds = Datasette(files=[str(seeded_kb)], metadata=metadata)
    posts = fetch(ds, "/kb/posts.json?_shape=array&_size=max")
    store = open_store(seeded_kb)
    try:
        assert len(posts) == store.stats()["posts"]
    finally:
        store.close()
    assert {"id", "title", "published", "text"} <= set(posts[0])
    served = fetch(ds, "/-/metadata.json")
    assert served["title"] == "nkwatch knowledge base"
    assert "dated entry" in served["databases"]["kb"]["tables"]["posts"]["description"]


def test_every_table_and_column_is_described() -> None:
    tables = metadata_for("kb.db")["databases"]["kb"]["tables"]
    for name, table in schema.metadata.tables.items():
        assert tables[name]["description"], name
        assert set(tables[name]["columns"]) == {c.name for c in table.columns}, name
