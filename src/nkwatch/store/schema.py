"""The knowledge base's tables, defined once for SQLite and PostgreSQL.

Text columns compare byte-wise on both backends (PostgreSQL's "C" collation,
SQLite's default), so listings sort the same whatever the server's locale.
The migration history in `nkwatch/store/migrations` builds these tables;
`HEAD` names its newest revision, and a test checks the two agree.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

HEAD = "0004"  # the newest migration revision

# Text that sorts byte-wise on every backend.
Text = sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")

metadata = sa.MetaData()

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", Text, primary_key=True),  # content hash
    sa.Column("file_sha256", Text, nullable=False),  # hash of the raw bytes of its file
    sa.Column("source", Text, nullable=False),
    sa.Column("kind", Text, nullable=False),
    sa.Column("title", Text),
    sa.Column("published", Text),
    sa.Column("outlet", Text),
    sa.Column("url", Text),
    sa.Column("text", Text, nullable=False),
    sa.Column("ingested_at", Text, nullable=False),
    sa.Index("documents_file", "file_sha256"),
)

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("id", Text, primary_key=True),
    sa.Column("document_id", Text, sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("source", Text, nullable=False),
    sa.Column("title", Text),
    sa.Column("published", Text),
    sa.Column("text", Text, nullable=False),
    sa.UniqueConstraint("document_id", "idx"),
    sa.Index("posts_published", "published"),
)

post_people = sa.Table(
    "post_people",
    metadata,
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("role", Text, primary_key=True),  # author | translator
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("name", Text, nullable=False),
    sa.CheckConstraint("role IN ('author', 'translator')", name="post_people_role"),
)

origins = sa.Table(
    "origins",
    metadata,
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("name", Text, nullable=False),
    sa.Column("title", Text),
    sa.Column("author", Text),
    sa.Column("date", Text),
    sa.Index("origins_name", "name"),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", Text, primary_key=True),  # "type:slug" (gazetteer) or "type:~key" (text)
    sa.Column("type", Text, nullable=False),
    sa.Column("name", Text, nullable=False),
    sa.Column("info", Text, nullable=False),  # JSON: place, sector, coordinates, outlet kind...
    sa.Index("entities_type", "type"),
)

aliases = sa.Table(
    "aliases",
    metadata,
    sa.Column("entity_id", Text, sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("alias", Text, primary_key=True),
    sa.Column("key", Text, nullable=False),  # spelling-blind key (nkwatch.names.key_of)
    sa.Index("aliases_key", "key"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("start", sa.Integer, primary_key=True),
    sa.Column("end", sa.Integer, primary_key=True),
    sa.Column("entity_id", Text, sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("text", Text, nullable=False),
    sa.Column("type", Text, nullable=False),
    sa.Column("extractor", Text, nullable=False),
    sa.Index("mentions_entity", "entity_id"),
)

attributions = sa.Table(
    "attributions",
    metadata,
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("start", sa.Integer, primary_key=True),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("kind", Text, nullable=False),
    sa.Column("source", Text, primary_key=True),
    sa.Column("text", Text, nullable=False),
)

claims = sa.Table(  # a figure a post states, what it is about, when, and who says it
    "claims",
    metadata,
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("start", sa.Integer, primary_key=True),  # the figure's offsets in the post
    sa.Column("end", sa.Integer, primary_key=True),
    sa.Column("part", sa.Integer, primary_key=True),  # "70/30" is two figures at one span
    sa.Column("text", Text, nullable=False),
    sa.Column("kind", Text, nullable=False),  # price | wage | production | share | ...
    sa.Column("measure", Text, nullable=False),  # the kind refined by its product: rice price
    sa.Column("value", sa.Float),  # NULL for a dated event
    sa.Column("value_max", sa.Float),
    sa.Column("unit", Text),
    sa.Column("per", Text),
    sa.Column("subject_id", Text, sa.ForeignKey("entities.id")),
    sa.Column("product_id", Text, sa.ForeignKey("entities.id")),
    sa.Column("place_id", Text, sa.ForeignKey("entities.id")),
    sa.Column("period_start", Text),  # YYYY-MM-DD: the first and last day it holds for
    sa.Column("period_end", Text),
    sa.Column("period_precision", Text, nullable=False),  # day | month | year
    sa.Column("period_text", Text),  # the date as written; NULL: the post's publication day
    sa.Column("said_by", Text),
    sa.Column("said_by_kind", Text),  # an attribution kind, or "outlet"
    sa.Column("sentence_start", sa.Integer, nullable=False),
    sa.Column("sentence_end", sa.Integer, nullable=False),
    sa.Index("claims_subject", "subject_id"),
    sa.Index("claims_product", "product_id", "kind"),
    sa.Index("claims_place", "place_id"),
)

post_prints = sa.Table(
    "post_prints",
    metadata,
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("exact", Text, nullable=False),  # hash of the post's normalised words
    sa.Column("indexed", sa.Integer, nullable=False),  # 1 when its LSH bands are stored
    sa.Index("post_prints_exact", "exact"),
)

story_bands = sa.Table(
    "story_bands",
    metadata,
    sa.Column("key", sa.BigInteger, nullable=False),  # LSH band key, band number mixed in
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), nullable=False),
    sa.Index("story_bands_key", "key"),
)

story_members = sa.Table(
    "story_members",
    metadata,
    sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("story_id", Text, nullable=False),
    sa.Index("story_members_story", "story_id", "post_id"),  # a story's first post by index
)

story_links = sa.Table(
    "story_links",
    metadata,
    sa.Column("post_a", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("post_b", Text, sa.ForeignKey("posts.id"), primary_key=True),
    sa.Column("kind", Text, nullable=False),  # same-text | near-copy | excerpt | re-post | ...
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reason", Text, nullable=False),
    sa.Index("story_links_b", "post_b"),
)

story_aliases = sa.Table(  # ids a story had before a merge
    "story_aliases",
    metadata,
    sa.Column("old_id", Text, primary_key=True),
    sa.Column("story_id", Text, nullable=False),
)

kb_meta = sa.Table(  # counters the derived data (the search index) checks itself against
    "kb_meta",
    metadata,
    sa.Column("key", Text, primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)
