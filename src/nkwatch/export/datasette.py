"""Datasette metadata for a knowledge base: titles and table and column descriptions.

The shipped file (`data/datasette-metadata.json`) describes the tables under the
database name `nkwatch`; Datasette names a database after its file, so
`metadata_for` files the same descriptions under the name a given file gets.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

SHIPPED_NAME = "nkwatch"


def shipped_metadata() -> dict[str, Any]:
    text = resources.files("nkwatch").joinpath("data", "datasette-metadata.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def metadata_for(db_file: str | Path) -> dict[str, Any]:
    """The metadata with its table descriptions filed under the database name Datasette
    gives `db_file` (its file name without the extension)."""
    data = shipped_metadata()
    described = data["databases"].pop(SHIPPED_NAME)
    data["databases"][Path(db_file).stem] = described
    return data
