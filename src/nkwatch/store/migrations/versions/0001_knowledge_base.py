"""The knowledge base as first released: documents, posts, entities, mentions, stories.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nkwatch.store.schema import Text

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", Text, primary_key=True),
        sa.Column("file_sha256", Text, nullable=False),
        sa.Column("source", Text, nullable=False),
        sa.Column("kind", Text, nullable=False),
        sa.Column("title", Text),
        sa.Column("published", Text),
        sa.Column("outlet", Text),
        sa.Column("url", Text),
        sa.Column("text", Text, nullable=False),
        sa.Column("ingested_at", Text, nullable=False),
    )
    op.create_index("documents_file", "documents", ["file_sha256"])
    op.create_table(
        "posts",
        sa.Column("id", Text, primary_key=True),
        sa.Column("document_id", Text, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("source", Text, nullable=False),
        sa.Column("title", Text),
        sa.Column("published", Text),
        sa.Column("text", Text, nullable=False),
        sa.UniqueConstraint("document_id", "idx"),
    )
    op.create_index("posts_published", "posts", ["published"])
    op.create_table(
        "post_people",
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("role", Text, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("name", Text, nullable=False),
        sa.CheckConstraint("role IN ('author', 'translator')", name="post_people_role"),
    )
    op.create_table(
        "origins",
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("name", Text, nullable=False),
        sa.Column("title", Text),
        sa.Column("author", Text),
        sa.Column("date", Text),
    )
    op.create_index("origins_name", "origins", ["name"])
    op.create_table(
        "entities",
        sa.Column("id", Text, primary_key=True),
        sa.Column("type", Text, nullable=False),
        sa.Column("name", Text, nullable=False),
        sa.Column("info", Text, nullable=False),
    )
    op.create_index("entities_type", "entities", ["type"])
    op.create_table(
        "aliases",
        sa.Column("entity_id", Text, sa.ForeignKey("entities.id"), primary_key=True),
        sa.Column("alias", Text, primary_key=True),
        sa.Column("key", Text, nullable=False),
    )
    op.create_index("aliases_key", "aliases", ["key"])
    op.create_table(
        "mentions",
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("start", sa.Integer, primary_key=True),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", Text, nullable=False),
        sa.Column("type", Text, nullable=False),
        sa.Column("entity_id", Text, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("extractor", Text, nullable=False),
    )
    op.create_index("mentions_entity", "mentions", ["entity_id"])
    op.create_table(
        "post_prints",
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("exact", Text, nullable=False),
        sa.Column("indexed", sa.Integer, nullable=False),
    )
    op.create_index("post_prints_exact", "post_prints", ["exact"])
    op.create_table(
        "story_bands",
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), nullable=False),
    )
    op.create_index("story_bands_key", "story_bands", ["key"])
    op.create_table(
        "story_members",
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("story_id", Text, nullable=False),
    )
    op.create_index("story_members_story", "story_members", ["story_id"])
    op.create_table(
        "story_links",
        sa.Column("post_a", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("post_b", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("kind", Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reason", Text, nullable=False),
    )
    op.create_index("story_links_b", "story_links", ["post_b"])
    op.create_table(
        "story_aliases",
        sa.Column("old_id", Text, primary_key=True),
        sa.Column("story_id", Text, nullable=False),
    )
    op.create_table(
        "attributions",
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("start", sa.Integer, primary_key=True),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("kind", Text, nullable=False),
        sa.Column("source", Text, primary_key=True),
        sa.Column("text", Text, nullable=False),
    )
