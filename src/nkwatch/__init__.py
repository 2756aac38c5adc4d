"""nkwatch: a source-linked knowledge base of North Korea's industrial system.

The public Python API. Each name here is one step a user can take; the CLI is a
thin layer over the same functions. Names load on first use, so that importing
the package (and starting the command) costs nothing it does not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nkwatch.errors import NkwatchError
    from nkwatch.model import Document, Entity, Mention, Origin, Post, Quantity, Story
    from nkwatch.pipeline import IngestReport, Pipeline, extract_paths, ingest_paths
    from nkwatch.read import ReadFailure
    from nkwatch.store import Store, open_store

_HOMES = {
    "NkwatchError": "nkwatch.errors",
    "Document": "nkwatch.model",
    "Entity": "nkwatch.model",
    "Mention": "nkwatch.model",
    "Origin": "nkwatch.model",
    "Post": "nkwatch.model",
    "Quantity": "nkwatch.model",
    "Story": "nkwatch.model",
    "IngestReport": "nkwatch.pipeline",
    "Pipeline": "nkwatch.pipeline",
    "ReadFailure": "nkwatch.read",
    "extract_paths": "nkwatch.pipeline",
    "ingest_paths": "nkwatch.pipeline",
    "Store": "nkwatch.store",
    "open_store": "nkwatch.store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'nkwatch' has no attribute {name!r}")
    return getattr(import_module(home), name)


__all__ = [
    "Document",
    "Entity",
    "IngestReport",
    "Mention",
    "NkwatchError",
    "Origin",
    "Pipeline",
    "Post",
    "Quantity",
    "ReadFailure",
    "Store",
    "Story",
    "extract_paths",
    "ingest_paths",
    "open_store",
]
__version__ = "0.1.0"
