"""nkwatch: a source-linked knowledge base of North Korea's industrial system.

The public Python API. Each name here is one step a user can take; the CLI is a
thin layer over the same functions.
"""

from nkwatch.errors import NkwatchError
from nkwatch.model import Document, Entity, Mention, Origin, Post, Quantity, Story
from nkwatch.pipeline import Pipeline, extract_paths, ingest_paths
from nkwatch.store import Store, open_store

__all__ = [
    "Document",
    "Entity",
    "Mention",
    "NkwatchError",
    "Origin",
    "Pipeline",
    "Post",
    "Quantity",
    "Store",
    "Story",
    "extract_paths",
    "ingest_paths",
    "open_store",
]
__version__ = "0.1.0"
