"""Full-text search over the knowledge base's posts, on an embedded tantivy index.

    index = SearchIndex.open(Path("nkwatch.search"))
    index.add(posts, stamp=42)                      # IndexedPost records from the store
    result = index.query("Kimchaek steel", since=dt.date(2020, 1, 1), by_story=True)
    for hit in result.hits:
        print(hit.title, snippet_html(hit.snippet))

Queries are spelling-blind: the text and the query go through the same name
folding (`nkwatch.names`), so any romanization of a name finds the others.
"""

from .index import Expand, SearchIndex
from .model import FacetCount, Facets, Fragment, Hit, IndexedPost, SearchResult
from .snippet import snippet_html

__all__ = [
    "Expand",
    "FacetCount",
    "Facets",
    "Fragment",
    "Hit",
    "IndexedPost",
    "SearchIndex",
    "SearchResult",
    "snippet_html",
]
